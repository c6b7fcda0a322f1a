"""Benchmark of the MkDocs plugin at scale: sites of N copies of the example model, built
with and without the plugin, with both navigation styles, for time and peak memory.

For each size in ``--models`` (50, 200, 500 and 1,000 by default) it writes, in a
temporary folder, a git repository holding the example site (``example-site/``: its
services, OpenAPI files, Terraform, ADRs and index pages) whose ``guest-checkout`` model
is copied N times (copy 0 is the original, the others have their model id, title and
threat ids changed, ``CHK-`` becoming ``G0001-`` and so on). The example's two other
models stay. Then it runs real ``mkdocs build`` subprocesses with Material:

* without the plugin (``plugins: [search]``): MkDocs renders the model files as plain
  Markdown pages; with it (``plugins: [search, threatmodel]``);
* with the navigation written out in ``mkdocs.yml`` ("flat", as large sites do) and
  without it ("auto": Material's automatic navigation, which costs MkDocs itself time
  quadratic in the number of pages).

Each build is a fresh subprocess; its wall time, CPU time and peak resident memory (from
``wait4``'s rusage) are recorded. Builds without and with the plugin run in turns (so a
busy moment of a shared machine hurts both), after one warm-up build of each; the
plugin's warm-up starts from an empty cache folder and is reported as the cold build (a
CI job without a restored cache), the medians of the others as the warm one, next to
the targets of issue 18. Then, at ``--serve-models`` models (500), it measures a ``mkdocs serve``
rebuild after one model edit, in a subprocess that drives MkDocs the way ``mkdocs serve``
does (``on_startup(command="serve")``, a fresh configuration per build, the plugin instance
kept, ``build(config, serve_url=...)``), with and without the plugin.

Usage::

    .venv/bin/python bench/site_bench.py [--models 50,200,500,1000] [--runs 3]
        [--nav flat,auto] [--serve-models 500] [--edits 3] [--keep]

Nothing is asserted: the script prints the figures next to their targets. On a shared
machine the figures are noisy; run it more than once and compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example-site"
MODEL = "docs/threat-models/guest-checkout.md"
FIXED_TODAY = "2026-11-27"
TIME_TARGET = 1.10  # with the flat navigation, at every size
MEMORY_TARGET = 1.5  # at 1,000 models
SERVE_TARGET = 1.2  # a serve rebuild after one model edit, at 500 models
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.test",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.test",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
MARKDOWN_EXTENSIONS = """markdown_extensions:
  - tables
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


def git(args: list[str], cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, env={**os.environ, **GIT_ENV},
                   stdout=subprocess.DEVNULL)


def copy_name(index: int) -> str:
    return "guest-checkout" if index == 0 else f"guest-checkout-{index:04d}"


def model_copy(text: str, index: int) -> str:
    """The example model with its model id, title and threat ids changed (copy 0 as is)."""
    if index == 0:
        return text
    text = text.replace("id: guest-checkout\ntitle: Guest checkout\n",
                        f"id: {copy_name(index)}\ntitle: Guest checkout {index:04d}\n", 1)
    return re.sub(r"\bCHK-(\d{3})\b", lambda m: f"G{index:04d}-{m[1]}", text)


def write_site(root: Path, count: int) -> list[str]:
    """The repository; returns the docs paths of the model copies."""
    shutil.copytree(EXAMPLE, root / "example-site",
                    ignore=shutil.ignore_patterns("site", "mkdocs.yml", "zensical.toml"))
    source = (EXAMPLE / MODEL).read_text(encoding="utf-8")
    pages = []
    for index in range(count):
        page = f"threat-models/{copy_name(index)}.md"
        (root / "example-site" / "docs" / page).write_text(model_copy(source, index),
                                                            encoding="utf-8", newline="\n")
        pages.append(page)
    git(["init", "-q"], root)
    git(["add", "-A"], root)
    git(["commit", "-q", "--no-verify", "-m", "Example site with copies"], root)
    return pages


def write_config(root: Path, pages: list[str], *, plugin: bool, nav: str) -> Path:
    """``mkdocs-{plain|plugin}-{flat|auto}.yml`` beside the example's docs folder."""
    plugins = "plugins:\n  - search\n"
    if plugin:
        plugins += ("  - threatmodel:\n      register_page: threat-models/register.md\n"
                    "      mitigations_page: threat-models/mitigations.md\n"
                    "      owners_page: threat-models/owners.md\n"
                    "      staleness_page: threat-models/staleness.md\n"
                    "      staleness: show\n      mermaid: mermaid.min.js\n")
    text = (f"site_name: Bench\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
            f"{plugins}{MARKDOWN_EXTENSIONS}")
    if nav == "flat":
        docs = root / "example-site" / "docs"
        others = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                        if p.relative_to(docs).as_posix() not in pages)
        text += "nav:\n" + "".join(f"  - {json.dumps(p)}\n" for p in others + pages)
    path = root / "example-site" / f"mkdocs-{'plugin' if plugin else 'plain'}-{nav}.yml"
    path.write_text(text, encoding="utf-8")
    (root / "example-site" / "mermaid.min.js").write_text("/* the bench loads no page */\n")
    return path


def bench_env(base: Path) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, "THREATMODEL_TODAY": FIXED_TODAY,
            "NO_MKDOCS_2_WARNING": "1", "THREATMODEL_CACHE_DIR": str(base / "cache")}


class Run:
    """One measured build: wall and CPU seconds (``wait4``: user + system) and peak RSS."""

    def __init__(self, wall: float, cpu: float, rss: float, out: str) -> None:
        self.wall, self.cpu, self.rss, self.out = wall, cpu, rss, out


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """One fresh subprocess, reaped by ``wait4`` for its own CPU time and ``ru_maxrss``;
    exits on failure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(command[:4])} failed:\n{err.read()[-3000:]}")
        return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   out.read())  # ru_maxrss is KiB on Linux


def build(root: Path, config: Path, base: Path) -> Run:
    return run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                         "-d", str(base / "site")], root / "example-site", bench_env(base))


def measure(root: Path, plain: Path, plugged: Path, base: Path, runs: int, nav: str
            ) -> dict[str, Run]:
    """Medians of ``runs`` builds without and with the plugin, in turns, after one warm-up
    build of each (the first plugin build starts from an empty cache: it is reported as
    the cold build); keys ``without``, ``with`` and ``cold``."""
    shutil.rmtree(base / "cache", ignore_errors=True)
    measured: dict[str, list[Run]] = {"without": [], "with": []}
    cold = None
    for run in range(runs + 1):
        for label, config in (("without", plain), ("with", plugged)):
            result = build(root, config, base)
            if run:
                measured[label].append(result)
            elif label == "with":
                cold = result
            note = " (warm-up)" if not run else "          "
            if not run and label == "with":
                note = " (cold)   "
            print(f"    {nav}, {label:<8} run {run}{note}: {result.wall:7.2f} s wall "
                  f"{result.cpu:7.2f} s CPU {result.rss:6.0f} MiB", flush=True)
    medians = {label: Run(statistics.median(r.wall for r in runs_),
                          statistics.median(r.cpu for r in runs_),
                          statistics.median(r.rss for r in runs_), "")
               for label, runs_ in measured.items()}
    assert cold is not None
    medians["cold"] = cold
    return medians


# -- serve --------------------------------------------------------------------------------

def serve_worker(config_file: str, model_path: str, edits: int) -> None:
    """In this process: build as ``mkdocs serve`` does, then edit the model ``edits`` times
    and rebuild after each; prints JSON with the rebuild times."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="tm-serve-bench-")
    serve_url = "http://127.0.0.1:8000/"

    def fresh():  # type: ignore[no-untyped-def]
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.site_url = serve_url
        return config

    config = fresh()
    config.plugins.on_startup(command="serve", dirty=False)
    start = time.perf_counter()
    mkdocs_build(config, serve_url=serve_url, dirty=False)
    first = time.perf_counter() - start
    path = Path(model_path)
    original = path.read_text(encoding="utf-8")
    times, counts = [], []
    try:
        for edit in range(edits):
            path.write_text(original.replace("Priya Raman", f"Priya Raman (edit {edit})", 1),
                            encoding="utf-8")
            start = time.perf_counter()
            mkdocs_build(fresh(), serve_url=serve_url, dirty=False)
            times.append(time.perf_counter() - start)
            counts.append(_views_made(config))
    finally:
        path.write_text(original, encoding="utf-8")
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    print(json.dumps({"first": first, "rebuilds": times, "views_made": counts}))


def _views_made(config) -> int | None:  # type: ignore[no-untyped-def]
    """How many models' views the plugin's cache made in its last build, if it says."""
    plugin = config.plugins.get("threatmodel")
    cache = getattr(plugin, "views_cache", None)
    return None if cache is None else len(cache.made)


def serve_rebuild(root: Path, config: Path, base: Path, edits: int) -> dict:
    model = root / "example-site" / "docs" / "threat-models" / f"{copy_name(1)}.md"
    run = run_measured([sys.executable, __file__, "--serve-worker", str(config),
                        str(model), str(edits)], root / "example-site", bench_env(base))
    result = json.loads(run.out.strip().splitlines()[-1])
    result["rss"] = run.rss
    return result


# -- report -------------------------------------------------------------------------------

def verdict(value: float, target: float) -> str:
    return "meets" if value <= target else "MISSES"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="50,200,500,1000",
                        help="comma-separated site sizes (copies of the example model)")
    parser.add_argument("--runs", type=int, default=3, help="measured builds per case")
    parser.add_argument("--nav", default="flat,auto", help="flat, auto or both")
    parser.add_argument("--serve-models", type=int, default=500,
                        help="site size of the serve rebuild (0: skip it)")
    parser.add_argument("--edits", type=int, default=3, help="serve rebuilds measured")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--serve-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_worker:
        config, model, edits = args.serve_worker
        serve_worker(config, model, int(edits))
        return 0
    sizes = [int(s) for s in args.models.split(",") if s.strip()]
    navs = [n.strip() for n in args.nav.split(",") if n.strip()]
    rows: list[tuple[int, str, dict[str, Run]]] = []
    serve: dict[str, dict] = {}
    base = Path(tempfile.mkdtemp(prefix="tm-site-bench-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (shared machines make "
          "these figures noisy)", flush=True)
    try:
        for count in sorted(set(sizes) | ({args.serve_models} if args.serve_models else set())):
            root = base / f"repo-{count}"
            root.mkdir()
            print(f"{count} models: writing the site in {root} ...", flush=True)
            pages = write_site(root, count)
            if count in sizes:
                for nav in navs:
                    plain = write_config(root, pages, plugin=False, nav=nav)
                    plugged = write_config(root, pages, plugin=True, nav=nav)
                    rows.append((count, nav, measure(root, plain, plugged, base, args.runs,
                                                     nav)))
            if count == args.serve_models:
                print(f"  serve rebuilds after a model edit, {count} models (flat nav) ...",
                      flush=True)
                for label, plugin in (("without", False), ("with", True)):
                    config = write_config(root, pages, plugin=plugin, nav="flat")
                    serve[label] = serve_rebuild(root, config, base, args.edits)
                    print(f"    {label:<8} first build {serve[label]['first']:6.2f} s, "
                          f"rebuilds {', '.join(f'{t:.2f}' for t in serve[label]['rebuilds'])}"
                          f" s", flush=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print()
    print(f"mkdocs build with Material, median of {args.runs} runs after a warm-up, in turns; "
          "peak RSS of the build process; CPU is user + system time")
    print("| models | nav | with plugin | without | time ratio | CPU ratio | peak memory with "
          "| without | memory ratio | cold with plugin (ratio, memory ratio) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for count, nav, m in rows:
        a, b, c = m["without"], m["with"], m["cold"]
        print(f"| {count:,} | {nav} | {b.wall:.2f} s | {a.wall:.2f} s | {b.wall / a.wall:.2f} "
              f"| {b.cpu / a.cpu:.2f} | {b.rss:.0f} MiB | {a.rss:.0f} MiB | {b.rss / a.rss:.2f} "
              f"| {c.wall:.2f} s ({c.wall / a.wall:.2f}, {c.rss / a.rss:.2f}) |")
    print()
    print("Targets (issue 18); the cold build (empty cache) is shown beside, for what a CI "
          "job without a restored cache sees:")
    for count, nav, m in rows:
        if nav == "flat":
            a, b, c = m["without"], m["with"], m["cold"]
            ratio = b.wall / a.wall
            print(f"  time ratio, flat nav, {count:>5,} models: {ratio:5.2f} (CPU "
                  f"{b.cpu / a.cpu:.2f}; cold {c.wall / a.wall:.2f})  target <= "
                  f"{TIME_TARGET:.2f}: {verdict(ratio, TIME_TARGET)}")
    for count, nav, m in rows:
        if count == 1000:
            a, b, c = m["without"], m["with"], m["cold"]
            ratio = b.rss / a.rss
            print(f"  peak memory ratio, {nav} nav, 1,000 models: {ratio:5.2f} (cold "
                  f"{c.rss / a.rss:.2f})  target <= {MEMORY_TARGET:.1f}: "
                  f"{verdict(ratio, MEMORY_TARGET)}")
    if serve:
        a = statistics.median(serve["without"]["rebuilds"])
        b = statistics.median(serve["with"]["rebuilds"])
        made = serve["with"].get("views_made") or []
        print(f"  serve rebuild after one model edit, {args.serve_models} models: "
              f"{b:.2f} s with, {a:.2f} s without, ratio {b / a:5.2f}  target <= "
              f"{SERVE_TARGET:.1f}: {verdict(b / a, SERVE_TARGET)}"
              + (f"; models whose views were made again per rebuild: {made}"
                 if any(m is not None for m in made) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
