"""What the reading views cost on the example site: the models' git history (one bounded
``git log`` and one ``git cat-file --batch``, each version parsed once), the risk over time
page (12 months), and the threat details panels of every model (history included).

It reads the example site in this repository (its git history is the project's), with the
parse cache of blobs emptied before each run, and prints medians of ``--runs`` runs next
to the targets. With ``--models N`` it also writes ``site_bench.py``'s synthetic site (N
models of about 40 threats, 12 commits of edits spread over a year) and prints what the
threat details section adds to preparing every model page, and the risk page's cost.
Nothing is asserted.

Usage::

    .venv/bin/python bench/reading_bench.py [--runs 3] [--models 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs_threatmodel.diff import timeline as timeline_module
from mkdocs_threatmodel.diff.timeline import Timeline
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.views import risk_trend, threat_panel
from mkdocs_threatmodel.views.page import MODEL_SECTIONS, Composer
from mkdocs_threatmodel.views.site import Site
from mkdocs_threatmodel.workspace.repository import Repository

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"history": 0.5, "risk page": 0.2, "details panels": 0.5}  # seconds


def once(repo: Repository, models) -> dict[str, float]:
    timeline_module._PARSED.clear()
    site = Site(models, {m.path: f"m/{m.id}/" for m in models})
    site.history = Timeline(repo.root, [m.path for m in models], models)
    out = {}
    start = time.perf_counter()
    for m in models:
        site.history.versions(m.path)
    out["history"] = time.perf_counter() - start
    start = time.perf_counter()
    risk_trend.render(site, "threat-risk/")
    out["risk page"] = time.perf_counter() - start
    start = time.perf_counter()
    for m in models:
        threat_panel.render(m, site, f"m/{m.id}/")
    out["details panels"] = time.perf_counter() - start
    out["commits read"] = site.history.commits_read
    out["versions"] = sum(len(site.history.entries(m.path)) for m in models)
    out["parsed"] = site.history.parsed
    return out


def synthetic(count: int, runs: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from site_bench import write_site
    from validate_bench import git

    with tempfile.TemporaryDirectory(prefix="tm-reading-bench-") as folder:
        root = Path(folder)
        write_site(root, count, "material")
        models_dir = root / "docs" / "models"
        files = sorted(models_dir.glob("*.md"))
        for month in range(1, 13):  # a year of edits: a few models change each month
            for path in files[month % 7::7]:
                text = path.read_text("utf-8")
                path.write_text(text.replace("status: open", "status: mitigating", 1),
                                "utf-8", newline="\n") if month % 2 else \
                    path.write_text(text.replace("status: mitigating", "status: open", 1),
                                    "utf-8", newline="\n")
            git(["add", "-A"], root)
            stamp = f"2026-{month:02d}-15T12:00:00+00:00"
            subprocess.run(["git", "-c", "user.name=Bench Bot", "-c",
                            "user.email=bench@example.invalid", "-c", "commit.gpgsign=false",
                            "commit", "-q", "--no-verify", "-m", f"month {month}"],
                           cwd=root, check=True, env={**os.environ, "GIT_AUTHOR_DATE": stamp,
                                                      "GIT_COMMITTER_DATE": stamp})
        repo = Repository.at(root / "docs")
        models = validate(repo, keep_models=True).models
        without = tuple(s for s in MODEL_SECTIONS if s != "details")
        times: dict[str, list[float]] = {"pages without details": [],
                                         "pages with details": [], "risk page": []}
        for _ in range(runs):
            timeline_module._PARSED.clear()
            site = Site(models, {m.path: f"m/{m.id}/" for m in models})
            site.history = Timeline(repo.root, [m.path for m in models], models)
            composer = Composer(site)
            for label, sections in (("pages without details", without),
                                    ("pages with details", MODEL_SECTIONS)):
                start = time.perf_counter()
                for m in models:
                    composer.prepare("# T\n", current=f"m/{m.id}/", model=m,
                                     sections=sections)
                times[label].append(time.perf_counter() - start)
            start = time.perf_counter()
            risk_trend.render(site, "threat-risk/")
            times["risk page"].append(time.perf_counter() - start)
        threats = sum(len(m.threats) for m in models)
        print(f"synthetic site: {len(models)} models, {threats} threats, "
              f"{site.history.commits_read} commits (median of {runs} runs)")
        for label, values in times.items():
            print(f"  {label:<22} {statistics.median(values):8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", type=int, default=0)
    args = parser.parse_args()
    if args.models:
        synthetic(args.models, args.runs)
    repo = Repository.at(ROOT / "example-site" / "docs")
    models = validate(repo, keep_models=True).models
    runs = [once(repo, models) for _ in range(args.runs)]
    threats = sum(len(m.threats) for m in models)
    print(f"example site: {len(models)} models, {threats} threats, "
          f"{runs[0]['versions']:.0f} model versions in {runs[0]['commits read']:.0f} commits, "
          f"{runs[0]['parsed']:.0f} parsed "
          f"(median of {args.runs} runs)")
    for name, target in TARGETS.items():
        value = statistics.median(r[name] for r in runs)
        print(f"  {name:<16} {value * 1000:8.1f} ms   target < {target * 1000:.0f} ms")


if __name__ == "__main__":
    main()
