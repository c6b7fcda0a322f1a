"""Benchmark of the other ways to build a site: the same synthetic models built by MkDocs
with the plugin, by Zensical with the Markdown extension, and written by
``threatmodel render``.

It writes, in a temporary folder, a git repository whose ``docs/models/`` holds
``--models N`` synthetic models (those of ``validate_bench.py``: about 20 elements, 25 flows
and 40 threats each), an index page and the four kept marker pages, then times, ``--runs``
times after a warm-up each:

* ``mkdocs build`` with ``plugins: [search, threatmodel]``;
* ``zensical build --clean`` with ``markdown_extensions: [mkdocs_threatmodel.markdown_ext]``
  (clean: Zensical would otherwise serve unchanged pages from its cache);
* ``zensical build`` again without ``--clean`` (the cache filled);
* ``zensical build --clean`` without the extension (the model files as plain pages);
* ``threatmodel render docs --out OUT``.

Usage::

    .venv/bin/python bench/generators_bench.py [--models N] [--runs R] [--keep]

Nothing is asserted: the script prints the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from site_bench import FIXED_TODAY, write_site  # noqa: E402

from mkdocs_threatmodel.render.markers import marker_pages  # noqa: E402

EXTENSION = "mkdocs_threatmodel.markdown_ext"


def prepare(root: Path, count: int) -> dict[str, list[str]]:
    """The site and the command of each scenario."""
    write_site(root, count, "material")
    for path, text in marker_pages().items():
        (root / "docs" / path).write_text(text, encoding="utf-8")
    (root / "docs" / "mermaid.min.js").write_text("/* stand-in: no page is loaded */\n")
    plugin = root / "mkdocs-plugin.yml"
    plugin.write_text("site_name: Bench\ntheme:\n  name: material\n  font: false\n"
                      "plugins:\n  - search\n  - threatmodel:\n      staleness: show\n"
                      "      mermaid: mermaid.min.js\n", encoding="utf-8")
    zensical = root / "mkdocs-zensical.yml"
    zensical.write_text("site_name: Bench\nsite_dir: site-zensical\ntheme:\n  name: material\n"
                        f"markdown_extensions:\n  - {EXTENSION}:\n      staleness: show\n"
                        "      mermaid: mermaid.min.js\n", encoding="utf-8")
    plain = root / "mkdocs-zensical-plain.yml"
    plain.write_text("site_name: Bench\nsite_dir: site-plain\ntheme:\n  name: material\n",
                     encoding="utf-8")
    python = sys.executable
    return {
        "mkdocs build + plugin": [python, "-m", "mkdocs", "build", "-q", "-f", str(plugin),
                                  "-d", str(root / "site-mkdocs")],
        "zensical build --clean + extension": [python, "-m", "zensical", "build", "--clean",
                                               "-f", str(zensical)],
        "zensical build, cache filled": [python, "-m", "zensical", "build", "-f",
                                         str(zensical)],
        "zensical build --clean, no extension": [python, "-m", "zensical", "build", "--clean",
                                                 "-f", str(plain)],
        "threatmodel render": [python, "-m", "mkdocs_threatmodel", "render", "docs", "--out",
                               str(root / "rendered"), "--staleness", "show"],
    }


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "THREATMODEL_TODAY": FIXED_TODAY, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # render exits 1 on model errors; the pages are written
        sys.exit(f"{' '.join(command[:4])} failed:\n{proc.stderr[-3000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--runs", type=int, default=2, help="measured runs (at least 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.runs = max(1, args.runs)
    root = Path(tempfile.mkdtemp(prefix="tm-generators-bench-"))
    try:
        print(f"{args.models} synthetic models in {root}", flush=True)
        scenarios = prepare(root, args.models)
        results = {}
        for label, command in scenarios.items():
            times = []
            for run in range(args.runs + 1):
                seconds = timed(command, root)
                if run:
                    times.append(seconds)
                print(f"  {label:<36} run {run}{' (warm-up)' if not run else ''}: "
                      f"{seconds:6.2f} s", flush=True)
            results[label] = statistics.median(times)
        pages = sum(1 for _ in (root / "rendered").rglob("*.md"))
        print(f"\n{'scenario':<38} {'median':>8}")
        for label, seconds in results.items():
            print(f"{label:<38} {seconds:>7.2f}s")
        print(f"\nrender wrote {pages} pages; Zensical built "
              f"{sum(1 for _ in (root / 'site-zensical').rglob('index.html'))} pages")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
