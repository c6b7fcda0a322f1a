"""Benchmark of ``threatmodel suggest`` beside ``threatmodel validate``; prints figures.

It builds, in a temporary folder, a real git repository of synthetic threat models (the
generator of ``validate_bench.py``: about 20 elements, 25 flows and 40 threats each), then
times this checkout's command line (``python -m mkdocs_threatmodel`` with the checkout on
``PYTHONPATH``, process start included) for both commands, in three cases:

* ``--no-cache``: every model parsed and checked (or run through the rules) again; the
  first run, then the median of ``--runs`` runs;
* cold: the cache on, in a fresh cache folder (``XDG_CACHE_HOME`` in a temporary folder,
  ``THREATMODEL_CACHE_DIR`` unset), the first run;
* warm: the same cache folder after the cold run, the median of ``--runs`` runs.

Each case prints suggest's time beside validate's and the floor "suggest at most 2.0x
validate". Usage::

    .venv/bin/python bench/suggest_bench.py [--models N] [--runs R] [--keep]

Nothing is asserted: the script prints the figures next to their floors.
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

from bench_common import machine_facts
from validate_bench import TARGET_MODELS, check_plan, make_repo

FLOOR = 2.0  # suggest takes at most twice as long as validate, in each case
ROOT = Path(__file__).resolve().parent.parent


def command(sub: str, *extra: str) -> list[str]:
    """This checkout's ``threatmodel SUB`` (not whichever script is installed)."""
    return [sys.executable, "-m", "mkdocs_threatmodel", sub, *extra]


def environment(cache_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("THREATMODEL_CACHE_DIR", "THREATMODEL_NO_CACHE")}
    env["XDG_CACHE_HOME"] = str(cache_home)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    return env


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall seconds of one run and the last line it wrote to stderr (its summary)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    return wall, f"exit {proc.returncode}: {lines[-1] if lines else 'nothing on stderr'}"


def case(name: str, sub: str, repo: Path, base: Path, runs: int) -> dict[str, float]:
    """One command's first run and run median, with and without the cache."""
    no_cache_env = environment(base / f"unused-cache-{sub}")
    first, said = timed(command(sub, "--no-cache"), repo, no_cache_env)
    print(f"  {sub} --no-cache: {said}")
    again = [timed(command(sub, "--no-cache"), repo, no_cache_env)[0] for _ in range(runs)]
    cache_env = environment(base / f"cache-{sub}")  # fresh: nothing there yet
    cold, said = timed(command(sub), repo, cache_env)
    print(f"  {sub} (cache, cold): {said}")
    warm = [timed(command(sub), repo, cache_env)[0] for _ in range(runs)]
    return {"--no-cache, first run": first, "--no-cache, median": statistics.median(again),
            "cache cold (fresh folder)": cold, "cache warm, median": statistics.median(warm)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=TARGET_MODELS, metavar="N",
                        help="models in the repository (default 1000)")
    parser.add_argument("--runs", type=int, default=5, metavar="R",
                        help="timed runs after the first; the median is reported (default 5)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary repository and print where it is")
    args = parser.parse_args(argv)
    if args.models < 1 or args.runs < 1:
        parser.error("--models and --runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_plan()
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(ROOT / "mkdocs_threatmodel")], check=False)
    print("Machine")
    script = Path(sys.executable).parent / "threatmodel"
    for line in machine_facts(str(script) if script.is_file() else "true"):
        if not line.startswith("cli "):  # the script beside Python may be another checkout's
            print(f"  {line}")
    print(f"  timed        {sys.executable} -m mkdocs_threatmodel (PYTHONPATH={ROOT})")
    base = Path(tempfile.mkdtemp(prefix="threatmodel-suggest-bench-"))
    try:
        repo = base / "repo"
        write_s, git_s = make_repo(repo, args.models)
        print(f"\nGenerating\n  {args.models} models: written in {write_s:.2f} s, "
              f"git init/add/commit in {git_s:.2f} s")
        print(f"\nRunning (then {args.runs} runs for each median)")
        validate = case("validate", "validate", repo, base, args.runs)
        suggest = case("suggest", "suggest", repo, base, args.runs)
        print(f"\nResults, {args.models:,} models (wall time, process start included)")
        print(f"{'case':<28} {'validate':>9} {'suggest':>9} {'ratio':>6}  floor: suggest "
              f"at most {FLOOR:.1f}x validate")
        print("-" * 86)
        for label, v in validate.items():
            s = suggest[label]
            ratio = s / v
            verdict = "ok" if ratio <= FLOOR else f"OVER (x{ratio / FLOOR:.2f} the floor)"
            print(f"{label:<28} {v:>8.3f}s {s:>8.3f}s {ratio:>6.2f}  {verdict}")
        if args.models != TARGET_MODELS:
            print(f"(the floor is judged on {TARGET_MODELS:,} models; run with the default "
                  "--models to judge it)")
    finally:
        if args.keep:
            print(f"\nKept the repository in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
