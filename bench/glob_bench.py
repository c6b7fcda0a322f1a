"""Benchmark of ``covers`` glob matching (``workspace/globs.py``); prints figures.

Times, in this process, the two ways the package matches globs:

* ``glob_match(pattern, path)`` per call, for the usual kinds of glob (a folder, a file, a
  name at any depth, a suffix at any depth, ``**`` in the middle, a final bare ``*``, a
  class) over a list of repository paths, and for globs built to make a backtracking
  matcher explode (``**a`` twelve times) against long paths;
* ``GlobIndex.owners(path)``: 1,000 models' globs (the layout of ``bench/stale_bench.py``:
  a service each, its handlers, its API surface, a shared library, plus one unanchored
  ``*.proto`` glob in every 50th model) asked for every path of a 3,000-file repository,
  the way ``stale`` files the paths a commit changed.

Only the public functions are used, so the same script times an older checkout
(``PYTHONPATH=/path/to/old/checkout``). Nothing is asserted: the script prints the
figures next to their targets.

Usage::

    .venv/bin/python bench/glob_bench.py [--runs R]
"""

from __future__ import annotations

import argparse
import statistics
import time

from mkdocs_threatmodel.workspace.globs import GlobIndex, glob_match

USUAL = ["services/svc-0001/**", "services/svc-0001/api.py", "Dockerfile", "*.proto",
         "services/**/handlers/*.py", "services/svc-0001/*", "services/svc-000[0-4]/**",
         "**/migrations/*.sql"]
HOSTILE = ["**a" * 12 + "**b", "*a" * 12 + "*b", "a/**/b/**/c/**/d/*.py"]
TARGET_USUAL_US = 2.0  # per glob_match call on a usual path
TARGET_HOSTILE_MS = 5.0  # per call, on a 4,000-character path
TARGET_INDEX_MS = 150.0  # every path of the repository through a fresh index


def paths(services: int = 400) -> list[str]:
    out = []
    for s in range(services):
        own = f"services/svc-{s:04d}"
        out += [f"{own}/api.py", f"{own}/schema.yaml", f"{own}/handlers/h1.py",
                f"{own}/handlers/h2.py", f"{own}/handlers/h3.py", f"{own}/proto/api.proto",
                f"{own}/migrations/0001.sql"]
    return out + [f"libs/common/m{i}.py" for i in range(200)] + ["Dockerfile", "README.md"]


def model_globs(models: int = 1000, services: int = 400) -> list[list[str]]:
    out = []
    for k in range(models):
        own = f"services/svc-{k % services:04d}"
        globs = [[f"{own}/**"], [f"{own}/handlers/**"], [f"{own}/api.py", f"{own}/*.yaml"]][
            k // services % 3]
        if k % 10 == 0:
            globs.append("libs/common/**")
        if k % 50 == 0:
            globs.append("*.proto")
        out.append(globs)
    return out


def per_call_us(pattern: str, sample: list[str], runs: int) -> float:
    glob_match(pattern, sample[0])  # compiled once, as in a run
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for path in sample:
            glob_match(pattern, path)
        times.append((time.perf_counter() - start) / len(sample) * 1e6)
    return statistics.median(times)


def index_ms(globs: list[list[str]], sample: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        index = GlobIndex()
        for owner, patterns in enumerate(globs):
            for pattern in patterns:
                index.add(pattern, owner)
        start = time.perf_counter()
        for path in sample:
            index.owners(path)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, metavar="R",
                        help="timed runs per figure; the median is printed")
    args = parser.parse_args()
    sample = paths()
    print(f"{len(sample):,} paths; median of {args.runs} runs\n")
    print(f"{'glob_match, per call':<44} {'median':>10} {'target':>10}")
    for pattern in USUAL:
        us = per_call_us(pattern, sample, args.runs)
        verdict = "ok" if us < TARGET_USUAL_US else "OVER"
        print(f"  {pattern:<42} {us:>8.2f}us {TARGET_USUAL_US:>8.1f}us  {verdict}")
    long_paths = ["a" * 60 + "/" + "a" * 4000 + ".txt", "a/" * 2000 + "x.py"]
    for pattern in HOSTILE:
        ms = per_call_us(pattern, long_paths, args.runs) / 1e3
        verdict = "ok" if ms < TARGET_HOSTILE_MS else "OVER"
        print(f"  {pattern[:40]:<42} {ms:>8.3f}ms {TARGET_HOSTILE_MS:>8.1f}ms  {verdict}")
    ms = index_ms(model_globs(), sample, args.runs)
    verdict = "ok" if ms < TARGET_INDEX_MS else "OVER"
    print(f"\n{'GlobIndex: 1,000 models, every path':<44} {ms:>8.1f}ms {TARGET_INDEX_MS:>8.0f}ms"
          f"  {verdict}")


if __name__ == "__main__":
    main()
