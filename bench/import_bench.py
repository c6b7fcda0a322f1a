"""Benchmark of ``threatmodel import`` and ``export --to threat-composer`` on the real sample
files of pytm, Threagile and Threat Composer (tests/data/interop); prints figures.

Each import runs the real command line (process start included) into a fresh git
repository, writing the model and validating it; the alias bomb is the smallest YAML whose
aliases would expand to 10^9 nodes, refused when the expansion passes its bound. Also
printed: the size of each model written, and how many threats and records it holds.

Usage::

    .venv/bin/python bench/import_bench.py [--runs R]

Nothing is asserted: the script prints the figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import Timing, find_cli, machine_facts, print_table

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "interop"
SAMPLES = [("pytm", "pytm/tm-sample-report.json", "--owner"),
           ("pytm", "pytm/tests-output.json", "--owner"),
           ("Threagile", "threagile/example-threagile.yaml", None),
           ("Threagile", "threagile/stub-threagile.yaml", None),
           ("Threat Composer", "threat-composer/ThreatComposer.tc.json", "--owner"),
           ("Threat Composer", "threat-composer/GenAIChatbot.tc.json", "--owner")]
TARGET_S = 2.0  # an import, validation included, well under a person's attention span


def _bomb(folder: Path) -> Path:
    letters = "abcdefghij"
    lines = ["threagile_version: 1.0.0", "title: bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev = letters[n - 1]
        lines.append(f"{letters[n]}: &{letters[n]} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = folder / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _time(args: list[str], cwd: Path, runs: int, expect: int) -> Timing:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != expect:
            raise SystemExit(f"{' '.join(args)}: exit {proc.returncode}: {proc.stderr}")
    return Timing(" ".join(args[1:3]), times[0], times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    cli = find_cli()
    print("\n".join(machine_facts(cli)), end="\n\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        sizes = []
        for n, (tool, rel, owner) in enumerate(SAMPLES):
            out = f"m{n}.md"
            args = [cli, "import", str(DATA / rel), "-o", out, "--force", "--id", f"m{n}"]
            args += [owner, "team"] if owner else []
            timing = _time(args, root, runs, 0)
            rows.append((f"import {rel} ({tool})", timing, TARGET_S))
            text = (root / out).read_text("utf-8")
            sizes.append(f"{rel:<42} {(DATA / rel).stat().st_size / 1024:>7.0f} KiB in, "
                         f"{len(text.encode()) / 1024:>6.0f} KiB out, "
                         f"{text.count(chr(10) + '- id: ')} entries")
            (root / out).unlink()
        args = [cli, "import", str(DATA / SAMPLES[4][1]), "-o", "tc.md", "--owner", "team"]
        subprocess.run(args, cwd=root, capture_output=True, check=True)
        rows.append(("export --to threat-composer (ThreatComposer.tc.json)",
                     _time([cli, "export", "tc.md", "--to", "threat-composer"], root, runs, 0),
                     TARGET_S))
        rows.append(("import alias bomb (10^9 nodes), refused",
                     _time([cli, "import", str(_bomb(root)), "-o", "bomb.md"], root, runs, 1),
                     TARGET_S))
    print_table(rows)
    print()
    print("\n".join(sizes))


if __name__ == "__main__":
    sys.exit(main())
