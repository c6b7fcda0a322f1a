"""What every benchmark script shares: finding the CLI, the machine's facts, verdicts."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def find_cli() -> str:
    """The ``threatmodel`` script beside this Python, else the one on PATH.

    The package is byte-compiled first, as pip does when it installs one: an
    editable checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise
    compile its modules again on every run and time that instead.
    """
    import mkdocs_threatmodel

    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str(Path(mkdocs_threatmodel.__file__).parent)], check=False)
    beside = Path(sys.executable).parent / "threatmodel"
    if beside.is_file():
        return str(beside)
    found = shutil.which("threatmodel")
    if found is None:
        raise SystemExit("threatmodel not found: run with the project's .venv/bin/python")
    return found


def installed_cli(work: Path) -> str:
    """The ``threatmodel`` script of this checkout installed as pre-commit installs a hook:
    a wheel built from it, installed (and byte-compiled) into a fresh virtual environment
    under ``work``, whose dependencies are this Python's.

    The checkout's own script is an editable install, whose path hook costs every run
    about 10 ms at start that a user's hook does not pay.
    """
    root = Path(__file__).resolve().parent.parent
    source, wheels, env = work / "source", work / "wheel", work / "installed"
    shutil.copytree(root, source, ignore=shutil.ignore_patterns(  # the tree as it is, without
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "site", "test-artifacts"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",  # what an
                    "--no-build-isolation", "-w", str(wheels), str(source)], check=True,
                   capture_output=True)  # earlier build left
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(env)],
                   check=True)
    python = env / "bin" / "python"
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    ours = subprocess.run([sys.executable, "-c", "import yaml, os; print(os.path.dirname("
                           "os.path.dirname(yaml.__file__)))"], check=True, capture_output=True,
                          text=True)
    (Path(site.stdout.strip()) / "dependencies.pth").write_text(ours.stdout)
    return str(env / "bin" / "threatmodel")


def machine_facts(cli: str) -> list[str]:
    """Lines describing the machine and the tools measured."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                 if ln.startswith("model name")]
        model = names[0] if names else ""
    version = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip()
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout
    return [
        f"nproc        {cpus} (os.cpu_count {os.cpu_count()}){f', {model}' if model else ''}",
        f"python       {platform.python_version()} ({platform.python_implementation()}) "
        f"at {sys.executable}",
        f"platform     {platform.platform()}",
        f"cli          {cli} ({version or 'version unknown'})",
        f"git          {git_version.strip()}",
    ]


def verdict(seconds: float, target: float | None) -> str:
    """``ok`` or ``OVER (x1.7)`` against a target, or ``-`` when none applies."""
    if target is None:
        return "-"
    return "ok" if seconds < target else f"OVER (x{seconds / target:.1f})"


@dataclass
class Timing:
    """Wall times of one command: the first (cold) run and the measured runs after it."""

    label: str
    cold: float
    runs: list[float]
    peak_rss_mib: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def print_table(rows: list[tuple[str, Timing | None, float | None]]) -> None:
    """The results: median, cold and fastest wall time next to the target (``None``: not
    timed)."""
    width = max(46, *(len(label) for label, _, _ in rows))
    print(f"{'scenario':<{width}} {'median':>8} {'cold':>8} {'min':>8} {'target':>8}  verdict")
    print("-" * (width + 46))
    for label, timing, target in rows:
        shown = f"< {target:g} s" if target is not None else "-"
        if timing is None:
            print(f"{label:<{width}} {'-':>8} {'-':>8} {'-':>8} {shown:>8}  "
                  "not timed (see above)")
            continue
        print(f"{label:<{width}} {timing.median:>7.3f}s {timing.cold:>7.3f}s "
              f"{min(timing.runs):>7.3f}s {shown:>8}  {verdict(timing.median, target)}")
