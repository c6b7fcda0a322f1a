"""``threatmodel diff``: what changed in the threat models between two git refs.

Models are read at each ref with one ``git ls-tree`` and one ``git cat-file --batch``
(the working tree is read from disk), parsed like ``validate`` parses them, and compared
by model id: models added or removed; threats added, removed, or changed in status, risk,
owner or mitigation; acceptances added or extended; elements, flows and boundaries added
or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError
from ..format.model import Model, Threat, build_model
from ..format.source import looks_like_model, read_source
from ..workspace import git
from ..workspace.config import load_config
from ..workspace.discover import MARKDOWN_SUFFIXES, find_root
from ..workspace.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Callable

BASE_BRANCHES = ("main", "master", "origin/HEAD", "origin/main", "origin/master")
WATCHED = ("status", "risk", "owner", "mitigation")


@dataclass
class Snapshot:
    """The models of one side: a commit, or the working tree (``commit`` is ``None``)."""

    label: str
    commit: str | None
    models: dict[str, Model] = field(default_factory=dict)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ThreatChange:
    """A threat whose watched fields differ: field -> (before, after)."""

    before: Threat
    after: Threat
    fields: dict[str, tuple] = field(default_factory=dict)


@dataclass
class ModelDiff:
    """What changed inside one model present on both sides."""

    before: Model
    after: Model
    threats_added: list[Threat] = field(default_factory=list)
    threats_removed: list[Threat] = field(default_factory=list)
    threats_changed: list[ThreatChange] = field(default_factory=list)
    acceptances_added: list[Threat] = field(default_factory=list)
    acceptances_extended: list[tuple[Threat, Threat]] = field(default_factory=list)
    added: dict[str, list] = field(default_factory=dict)  # elements/flows/boundaries
    removed: dict[str, list] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.threats_added or self.threats_removed or self.threats_changed
                    or self.acceptances_added or self.acceptances_extended
                    or any(self.added.values()) or any(self.removed.values())
                    or self.before.path != self.after.path)


@dataclass
class Diff:
    base: Snapshot
    head: Snapshot
    added: list[Model] = field(default_factory=list)
    removed: list[Model] = field(default_factory=list)
    changed: list[ModelDiff] = field(default_factory=list)


def default_base(root: Path) -> tuple[str, str]:
    """The merge base of HEAD with the main branch: (commit, description)."""
    if git.resolve(root, "HEAD") is None:
        raise UsageError("the repository has no commit yet; pass BASE")
    for branch in BASE_BRANCHES:
        if git.resolve(root, branch) is None:
            continue
        base = git.merge_base(root, "HEAD", branch)
        if base:
            return base, f"merge base with {branch}"
    raise UsageError("no main branch to compare with (looked for " + ", ".join(BASE_BRANCHES)
                 + "); pass BASE, for example: threatmodel diff origin/develop")


def _add(snapshot: Snapshot, rel: str, raw: bytes) -> None:
    src = read_source(rel, raw)
    if not src.ok:
        first = src.findings[0] if src.findings else None
        snapshot.unreadable.append((rel, f"{first.code} {first.message}" if first
                                    else "cannot be read"))
        return
    model = build_model(src)
    key = model.id or rel
    if key in snapshot.models:
        snapshot.unreadable.append((rel, f"model id '{key}' is also used by "
                                         f"{snapshot.models[key].path}; compared once"))
        return
    snapshot.models[key] = model


def at_commit(root: Path, commit: str, label: str,
              excluded: Callable[[str], bool]) -> Snapshot:
    """The models in a commit's tree."""
    snapshot = Snapshot(label, commit)
    wanted = {rel: sha for rel, sha in git.tree(root, commit).items()
              if rel.lower().endswith(MARKDOWN_SUFFIXES) and not excluded(rel)}
    blobs = git.read_blobs(root, list(wanted.values()))
    for rel in sorted(wanted):
        raw = blobs.get(wanted[rel], b"")
        if looks_like_model(raw):
            _add(snapshot, rel, raw)
    return snapshot


def in_work_tree(root: Path) -> Snapshot:
    """The models in the working tree (tracked, and untracked files git does not ignore)."""
    repo = Repository.at(root)
    snapshot = Snapshot("working tree", None)
    for rel in repo.model_paths():
        _add(snapshot, rel, repo.read(rel))
    return snapshot


def _risk(threat: Threat) -> tuple:
    return (threat.likelihood, threat.impact)


def _compare(before: Model, after: Model) -> ModelDiff:
    d = ModelDiff(before, after)
    old = {t.id: t for t in before.threats}
    new = {t.id: t for t in after.threats}
    d.threats_added = [t for t in after.threats if t.id not in old]
    d.threats_removed = [t for t in before.threats if t.id not in new]
    for threat in after.threats:
        previous = old.get(threat.id)
        if previous is not None:
            change = ThreatChange(previous, threat)
            for name in WATCHED:
                a, b = ((_risk(previous), _risk(threat)) if name == "risk"
                        else (getattr(previous, name), getattr(threat, name)))
                if a != b:
                    change.fields[name] = (a, b)
            if change.fields:
                d.threats_changed.append(change)
        acc = threat.acceptance if threat.status == "accepted" else None
        prev = (previous.acceptance if previous is not None and previous.status == "accepted"
                else None)
        if acc is not None and prev is None:
            d.acceptances_added.append(threat)
        elif (acc is not None and previous is not None and prev is not None and acc.expires
              and (prev.expires is None or acc.expires > prev.expires)):
            d.acceptances_extended.append((previous, threat))
    for kind in ("elements", "flows", "boundaries"):
        was = {x.id for x in getattr(before, kind)}
        now = {x.id for x in getattr(after, kind)}
        d.added[kind] = [x for x in getattr(after, kind) if x.id not in was]
        d.removed[kind] = [x for x in getattr(before, kind) if x.id not in now]
    return d


def compare(base: Snapshot, head: Snapshot) -> Diff:
    """The semantic differences between two snapshots."""
    diff = Diff(base, head)
    # A model that cannot be read on the other side is listed as not compared, not as
    # added or removed.
    unread_base = {path for path, _ in base.unreadable}
    unread_head = {path for path, _ in head.unreadable}
    diff.added = [m for key, m in head.models.items()
                  if key not in base.models and m.path not in unread_base]
    diff.removed = [m for key, m in base.models.items()
                    if key not in head.models and m.path not in unread_head]
    for key, model in head.models.items():
        if key in base.models:
            d = _compare(base.models[key], model)
            if not d.empty:
                diff.changed.append(d)
    return diff


def _check_ref(ref: str) -> None:
    if ref.startswith("-"):
        raise InputError(f"{ref!r} is not a git ref")


def snapshots(start: Path, base: str | None, head: str | None) -> tuple[Snapshot, Snapshot]:
    """The two sides: BASE (default: the merge base with main) and HEAD (default: the
    working tree)."""
    root, in_git = find_root(start.resolve())
    if not in_git:
        raise UsageError(f"{start} is not in a git repository; diff compares git refs")
    excluded = load_config(root).excluded
    if base is None:
        commit, label = default_base(root)
    else:
        _check_ref(base)
        resolved = git.resolve(root, base)
        if resolved is None:
            raise InputError(f"{base!r} is not a commit of this repository")
        commit, label = resolved, base
    before = at_commit(root, commit, label, excluded)
    if head is None:
        after = in_work_tree(root)
    else:
        _check_ref(head)
        head_commit = git.resolve(root, head)
        if head_commit is None:
            raise InputError(f"{head!r} is not a commit of this repository")
        after = at_commit(root, head_commit, head, excluded)
    return before, after

