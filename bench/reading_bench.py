"""What the reading views cost on the example site: the models' git history (one bounded
``git log`` and one ``git cat-file --batch``, each version parsed once), the risk over time
page (12 months), and the threat details panels of every model (history included).

It reads the example site in this repository (its git history is the project's), with the
parse cache of blobs emptied before each run, and prints medians of ``--runs`` runs next
to the targets. Nothing is asserted.

Usage::

    .venv/bin/python bench/reading_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from mkdocs_threatmodel.diff import timeline as timeline_module
from mkdocs_threatmodel.diff.timeline import Timeline
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.views import risk_trend, threat_panel
from mkdocs_threatmodel.views.site import Site
from mkdocs_threatmodel.workspace.repository import Repository

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"history": 0.5, "risk page": 0.2, "details panels": 0.5}  # seconds


def once(repo: Repository, models) -> dict[str, float]:
    timeline_module._PARSED.clear()
    site = Site(models, {m.path: f"m/{m.id}/" for m in models})
    site.history = Timeline(repo.root, [m.path for m in models])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
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
