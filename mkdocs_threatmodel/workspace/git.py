"""The git layer: every git call of the project goes through here.

Git is always run with an argument list (never a shell), with ``--`` before
paths, and with output read as bytes so that any file name survives.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import IO, NamedTuple

from ..errors import GitError
from .files import MAX_FILE_BYTES

# Settings of a user's or a repository's configuration that would change what git writes for
# us (commit subjects re-encoded by i18n.logOutputEncoding, signatures checked and shown) or
# make it start a program (core.fsmonitor): given as command-line configuration
# (GIT_CONFIG_COUNT, git 2.31), which wins over every configuration file.
_SETTINGS = {"i18n.logOutputEncoding": "UTF-8", "log.showSignature": "false",
             "core.fsmonitor": "false"}


def _command_line_config(settings: dict[str, str]) -> dict[str, str]:
    """The environment that gives git ``settings`` as if by ``-c key=value``."""
    env = {"GIT_CONFIG_COUNT": str(len(settings))}
    for k, (key, value) in enumerate(settings.items()):
        env[f"GIT_CONFIG_KEY_{k}"], env[f"GIT_CONFIG_VALUE_{k}"] = key, value
    return env


# GIT_FLUSH=0: git writes its output in blocks, not a flush per commit; what is read to its
# end (every command here but cat-file --batch, whose answers are read one by one) needs no
# more, and a log of 3,000 commits is then read in 300 pieces, not 1,700.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_FLUSH": "0",
        **_command_line_config(_SETTINGS)}
NO_GIT = "git is not installed or not on PATH"


def run(args: list[str], cwd: Path | str, *, check: bool = True) -> bytes:
    """Run ``git args`` in ``cwd`` and return its standard output.

    A failure raises :class:`GitError` with git's own reason, in one line.
    """
    proc = _run(args, cwd)
    if check and proc.returncode != 0:
        raise GitError(reason(proc.stderr) or f"git {args[0]} failed")
    return proc.stdout


def _run(args: list[str], cwd: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, **_ENV}
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True)
    except FileNotFoundError as exc:
        raise GitError(NO_GIT) from exc


def _reader(pipe: IO[bytes] | None) -> io.BufferedReader:
    """A git process's output pipe (``Popen`` with its default buffering makes a buffered
    reader of each ``PIPE``)."""
    if not isinstance(pipe, io.BufferedReader):
        raise GitError("git's output is not a pipe")
    return pipe


def _writer(pipe: IO[bytes] | None) -> IO[bytes]:
    """A git process's input pipe (made by ``stdin=PIPE``)."""
    if pipe is None:
        raise GitError("git's input is not a pipe")
    return pipe


def reason(stderr: bytes) -> str:
    """Git's reason for a failure, in one line: its first ``fatal:`` or ``error:`` line
    (hints and advice that follow it are left out), else its first line."""
    lines = [x.strip() for x in stderr.decode("utf-8", "replace").splitlines() if x.strip()]
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return "git: " + line[len(prefix):]
    return "git: " + lines[0] if lines else ""


def toplevel(cwd: Path | str) -> Path | None:
    """The work tree root containing ``cwd``, or ``None`` when ``cwd`` is in no git repository.

    Raises :class:`GitError` when ``cwd`` is in a repository that git refuses (owned by
    another user), that has no work tree (a bare repository, or inside its git folder), or
    when git is missing in a folder that is a repository: never a folder walk instead.
    """
    try:
        proc = _run(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        if repository_above(Path(cwd)) is not None:
            raise GitError(f"{NO_GIT}, and {cwd} is in a git repository") from None
        return None
    if proc.returncode == 0:
        return Path(os.fsdecode(proc.stdout.rstrip(b"\n")))
    why = reason(proc.stderr)
    if "not a git repository" in why:
        found = repository_above(Path(cwd))
        if found is None:
            return None
        raise GitError(f"{why} (yet {found} has a .git: a broken repository, or one git "
                       "was told not to look for)")
    if "must be run in a work tree" in why:
        bare = _run(["rev-parse", "--is-bare-repository"], cwd).stdout.strip() == b"true"
        what = "a bare git repository" if bare else "inside a git folder"
        raise GitError(f"{cwd} is {what}, with no work tree to check; run in a clone "
                       "(its work tree)")
    raise GitError(why or "git rev-parse failed")


def repository_above(start: Path) -> Path | None:
    """The nearest folder from ``start`` up that holds a ``.git`` entry or is a bare
    repository (HEAD, objects and refs), found without git."""
    start = Path(os.path.abspath(start))
    for folder in [start, *start.parents]:
        if os.path.lexists(folder / ".git"):
            return folder
        if all(os.path.exists(folder / name) for name in ("HEAD", "objects", "refs")):
            return folder
    return None


def list_files(root: Path, pathspecs: list[str] | None = None) -> list[str]:
    """Files git tracks, plus untracked files it does not ignore (repository-relative; only
    those ``pathspecs`` match, when given)."""
    out = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
               "--deduplicate", "--", *(pathspecs or [])], root)
    return [os.fsdecode(p) for p in out.split(b"\0") if p]


def index_blobs(root: Path) -> dict[str, str]:
    """Staged files (stage 0) and their blob ids, from the index."""
    return index(root).blobs


class Index(NamedTuple):
    """Git's index: staged files (stage 0, no links or submodules) and their blob ids, and
    the files left unmerged by a conflict with the blob ids of their sides (stages 1-3)."""

    blobs: dict[str, str]
    unmerged: dict[str, list[str]]


def index(root: Path) -> Index:
    """The index, read by one ``git ls-files --stage``."""
    out = run(["ls-files", "-z", "--stage", "--"], root)
    entries: dict[str, str] = {}
    unmerged: dict[str, list[str]] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, sha, stage = meta.split(b" ")
        if mode.startswith(b"120") or mode.startswith(b"160"):
            continue
        if stage == b"0":
            entries[os.fsdecode(path)] = sha.decode()
        else:
            unmerged.setdefault(os.fsdecode(path), []).append(sha.decode())
    return Index(entries, unmerged)


def read_blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of many blobs, read by one ``git cat-file --batch`` (a blob over the
    size limit as :class:`Oversized`)."""
    if not shas:
        return {}
    with BlobReader(root) as reader:
        return {sha: data for sha, data in reader.each(shas) if data is not None}


class Oversized(bytes):
    """The first bytes of a blob larger than :data:`.files.MAX_FILE_BYTES`: the rest was
    not read, and the blob is no model to check (it is reported as too large)."""


_OVERSIZED_HEAD = 65536


class Change(NamedTuple):
    """One path a commit changed, with the blob ids before and after.

    A merge's change (what it holds that differs from every parent, git's combined
    diff) has one blob id per parent in ``old_blob``, separated by commas; its status is
    ``A`` when no parent had the path, else ``M``.
    """

    status: str  # A M D R C T (first letter of git's status)
    path: str
    old_path: str | None
    old_blob: str
    new_blob: str
    gitlink: bool = False  # a submodule's commit, not a file

    @property
    def old_blobs(self) -> list[str]:
        """The blob id before the change: one, or one per parent of a merge."""
        return self.old_blob.split(",")


@dataclass(slots=True)
class Commit:
    """A commit of the history, as a report names it."""

    sha: str
    short: str
    date: str
    author: str
    subject: str
    parents: list[str]


@dataclass
class Log:
    """Commits in topological order (children before parents) and the paths they changed.

    Commits are stored column by column; changes are stored by path, newest
    first, each with its commit's *age* (0 for the oldest commit), so that newer
    commits can be put in front without renumbering the older ones. A rename is
    listed under both its paths. Blob ids are kept for Markdown files only (the
    models' reviews are read from them); other changes carry empty ids. The change
    tuples are plain (status, path, old_path, old_blob, new_blob) tuples: they are
    made :class:`Change` objects when a path's changes are asked for.
    """

    shas: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    parents: list[tuple[str, ...]] = field(default_factory=list)
    paths: dict[str, list[tuple[int, tuple]]] = field(default_factory=dict)
    gitlinks: set[str] = field(default_factory=set)  # paths that were a submodule
    unchecked: bool = False  # read from a file: each path's changes are checked when used
    # A merge's changes are against its first parent (with every blob id), not git's
    # combined diff: see :func:`merge_made`.
    first_parent: bool = False

    def __len__(self) -> int:
        return len(self.shas)

    def commit(self, i: int) -> Commit:
        """Commit number ``i`` of the order (0 is the newest), as an object."""
        sha = self.shas[i]
        return Commit(sha, sha[:8], self.dates[i], self.authors[i], self.subjects[i],
                      list(self.parents[i]))

    def reachable(self, start: int, index: dict[str, int]) -> set[int]:
        """Commit number ``start`` and the numbers of its ancestors in this log
        (``index`` maps commit ids to numbers)."""
        seen, stack = {start}, [start]
        while stack:
            for parent in self.parents[stack.pop()]:
                j = index.get(parent)
                if j is not None and j not in seen:
                    seen.add(j)
                    stack.append(j)
        return seen

    @classmethod
    def of(cls, rows: list[tuple]) -> Log:
        """A log of parsed records, newest first: (sha, date, author, subject, parents,
        changes, submodule paths)."""
        log, count = cls(), len(rows)
        paths = log.paths
        for i, (sha, date, author, subject, parents, changes, gitlinks) in enumerate(rows):
            log.gitlinks.update(gitlinks)
            log.shas.append(sha)
            log.dates.append(date)
            log.authors.append(author)
            log.subjects.append(subject)
            log.parents.append(parents)
            age = count - 1 - i
            for change in changes:
                paths.setdefault(change[1], []).append((age, change))
                if change[2] is not None:
                    paths.setdefault(change[2], []).append((age, change))
        return log

    def rows(self) -> list[tuple]:
        """The commits as the records :meth:`of` takes (with no submodule paths: those are
        in :attr:`gitlinks`)."""
        last = len(self) - 1
        changes: list[list[tuple]] = [[] for _ in self.shas]
        for path, entries in self.paths.items():
            for age, change in entries:
                if change[1] == path:  # a rename is listed under its old path too
                    changes[last - age].append(change)
        return [(self.shas[i], self.dates[i], self.authors[i], self.subjects[i],
                 self.parents[i], changes[i], ()) for i in range(len(self))]

    def then(self, older: Log) -> Log:
        """This log followed by ``older``, none of whose commits descends from one of ours.

        ``older`` is taken over (its path lists are extended in place).
        """
        shift, paths = len(older), older.paths
        for path, entries in self.paths.items():
            paths[path] = [(age + shift, change) for age, change in entries] + \
                paths.get(path, [])
        return Log(self.shas + older.shas, self.dates + older.dates,
                   self.authors + older.authors, self.subjects + older.subjects,
                   self.parents + older.parents, paths, self.gitlinks | older.gitlinks,
                   self.unchecked or older.unchecked)


@dataclass
class State:
    """What kind of repository this is: its HEAD, whether it is shallow and where it stops."""

    head: str | None
    shallow: bool
    boundary: set[str]
    branch: str | None
    common_dir: Path | None = None  # the repository's own folder, shared by its worktrees


def state(root: Path) -> State:
    """HEAD (``None`` when there are no commits), shallowness and the branch name."""
    out = run(["rev-parse", "--is-shallow-repository", "--git-path", "shallow",
               "--git-common-dir", "--abbrev-ref", "HEAD"], root,
              check=False).decode("utf-8", "replace")
    lines = out.splitlines()
    shallow = bool(lines) and lines[0] == "true"
    common_dir = root / lines[2] if len(lines) > 2 and lines[2] else None  # may be relative
    branch = lines[3] if len(lines) > 3 and lines[3] != "HEAD" else None
    head_out = run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False)
    head = head_out.decode().strip() or None
    boundary: set[str] = set()
    if shallow and len(lines) > 1:
        shallow_file = Path(lines[1]) if Path(lines[1]).is_absolute() else root / lines[1]
        try:
            boundary = set(shallow_file.read_text().split())
        except OSError:
            boundary = set()
    return State(head, shallow, boundary, branch, common_dir)


def has_commit_graph(state: State) -> bool | None:
    """Whether the repository has a commit-graph (one file or a chain), which makes git's
    path-limited and ranged logs much faster; ``None`` when its folder is not known."""
    if state.common_dir is None:
        return None
    info = state.common_dir / "objects" / "info"
    return ((info / "commit-graph").is_file()
            or (info / "commit-graphs" / "commit-graph-chain").is_file())


# Model files are Markdown; a history keeps the blob ids of these files only.
MARKDOWN_SUFFIXES = (".md", ".markdown")
_LOG_FORMAT = "%x1e%H%x1f%ad%x1f%an%x1f%s%x1f%P"


class History:
    """Every commit reachable from ``rev`` (children before parents), with changed paths.

    The log is started at once and read in the background, so the caller can
    work while git computes the diffs; a long history is split between
    ``jobs`` git processes (``-n``/``--skip`` slices of one topological order).
    ``since`` leaves out that commit and its ancestors, ``exclude`` these commits and
    their ancestors; ``pathspecs`` limits the log to commits touching them (``simplify``:
    to the simplest history that explains what they hold now, git's default, which need
    not compare a merge with each of its parents), ``after`` to commits made from that
    date on. A merge lists what it changes beyond its parents (a
    conflict resolution, an edit made while merging): git's combined diff; with
    ``first_parent``, what it changes against its first parent, with every blob id (a
    combined diff compares a merge with each parent in full, which costs seconds on a
    history with many long-lived branches; :func:`merge_made` then keeps what the merge
    itself made). ``commits``: those commits alone (in no particular order), not their
    ancestors. ``total``: how many commits the log holds, when known (else it is counted
    to decide whether to split it).
    """

    SPLIT_FROM = 4000  # commits; below this one process is quicker

    def __init__(self, root: Path, rev: str = "HEAD", since: str | None = None,
                 pathspecs: list[str] | None = None, jobs: int = 2,
                 after: str | None = None, exclude: list[str] | None = None,
                 simplify: bool = False, first_parent: bool = False,
                 commits: list[str] | None = None, total: int | None = None) -> None:
        import threading

        revs = [rev] + ([f"^{since}"] if since else []) + [f"^{sha}" for sha in exclude or ()]
        walk = []
        if commits is not None:  # these commits only, not their ancestors
            revs, walk = [], ["--no-walk=unsorted", "--stdin"]
        window = [f"--since={after}"] if after else []
        limits = ([] if simplify else ["--full-history"]) + ["--parents"] if pathspecs else []
        self.first_parent = first_parent
        merges = "--diff-merges=first-parent" if first_parent else "-c"
        # With first_parent, renames are found afterwards, only where a Markdown file is
        # added or deleted (see _with_renames): on commits that add thousands of files
        # (icon sets), rename detection is most of git's work.
        renames = "--no-renames" if first_parent else "-M"
        self._root = root
        base = ["log", "--topo-order", *limits, "-z", "--raw", merges, renames, "--no-abbrev",
                "--no-color",
                "--no-ext-diff", f"--format={_LOG_FORMAT}", "--date=short", *window,
                *walk, "--end-of-options", *revs, "--", *(pathspecs or [])]
        slices = [base]
        if jobs > 1 and not pathspecs and commits is None:
            if total is None:  # (a walk by date stops at the window: a few milliseconds)
                total = int(run(["rev-list", "--count", *window, "--end-of-options", *revs,
                                 "--"], root) or 0)
            if total >= self.SPLIT_FROM:
                # Slices of one order: the last takes whatever is left, so a count that
                # differs from what the log lists (a window and skewed dates) loses nothing.
                size = -(-total // jobs)
                slices = [[*base[:1], *([f"--max-count={size}"] if k < jobs - 1 else []),
                           f"--skip={size * k}", *base[1:]] for k in range(jobs)]
        self._outputs: list[list[tuple] | None] = [None] * len(slices)
        self._errors: list[str] = []
        self._threads = []
        env = {**os.environ, **_ENV}
        for k, args in enumerate(slices):
            proc = subprocess.Popen(["git", *args], cwd=root, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, stdin=subprocess.PIPE)
            stdin = _writer(proc.stdin)
            try:  # git reads every revision before it writes anything
                stdin.write("".join(f"{sha}\n" for sha in commits or ()).encode())
                stdin.close()
            except OSError:
                pass
            thread = threading.Thread(target=self._collect, args=(k, proc), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _collect(self, k: int, proc: subprocess.Popen[bytes]) -> None:
        """Read one git process, parsing whole records as they arrive (while git works)."""
        import threading

        stdout, stderr = _reader(proc.stdout), _reader(proc.stderr)
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
        reader.start()
        commits: list[tuple] = []
        pending = b""
        while True:
            chunk = stdout.read1(1 << 20)
            if not chunk:
                break
            pending += chunk
            cut = pending.rfind(b"\x1e")
            if cut > 0:
                commits += _parse_records(pending[:cut], self.first_parent)
                pending = pending[cut:]
        commits += _parse_records(pending, self.first_parent)
        proc.wait()
        reader.join()
        if proc.returncode != 0:
            self._errors.append(reason(b"".join(errors)) or "git log failed")
        self._outputs[k] = commits

    def log(self) -> Log:
        """Wait for git; the commits in order."""
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise GitError(self._errors[0])
        rows = [row for part in self._outputs for row in part or []]
        if self.first_parent:
            rows = _with_renames(self._root, rows, True)
        log = Log.of(rows)
        log.first_parent = self.first_parent
        return log


def _parse_records(data: bytes, merge_blobs: bool = False) -> list[tuple]:
    """(sha, date, author, subject, parents, changes, submodule paths) of each ``--raw``
    log record (``merge_blobs``: a merge's changes keep every blob id)."""
    rows = []
    for record in data.split(b"\x1e")[1:]:
        header, _, rest = record.partition(b"\0")
        fields = header.decode("utf-8", "replace").split("\x1f")
        sha, date, author, subject, parents = (fields + [""] * 5)[:5]
        changes, gitlinks = _changes(rest, merge_blobs and " " in parents.strip())
        rows.append((sha, intern(date), intern(author), subject, tuple(parents.split()),
                     changes, gitlinks))
    return rows


_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
_GITLINK_MODES = (b":160000", b"160000")


def _changes(raw: bytes, keep: bool) -> tuple[list[tuple], list[str]]:
    """The change tuples of a record's ``--raw`` part (blob ids of Markdown files only,
    unless ``keep``), and its submodule paths.

    A log of every path is mostly such entries, so a commit's own changes are read here
    without :func:`parse_raw`'s objects (a third less time on 3,000 to 4,000 commits);
    a merge's combined entries (``::``) go through it.
    """
    raw = raw.lstrip(b"\n")
    if b"\0::" in raw or raw.startswith(b"::"):
        return _parsed_changes(raw, keep)
    changes, gitlinks = [], []
    tokens = raw.split(b"\0")
    i, count = 0, len(tokens)
    while i < count:
        meta = tokens[i]
        if not meta.startswith(b":"):
            i += 1
            continue
        modes_old, modes_new, old_blob, new_blob, letter = meta.split(b" ")
        status = chr(letter[0])
        if status in "RC":
            old_path = tokens[i + 1].decode(_FS_ENCODING, _FS_ERRORS)
            path = tokens[i + 2].decode(_FS_ENCODING, _FS_ERRORS)
            i += 3
        else:
            old_path, path = None, tokens[i + 1].decode(_FS_ENCODING, _FS_ERRORS)
            i += 2
        if modes_old in _GITLINK_MODES or modes_new in _GITLINK_MODES:
            gitlinks.append(path)
        if keep or path.lower().endswith(MARKDOWN_SUFFIXES) \
                or (old_path or "").lower().endswith(MARKDOWN_SUFFIXES):
            changes.append((status, intern(path), old_path and intern(old_path),
                            old_blob.decode(), new_blob.decode()))
        else:
            changes.append((status, intern(path), old_path and intern(old_path), "", ""))
    return changes, gitlinks


def _parsed_changes(raw: bytes, keep: bool) -> tuple[list[tuple], list[str]]:
    """:func:`_changes` by way of :func:`parse_raw` (a merge's combined entries)."""
    changes, gitlinks = [], []
    for change in parse_raw(raw):
        status, path, old_path, old_blob, new_blob, gitlink = change
        if gitlink:
            gitlinks.append(path)
        if not (keep or path.lower().endswith(MARKDOWN_SUFFIXES)
                or (old_path or "").lower().endswith(MARKDOWN_SUFFIXES)):
            old_blob = new_blob = ""
        changes.append((status, intern(path), old_path and intern(old_path), old_blob,
                        new_blob))
    return changes, gitlinks


def _with_renames(root: Path, rows: list[tuple], merge_blobs: bool) -> list[tuple]:
    """``rows`` read without rename detection, with the changes of each commit that adds or
    deletes a Markdown file read again with it (``git diff-tree -M``, against the first
    parent): a model's moves are what a log with ``-M`` says. Any other rename stays a
    deletion and an addition, which name the same paths."""
    again = {n: row for n, row in enumerate(rows)
             if any(change[0] in "AD" and change[1].lower().endswith(MARKDOWN_SUFFIXES)
                    for change in row[5])}
    if not again:
        return rows
    lines = "".join(f"{row[0]} {row[4][0]}\n" if row[4] else f"{row[0]}\n"
                    for row in again.values())
    env = {**os.environ, **_ENV}
    try:
        proc = subprocess.run(["git", "diff-tree", "--stdin", "-r", "-z", "--raw", "-M",
                               "--no-abbrev", "--no-color", "--no-ext-diff", "--root",
                               "--format=%x1e%H", "--"], cwd=root, env=env,
                              input=lines.encode(), capture_output=True)
    except FileNotFoundError as exc:
        raise GitError(NO_GIT) from exc
    if proc.returncode != 0:
        raise GitError(reason(proc.stderr) or "git diff-tree failed")
    found = {}
    for record in proc.stdout.split(b"\x1e")[1:]:
        sha, _, rest = record.partition(b"\0")
        found[sha.decode().strip()] = rest
    rows = list(rows)
    for n, row in again.items():
        if row[0] not in found:
            raise GitError(f"git diff-tree did not answer for {row[0]}")
        changes, gitlinks = _changes(found[row[0]], merge_blobs and len(row[4]) > 1)
        rows[n] = (*row[:5], changes, gitlinks)
    return rows


def newest_times(root: Path, rev: str, limit: int) -> list[int]:
    """The commit times of the newest commits ``rev`` reaches, newest first, no more than
    ``limit`` (a walk of at most ``limit`` commits): how many there are, and how many a
    window of the history holds, from one walk."""
    out = run(["rev-list", "--timestamp", f"--max-count={limit}", "--end-of-options", rev,
               "--"], root)
    return [int(line.split(b" ", 1)[0]) for line in out.splitlines()]


def common_bases(root: Path, shas: list[str]) -> list[str]:
    """The best common ancestors of all ``shas``: every commit that is an ancestor of all of
    them is one of these or an ancestor of one (none when they share no history)."""
    if len(set(shas)) == 1:
        return [shas[0]]
    out = run(["merge-base", "--octopus", "--all", "--end-of-options", *sorted(set(shas))],
              root, check=False)
    return out.decode().split()


def parents_of(root: Path, shas: list[str]) -> list[str]:
    """The parents of the commits ``shas`` (none for a root commit)."""
    if not shas:
        return []
    out = run(["rev-parse", *(f"{sha}^@" for sha in shas if sha.isalnum())], root)
    return list(dict.fromkeys(out.decode().split()))


def merge_made(root: Path, asked: list[tuple[str, str, list[str]]]) -> set[int]:
    """Which of a merge's changes against its first parent the merge made itself.

    ``asked`` holds (path, the merge's blob id of it or ``""`` when it has none, the
    merge's other parents). A change the merge made is one whose content no other parent
    has at that path: a conflict resolution, an edit made while merging, or what a subtree
    merge brings (its branch holds the files under other paths). What another parent has
    at the same path came from that branch, whose own commits changed it. Answers the
    indexes into ``asked``, by one ``git cat-file --batch-check``.
    """
    pairs, owner = [], []
    for n, (path, _, parents) in enumerate(asked):
        for parent in parents:
            pairs.append((parent, path))
            owner.append(n)
    found = blobs_at(root, pairs)
    made = {n for n, blob in zip(owner, found, strict=True) if blob is None}
    same = {n for n, blob in zip(owner, found, strict=True) if blob == (asked[n][1] or "")}
    return made | (set(range(len(asked))) - same)


def blobs_at(root: Path, pairs: list[tuple[str, str]]) -> list[str | None]:
    """The blob id at each (commit, path): ``""`` when the commit has no such path, ``None``
    when a path cannot be asked (it holds a line break). One ``git cat-file --batch-check``."""
    lines, asked = [], []
    answers: list[str | None] = [None] * len(pairs)
    for n, (rev, path) in enumerate(pairs):
        if "\n" not in path and "\r" not in path:
            lines.append(f"{rev}:{path}\n")
            asked.append(n)
    if not lines:
        return answers
    env = {**os.environ, **_ENV}
    try:
        proc = subprocess.run(["git", "cat-file", "--batch-check=%(objectname)"], cwd=root,
                              env=env, input="".join(lines).encode("utf-8", "surrogateescape"),
                              capture_output=True)
    except FileNotFoundError as exc:
        raise GitError(NO_GIT) from exc
    out = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    if proc.returncode != 0 or len(out) < len(lines):
        raise GitError(reason(proc.stderr) or "git cat-file failed")
    for n, answer in zip(asked, out, strict=False):
        answers[n] = answer if " " not in answer else ""  # "<asked> missing": no such path
    return answers


def rev_list(root: Path, rev: str, exclude: list[str]) -> Callable[[], list[str]]:
    """The commits ``rev`` reaches and none of ``exclude`` does, children before parents:
    git starts now, and the answer is had by calling what this returns (the caller
    works meanwhile)."""
    args = ["rev-list", "--topo-order", "--end-of-options", rev,
            *(f"^{sha}" for sha in exclude), "--"]
    try:
        proc = subprocess.Popen(["git", *args], cwd=root, env={**os.environ, **_ENV},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as exc:
        raise GitError(NO_GIT) from exc

    def answer() -> list[str]:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise GitError(reason(err) or "git rev-list failed")
        return out.decode().split()

    return answer


def merge_base(root: Path, one: str, other: str) -> str | None:
    """A best common ancestor of two commits, or ``None`` when they share none."""
    out = run(["merge-base", "--end-of-options", one, other], root, check=False)
    return out.decode().strip() or None


def resolve(root: Path, rev: str) -> str | None:
    """The commit a revision names, or ``None``."""
    out = run(["rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}"], root,
              check=False)
    return out.decode().strip() or None


def tree(root: Path, rev: str = "HEAD", paths: list[str] | None = None) -> dict[str, str]:
    """Files of a commit and their blob ids (only ``paths``, when given; no symbolic links)."""
    if paths is not None and not paths:
        return {}
    specs = [f":(literal){p}" for p in paths or []]
    out = run(["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev, *specs],
              root)
    files = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        parts = meta.split(b" ")
        if len(parts) == 3 and parts[1] == b"blob" and not parts[0].startswith(b"120"):
            files[os.fsdecode(path)] = parts[2].decode()
    return files


def staged_changes(root: Path) -> list[Change]:
    """What the next commit changes: the index against HEAD (or against nothing)."""
    head = run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False).strip()
    args = ["diff", "--cached", "-z", "--raw", "-M", "--no-abbrev", "--no-color",
            "--no-ext-diff"]
    if not head:
        args.append("4b825dc642cb6eb9a060e54bf8d69288fbee4904")  # the empty tree
    return parse_raw(run([*args, "--"], root))


def parse_raw(out: bytes) -> list[Change]:
    """Parse ``--raw -z`` entries (no commit headers) into changes, a merge's combined
    entries (``::``) included."""
    changes = []
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        meta = tokens[i]
        if not meta.startswith(b":"):
            i += 1
            continue
        parents = len(meta) - len(meta.lstrip(b":"))
        parts = meta[parents:].split(b" ")
        gitlink = any(mode == b"160000" for mode in parts[:parents + 1])
        if parents > 1:  # a merge: modes and blob ids of each parent, then of the result
            letters = set(parts[-1].decode())
            blobs = [p.decode() for p in parts[parents + 1:2 * parents + 2]]
            changes.append(Change("A" if letters == {"A"} else "D" if letters == {"D"} else "M",
                                  os.fsdecode(tokens[i + 1]), None, ",".join(blobs[:-1]),
                                  blobs[-1], gitlink))
            i += 2
            continue
        status = parts[4].decode()[:1]
        if status in ("R", "C"):
            changes.append(Change(status, os.fsdecode(tokens[i + 2]), os.fsdecode(tokens[i + 1]),
                                  parts[2].decode(), parts[3].decode(), gitlink))
            i += 3
        else:
            changes.append(Change(status, os.fsdecode(tokens[i + 1]), None, parts[2].decode(),
                                  parts[3].decode(), gitlink))
            i += 2
    return changes


class BlobReader:
    """One ``git cat-file --batch`` process answering blob reads on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: subprocess.Popen[bytes] | None = None

    def _process(self) -> subprocess.Popen[bytes]:
        if self.proc is None:
            self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         env={**os.environ, **_ENV, "GIT_FLUSH": "1"})
        return self.proc

    def _answer(self) -> bytes | None:
        """Read git's answer to the oldest request not yet answered (of a blob over the
        size limit, only its first bytes, as :class:`Oversized`)."""
        stream = _reader(self.proc.stdout if self.proc is not None else None)
        header = stream.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return None
        size = int(header[2])
        if size > MAX_FILE_BYTES:
            head = Oversized(stream.read(_OVERSIZED_HEAD))
            left = size - len(head) + 1
            while left > 0:
                chunk = stream.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
            return head
        data = stream.read(size)
        stream.read(1)
        return data

    def read(self, sha: str) -> bytes | None:
        """One blob's bytes (``None`` when there is no such blob)."""
        if not sha or set(sha) == {"0"}:
            return None
        stdin = _writer(self._process().stdin)
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        return self._answer()

    def each(self, shas: list[str]) -> Iterator[tuple[str, bytes | None]]:
        """(blob id, bytes) of many blobs, in order, without waiting on each in turn.

        The requests are written by a thread while the answers are read here, so
        git never waits for this process, nor this process for git, between two
        blobs; each blob's bytes can be dropped once used.
        """
        import threading

        wanted = [sha for sha in dict.fromkeys(shas) if sha and set(sha) != {"0"}]
        if not wanted:
            return
        stdin = _writer(self._process().stdin)

        def ask() -> None:
            try:
                stdin.write("".join(sha + "\n" for sha in wanted).encode())
                stdin.flush()
            except OSError:
                pass

        writer = threading.Thread(target=ask, daemon=True)
        writer.start()
        done = 0
        try:
            for sha in wanted:
                answer = self._answer()
                done += 1
                yield sha, answer
        finally:
            for _ in range(done, len(wanted)):  # left early: keep the process in step
                self._answer()
            writer.join()

    def close(self) -> None:
        if self.proc is not None:
            _writer(self.proc.stdin).close()
            self.proc.wait()
            self.proc = None

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def config_value(root: Path, key: str) -> str | None:
    """A git configuration value, or ``None`` when it is not set (a refusal of git raises)."""
    proc = _run(["config", "--get", key], root)
    if proc.returncode not in (0, 1):  # 1: the key is not set
        raise GitError(reason(proc.stderr) or "git config failed")
    return proc.stdout.decode("utf-8", "replace").strip() or None
