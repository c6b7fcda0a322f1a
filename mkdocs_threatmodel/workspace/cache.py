"""A content-addressed cache of read front matter, so unchanged models are not parsed again.

Entries are JSON files named by a hash of the file's bytes and this release's
version, under ``$THREATMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/threatmodel``,
else ``~/.cache/threatmodel``. Only files that read and
match the schema without a finding are kept. Every cache file (these entries, the
history snapshots, the model declarations) is *sealed*: a hash of its content comes
first, and a file whose bytes differ from what was written is read afresh.
``THREATMODEL_NO_CACHE=1`` (or ``--no-cache``) turns it off. Any problem with
the cache folder simply means no cache.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

try:  # hashlib's own BLAKE2b: importing hashlib loads OpenSSL first, 3 ms of every hook run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's module
    from hashlib import blake2b
from pathlib import Path
from typing import Any

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


_SEAL = b"threatmodel-seal-1\n"
_DIGEST = 16


def _head(payload: bytes | memoryview, context: bytes) -> bytes:
    """What a sealed file starts with: the mark, then a hash of ``context`` and ``payload``."""
    digest = blake2b(context, digest_size=_DIGEST)
    digest.update(payload)
    return _SEAL + digest.digest()


def seal(payload: bytes, context: bytes = b"") -> bytes:
    """``payload`` with a hash of it (and of ``context``, what it belongs to) in front."""
    return _head(payload, context) + payload


def unseal(data: bytes, context: bytes = b"") -> memoryview | None:
    """The payload of sealed ``data``, or ``None`` when a byte differs from what was sealed."""
    start = len(_SEAL) + _DIGEST
    payload = memoryview(data)[start:]
    return payload if data[:start] == _head(payload, context) else None


def read_sealed(path: Path, context: bytes = b"") -> bytes | None:
    """The payload of a sealed cache file, or ``None`` (missing, unreadable or changed).

    The seal is read apart from the payload, so a large entry is held once, not twice."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SEAL) + _DIGEST)
            payload = handle.read()
    except OSError:
        return None
    return payload if head == _head(payload, context) else None


def read_keyed(place: Path | None, version: object) -> dict | None:
    """The dict of a sealed ``marshal`` file holding ``(version, {str: ...})``, or ``None``
    (missing, changed, of another version, or not a dict with text keys)."""
    import marshal

    payload = read_sealed(place) if place is not None else None
    if payload is None:
        return None
    try:
        kept_version, known = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if kept_version != version or type(known) is not dict \
            or any(type(k) is not str for k in known):
        return None
    return known


def load(folder: Path, path: str, raw: bytes) -> SourceFile | None:
    """The cached read of ``raw``, or ``None`` (also when the entry is not exactly as kept)."""
    name = key(raw)
    payload = read_sealed(folder / f"{name}.json", name.encode())
    if payload is None:
        return None
    try:
        entry = json.loads(payload)
        data, body, line, newline = (entry["data"], entry["body"], entry["body_line"],
                                     entry["newline"])
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(data, dict) and isinstance(body, str) and type(line) is int
            and line >= 1 and newline in ("\n", "\r\n")):
        return None
    return SourceFile(path, data=data, body=body, body_line=line, newline=newline, raw=raw,
                      schema_findings=[])


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
    name = key(src.raw)
    write_sealed(folder / f"{name}.json", data, name.encode())


# The packages whose code decides what derived entries (check outcomes, suggestions) hold:
# their files' sizes and times are part of those entries' keys, so a changed rule (an
# upgrade, or a developer's edit) never meets an entry of the old one.
_CODE = ("format", "validation", "suggest", "findings", "workspace")


@lru_cache(maxsize=4)
def code_stamp(packages: tuple[str, ...] = _CODE) -> bytes:
    """Sizes and modification times of the source files derived entries depend on."""
    root = Path(__file__).resolve().parent.parent
    parts = []
    for package in packages:
        try:
            with os.scandir(root / package) as entries:
                for entry in entries:
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        parts.append(f"{package}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{package}:?")
    return "\n".join(sorted(parts)).encode()


def derived_key(kind: str, raw: bytes, settings: tuple) -> str:
    """The name of an entry derived from a file's bytes under ``settings`` by this code."""
    stamp = blake2b(code_stamp() + repr(settings).encode(), digest_size=16).digest()
    return f"{kind}-{key(stamp + raw)}"


def load_derived(folder: Path, name: str) -> Any:
    """A derived entry's JSON value, or ``None`` (missing, changed or not JSON)."""
    payload = read_sealed(folder / f"{name}.json", name.encode())
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def store_derived(folder: Path, name: str, value: Any) -> None:
    """Keep a derived entry; silently nothing when it cannot."""
    try:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (ValueError, TypeError):
        return
    write_sealed(folder / f"{name}.json", data, name.encode())


def write_sealed(target: Path, data: bytes, context: bytes = b"") -> bool:
    """Write ``data`` sealed as :func:`seal` seals it, without a second copy of it."""
    return write_atomic(target, [_head(data, context), data])


def _new_file(folder: Path) -> tuple[int, str]:
    """A new file of a random name in ``folder``, open for writing, as ``tempfile.mkstemp``
    makes one (importing ``tempfile`` costs a run that writes its cache 5 ms)."""
    for _ in range(100):
        name = os.path.join(folder, f".{os.urandom(8).hex()}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                           | getattr(os, "O_BINARY", 0), 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no new file could be made in {folder}")


def write_atomic(target: Path, data: bytes | list[bytes]) -> bool:
    """Write a cache file (its bytes, or their parts in order) whole or not at all
    (readers never see half of it)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_file(target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                for part in [data] if isinstance(data, bytes) else data:
                    handle.write(part)
            os.replace(tmp, target)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
