"""A persisted copy of the history, so that a run reads only the commits that are new.

Reading 20,000 commits with their changed paths costs git about a second; the
pre-commit hook cannot pay that on every commit. After a run reads a history,
it is kept under the cache folder (see :mod:`.cache`), in ``history/<repository>/``,
as one snapshot per branch named by the commit it was read at. The next run
starts from the snapshot of its branch (or else the newest one) and asks git
only for the commits since:
``git log <snapshot>..<commit>``, a handful of milliseconds for a few commits. The
snapshot is written again only once a few hundred commits came after it.

When the snapshot's commit is not an ancestor of the one judged (a rebase, a
reset, a switch to another branch), only the part both share is kept: the
ancestors of their merge base, with ``git log <merge base>..<commit>`` for the
rest. A snapshot read with another shallow boundary (a fetch deepened the
clone) is not used, so no commit is ever left out. A snapshot is sealed (see
:func:`..workspace.cache.seal`): one whose bytes changed, or that holds anything but the
plain data a history is made of, is read afresh from git.
"""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import NamedTuple, overload

from ..workspace import git
from ..workspace.cache import blake2b, read_keyed, read_sealed, write_sealed

FORMAT = 3  # 3: merges' own changes, submodule paths
SNAPSHOTS_KEPT = 4  # per repository: the branches worked on most recently
# A snapshot is written again once this many commits came after it: below that, asking
# git for them costs less than writing the whole history out again.
RESAVE_AFTER = 200
_SNAPSHOT_NAME = re.compile(r"(?P<branch>[0-9a-f]{16})-(?P<head>[0-9a-f]{40,64})\.log")


class Doubt(Exception):
    """A snapshot's changes turned out not to be what a history holds: read it afresh."""


@overload
def read_log(root: Path, head: str, state: git.State, folder: Path | None,
             fresh: bool = False, read_whole: None = None) -> git.Log: ...
@overload
def read_log(root: Path, head: str, state: git.State, folder: Path | None,
             fresh: bool = False, *, read_whole: Callable[[], int | None]
             ) -> git.Log | None: ...
def read_log(root: Path, head: str, state: git.State, folder: Path | None,
             fresh: bool = False, read_whole: Callable[[], int | None] | None = None
             ) -> git.Log | None:
    """Every commit reachable from ``head`` with its changes: from a snapshot when possible
    (``fresh``: never, and the snapshot is written again).

    Without a snapshot, ``read_whole`` (when given) decides whether git is asked for the
    whole history: it answers the number of commits to read (``None``: not read, and the
    answer is ``None``).
    """
    place = _place(folder, state)
    log = None
    branch = _branch_key(state.branch)
    boundary = tuple(sorted(state.boundary))
    if place is not None and not fresh:
        log = _from_snapshot(root, head, place, branch, boundary)
    if log is None:
        total = read_whole() if read_whole is not None else None
        if read_whole is not None and total is None:
            return None
        log = git.History(root, head, total=total).log()
        if place is None:
            return log
        _save(place, branch, head, boundary, log)
    return log


def _from_snapshot(root: Path, head: str, place: Path, branch: str,
                   boundary: tuple[str, ...]) -> git.Log | None:
    """The history from the best snapshot (this branch's, else the newest) and git."""
    candidates = _candidates(place, branch)
    if not candidates:
        return None
    path, snap_head = candidates[0]
    base = snap_head if snap_head == head else git.merge_base(root, snap_head, head)
    if not base:
        return None
    older = _load(path, snap_head, boundary)
    if older is None:
        return None
    if base != snap_head:  # rebased, reset or another branch: keep what both share
        try:
            older = ancestors(older, base)
        except (KeyError, TypeError, IndexError):  # changes of a snapshot are checked late
            return None
        if older is None:
            return None
    newer = git.History(root, head, since=base).log() if base != head else git.Log()
    log = newer.then(older)
    if base != snap_head or len(newer) >= RESAVE_AFTER:
        _save(place, branch, head, boundary, log)
    else:
        _touch(path)
    return log


def ancestors(log: git.Log, sha: str) -> git.Log | None:
    """The part of ``log`` that is ``sha`` and its ancestors (``None`` if ``sha`` is not in it)."""
    index = {commit: i for i, commit in enumerate(log.shas)}
    start = index.get(sha)
    if start is None:
        return None
    order = sorted(log.reachable(start, index))  # a part of a topological order is one
    last, count = len(log) - 1, len(order)
    ages = {last - old: count - 1 - new for new, old in enumerate(order)}
    paths = {}
    for path, entries in log.paths.items():
        kept = [(ages[age], change) for age, change in entries if age in ages]
        if kept:
            paths[path] = kept
    return git.Log([log.shas[i] for i in order], [log.dates[i] for i in order],
                   [log.authors[i] for i in order], [log.subjects[i] for i in order],
                   [log.parents[i] for i in order], paths, set(log.gitlinks), log.unchecked)


def _place(folder: Path | None, state: git.State) -> Path | None:
    """This repository's snapshot folder, or ``None`` when caching is off."""
    if folder is None or state.common_dir is None:
        return None
    name = os.fsencode(os.path.realpath(state.common_dir))
    return folder / "history" / blake2b(name, digest_size=12).hexdigest()


def _branch_key(branch: str | None) -> str:
    return blake2b((branch or "(detached)").encode("utf-8", "surrogateescape"),
                   digest_size=8).hexdigest()


def _candidates(place: Path, branch: str) -> list[tuple[Path, str]]:
    """Snapshots of the repository: this branch's first, then the newest first."""
    found = []
    try:
        entries = list(os.scandir(place))
    except OSError:
        return []
    for entry in entries:
        match = _SNAPSHOT_NAME.fullmatch(entry.name)
        if match:
            try:
                mtime = entry.stat().st_mtime
            except OSError:
                continue
            found.append((match["branch"] != branch, -mtime, Path(entry.path), match["head"]))
    found.sort()
    return [(path, head) for _, _, path, head in found[:SNAPSHOTS_KEPT]]


def _load(path: Path, head: str, boundary: tuple[str, ...]) -> git.Log | None:
    """A snapshot's commits, or ``None`` when it is unreadable, changed or was read
    differently. Its columns are checked here; the changes of a path when they are first
    used (:func:`check_changes`), since a judgement uses few of them."""
    payload = read_sealed(path, head.encode())
    kept = _decode(payload) if payload is not None else None
    return kept[1] if kept is not None and kept[0] == (FORMAT, head, boundary) else None


def _decode(payload: bytes) -> tuple[tuple, git.Log] | None:
    """(version, head, what bounds the read) and the commits of a kept log, or ``None``
    when it does not hold the columns a log is made of (each path's changes are checked
    when used)."""
    try:
        version, head, bounds, shas, dates, authors, subjects, parents, \
            paths, gitlinks = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    columns = (shas, dates, authors, subjects, parents)
    text = {str}
    if not (all(type(c) is list and len(c) == len(shas) for c in columns)
            and type(paths) is dict and type(gitlinks) is list
            and _types(shas) | _types(dates) | _types(authors) | _types(subjects) <= text
            and _types(parents) <= {tuple} and _types(chain.from_iterable(parents)) <= text
            and _types(gitlinks) <= text and _types(paths) <= text
            and _types(paths.values()) <= {list}):
        return None
    return (version, head, bounds), git.Log(shas, dates, authors, subjects, parents, paths,
                                            set(gitlinks), unchecked=True)


def _types(values: Iterable[object]) -> set[type]:
    return set(map(type, values))


def check_changes(log: git.Log, path: str) -> None:
    """Raise :class:`Doubt` unless the changes of ``path`` in ``log`` are what a history
    holds: (age, (status, path, old path or None, old blob, new blob))."""
    count = len(log)
    for entry in log.paths.get(path, ()):
        if not (type(entry) is tuple and len(entry) == 2 and type(entry[0]) is int
                and 0 <= entry[0] < count and type(entry[1]) is tuple and len(entry[1]) == 5):
            raise Doubt(path)
        status, new, old, old_blob, new_blob = entry[1]
        if not (type(status) is str and type(new) is str and type(old_blob) is str
                and type(new_blob) is str and (old is None or type(old) is str)):
            raise Doubt(path)


def _save(place: Path, branch: str, head: str, boundary: tuple[str, ...], log: git.Log) -> None:
    """Keep ``log`` as this branch's snapshot; drop older ones. Never fails the run."""
    try:
        data = marshal.dumps((FORMAT, head, boundary, log.shas, log.dates, log.authors,
                              log.subjects, log.parents, log.paths, sorted(log.gitlinks)))
    except ValueError:  # not plain data: nothing is kept
        return
    target = place / f"{branch}-{head}.log"
    if not write_sealed(target, data, head.encode()):
        return
    try:
        for path, _ in _candidates(place, branch):
            if path != target and path.name.startswith(branch + "-"):
                path.unlink(missing_ok=True)
        for entry in sorted(os.scandir(place), key=lambda e: e.stat().st_mtime,
                            reverse=True)[SNAPSHOTS_KEPT:]:
            os.unlink(entry.path)
    except OSError:
        pass


def _touch(path: Path) -> None:
    """Mark a snapshot as just used, so it is kept over older ones."""
    try:
        os.utime(path)
    except OSError:
        pass


# -- bounded reads ---------------------------------------------------------------------------------
# A long history is read in parts (see :meth:`..judge.Assessment._bounded`): the Markdown files'
# history, then a range of commits. Each read is kept in ``ranges/<repository>/``, one file per
# way of reading (its pathspecs, window, excluded commits, shallow boundary), named by a hash of
# that and holding the commit it was read at.
RANGES_KEPT = 8  # per repository: the ways of reading used most recently


class Bounds(NamedTuple):
    """What a bounded read reads, besides its commit: ``git.History``'s arguments."""

    exclude: tuple[str, ...] = ()
    pathspecs: tuple[str, ...] = ()
    after: str | None = None
    simplify: bool = False
    first_parent: bool = False

    def read(self, root: Path, head: str, since: str | None = None,
             total: int | None = None) -> git.Log:
        """Ask git (``since``: only the commits that commit does not reach). A window of
        every path is split between two git processes when it is long (see
        :class:`..workspace.git.History`; ``total``: about how many commits it holds, when
        known): it is what a first run on a long history waits for."""
        split = self.after is not None and not self.pathspecs and since is None
        return git.History(root, head, since=since, pathspecs=list(self.pathspecs) or None,
                           after=self.after, exclude=list(self.exclude),
                           simplify=self.simplify, first_parent=self.first_parent,
                           jobs=2 if split else 1, total=total if split else None).log()


def read_range(root: Path, head: str, state: git.State, folder: Path | None,
               bounds: Bounds, fresh: bool = False,
               build: Callable[[], git.Log] | None = None,
               newer: Callable[[str], git.Log] | None = None) -> git.Log:
    """The commits ``bounds`` selects from ``head``, kept between runs.

    The same read at the same commit is not asked of git again. When the kept commit is
    an ancestor of ``head``, a read of every path (no pathspecs, no window) asks git only
    for the commits since (``head ^<kept commit> ^<excluded>``): those before are the
    same; so does any read given ``newer`` (how the commits since a kept commit are had).
    Else a read is kept for its commit only (git simplifies a path-limited history as a
    whole). Kept changes are checked in full here for a path-limited read (it holds few
    paths), else when a path is first used (:func:`check_changes`). ``fresh``: nothing kept
    is used; ``build``: how the commits are had when nothing kept is (else from git).
    """
    read = build or (lambda: bounds.read(root, head))
    if newer is None and not bounds.pathspecs and bounds.after is None:
        newer = lambda since: bounds.read(root, head, since=since)  # noqa: E731
    place = _place(folder, state)
    if place is None:
        return read()
    ident = (FORMAT, *bounds, tuple(sorted(state.boundary)))
    name = blake2b(repr(ident).encode(), digest_size=12).hexdigest()
    target = place.parent.parent / "ranges" / place.name / f"{name}.log"
    payload = read_sealed(target, name.encode())
    kept = _decode(payload) if payload is not None and not fresh else None
    log: git.Log | None = None
    if kept is not None and kept[0][0] == FORMAT and kept[0][2] == ident:
        older: git.Log | None  # None: its changes are not a history's
        kept_head, older = kept[0][1], kept[1]
        older.first_parent = bounds.first_parent
        if bounds.pathspecs:
            try:
                for path in older.paths:
                    check_changes(older, path)
            except Doubt:
                older = None
        if older is not None and kept_head == head:
            _touch(target)
            return older
        if older is not None and newer is not None \
                and git.merge_base(root, kept_head, head) == kept_head:
            log = newer(kept_head).then(older)
            log.first_parent = bounds.first_parent
    if log is None:
        log = read()
    _save_range(target, name, ident, head, log)
    return log


def within(root: Path, head: str, exclude: list[str], log: git.Log) -> git.Log:
    """The commits ``head`` reaches and ``exclude`` does not, from ``log`` where it holds
    them (a log of the same kind), else from git; in the order of ``git rev-list``."""
    if log.unchecked:
        for path in log.paths:
            check_changes(log, path)
    order_of = git.rev_list(root, head, exclude)  # git walks while the rows are made
    rows = {row[0]: row for row in log.rows()}
    order = order_of()
    missing = [sha for sha in order if sha not in rows]
    gitlinks = set(log.gitlinks)
    if missing:
        extra = git.History(root, commits=missing, first_parent=log.first_parent).log()
        rows.update((row[0], row) for row in extra.rows())
        gitlinks |= extra.gitlinks
        if any(sha not in rows for sha in missing):
            raise git.GitError("git log did not list every commit it was asked for")
    picked = git.Log.of([rows[sha] for sha in order])
    picked.gitlinks, picked.first_parent = gitlinks, log.first_parent
    return picked


def _save_range(target: Path, name: str, ident: tuple, head: str, log: git.Log) -> None:
    """Keep a bounded read; drop the ways of reading not used lately. Never fails the run."""
    try:
        data = marshal.dumps((FORMAT, head, ident, log.shas, log.dates, log.authors,
                              log.subjects, log.parents, log.paths, sorted(log.gitlinks)))
    except ValueError:
        return
    if not write_sealed(target, data, name.encode()):
        return
    try:
        for entry in sorted(os.scandir(target.parent), key=lambda e: e.stat().st_mtime,
                            reverse=True)[RANGES_KEPT:]:
            os.unlink(entry.path)
    except OSError:
        pass


# -- what merges made ------------------------------------------------------------------------------
# Whether a merge made a change itself (see :func:`..workspace.git.merge_made`) is a fact of
# its commit id and the path, so it is kept without end: ``merges/<repository>.bin``.
MERGES_KEPT = 200_000  # answers; the oldest are dropped beyond this


def kept_merges(folder: Path | None, state: git.State) -> dict[str, bool]:
    """``"<merge id>:<path>"`` -> whether that merge made the change itself (or nothing)."""
    known = read_keyed(_merges_place(folder, state), FORMAT)
    return known if known is not None and _types(known.values()) <= {bool} else {}


def keep_merges(folder: Path | None, state: git.State, known: dict[str, bool]) -> None:
    """Keep the answers (the newest :data:`MERGES_KEPT`); silently nothing on failure."""
    place = _merges_place(folder, state)
    if place is None:
        return
    kept = dict(list(known.items())[-MERGES_KEPT:])
    write_sealed(place, marshal.dumps((FORMAT, kept)))


def _merges_place(folder: Path | None, state: git.State) -> Path | None:
    place = _place(folder, state)
    return None if place is None else place.parent.parent / "merges" / f"{place.name}.bin"
