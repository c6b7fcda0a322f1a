"""A content-addressed cache of read front matter, so unchanged models are not parsed again.

Entries are JSON files named by a hash of the file's bytes and this release's
version, under ``$THREATMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/threatmodel``,
else ``~/.cache/threatmodel``. Only files that read and
match the schema without a finding are kept.
``THREATMODEL_NO_CACHE=1`` (or ``--no-cache``) turns it off. Any problem with
the cache folder simply means no cache.
"""

from __future__ import annotations

import json
import os
from hashlib import blake2b
from pathlib import Path

from .. import __version__
from ..format.source import SourceFile

_SALT = f"threatmodel-cache-1:{__version__}\0".encode()


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is off."""
    if os.environ.get("THREATMODEL_NO_CACHE"):
        return None
    base = os.environ.get("THREATMODEL_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "threatmodel"


def key(raw: bytes) -> str:
    return blake2b(_SALT + raw, digest_size=20).hexdigest()


def load(folder: Path, path: str, raw: bytes) -> SourceFile | None:
    """The cached read of ``raw``, or ``None``."""
    try:
        with open(folder / f"{key(raw)}.json", "rb") as handle:
            entry = json.load(handle)
        return SourceFile(path, data=entry["data"], body=entry["body"],
                          body_line=entry["body_line"], newline=entry["newline"], raw=raw,
                          schema_findings=[])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(folder: Path, src: SourceFile) -> None:
    """Keep a clean read for next time; silently does nothing when it cannot."""
    if src.findings or src.schema_findings or not src.ok:
        return
    entry = {"data": src.data, "body": src.body, "body_line": src.body_line,
             "newline": src.newline}
    try:
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (ValueError, TypeError):
        return
    write_atomic(folder / f"{key(src.raw)}.json", data)


def write_atomic(target: Path, data: bytes) -> bool:
    """Write a cache file whole or not at all (readers never see half of it)."""
    import tempfile  # only when writing: it is slow to import

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
