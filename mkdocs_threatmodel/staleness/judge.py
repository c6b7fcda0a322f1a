"""Staleness from git history: does each model still describe what it covers?

A model's *review point* is the newest commit reachable from HEAD in which its
``reviewed`` value changed (or, when it never recorded one, the commit that
added it). After that point a model goes stale when a commit changes a path its
``covers`` globs match (TM501), when an ADR it cites changes (TM502), when an ADR
it cites is superseded (TM503), or when ``reviewed.date + review_every`` is past
(TM504). Everything comes from a constant number of git processes: one ``log``
of the history (only of the commits since the persisted snapshot of
:mod:`.history`, when there is one), one ``ls-tree`` and one ``cat-file``
that reads blobs on demand, whatever the number of models or commits.

A long history (:data:`LONG_HISTORY` commits or more) is not read whole: see
:meth:`Assessment._bounded`, which reads the Markdown files' history since the oldest
review, then the commits that are not behind every review point.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from bisect import bisect_right
from collections.abc import Callable, Iterable, KeysView, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings.finding import Finding, Severity
from ..format.dates import parse_date, parse_duration
from ..format.source import HEAD_BYTES, SourceFile, locate, looks_like_model, read_source
from ..workspace import cache, git
from ..workspace.discover import MARKDOWN_SUFFIXES, candidate_files
from ..workspace.files import Unreadable, read_file, read_start
from ..workspace.globs import GlobIndex, matches_inside
from ..workspace.repository import Repository, today
from .adr import superseded_by
from .commands import review_command
from .declarations import declared, facts_of, keep_facts, keep_reviews, kept_facts, kept_reviews
from .history import (
    Bounds,
    Doubt,
    check_changes,
    keep_merges,
    kept_merges,
    read_log,
    read_range,
    within,
)

# Review points are looked for in the history of Markdown files from this many days before
# the oldest recorded review date (in all of it when one is not found in that window).
REVIEW_WINDOW_SLACK_DAYS = 31
# From this many commits on, a history is not read whole: only what the verdicts need.
# Measured on pre-commit's 2,900 commits with 200 models, a first run takes 0.20 s that way
# against 0.24 s reading it whole (0.24 s either way when a model records no review); below
# a thousand commits the whole read is a few milliseconds, and kept whole it serves any run.
LONG_HISTORY = 1000
# The hint to write a commit-graph comes when one read of a long history held this many
# commits: below that git reads them in a fraction of a second anyway.
HINT_FROM = 2000
# Above this many commits, ancestry is found by one walk per review point, not by bitsets
# of every commit's ancestors (which grow with the square of the count).
BITSET_LIMIT = 20000
# Up to this many distinct review points, a bounded read finds ancestry by one walk per point
# (a few milliseconds each); above, by the bitsets (a 20,000-commit range with a thousand
# review points took 2.5 s of walks).
FEW_POINTS = 32
MARKDOWN_SPECS = [":(glob,icase)**/*.md", ":(glob,icase)**/*.markdown"]
EVIDENCE_SHOWN = 3  # commits named in a one-line message; the JSON report has them all


@dataclass
class StaleReason:
    """Why a model is stale (or unknown), with its evidence."""

    code: str
    message: str
    commits: list[git.Commit] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    command: str = ""
    where: tuple = ()  # the front matter key the finding points at
    introduced: bool = False  # its evidence includes commits of the range being judged


@dataclass
class ModelStaleness:
    """A model's judgement: ``current``, ``stale`` or ``unknown``, and why."""

    path: str
    state: str
    reasons: list[StaleReason] = field(default_factory=list)
    reviewed: dt.date | None = None
    reviewed_by: str | None = None
    due: dt.date | None = None
    review_point: git.Commit | None = None


@dataclass
class Info:
    """What staleness needs of a model as committed at HEAD."""

    path: str
    covers: list[str]
    adrs: list[str]  # repository-relative
    reviewed: dt.date | None
    reviewed_by: str | None
    review_every: int | None


def _file_start(path: Path) -> bytes:
    """The first bytes of a work tree file (enough to tell a model): none for a link, a
    special file or one that cannot be read (as validate, which does not read those)."""
    return read_start(path, HEAD_BYTES)


def reviewed_value(raw: bytes | None) -> Any:
    """The ``reviewed`` value of a model's bytes as ``validate`` reads it (for comparing
    versions), or ``None`` when they are no model it reads without a finding."""
    if not raw or isinstance(raw, git.Oversized) or not looks_like_model(raw):
        return None  # (a blob over the size limit is no model validate reads)
    return review_of_source(read_source("", raw))


def review_of_source(src: SourceFile) -> Any:
    """The ``reviewed`` value of a read model, or ``None`` when it was not read cleanly."""
    return src.data.get("reviewed") if src.ok and not src.findings else None


def _info(rel: str, data: dict[str, Any]) -> Info:
    """A model's :class:`Info` from its front matter (what :func:`.declarations.facts_of`
    keeps of it)."""
    reviewed = data.get("reviewed")
    if not isinstance(reviewed, dict):
        reviewed = {}
    covers, adrs = declared(data)
    by = reviewed.get("by")
    return Info(rel, list(covers), from_model(rel, adrs), parse_date(reviewed.get("date")),
                 by if isinstance(by, str) else None, parse_duration(data.get("review_every")))


def from_model(rel: str, adrs: Iterable[str]) -> list[str]:
    """ADR paths as written in the model at ``rel``, made repository-relative."""
    base = posixpath.dirname(rel)
    return [posixpath.normpath(posixpath.join(base, a)) for a in adrs]


def dependencies(infos: list[Info]) -> tuple[GlobIndex, dict[str, list[int]]]:
    """What each model depends on: its covered globs, and the ADR paths it cites."""
    covers = GlobIndex()
    adrs: dict[str, list[int]] = {}
    for n, info in enumerate(infos):
        for glob in info.covers:
            covers.add(glob, n)
        for adr in info.adrs:
            adrs.setdefault(adr, []).append(n)
    return covers, adrs


def inside_owners(globs: list[tuple[str, int]], folder: str) -> set[int]:
    """The owners of the globs that cover the submodule at ``folder``: its files are in
    another repository, so a glob that could match any of them counts."""
    return {owner for glob, owner in globs if matches_inside(glob, folder)}


class _History:
    """The commits reachable from HEAD, indexed by path, with an ancestry test.

    Commits are numbered in the log's order: 0 is the newest.
    """

    def __init__(self, log: git.Log) -> None:
        self.log = log
        self._last = len(log) - 1
        shas, count = log.shas, len(log)
        self.linear = all(
            len(parents) <= 1 and (not parents or (i + 1 < count and shas[i + 1] == parents[0]))
            for i, parents in enumerate(log.parents))
        self._index: dict[str, int] | None = None
        self._entries: dict[str, list[tuple[int, git.Change]]] = {}
        self._positions: dict[str, list[int]] = {}
        self._ancestors: list[int] | None = None
        self._walks: dict[int, set[int]] = {}
        self._commits: dict[int, git.Commit] = {}

    def __len__(self) -> int:
        return len(self.log)

    @property
    def index(self) -> dict[str, int]:
        """Commit id -> number."""
        if self._index is None:
            self._index = {sha: i for i, sha in enumerate(self.log.shas)}
        return self._index

    def commit(self, i: int) -> git.Commit:
        """Commit number ``i``, built once."""
        if i not in self._commits:
            self._commits[i] = self.log.commit(i)
        return self._commits[i]

    def paths(self) -> KeysView[str]:
        """Every path a commit changed (renames under both names)."""
        return self.log.paths.keys()

    def numbers(self, path: str) -> list[int]:
        """The numbers of the commits that changed ``path``, newest first."""
        if path not in self._positions:
            if self.log.unchecked:
                check_changes(self.log, path)
            last = self._last
            self._positions[path] = [last - age for age, _ in self.log.paths.get(path, ())]
        return self._positions[path]

    def entries(self, path: str) -> list[tuple[int, git.Change]]:
        """(commit number, change) for each change of ``path``, newest first."""
        if path not in self._entries:
            make = git.Change
            self._entries[path] = [(i, make(*change)) for i, (_, change) in
                                   zip(self.numbers(path), self.log.paths.get(path, ()),
                                       strict=True)]
        return self._entries[path]

    def ancestry(self, newer: int, few: bool = False) -> Callable[[int], bool]:
        """A fast test ``f(i)``: is commit ``i`` ``newer`` or one of its ancestors?

        ``few`` says only a few commits will be asked about: their ancestors are
        walked one by one instead of building every commit's ancestor set.
        """
        if self.linear:
            return lambda older: older >= newer
        if (few or len(self) > BITSET_LIMIT) and self._ancestors is None:
            if newer not in self._walks:
                self._walks[newer] = self.log.reachable(newer, self.index)
            return self._walks[newer].__contains__
        raw = self._bitsets()[newer].to_bytes((len(self) + 8) // 8, "little")
        return lambda older: older >= newer and bool(raw[older >> 3] >> (older & 7) & 1)

    def is_ancestor(self, older: int, newer: int) -> bool:
        """Whether commit ``older`` is ``newer`` or one of its ancestors (by number)."""
        if self.linear:
            return older >= newer
        return bool((self._bitsets()[newer] >> older) & 1)

    def _bitsets(self) -> list[int]:
        """Each commit's ancestors and itself, as a bitset of their numbers (built once)."""
        if self._ancestors is None:
            bits = [0] * len(self)
            index = self.index
            for i in range(len(self) - 1, -1, -1):
                mask = 1 << i
                for parent in self.log.parents[i]:
                    j = index.get(parent)
                    if j is not None:
                        mask |= bits[j]
                bits[i] = mask
            self._ancestors = bits
        return self._ancestors

    def entries_after(self, path: str, cursor: int) -> list[tuple[int, git.Change]]:
        """Changes of ``path`` in commits older than number ``cursor``."""
        return self.entries(path)[bisect_right(self.numbers(path), cursor):]


class _Pending:
    """A history being read in a thread while the models are read."""

    def __init__(self, read: Callable[[], git.Log | None]) -> None:
        import threading

        self._result: list[git.Log | None | git.GitError] = []
        self._thread = threading.Thread(target=self._run, args=(read,), daemon=True)
        self._thread.start()

    def _run(self, read: Callable[[], git.Log | None]) -> None:
        try:
            self._result.append(read())
        except git.GitError as exc:
            self._result.append(exc)

    def log(self) -> git.Log | None:
        self._thread.join()
        if not self._result:
            raise git.GitError("git log failed")
        result = self._result[0]
        if isinstance(result, git.GitError):
            raise result
        return result


_Points = dict[str, tuple[int, str]]  # model path -> (commit number, how it was found)


def _earliest(history: _History, shas: set[str]) -> list[str]:
    """``shas`` without those that descend from another of them, as far as ``history``
    shows: the commits that all of them descend from stay the same. One pass from the
    oldest commit up (a walk per commit was a second per thousand review points)."""
    index = history.index
    numbers = {index[sha] for sha in shas}
    below = bytearray(len(history))  # 1: one of ``numbers`` is a proper ancestor
    parents = history.log.parents
    for i in range(len(history) - 1, -1, -1):  # parents before children
        for parent in parents[i]:
            j = index.get(parent)
            if j is not None and (below[j] or j in numbers):
                below[i] = 1
                break
    return [history.log.shas[n] for n in sorted(numbers) if not below[n]]


class Assessment:
    """Judges every model of a repository at HEAD."""

    def __init__(self, repo: Repository, on: dt.date | None = None,
                 use_cache: bool = True, rev: str = "HEAD", since: str | None = None,
                 only: set[str] | None = None) -> None:
        """Judge at ``rev``; with ``since``, mark reasons that commits of since..rev bring.

        ``only`` judges just those models, reading only the history of the paths
        they cover, cite or live in (the pre-commit hook's fast path).
        """
        self.rev = rev
        self.only = only
        self.since = since
        self.new_commits: set[int] | None = None
        self.repo = repo
        self.root = repo.root
        self.today = on or today()
        self.use_cache = use_cache
        self.results: dict[str, ModelStaleness] = {}
        self._blob_of: dict[str, str] = {}  # model path -> its blob id at rev
        self.shallow = False
        self.long_history = False  # whether only the part the verdicts need was read
        self._adr_status: dict[str, str | None] = {}
        self._reviewed: dict[str, Any] = {}
        self._targets: dict[str, Any] = {}  # model path -> its reviewed value at rev
        self._deletions: list[tuple[int, str, str]] | None = None  # (commit, path, blob)
        self._unparsed: dict[str, bytes | None] = {}  # blobs read ahead, not yet parsed
        self._folder: Path | None = None
        self._parsed = 0  # earlier versions parsed in this run (then kept by blob id)
        self._used: set[str] = set()  # blobs whose review this run asked for
        self._model_files: set[str] = set()  # the models' paths, then and now
        self._few = False  # few review points: ancestry by walks
        self._state: git.State | None = None
        self._newest: list[int] = []  # commit times of the newest commits (see _window_size)
        self._read = 0  # the most commits one read of a long history held
        self._facts: dict[str, Any] | None = None  # blob id -> facts, as kept and read

    # -- reading ----------------------------------------------------------------------
    def wants_commit_graph(self) -> bool:
        """Whether this run read a long history (:data:`HINT_FROM` commits or more in one
        read) in a repository without a commit-graph."""
        return (self.long_history and self._read >= HINT_FROM and self._state is not None
                and git.has_commit_graph(self._state) is False)

    def run(self) -> dict[str, ModelStaleness]:
        if not self.repo.in_git:
            raise git.GitError(f"{self.root} is not in a git repository: staleness comes "
                               "from git history")
        folder = self._folder = cache.cache_dir() if self.use_cache else None
        state = self._state = git.state(self.root)
        self.shallow = state.shallow
        if state.head is None:
            for rel in self._uncommitted({}):
                self._not_committed(rel)
            return self.results
        head = state.head if self.rev == "HEAD" else self.rev
        # The judged models only, when there are few; their ADRs are looked up once read.
        tree = git.tree(self.root, self.rev, sorted(self.only) if self.only is not None else None)
        pending = self._start_history(state, folder, head)
        with git.BlobReader(self.root) as blobs:
            infos = self._read_models(tree, blobs, folder)
            for rel in self._uncommitted(tree):
                self._not_committed(rel)
            if self.only is not None:
                cited = sorted({adr for info in infos for adr in info.adrs})
                tree.update(git.tree(self.root, self.rev, cited))
            for sha, value in kept_reviews(self.root, folder).items():
                self._reviewed.setdefault(sha, value)
            history, points = self._history(pending, infos, blobs, state, folder, head)
            try:
                self._judge_all(infos, history, tree, blobs, state.boundary, points)
            except Doubt:  # a snapshot held something else than a history: read it afresh
                history = _History(read_log(self.root, head, state, folder, fresh=True))
                self._judge_all(infos, history, tree, blobs, state.boundary, None)
        if self._parsed:
            keep_reviews(self.root, folder, {sha: self._reviewed[sha] for sha in self._used
                                             if sha in self._reviewed})
        return self.results

    def _judge_all(self, infos: list[Info], history: _History, tree: dict[str, str],
                   blobs: git.BlobReader, boundary: set[str],
                   points: _Points | None) -> None:
        self._deletions = None
        if self.since is not None:
            self.new_commits = self._new_commits(history, self.since)
        self._judge(infos, history, tree, blobs, boundary, points)

    def _start_history(self, state: git.State, folder: Path | None, head: str) -> _Pending:
        """Start reading the history in the background: the whole of it (from the persisted
        snapshot when caching) when there is a snapshot or the history is short; else
        nothing, and :meth:`_bounded` reads what the verdicts need once the models are read.
        ``head``: the commit judged.
        """

        def short() -> int | None:
            self._newest = git.newest_times(self.root, head, LONG_HISTORY)
            return len(self._newest) if len(self._newest) < LONG_HISTORY else None

        return _Pending(lambda: read_log(self.root, head, state, folder, read_whole=short))

    def _read_models(self, tree: dict[str, str], blobs: git.BlobReader,
                     folder: Path | None, judged: bool = True) -> list[Info]:
        """The judged models of ``tree`` (``judged`` false: the others), by path: what each
        blob declares is kept between runs (:func:`.declarations.kept_facts`), so only blobs
        not seen before are read."""
        infos = []
        wanted: dict[str, list[str]] = {}  # blob id -> paths
        for rel, sha in tree.items():
            if (rel.lower().endswith(MARKDOWN_SUFFIXES) and not self.repo.config.excluded(rel)
                    and (self.only is None or (rel in self.only) == judged)):
                wanted.setdefault(sha, []).append(rel)
        if self._facts is None:
            self._facts = kept_facts(self.root, folder) if folder is not None else {}
        known = self._facts
        missing = [sha for sha in wanted if sha not in known]
        for sha, raw in blobs.each(missing):
            known[sha] = facts_of(raw or b"")
        if missing and folder is not None:
            keep_facts(self.root, folder, known, set(wanted))
        for sha, paths in wanted.items():
            facts = known.get(sha)
            if facts is None:
                continue
            self._reviewed[sha], data = facts
            self._used.add(sha)
            for rel in paths:
                self._targets[rel] = facts[0]
                self._blob_of[rel] = sha
                infos.append(_info(rel, data))
        infos.sort(key=lambda info: info.path)
        return infos

    def _history(self, pending: _Pending, infos: list[Info], blobs: git.BlobReader,
                 state: git.State, folder: Path | None, head: str
                 ) -> tuple[_History, _Points | None]:
        """The history started by :meth:`_start_history`; else only the part the verdicts
        need (with the review points found on the way), or, when that cannot be bounded,
        the whole of it."""
        log = pending.log()
        if log is not None:
            return _History(log), None
        self.long_history = True
        bounded = self._bounded(infos, blobs, state, head)
        if bounded is not None:
            return bounded
        self._deletions = None
        whole = _History(read_log(self.root, head, state, folder))
        self._read = len(whole)
        return whole, None

    def _bounded(self, infos: list[Info], blobs: git.BlobReader, state: git.State, head: str
                 ) -> tuple[_History, _Points] | None:
        """Read only the history the verdicts need, or ``None`` when that is not known.

        When every model records a review date, one log of every change from a month before
        the oldest of them: the review points are found in its Markdown changes (a merge's
        as git's combined diff has them), and the range below is taken from it. Else the
        review points come from the history of Markdown files alone (the models, their
        moves and deletions), from that date on or in all of it. Then every change of the
        commits that are not ancestors of all review points: ``HEAD ^<parents of their
        common bases>``; the changes of any other commit are behind every review point. A
        merge's branch commits are in that range whatever their dates, as they should be.
        """
        if not infos:
            return _History(git.Log()), {}
        # A judgement of a few models (the hook's) bounds its reads as a whole run does: by
        # every model that records a review. Then runs of any models, and whole runs, keep
        # and find the same reads (bounded by the judged models alone, a hook run whose
        # models differ from the last run's read git again).
        others = [] if self.only is None else [
            info for info in self._read_models(git.tree(self.root, self.rev), blobs,
                                               self._folder, judged=False)
            if info.reviewed is not None and self._targets.get(info.path) is not None]
        try:
            return self._bounded_read(infos, others, blobs, state, head, fresh=False)
        except Doubt:  # a kept read held something else than a history: read it afresh
            return self._bounded_read(infos, others, blobs, state, head, fresh=True)

    def _bounded_read(self, infos: list[Info], others: list[Info], blobs: git.BlobReader,
                      state: git.State, head: str, fresh: bool
                      ) -> tuple[_History, _Points] | None:
        """:meth:`_bounded`: ``infos`` are judged; ``others`` (models that record a review)
        only widen the bounds, each as far as its review point is found."""
        model_files = {info.path for info in infos}
        dates = [info.reviewed for info in infos
                 if self._targets.get(info.path) is not None and info.reviewed is not None]
        wide = None
        found = None
        if len(dates) == len(infos):
            dates += [info.reviewed for info in others if info.reviewed is not None]
            after = (min(dates) - dt.timedelta(days=REVIEW_WINDOW_SLACK_DAYS)).isoformat()
            read: list[git.Log] = []
            window = Bounds(after=after, first_parent=True)

            def combined() -> git.Log:
                read.append(window.read(self.root, head, total=self._window_size(after)))
                return self._combined(read[0])

            def newer(since: str) -> git.Log:  # the commits since a kept read: the same
                return self._combined(window.read(self.root, head, since))  # window

            # What is kept of that log is its Markdown changes: the range is kept apart.
            markdown = _History(read_range(self.root, head, state, self._folder, Bounds(
                pathspecs=tuple(MARKDOWN_SPECS), after=after, first_parent=True), fresh,
                combined, newer))
            wide = read[0] if read else None
            found = self._points(infos, markdown, blobs, model_files)
        if found is None:  # a review before the window, or none recorded: all of it
            wide = None
            markdown = _History(read_range(self.root, head, state, self._folder, Bounds(
                pathspecs=tuple(MARKDOWN_SPECS), simplify=True), fresh))
            found = self._points(infos, markdown, blobs, model_files)
            if found is None:
                return None  # a review the history does not hold: judged from all of it
        shas = {path: markdown.log.shas[index] for path, (index, _) in found.items()}
        if set(shas.values()) & state.boundary:
            return None  # at a shallow clone's boundary: judged from all of it
        widen = set(self._other_points(others, markdown, blobs)) - state.boundary
        bases = git.common_bases(self.root, _earliest(markdown, set(shas.values()) | widen))
        if not bases:
            return None
        exclude = git.parents_of(self.root, bases)
        build = None if wide is None else (lambda: within(self.root, head, exclude, wide))
        history = _History(read_range(self.root, head, state, self._folder,
                                      Bounds(exclude=tuple(exclude), first_parent=True),
                                      fresh, build))
        points: _Points = {}
        for path, sha in shas.items():
            index = history.index.get(sha)
            if index is None:
                return None
            points[path] = (index, found[path][1])
        self._deletions = None
        self._model_files = model_files
        self._few = len({index for index, _ in points.values()}) <= FEW_POINTS
        self._read = max(len(markdown), len(history), len(wide) if wide is not None else 0)
        return history, points

    def _other_points(self, others: list[Info], markdown: _History,
                      blobs: git.BlobReader) -> list[str]:
        """The review points (commit ids) of ``others`` that ``markdown`` holds."""
        if not others:
            return []
        self._deletions = None
        self._prefetch(others, markdown, blobs)
        scratch = {info.path for info in others}  # their moves: not the judged models' files
        found = [self._review_point(info.path, markdown, blobs, scratch)[0] for info in others]
        return [markdown.log.shas[index] for index in found if index is not None]

    def _window_size(self, after: str) -> int | None:
        """About how many commits the history holds from the date ``after`` on (from the
        newest commits' times read to tell a long history), or ``None`` when it holds
        more than those."""
        start = dt.datetime.combine(dt.date.fromisoformat(after), dt.time(),
                                    dt.timezone.utc).timestamp()
        if not self._newest or self._newest[-1] >= start:
            return None
        return sum(1 for when in self._newest if when >= start)

    def _points(self, infos: list[Info], markdown: _History, blobs: git.BlobReader,
                model_files: set[str]) -> dict[str, tuple[int, str]] | None:
        """Each model's review point in ``markdown``, or ``None`` when one is not there."""
        self._deletions = None
        self._prefetch(infos, markdown, blobs)
        found = {info.path: self._review_point(info.path, markdown, blobs, model_files)
                 for info in infos}
        points: _Points = {}
        for path, (index, how) in found.items():
            if index is None:
                return None
            points[path] = (index, how)
        return points

    def _combined(self, log: git.Log) -> git.Log:
        """The Markdown changes of ``log`` (a log of every change, merges against their
        first parent), a merge's as git's combined diff has them, as the review points are
        found in: only what differs from every parent, with a blob id per parent (asked of
        git: one ``cat-file``)."""
        last = len(log) - 1
        todo: list[tuple[str, int, int, tuple]] = []  # (path, position, commit, change)
        paths = {}
        for path, entries in log.paths.items():
            if not path.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            paths[path] = list(entries)
            for k, (age, change) in enumerate(entries):
                if len(log.parents[last - age]) > 1:
                    todo.append((path, k, last - age, change))
        pairs = [(parent, path) for path, _, i, _ in todo for parent in log.parents[i]]
        found = iter(git.blobs_at(self.root, pairs) if pairs else ())
        dropped: dict[str, set[int]] = {}
        for path, k, i, change in todo:
            zero = "0" * len(log.shas[i])
            asked = [next(found) for _ in log.parents[i]]
            if None in asked:  # cannot be asked: kept as it is
                continue
            olds = [blob or zero for blob in asked]
            new = change[4] if change[1] == path and change[0] != "D" else zero
            entries = paths[path]
            if new in olds:  # as one parent has it: not in a combined diff
                dropped.setdefault(path, set()).add(k)
                continue
            status = "A" if set(olds) == {zero} else "D" if new == zero else "M"
            entries[k] = (entries[k][0], (status, path, None, ",".join(olds), new))
        for path, gone in dropped.items():
            kept = [entry for k, entry in enumerate(paths[path]) if k not in gone]
            if kept:
                paths[path] = kept
            else:
                del paths[path]
        return git.Log(log.shas, log.dates, log.authors, log.subjects, log.parents, paths,
                       set(), first_parent=log.first_parent)

    def _new_commits(self, history: _History, since: str) -> set[int]:
        """The commits of since..rev, by number (of a bounded history, a commit it does not
        hold is an ancestor of every one it holds, so all are new)."""
        base = git.resolve(self.root, since)
        start = history.index.get(base) if base else None
        if start is None:
            return set(range(len(history)))
        return set(range(len(history))) - history.log.reachable(start, history.index)

    def _uncommitted(self, tree: dict[str, str]) -> list[str]:
        """Model files of the work tree that HEAD does not have (only those are read)."""
        if self.rev != "HEAD" or self.only is not None:
            return []
        config = self.repo.config
        markdown = git.list_files(self.root, MARKDOWN_SPECS)  # a large tree: not all of it
        return [rel for rel in candidate_files(self.root, True, markdown)
                if rel not in tree and not config.excluded(rel)
                and looks_like_model(_file_start(self.root / rel))]

    def _not_committed(self, rel: str) -> None:
        self.results[rel] = ModelStaleness(rel, "current", [StaleReason(
            "TM506", "model is not committed yet: staleness is measured once it is",
            command=f"git add -- {rel}")])

    # -- judging ----------------------------------------------------------------------
    def _prefetch(self, infos: list[Info], history: _History, blobs: git.BlobReader) -> None:
        """The models' newest earlier versions, read in one go: the review point is most
        often among them (older ones are read one by one when it is not). Each is parsed
        only when the walk asks for its review."""
        recent = [blob for info in infos for _, change in history.entries(info.path)[:1]
                  for blob in (*change.old_blobs, change.new_blob)]
        self._unparsed.update(blobs.each([b for b in recent if b not in self._reviewed]))

    def _judge(self, infos: list[Info], history: _History, tree: dict[str, str],
               blobs: git.BlobReader, boundary: set[str], points: _Points | None) -> None:
        judged: Mapping[str, tuple[int | None, str]]  # a point not found: (None, "lost")
        if points is not None:
            model_files = self._model_files
            judged = points
        else:
            model_files = {info.path for info in infos}
            self._prefetch(infos, history, blobs)
            judged = {info.path: self._review_point(info.path, history, blobs, model_files)
                      for info in infos}
        covers, adrs = dependencies(infos)
        covered: list[list[tuple[int, str]]] = [[] for _ in infos]
        cited: list[list[tuple[int, str]]] = [[] for _ in infos]
        globs = [(glob, n) for n, info in enumerate(infos) for glob in info.covers]
        depended = []
        for path in history.paths():
            if path in model_files:
                continue
            owners, citing = covers.owners(path), adrs.get(path, ())
            if path in history.log.gitlinks:
                owners = owners | inside_owners(globs, path)
            if owners or citing:
                depended.append((path, owners, citing))
        few = self.only is not None or self._few
        tests: dict[int, Any] = {}

        def behind_all(i: int, models: set[int]) -> bool:
            """Whether commit ``i`` is behind the review point of each of ``models``."""
            for n in models:
                index = judged[infos[n].path][0]
                if index is None:
                    return False
                if index not in tests:
                    tests[index] = history.ancestry(index, few=few)
                if not tests[index](i):
                    return False
            return True

        brought = self._brought_by_merges(
            history, [(path, {*owners, *citing}) for path, owners, citing in depended],
            behind_all)
        for path, owners, citing in depended:
            hits = [(i, path) for i in history.numbers(path) if (i, path) not in brought]
            for n in owners:
                covered[n] += hits
            for n in citing:
                cited[n] += hits
        for n, info in enumerate(infos):
            self.results[info.path] = self._one(info, judged[info.path], covered[n], cited[n],
                                                history, tree, blobs, boundary)

    def _brought_by_merges(self, history: _History, paths: list[tuple[str, set[int]]],
                           behind_all: Callable[[int, set[int]], bool]
                           ) -> set[tuple[int, str]]:
        """(merge, path) changes of a first-parent history that a merge only brought from
        its branch (whose own commits are counted): not the merge's own change. ``paths``
        holds each path with the models that depend on it; a merge behind the review point
        of each of them is not asked about (none of its changes counts)."""
        if not history.log.first_parent:
            return set()
        known = kept_merges(self._folder, self._state) if self._state is not None else {}
        asked, keys, brought = [], [], set()
        zero = {"0"}
        for path, models in paths:
            for i, change in history.entries(path):
                parents = history.log.parents[i]
                if len(parents) < 2:
                    continue
                key = f"{history.log.shas[i]}:{path}"
                if key in known:
                    if not known[key]:
                        brought.add((i, path))
                    continue
                if behind_all(i, models):
                    continue
                blob = change.new_blob if change.path == path and change.status != "D" \
                    and set(change.new_blob) != zero else ""
                asked.append((path, blob, list(parents[1:])))
                keys.append((i, path))
        if not asked:
            return brought
        made = git.merge_made(self.root, asked)
        for n, (i, path) in enumerate(keys):
            known[f"{history.log.shas[i]}:{path}"] = n in made
            if n not in made:
                brought.add((i, path))
        if self._state is not None:
            keep_merges(self._folder, self._state, known)
        return brought

    def _review_point(self, path: str, history: _History, blobs: git.BlobReader,
                      model_files: set[str]) -> tuple[int | None, str]:
        """(list index of the review point, how it was found: reviewed, added or lost).

        The review point is the newest commit that gave the model the ``reviewed`` value
        it has now, whatever path it had then: versions with another value are other lines
        of history; where the model appears (added, restored, moved as a deletion and an
        addition) the walk goes on from the deleted file that had that value, if any. A
        model with no review now (or none validate reads) is judged from its addition.
        """
        target = self._targets.get(path)
        name, cursor = path, -1
        while True:
            entry = next(((i, ch) for i, ch in history.entries_after(name, cursor)
                          if ch.path == name and ch.status != "D"
                          and (target is None or self._review_of(ch.new_blob, blobs) == target)),
                         None)
            if entry is None:
                return None, "lost"
            cursor, change = entry
            if change.status == "A":
                moved = self._deleted_with(target, cursor, history, blobs) \
                    if target is not None else None
                if moved is None:
                    return cursor, "added"
                cursor, name = moved
                model_files.add(name)
                continue
            if target is not None and all(self._review_of(old, blobs) != target
                                          for old in change.old_blobs):
                return cursor, "reviewed"
            if change.status in ("R", "C") and change.old_path:
                name = change.old_path
                model_files.add(name)

    def _deleted_with(self, target: Any, at: int, history: _History,
                      blobs: git.BlobReader) -> tuple[int, str] | None:
        """The newest deletion, in commit ``at`` or an ancestor, of a model file whose
        ``reviewed`` value was ``target``: (commit number, path), or ``None``."""
        if self._deletions is None:  # read from the log's tuples: no Change is built
            last, deletions = len(history) - 1, []
            try:
                for path, entries in history.log.paths.items():
                    if path.lower().endswith(MARKDOWN_SUFFIXES):
                        deletions += [(last - age, path, change[3]) for age, change in entries
                                      if change[0] == "D" and change[1] == path]
            except (TypeError, IndexError, AttributeError, ValueError) as exc:
                raise Doubt(str(exc)) from exc  # a snapshot's changes are checked late
            self._deletions = sorted(deletions)
        found = [(i, path) for i, path, old in self._deletions
                 if i >= at and self._review_of(old, blobs) == target]
        if not found:
            return None
        behind = history.ancestry(at, few=True)
        return next((hit for hit in found if behind(hit[0])), None)

    def _review_of(self, sha: str, blobs: git.BlobReader) -> Any:
        """The ``reviewed`` value of a model blob (each blob read once per run)."""
        if not sha or set(sha) == {"0"}:
            return None
        self._used.add(sha)
        if sha not in self._reviewed:
            raw = self._unparsed.pop(sha) if sha in self._unparsed else blobs.read(sha)
            self._reviewed[sha] = reviewed_value(raw)
            self._parsed += 1
        return self._reviewed[sha]

    def _one(self, info: Info, point: tuple[int | None, str],
             covered: list[tuple[int, str]], cited: list[tuple[int, str]],
             history: _History, tree: dict[str, str], blobs: git.BlobReader,
             boundary: set[str]) -> ModelStaleness:
        result = ModelStaleness(info.path, "current", reviewed=info.reviewed,
                                reviewed_by=info.reviewed_by)
        command = review_command(info.path)
        if info.reviewed and info.review_every:
            result.due = info.reviewed + dt.timedelta(days=info.review_every)
            if result.due < self.today:
                result.reasons.append(StaleReason(
                    "TM504", f"review overdue: last reviewed {info.reviewed.isoformat()}, due "
                    f"every {info.review_every} days, so by {result.due.isoformat()}; "
                    f"record a review: {command}", command=command,
                    where=("reviewed", "date")))
        for n, adr in enumerate(info.adrs):
            by = self._superseded(tree.get(adr), blobs)
            if by:
                result.reasons.append(StaleReason(
                    "TM503", f"ADR '{adr}' is superseded by {by}; cite it and record a "
                    f"review: {command}", paths=[adr], command=command, where=("adrs", n)))
        index, how = point
        if index is not None:
            result.review_point = history.commit(index)
        lost = index is None or (how == "added" and history.log.shas[index] in boundary)
        if lost:
            fetch = ("git fetch --unshallow" if self.shallow else "git fetch")
            result.reasons.append(StaleReason(
                "TM505", "the git history stops before this model's last review "
                f"(shallow clone), so changes since then are unknown; fetch more history: "
                f"{fetch} (or git fetch --deepen=N)", command=fetch, where=("reviewed",)))
        elif index is not None:  # (so when not lost)
            for code, hits, what, where in (("TM501", covered, "covered paths", ("covers",)),
                                            ("TM502", cited, "cited ADRs", ("adrs",))):
                reason = self._changed(code, hits, what, where, index, history, command)
                if reason is not None:
                    result.reasons.append(reason)
        codes = {r.code for r in result.reasons}
        severity = self.repo.config.severity
        if any(severity(c) is not None for c in codes - {"TM505", "TM506"}):
            result.state = "stale"
        elif "TM505" in codes:
            result.state = "unknown"
        return result

    def _superseded(self, sha: str | None, blobs: git.BlobReader) -> str | None:
        """What supersedes the ADR blob ``sha`` (each ADR read once per run)."""
        if sha is None:
            return None
        if sha not in self._adr_status:
            text = blobs.read(sha)
            self._adr_status[sha] = superseded_by(text.decode("utf-8", "replace")) if text \
                else None
        return self._adr_status[sha]

    def _changed(self, code: str, hits: list[tuple[int, str]], what: str, where: tuple,
                 point: int, history: _History, command: str) -> StaleReason | None:
        # A commit numbered before the review point is newer in the order, so never behind
        # it; each older one is asked once (most hits of a long history are behind it).
        counted = {i for i, _ in hits}
        older = {i for i in counted if i >= point}
        if older:
            behind_review = history.ancestry(point, few=self.only is not None or self._few)
            counted -= {i for i in older if behind_review(i)}
        if not counted:
            return None
        found: dict[int, set[str]] = {}  # a set: a commit may touch thousands of paths
        for i, path in hits:
            if i in counted:
                found.setdefault(i, set()).add(path)
        order = sorted(found)
        commits = [history.commit(i) for i in order]
        by_commit = {i: sorted(found[i]) for i in order}
        paths = sorted({p for i in order for p in by_commit[i]})
        review = history.commit(point)
        shown = "; ".join(
            f"{c.short} {c.date} {c.author}: {c.subject} ({', '.join(by_commit[i][:3])}"
            f"{', ...' if len(by_commit[i]) > 3 else ''})"
            for c, i in zip(commits[:EVIDENCE_SHOWN], order, strict=False))
        n = len(commits)
        more = f"; and {n - EVIDENCE_SHOWN} more" if n > EVIDENCE_SHOWN else ""
        introduced = self.new_commits is not None and bool(self.new_commits & set(order))
        return StaleReason(
            code, f"{n} commit{'s' if n != 1 else ''} changed {what} ({len(paths)} "
            f"path{'s' if len(paths) != 1 else ''}) since the last review in {review.short} "
            f"({review.date}): {shown}{more}; record a review: {command}",
            commits=commits, paths=paths, command=command, where=where, introduced=introduced)

    # -- findings ---------------------------------------------------------------------
    def findings(self, existing: Severity | None = None) -> list[Finding]:
        """Every reason of every model as a finding, with configured severities.

        ``existing``, when given, caps the severity of reasons that were there
        before the change being judged (a range, or a staged commit).
        """
        out = []
        for rel, result in sorted(self.results.items()):
            raw = self._raw(rel) if result.reasons else b""  # (read for line numbers only)
            for reason in result.reasons:
                severity = self.repo.config.severity(reason.code)
                if severity is None:
                    continue
                if (existing is not None and not reason.introduced
                        and severity.rank > existing.rank):
                    severity = existing
                at = locate(raw, reason.where, key=reason.where in (("covers",), ("reviewed",)))
                finding = Finding(rel, at, reason.code, reason.message, severity=severity)
                out.append(finding)
        return out

    def _raw(self, rel: str) -> bytes:
        """The model as the user sees it (work tree, else as committed), for line numbers."""
        try:
            return read_file(self.root / rel, follow=False)
        except Unreadable:
            sha = self._blob_of.get(rel)
            return git.read_blobs(self.root, [sha]).get(sha, b"") if sha else b""
