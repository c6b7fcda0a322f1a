"""The models' past: each model file's versions in git history, and what changed in each
threat from one version to the next.

Bounded: one ``git log`` over the model files (no rename following), at most
:data:`MAX_COMMITS` commits and :data:`MAX_VERSIONS` versions per file listed; only the
versions a view asks for are read (one ``git cat-file --batch`` per request) and parsed,
once per blob id for the process: the newest :data:`HISTORY_VERSIONS` for a model's
threat changes, one per month end for the risk over time. Nothing here is needed for
``validate`` or ``stale``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..format.model import Model, Threat, build_model
from ..format.risk import rate, severity_risk
from ..format.source import looks_like_model
from ..validation.engine import read_model_source
from ..workspace import cache, git

MAX_COMMITS = 2000  # commits read from the log over all model files
MAX_VERSIONS = 400  # versions listed per model file, newest first (ids and dates only)
HISTORY_VERSIONS = 12  # versions parsed per model for its threats' changes
_PARSED: dict[str, Model | None] = {}  # blob id -> model (None: not a readable model)
_PARSED_LIMIT = 20000


def forget_versions() -> None:
    """Drop the versions parsed so far (a host done with every timeline of the process)."""
    _PARSED.clear()


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
    """The model files' versions, newest first: listed once (commit, date, blob id) when
    first asked, and parsed only when a view asks for them."""

    root: Path
    paths: list[str]
    current: list[Model] = field(default_factory=list)  # already read: not parsed again
    _entries: dict[str, list[tuple[str, dt.date, str]]] | None = field(default=None,
                                                                          repr=False)
    truncated: bool = False  # whether MAX_COMMITS cut the log short
    commits_read: int = 0
    parsed: int = 0  # blobs parsed by this timeline (the others were parsed before)

    def __post_init__(self) -> None:
        # The work tree's models by blob id, taken now: a host may drop their bytes later
        # (the plugin does, to hold less), and they must not be read from git again.
        self._current = {blob_id(m.source.raw): m for m in self.current if m.source.raw}
        self.current = []

    def entries(self, path: str) -> list[tuple[str, dt.date, str]]:
        """(commit, date, blob id) of each version of ``path``, newest first."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries.get(path, [])

    def complete(self, path: str) -> bool:
        """Whether the versions listed reach back to the file's first one."""
        return not self.truncated and len(self.entries(path)) < MAX_VERSIONS

    def versions(self, path: str, limit: int = HISTORY_VERSIONS) -> list[Version]:
        """The newest ``limit`` versions of ``path``, parsed (the first call reads those of
        every path, in one batch)."""
        if self._entries is None:
            self._entries = self._read()  # as entries() would
            self.models([blob for rows in self._entries.values() for _, _, blob in rows[:limit]])
        rows = self.entries(path)[:limit]
        models = self.models([blob for _, _, blob in rows])
        return [Version(sha, date, blob, models.get(blob)) for sha, date, blob in rows]

    def blob_at(self, path: str, day: dt.date) -> str | None:
        """The blob id of ``path`` as the last commit on or before ``day`` left it."""
        for _, date, blob in self.entries(path):
            if date <= day:
                return blob
        return None

    def at(self, path: str, day: dt.date) -> Model | None:
        """The model as the last commit on or before ``day`` left it (``None`` before its
        first version, or when it was deleted or unreadable then)."""
        blob = self.blob_at(path, day)
        return self.models([blob]).get(blob) if blob else None

    def models(self, blobs: list[str]) -> dict[str, Model | None]:
        """The models of these blobs, parsed once per blob id for the process; the blobs
        not parsed yet are read by one ``git cat-file --batch``."""
        wanted = {b for b in blobs if b and b.strip("0")}
        missing = sorted(b for b in wanted if b not in _PARSED)
        if missing and self._current:  # the work tree's models, as the validator read them
            _PARSED.update(self._current)
            self._current = {}
            missing = [b for b in missing if b not in _PARSED]
        if missing:
            raw = git.read_blobs(self.root, missing)
            if len(_PARSED) + len(missing) > _PARSED_LIMIT:
                _PARSED.clear()
            folder = cache.cache_dir()
            for blob in missing:
                _PARSED[blob] = _parse(raw.get(blob), folder)
            self.parsed += len(missing)
        return {b: _PARSED.get(b) for b in wanted}

    def _read(self) -> dict[str, list[tuple[str, dt.date, str]]]:
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
        return found


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


def blob_id(raw: bytes) -> str:
    """git's id of a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def _parse(raw: bytes | None, folder: Path | None) -> Model | None:
    """A version's model, read as the validator reads a model (from its parse cache when
    these bytes were seen before, else parsed and kept there)."""
    if not raw or isinstance(raw, git.Oversized) or not looks_like_model(raw):
        return None
    src = read_model_source("history", raw, folder)
    if not src.ok:
        return None
    model = build_model(src)
    model.source = replace(src, data={}, raw=b"", schema_findings=None)  # typed is enough
    return model


def _rating(threat: Threat) -> str:
    return _rated(threat.severity, threat.likelihood, threat.impact)


@lru_cache(maxsize=256)
def _rated(severity: str | None, likelihood: str | None, impact: str | None) -> str:
    risk = severity_risk(severity) if severity else rate(likelihood, impact)
    return f"{risk.band} {risk.score}" if risk else "unrated"


WATCHED = (("status", lambda t: t.status), ("rating", _rating),
           ("owner", lambda t: t.owner or "none"), ("ticket", lambda t: t.ticket or "none"),
           ("title", lambda t: t.title))


def threat_events(versions: list[Version], threat_id: str) -> list[Event]:
    """What changed in one threat, oldest first (see :func:`model_events`)."""
    return model_events(versions).get(threat_id, [])


def model_events(versions: list[Version], from_start: bool = True
                 ) -> dict[str, list[Event]]:
    """What changed in each threat over ``versions`` (newest first), oldest change first:
    added, each watched field's change, removed (and added again). Without
    ``from_start`` the oldest version is where the reading starts, not the file's first:
    its threats are the baseline, not additions."""
    events: dict[str, list[Event]] = {}
    before: dict[str, Threat] = {}
    for i, version in enumerate(reversed(versions)):
        now = {t.id: t for t in version.model.threats} if version.model is not None else {}
        if i == 0 and not from_start:
            before = now
            continue
        for tid, threat in now.items():
            old = before.get(tid)
            if old is None:
                events.setdefault(tid, []).append(Event(
                    version.sha, version.date, f"added as {threat.status}, {_rating(threat)}",
                    threat.status))
                continue
            for name, read in WATCHED:
                was, new = read(old), read(threat)
                if was != new:
                    events.setdefault(tid, []).append(Event(
                        version.sha, version.date, f"{name} {was} → {new}",
                        new if name == "status" else None))
        for tid in before.keys() - now.keys():
            events.setdefault(tid, []).append(Event(version.sha, version.date, "removed"))
        before = now
    return events
