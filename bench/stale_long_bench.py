"""Benchmark of ``threatmodel stale`` on a real, long history; prints figures next to targets.

Takes the path of a real repository (a bare one is fine, e.g. a fetched mirror of git/git or
squidfunk/mkdocs-material), clones it into a temporary folder (``git clone --shared``: no
object is copied, the source is never written), and adds, as issue 19 describes:

* a branch forked from the first-parent commit about ``--fork-days`` (365) days before HEAD,
  on which ``--models`` (200) threat models are added over ten commits, dated at the fork,
  each reviewed then and covering real folders of the tree at the fork (``folder/**``);
* that branch merged at HEAD (``--no-ff``), then a quarter of the models reviewed again.

Every verdict then needs the history since the fork. The script times the real command line
(process start included), each scenario with ``--runs`` (3) timed runs after a first one,
and prints the medians:

* ``stale`` cold (empty cache before every run), warm (the cache a run left), ``--no-cache``;
* ``stale --staged`` cold and warm, with one file under the first model's folder changed and
  staged;
* the floor: ``git log`` of the whole history with the options a whole read uses (its
  combined diff of every merge included), run once;
* the per-model script: one ``git log -1 --since=<review date> -- <covers>`` per model;
* peak memory: the largest RSS of a run's process tree (``wait4``).

All of it twice: without a commit-graph, then after ``git commit-graph write --reachable
--changed-paths`` (what ``git maintenance`` writes). Last, each verdict is checked by hand:
``git diff --quiet <review commit> HEAD -- <covers>``; a model the tool calls current while
that diff is not empty is listed (a stale model with an empty diff is a change undone).

Usage::

    .venv/bin/python bench/stale_long_bench.py /path/to/repository [--models 200]
        [--fork-days 365] [--runs 3] [--keep] [--checkout]

The command timed is this checkout installed as pre-commit installs a hook (a wheel in a fresh
virtual environment; ``--checkout``: the checkout's own editable script, whose path hook adds
about 10 ms to every start). Nothing is asserted: the figures are printed next to the targets
of issue 19.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import find_cli, installed_cli, machine_facts
from stale_bench import clean_env, measured

COLD_TARGET_S = 1.5  # stale cold on a git/git-sized history, and on mkdocs-material
STAGED_TARGET_S = 1.0  # stale --staged cold
PEAK_TARGET_MIB = 200.0
SEED = 19
REVIEWER = "Dana Reyes"
LOG_OPTIONS = ["--topo-order", "-z", "--raw", "-c", "-M", "--no-abbrev", "--no-color",
               "--no-ext-diff", "--format=%x1e%H%x1f%ad%x1f%an%x1f%s%x1f%P", "--date=short"]


def git(args: list[str], cwd: Path, env: dict | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, env=clean_env(**(env or {})), check=True,
                         capture_output=True)
    return out.stdout.decode("utf-8", "replace")


def at(stamp: dt.datetime) -> dict[str, str]:
    text = stamp.isoformat()
    return {"GIT_AUTHOR_DATE": text, "GIT_COMMITTER_DATE": text,
            "GIT_AUTHOR_NAME": REVIEWER, "GIT_AUTHOR_EMAIL": "dana@example.test",
            "GIT_COMMITTER_NAME": REVIEWER, "GIT_COMMITTER_EMAIL": "dana@example.test"}


def commit_time(root: Path, rev: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(git(["log", "-1", "--format=%ct", rev], root)),
                                     dt.timezone.utc)


def pick_folders(root: Path, fork: str, count: int, must: list[str]) -> list[str]:
    """``count`` folders of the tree at ``fork`` that hold files: ``must`` first (when
    present), then a seeded sample favouring folders near the top."""
    folders = [f for f in git(["ls-tree", "-r", "-d", "--name-only", fork], root).splitlines()
               if f and not f.startswith(".")]
    present = set(folders)
    chosen = [f for f in must if f in present]
    rng = random.Random(SEED)
    rest = [f for f in folders if f not in chosen]
    rng.shuffle(rest)
    rest.sort(key=lambda f: f.count("/"))  # stable: shuffled within each depth
    for folder in rest:
        if len(chosen) >= count:
            break
        chosen.append(folder)
    return chosen[:count]


def model_text(n: int, folders: list[str], date: dt.date) -> str:
    covers = ", ".join(f'"{f}/**"' for f in folders)
    threats = "\n".join(
        f"  - id: T{k}\n    title: Threat {k} of model {n}\n    stride: [T]\n"
        f"    status: open\n    likelihood: medium\n    impact: medium" for k in range(1, 4))
    return (f"---\nthreatmodel: 1\nid: model-{n:03d}\ntitle: Model {n}\nowner: team-{n % 7}\n"
            f"reviewed: {{date: {date.isoformat()}, by: {REVIEWER}}}\nreview_every: 730d\n"
            f"covers: [{covers}]\nthreats:\n{threats}\n---\n\n# Model {n}\n\nNotes.\n")


def build(source: Path, work: Path, models: int, fork_days: int) -> dict:
    """Clone ``source`` and add the models' branch, merged at HEAD; returns its facts."""
    root = work / "repo"
    start = time.perf_counter()
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(source), str(root)],
                   check=True, env=clean_env())
    head = git(["rev-parse", "HEAD"], root).strip()
    head_time = commit_time(root, head)
    fork = git(["rev-list", "--first-parent", "-1",
                f"--before={(head_time - dt.timedelta(days=fork_days)).isoformat()}", head],
               root).strip()
    fork_time = commit_time(root, fork)
    must = ["git-gui", "gitk-git/po", "material/templates/.icons", "src/templates/.icons"]
    folders = pick_folders(root, fork, models, must)
    git(["checkout", "-q", "-b", "threat-models", fork], root)
    review_of: dict[str, str] = {}
    covers: dict[str, list[str]] = {}
    batch = -(-models // 10)
    for k in range(0, models, batch):
        for n in range(k, min(k + batch, models)):
            rel = f"threat-models/model-{n:03d}.md"
            mine = [folders[n % len(folders)]] + ([folders[(n * 7 + 3) % len(folders)]]
                                                  if n % 3 == 0 else [])
            covers[rel] = mine
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(model_text(n, mine, fork_time.date()), encoding="utf-8")
        git(["add", "-f", "threat-models"], root)  # (a .gitignore may ignore them)
        stamp = fork_time + dt.timedelta(minutes=1 + k // batch)
        git(["commit", "-q", "-m", f"threat models {k}..{k + batch - 1}"], root, at(stamp))
        sha = git(["rev-parse", "HEAD"], root).strip()
        for n in range(k, min(k + batch, models)):
            review_of[f"threat-models/model-{n:03d}.md"] = sha
    git(["checkout", "-q", "-b", "bench", head], root)
    git(["merge", "-q", "--no-ff", "-m", "merge threat models", "threat-models"], root,
        at(head_time + dt.timedelta(hours=1)))
    again = sorted(review_of)[::4]
    review_time = head_time + dt.timedelta(hours=2)
    for rel in again:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"date: {fork_time.date().isoformat()}", f"date: {review_time.date().isoformat()}"),
            encoding="utf-8")
    git(["commit", "-q", "-am", "review a quarter of the models"], root, at(review_time))
    reviewed_again = git(["rev-parse", "HEAD"], root).strip()
    for rel in again:
        review_of[rel] = reviewed_again
    reviewed_on = {rel: (review_time if rel in again else fork_time).date() for rel in review_of}
    since_fork = int(git(["rev-list", "--count", "HEAD", f"^{fork}"], root))
    return {"root": root, "head_time": head_time, "fork": fork, "fork_time": fork_time,
            "since_fork": since_fork, "covers": covers, "review_of": review_of,
            "reviewed_on": reviewed_on, "setup_s": time.perf_counter() - start,
            "commits": int(git(["rev-list", "--count", "HEAD"], root))}


def run_cli(cmd: list[str], cwd: Path, cache: Path) -> tuple[float, float, float, int,
                                                               str, str]:
    """Run ``cmd``: (wall s, CPU s, peak RSS MiB, exit status, stdout, stderr); see
    :func:`stale_bench.measured`."""
    return measured(cmd, cwd, cache)


def median_of(runs: int, action) -> tuple[float, float, float]:
    """(median wall time, median CPU time, largest peak RSS in MiB) of ``runs`` calls."""
    results = [action() for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def stale_run(cli: str, root: Path, cache: Path, args: list[str], today: str,
              empty_cache: bool):
    def action():
        if empty_cache:
            shutil.rmtree(cache, ignore_errors=True)
        seconds, cpu, rss, code, _, err = run_cli([cli, "stale", "--today", today, *args],
                                                  root, cache)
        if code not in (0, 1) or "Traceback" in err:
            raise SystemExit(f"stale {' '.join(args)} failed:\n{err}")
        return seconds, cpu, rss
    return action


def floor_run(root: Path):
    def action():
        start, before = time.perf_counter(), _children_cpu()
        subprocess.run(["git", "log", *LOG_OPTIONS, "HEAD"], cwd=root,
                       env=clean_env(GIT_FLUSH="0"),  # git's output in blocks, as stale asks
                       stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start, _children_cpu() - before, 0.0
    return action


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def per_model_script(facts: dict):
    """One ``git log -1 --since=<review date> -- <covers>`` per model, as a script would."""
    root = facts["root"]

    def action():
        start, before = time.perf_counter(), _children_cpu()
        for rel, folders in facts["covers"].items():
            since = facts["reviewed_on"][rel].isoformat()
            subprocess.run(["git", "log", "-1", "--format=%H", f"--since={since}", "HEAD",
                            "--", *folders], cwd=root, env=clean_env(),
                           stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start, _children_cpu() - before, 0.0
    return action


def scenarios(cli: str, facts: dict, runs: int, today: str, work: Path) -> dict:
    root, cache = facts["root"], work / "cache"
    figures = {}
    figures["cold"] = median_of(runs, stale_run(cli, root, cache, [], today, True))
    stale_run(cli, root, cache, [], today, True)()  # leaves the cache of one run
    figures["warm"] = median_of(runs, stale_run(cli, root, cache, [], today, False))
    figures["no-cache"] = median_of(runs, stale_run(cli, root, cache, ["--no-cache"], today,
                                                    False))
    figures["staged cold"] = median_of(runs, stale_run(cli, root, cache, ["--staged"], today,
                                                       True))
    stale_run(cli, root, cache, ["--staged"], today, True)()
    figures["staged warm"] = median_of(runs, stale_run(cli, root, cache, ["--staged"], today,
                                                       False))
    try:
        once = median_of(1, floor_run(root))
        figures["floor"] = once if once[0] > 5 else median_of(runs, floor_run(root))  # (git/
        # git: one run, of more than a minute)
    except subprocess.CalledProcessError:  # a copy that lacks objects a whole read needs
        figures["floor"] = None
    figures["per-model script"] = median_of(runs, per_model_script(facts))
    return figures


def verdicts(cli: str, facts: dict, today: str, work: Path) -> tuple[dict, list[str]]:
    """The tool's verdicts, and the disagreements with ``git diff`` from each review commit."""
    root = facts["root"]
    out = run_cli([cli, "stale", "--format", "json", "--no-cache", "--today", today], root,
                  work / "cache")[4]
    doc = json.loads(out)
    states = {m["path"]: m["state"] for m in doc["models"]}
    stale_by_tm501 = {m["path"] for m in doc["models"]
                      if any(r["code"] == "TM501" for r in m["reasons"])}
    wrong = []
    for rel, folders in facts["covers"].items():
        changed = subprocess.run(["git", "diff", "--quiet", facts["review_of"][rel], "HEAD",
                                  "--", *folders], cwd=root, env=clean_env()).returncode == 1
        if changed and rel not in stale_by_tm501:
            wrong.append(f"{rel} ({', '.join(folders)}): judged {states.get(rel)}, yet "
                         "git diff from its review shows changes")
    return states, wrong


def stage_change(facts: dict) -> str:
    root = facts["root"]
    folder = facts["covers"]["threat-models/model-001.md"][0]
    files = git(["ls-files", "--", folder], root).splitlines()
    target = root / files[0]
    with open(target, "ab") as handle:
        handle.write(b"\n")
    git(["add", "--", files[0]], root)
    return files[0]


def print_figures(title: str, figures: dict) -> None:
    targets = {"cold": f"< {COLD_TARGET_S:g} s", "staged cold": f"< {STAGED_TARGET_S:g} s",
               "warm": "not slower than today", "staged warm": "not slower than today"}
    script = figures["per-model script"][0]
    script_cpu = figures["per-model script"][1]
    print(f"\n{title}")
    print(f"{'scenario':<20} {'wall':>9} {'CPU':>9} {'peak RSS':>11}  target (medians)")
    print("-" * 80)
    for label, figure in figures.items():
        if figure is None:
            print(f"{label:<20} {'-':>9} {'-':>9} {'-':>11}  (git could not read the whole "
                  "history: objects missing from this copy)")
            continue
        seconds, cpu, rss = figure
        shown = f"{cpu:>8.3f}s {rss:7.0f} MiB" if rss else f"{cpu:>8.3f}s {'-':>11}"
        note = targets.get(label, "")
        if label in ("cold", "no-cache", "staged cold"):
            note += f"{'; ' if note else ''}wall {'<=' if seconds <= script else '>'} " \
                    f"script, CPU {'<=' if cpu <= script_cpu else '>'} script"
        print(f"{label:<20} {seconds:>8.3f}s {shown}  {note}")
    peak = max(figure[2] for figure in figures.values() if figure is not None)
    print(f"{'peak memory':<20} {'':>19} {peak:7.0f} MiB  < {PEAK_TARGET_MIB:g} MiB "
          f"({'ok' if peak < PEAK_TARGET_MIB else 'OVER'})")
    floor = figures["floor"]
    if floor is None:
        return
    print(f"{'cold / floor':<20} {figures['cold'][0] / floor[0]:>8.1f}x "
          f"{figures['cold'][1] / max(floor[1], 1e-9):>8.1f}x  (small repositories: within 3x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a real repository (bare is fine)")
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--fork-days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--checkout", action="store_true",
                        help="time the checkout's own (editable) script, not the checkout "
                        "installed as pre-commit installs a hook")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="stale-long-"))
    try:
        cli = find_cli() if args.checkout else installed_cli(work)
        facts = build(args.source.resolve(), work, args.models, args.fork_days)
        root = facts["root"]
        today = (facts["head_time"] + dt.timedelta(days=1)).date().isoformat()
        print("\n".join(machine_facts(cli)))
        print(f"source       {args.source} ({facts['commits']:,} commits at HEAD, "
              f"{facts['since_fork']:,} since the fork {facts['fork'][:10]} of "
              f"{facts['fork_time'].date()})")
        print(f"models       {args.models}, reviewed at the fork, a quarter again at HEAD; "
              f"set up in {facts['setup_s']:.1f} s; runs {args.runs} (medians)")
        git(["checkout", "-q", "bench"], root)
        staged = stage_change(facts)
        print(f"staged       {staged}")
        states, wrong = verdicts(cli, facts, today, work)
        print(f"verdicts     {sum(s == 'stale' for s in states.values())} stale, "
              f"{sum(s == 'current' for s in states.values())} current, "
              f"{sum(s == 'unknown' for s in states.values())} unknown; "
              f"{len(wrong)} current while git diff shows changes")
        for line in wrong:
            print(f"  WRONG {line}")
        print_figures("without a commit-graph", scenarios(cli, facts, args.runs, today, work))
        git(["commit-graph", "write", "--reachable", "--changed-paths"], root)
        print_figures("with a commit-graph and changed-path Bloom filters",
                      scenarios(cli, facts, args.runs, today, work))
        if args.keep:
            print(f"kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
