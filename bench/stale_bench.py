"""Benchmark of ``threatmodel stale`` on a synthetic repository with a long history; prints figures.

It builds, in a temporary folder, one real git repository with ``--commits N`` commits
(20,000 by default) and ``--models M`` threat models (1,000 by default), written in one
``git fast-import`` process, then times the real command line with process start included:

* ``threatmodel stale`` at the repository root: every model judged at HEAD, with the
  cache (a warm run reads the history snapshot a cold run left) and with ``--no-cache``
  (every run reads the whole history from git);
* ``threatmodel stale --staged``: the pre-commit case, one covered source file staged,
  after five new commits: warm (the snapshot is at HEAD), with the snapshot five
  commits behind (restored before every run: the usual hook run, which reads only the
  new commits from git), and with ``--no-cache`` (a path-limited ``git log``).

A cold run starts from an empty cache: no parsed models, no history snapshot.

The repository: ``--services S`` services (400 by default) of five files each
(``services/svc-XXXX/api.py``, ``handlers/h1..h3.py``, ``schema.yaml``), shared libraries
under ``libs/common/``, ADRs under ``docs/adr/`` and the models under
``docs/threat-models/svc-XXXX.md``. Model k describes service ``k mod S``: the first S
models cover a whole service, the next S its handlers, the rest its API surface, so most
paths are covered by several models; every 10th model also covers ``libs/common/**`` and
every 7th a neighbour service. Each model cites one to three ADRs. After the commits that
add the files, most commits change one to three source files; about 1 in 20 records a
review of a model (its ``reviewed`` date), 1 in 50 rewords a model's body only, 1 in 100
touches an ADR, 1 in 200 renames a handler; every 500 commits a topic branch of three
commits is merged back while main moves on, and late in the history one ADR is
superseded. Dates start at 2025-01-01 and advance one minute per commit.

Usage::

    .venv/bin/python bench/stale_bench.py [--commits N] [--models M] [--services S]
                                          [--runs R] [--keep]

Nothing is asserted: the script prints the figures next to their targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bench_common import Timing, find_cli, print_table
from bench_common import machine_facts as common_machine_facts

FULL_TARGET_S = 3.0  # stale at HEAD, 20,000 commits and 1,000 models
STAGED_TARGET_S = 0.5  # stale --staged, one covered file staged
TARGET_COMMITS = 20000
TARGET_MODELS = 1000
START_EPOCH = int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp())
SEED = 20250101

ADR_COUNT = 60
LIB_FILES = 20
SERVICE_FILES = ("api.py", "handlers/h1.py", "handlers/h2.py", "handlers/h3.py", "schema.yaml")
SERVICES_PER_COMMIT = 10  # while the services are added
MODELS_PER_COMMIT = 25  # while the models are added
MERGE_EVERY = 500  # ordinary commits between two merged topic branches
TOPIC_COMMITS, MAIN_DURING_TOPIC = 3, 2  # a branch: 3 topic commits, 2 on main, 1 merge
SUPERSEDE_AT = 0.9  # fraction of the history after which ADR 0001 is superseded
AUTHORS = ("Dana Reyes", "Marcus Oyelaran", "Priya Raman", "Lena Fischer", "Tomás Ibarra",
           "Aiko Tanaka", "Samuel Osei", "Ingrid Holm")
VERBS = ("adjust", "fix", "refactor", "harden", "tidy", "extend", "speed up", "document")
STAGED_SERVICE = 1  # the staged scenario appends a line to services/svc-0001/api.py
BEHIND_COMMITS = 5  # commits made since the history snapshot, in the hook's usual case
ENV_DROPPED = ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "GIT_DIR", "GIT_INDEX_FILE",
               "GIT_WORK_TREE")


@dataclass
class Run:
    """One finished process: wall time (start included), exit status, output, peak RSS."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    rss_mib: float


@dataclass
class ModelState:
    """What changes in a model over the history: its last review and its body's revision."""

    index: int
    services: int
    reviewed: dt.date
    by: str
    body_rev: int = 0


@dataclass
class Counts:
    """How many commits of each kind the generated history has."""

    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


# -- names and file contents ---------------------------------------------------------


def service_id(index: int) -> str:
    """The name (and folder) of service ``index``: ``svc-0042``."""
    return f"svc-{index:04d}"


def model_path(index: int) -> str:
    """The repository-relative path of model ``index``."""
    return f"docs/threat-models/svc-{index:04d}.md"


def adr_name(number: int) -> str:
    """The file name of ADR ``number`` (1-based)."""
    return f"{number:04d}-decision-{number:04d}.md"


def email(name: str) -> str:
    """A made-up address for an author."""
    return name.lower().replace(" ", ".").replace("á", "a") + "@example.invalid"


def day_of(timestamp: int) -> dt.date:
    """The UTC date of a Unix time."""
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()


def source_text(origin: str, rev: int) -> str:
    """A source file's content; ``origin`` is the path it was created at."""
    if origin.endswith(".yaml"):
        return (f"# {origin}\nopenapi: 3.0.3\ninfo: {{title: {origin.split('/')[1]}, "
                f"version: '1.{rev}'}}\npaths:\n  /items/{{id}}:\n    get: {{operationId: "
                f"get_item_{rev}}}\n")
    return (f'"""{origin}."""\n\nREVISION = {rev}\n\n\ndef handle(request):\n'
            f'    """Answer one request."""\n    return {{"ok": True, "revision": REVISION}}\n')


def model_covers(index: int, services: int) -> list[str]:
    """The ``covers`` globs of model ``index``: its layer of a service, plus overlaps."""
    own = f"services/{service_id(index % services)}"
    layer = index // services
    if layer == 0:
        covers = [f"{own}/**"]
    elif layer == 1:
        covers = [f"{own}/handlers/**"]
    else:
        covers = [f"{own}/api.py", f"{own}/*.yaml"]
    if index % 10 == 0:
        covers.append("libs/common/**")
    if index % 7 == 3:
        covers.append(f"services/{service_id((index + 1) % services)}/**")
    return covers


def model_adrs(index: int) -> list[str]:
    """One to three ADRs model ``index`` cites, relative to the model file."""
    numbers = sorted({(index * 7 + j * 11) % ADR_COUNT + 1 for j in range(1 + index % 3)})
    return [f"../adr/{adr_name(n)}" for n in numbers]


def model_text(state: ModelState) -> str:
    """The whole Markdown file of a model: front matter and a short body."""
    mid = f"svc-{state.index:04d}"
    covers = ", ".join(f'"{glob}"' for glob in model_covers(state.index, state.services))
    front = [
        "threatmodel: 1",
        f"id: {mid}",
        f"title: {mid} threat model (service {service_id(state.index % state.services)})",
        f"owner: team-{'abcdefghij'[state.index % 10]}",
        "status: active",
        f"reviewed: {{date: {state.reviewed.isoformat()}, by: {state.by}}}",
        "review_every: 365d",
        f"covers: [{covers}]",
        f"adrs: [{', '.join(model_adrs(state.index))}]",
        "assets: []", "boundaries: []", "elements: []", "flows: []", "threats: []",
    ]
    body = [f"# {mid}", "", f"Workshop notes, revision {state.body_rev}.", ""]
    return "\n".join(["---", *front, "---", "", *body])


def adr_text(number: int, rev: int, superseded_by: int | None = None) -> str:
    """An ADR in MADR style; ``superseded_by`` sets its status to superseded."""
    status = "accepted"
    if superseded_by is not None:
        status = f"superseded by {adr_name(superseded_by)}"
    return (f"---\nstatus: {status}\ndate: 2025-01-01\n---\n\n# Decision {number:04d}\n\n"
            f"## Context and Problem Statement\n\nSynthetic decision, revision {rev}.\n\n"
            "## Decision Outcome\n\nChosen option: the synthetic one.\n")


# -- the history, as a git fast-import stream ----------------------------------------


class HistoryWriter:
    """Writes commits to a ``git fast-import`` stream and keeps the tree's state."""

    def __init__(self, sink: BinaryIO, services: int, models: int, rng: random.Random) -> None:
        self.sink = sink
        self.services = services
        self.model_count = models
        self.rng = rng
        self.count = 0  # commits written; also the minute of the next commit
        self.mark = 0
        self.bytes = 0
        self.files: dict[str, tuple[str, int]] = {}  # path -> (path it was created at, rev)
        self.service_files: list[str] = []
        self.lib_files: list[str] = []
        self.models: list[ModelState] = []
        self.adr_revs = [0] * (ADR_COUNT + 1)
        self.counts = Counts()
        self.topics = 0

    # -- low level --------------------------------------------------------------------
    def write(self, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.sink.write(data)
        self.bytes += len(data)

    def data(self, text: str) -> None:
        """A ``data`` command with its exact byte count."""
        raw = text.encode("utf-8")
        self.write(f"data {len(raw)}\n")
        self.write(raw)
        self.write("\n")

    def commit(self, kind: str, message: str, ops: list[tuple[str, ...]],
               ref: str = "refs/heads/main", author: str | None = None,
               parent: int | None = None, merge: int | None = None) -> int:
        """Write one commit; ``ops`` are ("M", path, text) or ("R", old, new). Returns its mark."""
        self.mark += 1
        when = START_EPOCH + 60 * self.count
        who = author or self.rng.choice(AUTHORS)
        ident = f"{who} <{email(who)}> {when} +0000"
        self.write(f"commit {ref}\nmark :{self.mark}\nauthor {ident}\ncommitter {ident}\n")
        self.data(message)
        if parent is not None:
            self.write(f"from :{parent}\n")
        if merge is not None:
            self.write(f"merge :{merge}\n")
        for op in ops:
            if op[0] == "M":
                self.write(f"M 100644 inline {op[1]}\n")
                self.data(op[2])
            else:
                self.write(f"R {op[1]} {op[2]}\n")
        self.write("\n")
        self.count += 1
        self.counts.add(kind)
        return self.mark

    def now(self) -> dt.date:
        """The date of the next commit."""
        return day_of(START_EPOCH + 60 * self.count)

    def touch(self, path: str) -> tuple[str, str, str]:
        """A new revision of a source file: updates the state, returns the ``M`` op."""
        origin, _ = self.files[path]
        self.files[path] = (origin, self.count)
        return ("M", path, source_text(origin, self.count))

    # -- the first commits: add everything --------------------------------------------
    def add_files(self) -> None:
        """Commits that add the README, libraries, ADRs, services and models."""
        ops: list[tuple[str, ...]] = [("M", "README.md", "# Synthetic services\n")]
        for k in range(LIB_FILES):
            path = f"libs/common/mod_{k:02d}.py"
            self.files[path] = (path, 0)
            self.lib_files.append(path)
            ops.append(("M", path, source_text(path, 0)))
        for n in range(1, ADR_COUNT + 1):
            ops.append(("M", f"docs/adr/{adr_name(n)}", adr_text(n, 0)))
        self.commit("setup", "Add shared libraries and ADRs", ops)
        for first in range(0, self.services, SERVICES_PER_COMMIT):
            ops = []
            for s in range(first, min(first + SERVICES_PER_COMMIT, self.services)):
                for name in SERVICE_FILES:
                    path = f"services/{service_id(s)}/{name}"
                    self.files[path] = (path, 0)
                    self.service_files.append(path)
                    ops.append(("M", path, source_text(path, 0)))
            self.commit("setup", f"Add services {first:04d} to {first + len(ops) // 5 - 1:04d}",
                        ops)
        for first in range(0, self.model_count, MODELS_PER_COMMIT):
            ops = []
            for k in range(first, min(first + MODELS_PER_COMMIT, self.model_count)):
                owner = AUTHORS[k % len(AUTHORS)]
                state = ModelState(k, self.services, self.now(), owner)
                self.models.append(state)
                ops.append(("M", model_path(k), model_text(state)))
            self.commit("setup", f"Add threat models {first:04d} to {first + len(ops) - 1:04d}",
                        ops)

    # -- ordinary commits ---------------------------------------------------------------
    def modify(self, ref: str = "refs/heads/main", parent: int | None = None,
               changed: dict[str, tuple[str, int]] | None = None) -> int:
        """Change one to three source files (sometimes a shared library) in one commit."""
        paths = self.rng.sample(self.service_files, self.rng.randint(1, 3))
        if self.rng.random() < 0.05:
            paths[0] = self.rng.choice(self.lib_files)
        ops = [self.touch(p) for p in sorted(set(paths))]
        if changed is not None:
            changed.update({p: self.files[p] for p in paths})
        service = paths[0].split("/")[1]
        return self.commit("modify", f"{service}: {self.rng.choice(VERBS)} {len(ops)} file(s)",
                           ops, ref=ref, parent=parent)

    def review(self) -> None:
        """Record a review of one model: its ``reviewed`` date and reviewer change."""
        state = self.rng.choice(self.models)
        who = self.rng.choice(AUTHORS)
        state.reviewed, state.by = self.now(), who
        self.commit("review", f"Review threat model svc-{state.index:04d}",
                    [("M", model_path(state.index), model_text(state))], author=who)

    def reword(self) -> None:
        """Change a model's body only (not a review)."""
        state = self.rng.choice(self.models)
        state.body_rev += 1
        self.commit("reword", f"Reword notes of svc-{state.index:04d}",
                    [("M", model_path(state.index), model_text(state))])

    def touch_adr(self) -> None:
        """Change an ADR's text (a clarification, not a status change)."""
        number = self.rng.randint(2, ADR_COUNT)
        self.adr_revs[number] += 1
        text = adr_text(number, self.adr_revs[number])
        self.commit("adr", f"ADR {number:04d}: clarify consequences",
                    [("M", f"docs/adr/{adr_name(number)}", text)])

    def supersede(self) -> None:
        """Mark ADR 0001 superseded by ADR 0002."""
        self.adr_revs[1] += 1
        self.commit("adr", "ADR 0001: superseded by ADR 0002",
                    [("M", f"docs/adr/{adr_name(1)}", adr_text(1, self.adr_revs[1], 2))])

    def rename(self) -> None:
        """Rename one handler file inside its service."""
        while True:
            k = self.rng.randrange(len(self.service_files))
            old = self.service_files[k]
            if "/handlers/" in old:
                break
        folder, name = old.rsplit("/", 1)
        new = f"{folder}/{name[:-3].split('_r')[0]}_r{self.count}.py"
        self.service_files[k] = new
        self.files[new] = self.files.pop(old)
        self.commit("rename", f"{old.split('/')[1]}: rename {name}", [("R", old, new)])

    def ordinary(self) -> None:
        """One commit of a kind drawn at random, mostly source changes."""
        roll = self.rng.random()
        if roll < 0.05:
            self.review()
        elif roll < 0.07:
            self.reword()
        elif roll < 0.08:
            self.touch_adr()
        elif roll < 0.085:
            self.rename()
        else:
            self.modify()

    # -- a merged topic branch ----------------------------------------------------------
    def topic_branch(self) -> None:
        """Fork a topic branch, move both sides on, merge the topic back into main."""
        self.topics += 1
        ref = f"refs/heads/topic/{self.topics:03d}"
        fork = self.mark
        side: dict[str, tuple[str, int]] = {}
        main_before = dict(self.files)
        tip = fork
        for k in range(TOPIC_COMMITS):
            tip = self.modify(ref=ref, parent=fork if k == 0 else None, changed=side)
        # The topic's edits must not show on main until the merge: restore main's state.
        side_files = {p: self.files[p] for p in side}
        for path in side:
            self.files[path] = main_before[path]
        main_changed: dict[str, tuple[str, int]] = {}
        for _ in range(MAIN_DURING_TOPIC):
            self.modify(changed=main_changed)
        ops: list[tuple[str, ...]] = []
        for path in sorted(side_files):
            if path in main_changed:
                ops.append(self.touch(path))  # both sides changed it: the merge resolves it
            else:
                self.files[path] = side_files[path]
                ops.append(("M", path, source_text(*side_files[path])))
        self.commit("merge", f"Merge branch 'topic/{self.topics:03d}'", ops, merge=tip)

    def history(self, total: int) -> None:
        """The whole history: ``total`` commits, ending on main."""
        self.add_files()
        since_merge, superseded = 0, False
        branch = TOPIC_COMMITS + MAIN_DURING_TOPIC + 1
        while self.count < total:
            if not superseded and self.count >= SUPERSEDE_AT * total:
                self.supersede()
                superseded = True
            elif since_merge >= MERGE_EVERY and total - self.count >= branch:
                self.topic_branch()
                since_merge = 0
            else:
                self.ordinary()
                since_merge += 1
        self.write("done\n")


def setup_commits(services: int, models: int) -> int:
    """How many commits adding the files takes."""
    return (1 + -(-services // SERVICES_PER_COMMIT) + -(-models // MODELS_PER_COMMIT))


# -- building the repository ---------------------------------------------------------


def git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run git quietly, ignoring the user's hooks and signing; returns its stdout."""
    config = ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
              "-c", "core.hooksPath=/dev/null", "-c", "user.name=Bench Bot",
              "-c", "user.email=bench@example.invalid"]
    proc = subprocess.run(["git", *config, *args], cwd=cwd, input=stdin, check=True,
                          stdout=subprocess.PIPE, env=clean_env())
    return proc.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without variables that would redirect git or pre-commit."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROPPED}
    env.update(extra)
    return env


def make_repo(root: Path, commits: int, services: int, models: int) -> dict[str, float]:
    """Create the repository with fast-import, then check out main; returns timings."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    root.mkdir(parents=True)
    git(["init", "-q", "-b", "main"], root)
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done", "--date-format=raw"],
                            cwd=root, stdin=subprocess.PIPE, env=clean_env())
    writer = HistoryWriter(proc.stdin, services, models, random.Random(SEED))
    writer.history(commits)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed with exit status {proc.returncode}")
    times["stream + fast-import"] = time.perf_counter() - start
    topics = git(["for-each-ref", "--format=delete %(refname)", "refs/heads/topic/"], root)
    git(["update-ref", "--stdin"], root, stdin=topics)
    mark = time.perf_counter()
    git(["checkout", "-q", "main"], root)
    git(["reset", "-q", "--hard"], root)
    times["checkout"] = time.perf_counter() - mark
    times["stream MiB"] = writer.bytes / 2**20
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(writer.counts.kinds.items()))
    print(f"  commits written: {writer.count:,} ({kinds})")
    return times


def repo_facts(root: Path) -> list[str]:
    """Lines describing the generated repository, read back from git."""
    commits = git(["rev-list", "--count", "HEAD"], root).decode().strip()
    merges = git(["rev-list", "--merges", "--count", "HEAD"], root).decode().strip()
    files = [f for f in git(["ls-files", "-z"], root).decode().split("\0") if f]
    models = sum(f.startswith("docs/threat-models/") for f in files)
    adrs = sum(f.startswith("docs/adr/") for f in files)
    size = sum(p.stat().st_size for p in (root / ".git").rglob("*") if p.is_file())
    packs = len(list((root / ".git" / "objects" / "pack").glob("*.pack")))
    first = git(["log", "--max-parents=0", "--format=%ad", "--date=short", "HEAD"], root)
    last = git(["log", "-1", "--format=%ad", "--date=short", "HEAD"], root)
    return [
        f"commits      {int(commits):,} reachable from HEAD ({int(merges):,} merges), "
        f"{first.decode().split()[0]} .. {last.decode().strip()}",
        f"files        {len(files):,} at HEAD ({models:,} models, {adrs} ADRs)",
        f".git         {size / 2**20:.1f} MiB ({packs} pack file(s), as fast-import left it)",
        f"branch       {git(['symbolic-ref', '--short', 'HEAD'], root).decode().strip()}",
    ]


# -- running the command line --------------------------------------------------------




def measured(cmd: list[str], cwd: Path, cache: Path) -> tuple[float, float, float, int,
                                                                str, str]:
    """Run ``cmd`` in ``cwd`` with its own cache folder: (wall s, CPU s, peak RSS MiB, exit
    status, stdout, stderr). Wall time includes process start; CPU time (user and system,
    of the process and the git processes it waited for) says more on a shared machine.

    The peak RSS comes from ``wait4`` on this very process (its own or any of its
    children's, whichever is larger), not from every child this script ever ran.
    """
    env = clean_env(THREATMODEL_CACHE_DIR=str(cache))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        rss = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
        return (seconds, usage.ru_utime + usage.ru_stime, rss,
                os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"))


def run_cli(cmd: list[str], cwd: Path, cache: Path) -> Run:
    """:func:`measured`, as a :class:`Run`."""
    seconds, _cpu, rss, code, out, err = measured(cmd, cwd, cache)
    return Run(seconds, code, out, err, rss)


def failure(run: Run) -> str | None:
    """Why a run is not a judgement (usage error, crash, error message), or ``None``.

    ``stale`` exits 0 when every model is current and 1 when any is stale; 1 is also
    what an error or a Python traceback gives, so stderr decides.
    """
    if "invalid choice: 'stale'" in run.stderr:
        return "the `stale` command does not exist yet"
    if "unrecognized arguments" in run.stderr:
        return "an option is unknown: " + run.stderr.strip().splitlines()[-1]
    if "Traceback (most recent call last)" in run.stderr:
        return "it crashed"
    if run.returncode not in (0, 1) or "threatmodel: error:" in run.stderr:
        return f"it failed (exit {run.returncode})"
    return None


def report_run(label: str, run: Run, shown: int) -> None:
    """Print a run's exit status, how many findings lines it printed, and the first few."""
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    summary = run.stderr.strip().splitlines()
    print(f"  {label}: exit {run.returncode}, {len(lines)} findings lines"
          f" ({summary[-1] if summary else 'nothing on stderr'})")
    for line in lines[:shown]:
        print(f"    {line[:160]}")


def report_failure(label: str, why: str, run: Run) -> None:
    """Print, plainly, that a scenario could not be timed, with the command's stderr."""
    print(f"  {label}: NOT TIMED: {why}; exit {run.returncode}; stderr:")
    for line in (run.stderr.strip().splitlines() or ["(empty)"])[-20:]:
        print(f"    | {line}")
    for line in run.stdout.strip().splitlines()[:5]:
        print(f"    stdout: {line}")


def measure(label: str, cmd: list[str], cwd: Path, cache: Path, runs: int,
            shown: int, prepare=None) -> Timing | None:
    """One cold run (also the warm-up, reported), then ``runs`` timed runs; None on error.

    ``prepare``, when given, is called (untimed) before every run, to put the cache
    back in the state the scenario starts from.
    """
    if prepare is not None:
        prepare()
    cold = run_cli(cmd, cwd, cache)
    why = failure(cold)
    if why is not None:
        report_failure(label, why, cold)
        return None
    report_run(label, cold, shown)
    timed = []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        timed.append(run_cli(cmd, cwd, cache))
    return Timing(label, cold.seconds, [r.seconds for r in timed],
                  max(r.rss_mib for r in [cold, *timed]))


def restore(saved: Path, cache: Path):
    """A ``prepare`` step: make ``cache`` a copy of ``saved`` again."""
    def prepare() -> None:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(saved, cache)
    return prepare


def commit_elsewhere(root: Path, count: int) -> None:
    """``count`` commits that change an uncovered file, as colleagues' work would."""
    for k in range(count):
        with open(root / "README.md", "a", encoding="utf-8", newline="\n") as handle:
            handle.write(f"Note {k}.\n")
        git(["commit", "-q", "-m", f"README: note {k}", "--", "README.md"], root)


def stale_help(cli: str) -> str:
    """What ``threatmodel stale --help`` prints (empty if the command is missing)."""
    proc = subprocess.run([cli, "stale", "--help"], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else ""


def stage_change(root: Path) -> str:
    """Append a line to one covered source file and stage it; returns its path."""
    rel = f"services/{service_id(STAGED_SERVICE)}/api.py"
    with open(root / rel, "a", encoding="utf-8", newline="\n") as handle:
        handle.write("x\n")
    git(["add", "--", rel], root)
    return rel


# -- report --------------------------------------------------------------------------


def machine_facts(cli: str) -> list[str]:
    """Lines describing the machine and the tools measured, and today's date."""
    return [*common_machine_facts(cli),
            f"today        {dt.date.today().isoformat()} (review ages are judged against it)"]




# -- main ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=TARGET_COMMITS, metavar="N",
                        help="commits in the history (default 20000)")
    parser.add_argument("--models", type=int, default=TARGET_MODELS, metavar="M",
                        help="threat models (default 1000)")
    parser.add_argument("--services", type=int, default=400, metavar="S",
                        help="services of five source files each (default 400)")
    parser.add_argument("--runs", type=int, default=5, metavar="R",
                        help="timed runs after the warm-up; the median is reported (default 5)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary repository and print where it is")
    args = parser.parse_args(argv)
    if args.models < 1 or args.runs < 1 or args.services < STAGED_SERVICE + 1:
        parser.error(f"--models and --runs must be at least 1, --services at least "
                     f"{STAGED_SERVICE + 1}")
    least = setup_commits(args.services, args.models) + 1
    if args.commits < least:
        parser.error(f"--commits must be at least {least} for these services and models")
    return args


def judge_targets(args: argparse.Namespace) -> tuple[float | None, float | None]:
    """The targets apply to the default size; the staged one applies to any size."""
    full = args.commits == TARGET_COMMITS and args.models == TARGET_MODELS
    return (FULL_TARGET_S if full else None), STAGED_TARGET_S


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cli = find_cli()
    print("Machine")
    for line in machine_facts(cli):
        print(f"  {line}")
    base = Path(tempfile.mkdtemp(prefix="threatmodel-stale-bench-"))
    try:
        print(f"\nGenerating ({args.commits:,} commits, {args.models:,} models, "
              f"{args.services:,} services)")
        started = time.perf_counter()
        repo = base / "repo"
        times = make_repo(repo, args.commits, args.services, args.models)
        total = time.perf_counter() - started
        print(f"  stream written and imported in {times['stream + fast-import']:.2f} s "
              f"({times['stream MiB']:.1f} MiB of fast-import stream); checkout "
              f"{times['checkout']:.2f} s; total generation {total:.2f} s")
        print("\nRepository")
        for line in repo_facts(repo):
            print(f"  {line}")

        print(f"\nJudging (cold run = empty cache of its own: no parse cache, no history "
              f"snapshot; it is also the warm-up; then median of {args.runs} warm runs)")
        help_text = stale_help(cli)
        if not help_text:
            print("  note: `threatmodel stale --help` fails: the command seems not to exist yet")
        elif "--staged" not in help_text:
            print("  note: `threatmodel stale --help` does not mention --staged")
        full_target, staged_target = judge_targets(args)
        label = f"stale at HEAD, {args.commits:,} commits, {args.models:,} models"
        rows = [(label, measure(label, [cli, "stale"], repo, base / "cache-head", args.runs, 2),
                 full_target)]
        label = "stale at HEAD, --no-cache"
        rows.append((label, measure(label, [cli, "stale", "--no-cache"], repo,
                                    base / "cache-none", args.runs, 0), full_target))
        # The hook's usual case: the snapshot is from the last run, a few commits behind.
        behind = base / "cache-behind"
        run_cli([cli, "stale"], repo, behind)
        commit_elsewhere(repo, BEHIND_COMMITS)
        print(f"  (then {BEHIND_COMMITS} new commits that change README.md only)")
        staged = stage_change(repo)
        print(f"  (staged: a line appended to {staged})")
        label = "stale --staged, 1 covered file staged"
        rows.append((label, measure(label, [cli, "stale", "--staged"], repo,
                                    base / "cache-staged", args.runs, 5), staged_target))
        label = f"stale --staged, snapshot {BEHIND_COMMITS} commits behind"
        rows.append((label, measure(label, [cli, "stale", "--staged"], repo,
                                    base / "cache-scratch", args.runs, 0,
                                    restore(behind, base / "cache-scratch")), staged_target))
        label = "stale --staged, --no-cache"
        rows.append((label, measure(label, [cli, "stale", "--staged", "--no-cache"], repo,
                                    base / "cache-none", args.runs, 0), None))
        # A real repository of this age has a commit-graph file: `git gc` (automatic) or
        # `git maintenance` writes it. fast-import does not; measure both states.
        subprocess.run(["git", "commit-graph", "write", "--reachable"], cwd=repo, check=True,
                       capture_output=True)
        print("  (then `git commit-graph write --reachable`, as `git gc` leaves a repository)")
        for label, cmd, target in (
                ("stale at HEAD, with a commit-graph", [cli, "stale"], full_target),
                ("stale at HEAD, --no-cache, with a commit-graph",
                 [cli, "stale", "--no-cache"], full_target),
                ("stale --staged, with a commit-graph", [cli, "stale", "--staged"],
                 staged_target)):
            rows.append((label, measure(label, cmd, repo, base / f"cache-{len(rows)}",
                                        args.runs, 0), target))

        print("\nResults (wall time, process start included)")
        print_table(rows)
        for label, timing, _ in rows:
            if timing is not None:
                print(f"peak RSS, {label}: {timing.peak_rss_mib:.1f} MiB")
        if full_target is None:
            print(f"(the whole-repository target, < {FULL_TARGET_S:g} s, is for "
                  f"{TARGET_COMMITS:,} commits and {TARGET_MODELS:,} models; run with the "
                  "defaults to judge it)")
    finally:
        if args.keep:
            print(f"\nKept the repository in {base / 'repo'} (caches beside it)")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
