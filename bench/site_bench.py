"""Benchmark of the MkDocs plugin: a site of synthetic models built with and without it.

It writes, in a temporary folder, a git repository holding an MkDocs site whose
``docs/models/`` has ``--models N`` threat models (500 by default; the same synthetic
models as ``validate_bench.py``: about 20 elements, 25 flows and 40 threats each)
plus an index page, then times real ``mkdocs build`` runs of the same pages:

* without the plugin (``plugins: [search]``): MkDocs renders the model files as plain
  Markdown pages;
* with it (``plugins: [search, threatmodel]``): every model page gets its views, and
  the register, owners and staleness pages are generated;

and prints the ratio (target: under 1.3). Then it runs ``mkdocs serve``, edits one
model, and reports how long the rebuild took and how many git processes it started
(through a ``git`` wrapper on ``PATH`` that counts them).

Usage::

    .venv/bin/python bench/site_bench.py [--models N] [--runs R] [--theme material|mkdocs]
        [--no-serve] [--keep]

Nothing is asserted: the script prints the figures next to their targets.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_bench import git, model_id, model_text  # noqa: E402

RATIO_TARGET = 1.3
FIXED_TODAY = "2026-11-27"


def write_site(root: Path, count: int, theme: str) -> None:
    """The repository: mkdocs.yml (without plugins yet), docs/index.md and the models."""
    models = root / "docs" / "models"
    models.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Synthetic services\n\nBenchmark site.\n",
                                            encoding="utf-8")
    for index in range(count):
        (models / f"{model_id(index)}.md").write_text(model_text(index), encoding="utf-8",
                                                      newline="\n")
    git(["init", "-q"], root)
    git(["add", "-A"], root)
    git(["commit", "-q", "--no-verify", "-m", "Synthetic threat models"], root)
    write_config(root, theme, plugin=False)


def write_config(root: Path, theme: str, plugin: bool) -> Path:
    theme_block = ("theme:\n  name: material\n  font: false\n" if theme == "material"
                   else "theme:\n  name: mkdocs\n  highlightjs: false\n")
    plugins = "plugins:\n  - search\n"
    if plugin:
        plugins += "  - threatmodel:\n      staleness: show\n      mermaid: mermaid.min.js\n"
    path = root / ("mkdocs-plugin.yml" if plugin else "mkdocs-plain.yml")
    path.write_text(f"site_name: Bench\n{theme_block}{plugins}", encoding="utf-8")
    (root / "mermaid.min.js").write_text("/* stand-in: the bench does not load pages */\n")
    return path


def build(root: Path, config: Path, site: Path) -> float:
    env = {**os.environ, "THREATMODEL_TODAY": FIXED_TODAY, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                           "-d", str(site)], cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{proc.stderr[-3000:]}")
    return elapsed


def measure(root: Path, config: Path, runs: int, label: str) -> list[float]:
    times = []
    for run in range(runs + 1):  # the first run warms the parse cache and the OS caches
        seconds = build(root, config, root / f"site-{label}")
        if run:
            times.append(seconds)
        print(f"  {label:<14} run {run}{' (warm-up)' if not run else ''}: {seconds:6.2f} s",
              flush=True)
    return times


def plugin_seconds(root: Path, config: Path) -> tuple[float, float]:
    """(whole build s, s spent in the plugin's event handlers) of one in-process build."""
    import functools

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from mkdocs_threatmodel import plugin as module

    spent = [0.0]

    def timed(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
        return wrapper

    for name in ("on_config", "on_files", "on_page_read_source", "on_page_markdown",
                 "on_post_page"):
        setattr(module.ThreatModelPlugin, name, timed(getattr(module.ThreatModelPlugin, name)))
    os.environ["THREATMODEL_TODAY"] = FIXED_TODAY
    cwd = os.getcwd()
    os.chdir(root)
    try:
        cfg = load_config(str(config), site_dir=str(root / "site-inprocess"))
        start = time.perf_counter()
        mkdocs_build(cfg)
        return time.perf_counter() - start, spent[0]
    finally:
        os.chdir(cwd)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git_wrapper(folder: Path, log: Path) -> Path:
    """A ``git`` on PATH that logs each call, then runs the real git."""
    real = shutil.which("git")
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    return folder


def serve_rebuild(root: Path, config: Path) -> tuple[float, list[str], list[str]] | None:
    """Serve the site, edit a model, and return (rebuild s, git calls at start-up, during
    the rebuild); ``None`` when the rebuild was not seen in time."""
    log = root / "git-calls.log"
    log.write_text("")
    path = f"{git_wrapper(root / 'bin', log)}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, "THREATMODEL_TODAY": FIXED_TODAY,
           "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config),
                             "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    output: list[str] = []

    def wait_for(pattern: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                return False
            output.append(line)
            if re.search(pattern, line):
                return True
        return False

    try:
        if not wait_for(r"Serving on", 600):
            print("".join(output[-20:]))
            return None
        urllib.request.urlopen(f"http://127.0.0.1:{port}/models/{model_id(0)}/").read()
        startup = log.read_text().split()
        target = root / "docs" / "models" / f"{model_id(0)}.md"
        text = target.read_text(encoding="utf-8")
        start = time.perf_counter()
        target.write_text(text.replace("title: Service 0000 threat model",
                                       "title: Service 0000 threat model (edited)"),
                          encoding="utf-8")
        if not wait_for(r"Documentation built in", 600):
            print("".join(output[-20:]))
            return None
        elapsed = time.perf_counter() - start
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/models/{model_id(0)}/").read()
        if b"(edited)" not in page:
            print("the edited model did not show up in the rebuilt page")
        calls = log.read_text().split()[len(startup):]
        return elapsed, startup, calls
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--theme", choices=("material", "mkdocs"), default="material")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve rebuild")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="tm-site-bench-"))
    os.environ.setdefault("THREATMODEL_CACHE_DIR", str(base / "cache"))
    try:
        root = base / "repo"
        root.mkdir()
        print(f"Writing {args.models} models ({args.theme} theme) in {root} ...", flush=True)
        write_site(root, args.models, args.theme)
        plain = write_config(root, args.theme, plugin=False)
        plugged = write_config(root, args.theme, plugin=True)
        print("Building:", flush=True)
        without = measure(root, plain, args.runs, "without plugin")
        with_ = measure(root, plugged, args.runs, "with plugin")
        a, b = statistics.median(without), statistics.median(with_)
        ratio = b / a
        print()
        print(f"mkdocs build, {args.models} model pages, {args.theme} theme, median of "
              f"{args.runs} warm runs")
        print(f"  without the plugin: {a:6.2f} s")
        print(f"  with the plugin:    {b:6.2f} s")
        verdict = "meets" if ratio < RATIO_TARGET else "misses"
        print(f"  ratio:              {ratio:6.2f}  ({verdict} the target of "
              f"{RATIO_TARGET:.2f}: the plugin adds {100 * (ratio - 1):.0f}%)")
        whole, own = plugin_seconds(root, plugged)
        print(f"  in one instrumented in-process build ({whole:.2f} s), the plugin's own "
              f"event handlers took {own:.2f} s ({100 * own / whole:.0f}%): validation, "
              "staleness and every view")
        if not args.no_serve:
            print()
            print("mkdocs serve: edit one model and wait for the rebuild ...", flush=True)
            result = serve_rebuild(root, plugged)
            if result is None:
                print("  the rebuild was not seen in time")
            else:
                elapsed, startup, calls = result
                print(f"  rebuild after a model edit: {elapsed:6.2f} s")
                print(f"  git processes at start-up: {len(startup)} ({', '.join(startup)})")
                print(f"  git processes during the rebuild: {len(calls)} "
                      f"({', '.join(calls) or 'none'}), for {args.models + 4} pages")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
