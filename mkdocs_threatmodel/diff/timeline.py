"""The models' past: each model file's versions in git history, and what changed in each
threat from one version to the next.

Bounded: one ``git log`` over the model files (no rename following), at most
:data:`MAX_COMMITS` commits and :data:`MAX_VERSIONS` versions per file, read with one
``git cat-file --batch``; a version is parsed once per blob id for the process. Nothing
here is needed for ``validate`` or ``stale``: the site's per-threat history and its risk
over time read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..format.model import Model, Threat, build_model
from ..format.risk import rate, severity_risk
from ..format.source import looks_like_model, read_source
from ..workspace import git

MAX_COMMITS = 2000  # commits read from the log over all model files
MAX_VERSIONS = 120  # versions kept per model file, newest first
_PARSED: dict[str, Model | None] = {}  # blob id -> model (None: not a readable model)
_PARSED_LIMIT = 20000


@dataclass(frozen=True)
class Version:
    """A model file as one commit left it."""

    sha: str
    date: dt.date
    blob: str
    model: Model | None  # None when the file was not a readable model then


@dataclass(frozen=True)
class Event:
    """One change of a threat, in the commit that made it."""

    sha: str
    date: dt.date
    text: str  # "added as open, high 12", "status open → mitigated", ...
    status: str | None = None  # the status after the change, when it changed


@dataclass
class Timeline:
    """Versions of the model files, newest first, read once when first asked."""

    root: Path
    paths: list[str]
    _versions: dict[str, list[Version]] | None = field(default=None, repr=False)
    truncated: bool = False  # whether MAX_COMMITS cut the log short
    commits_read: int = 0

    def versions(self, path: str) -> list[Version]:
        if self._versions is None:
            self._versions = self._read()
        return self._versions.get(path, [])

    def _read(self) -> dict[str, list[Version]]:
        if not self.paths:
            return {}
        try:
            out = git.run(["log", "--no-renames", "--raw", "--no-abbrev", "-z",
                           f"--max-count={MAX_COMMITS}", "--format=%x01%H %cs", "--",
                           *self.paths], self.root)
        except git.GitError:
            return {}
        wanted = set(self.paths)
        found: dict[str, list[tuple[str, dt.date, str]]] = {}
        for sha, date, changes in _records(out):
            self.commits_read += 1
            for path, blob in changes:
                if path in wanted and len(found.setdefault(path, [])) < MAX_VERSIONS:
                    found[path].append((sha, date, blob))
        self.truncated = self.commits_read >= MAX_COMMITS
        blobs = {blob for rows in found.values() for _, _, blob in rows
                 if blob.strip("0") and blob not in _PARSED}
        raw = git.read_blobs(self.root, sorted(blobs)) if blobs else {}
        if len(_PARSED) > _PARSED_LIMIT:
            _PARSED.clear()
        for blob in blobs:
            _PARSED[blob] = _parse(blob, raw.get(blob))
        return {path: [Version(sha, date, blob, _PARSED.get(blob)) for sha, date, blob in rows]
                for path, rows in found.items()}

    def at(self, path: str, day: dt.date) -> Model | None:
        """The model as the last commit on or before ``day`` left it (``None`` before its
        first version, or when it was deleted or unreadable then)."""
        for version in self.versions(path):
            if version.date <= day:
                return version.model
        return None


def _records(out: bytes) -> Iterable[tuple[str, dt.date, list[tuple[str, str]]]]:
    """(commit, date, [(path, new blob id)]) from ``git log --raw -z`` output: each record
    is ``\x01SHA DATE\0`` then ``:modes blobs status\0path\0`` per changed path."""
    for record in out.split(b"\x01")[1:]:
        head, _, rest = record.partition(b"\x00")
        sha, _, day = head.decode("ascii", "replace").partition(" ")
        try:
            date = dt.date.fromisoformat(day.strip())
        except ValueError:
            continue
        fields = rest.split(b"\x00")
        changes = []
        i = 0
        while i + 1 < len(fields):
            meta = fields[i].lstrip(b"\n").decode("ascii", "replace")
            if not meta.startswith(":"):
                i += 1
                continue
            parts = meta.split()
            if len(parts) >= 4:
                changes.append((fields[i + 1].decode("utf-8", "surrogateescape"), parts[3]))
            i += 2
        yield sha, date, changes


def _parse(blob: str, raw: bytes | None) -> Model | None:
    if not raw or isinstance(raw, git.Oversized) or not looks_like_model(raw):
        return None
    src = read_source("history", raw)
    return build_model(src) if src.ok else None


def _rating(threat: Threat) -> str:
    risk = (severity_risk(threat.severity) if threat.severity
            else rate(threat.likelihood, threat.impact))
    return f"{risk.band} {risk.score}" if risk else "unrated"


WATCHED = (("status", lambda t: t.status), ("rating", _rating),
           ("owner", lambda t: t.owner or "none"), ("ticket", lambda t: t.ticket or "none"),
           ("title", lambda t: t.title))


def threat_events(versions: list[Version], threat_id: str) -> list[Event]:
    """What changed in one threat, oldest first: added, each watched field's change,
    removed (and added again)."""
    events: list[Event] = []
    before: Threat | None = None
    for version in reversed(versions):
        now = None
        if version.model is not None:
            now = next((t for t in version.model.threats if t.id == threat_id), None)
        if now is not None and before is None:
            events.append(Event(version.sha, version.date,
                                f"added as {now.status}, {_rating(now)}", now.status))
        elif now is None and before is not None:
            events.append(Event(version.sha, version.date, "removed"))
        elif now is not None and before is not None:
            for name, read in WATCHED:
                old, new = read(before), read(now)
                if old != new:
                    events.append(Event(version.sha, version.date, f"{name} {old} → {new}",
                                        new if name == "status" else None))
        before = now
    return events
