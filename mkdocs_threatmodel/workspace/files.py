"""Reading a work tree file safely (regular files only, never blocking, never past a size
cap), and writing one whole or not at all.

Takes a path; gives its bytes, or an :class:`Unreadable` error that says why not. The file
is looked at with ``stat`` first (only a regular file is opened: a FIFO, a device, a socket
or a folder is refused unopened), opened with ``O_NONBLOCK`` (so nothing swapped in meanwhile
can block the open), checked again with ``fstat`` on the descriptor, and read up to
:data:`MAX_FILE_BYTES`: a larger file is refused, with its first bytes kept so the caller can
tell whether it is a model. ``follow=False`` also refuses a symbolic link (``O_NOFOLLOW``): a
link is never read as a model. :func:`write_whole` writes through a temporary file that is
moved into place, so a full disk leaves nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import InputError

MAX_FILE_BYTES = 16 * 1024 * 1024  # a model is text; 16 MiB is far beyond any real one
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


class Unreadable(InputError):
    """A file that was not read, and why: ``kind`` is ``missing``, ``symlink``, ``special``,
    ``too-large`` or ``error``; ``head`` holds the first bytes of a file too large to read."""

    def __init__(self, path: str | Path, kind: str, reason: str, head: bytes = b"") -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.kind, self.reason, self.head = path, kind, reason, head


def read_file(path: str | Path, *, follow: bool = True, limit: int = MAX_FILE_BYTES,
              head: int = 65536) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``limit``); raises
    :class:`Unreadable`. A file over ``limit`` raises with its first ``head`` bytes."""
    try:  # a special file is refused before it is opened (opening a device can act)
        _regular(path, os.stat(path, follow_symlinks=follow).st_mode, follow)
        fd = os.open(path, _FLAGS if follow else _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise _refusal(path, exc, follow) from None
    try:
        info = os.fstat(fd)
        _regular(path, info.st_mode, follow)  # it may have been swapped meanwhile
        try:  # a file known to be too large is read only as far as its head
            data = _read(fd, head if info.st_size > limit else limit + 1)
        except OSError as exc:
            raise _refusal(path, exc, follow) from None
        if info.st_size > limit:
            raise too_large(path, limit, data)
        if len(data) > limit:
            raise too_large(path, limit, data[:head])
        return data
    finally:
        os.close(fd)


def too_large(path: str | Path, limit: int = MAX_FILE_BYTES, head: bytes = b"") -> Unreadable:
    """The refusal of a file (or blob) over the size limit."""
    return Unreadable(path, "too-large", f"is larger than {limit >> 20} MiB, the size limit "
                      "of a model file", head=head)


def read_start(path: str | Path, size: int, *, follow: bool = False) -> bytes:
    """The first ``size`` bytes of a regular file, or none when it is not one or cannot be
    read (enough to tell a model from other Markdown)."""
    try:
        return read_file(path, follow=follow, limit=size, head=size)
    except Unreadable as exc:
        return exc.head


def _regular(path: str | Path, mode: int, follow: bool) -> None:
    """Raise :class:`Unreadable` unless ``mode`` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode) and not follow:
        raise Unreadable(path, "symlink", "is a symbolic link, not a regular file")
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise Unreadable(path, "special", f"is {kind}, not a regular file")


def _read(fd: int, most: int) -> bytes:
    """Up to ``most`` bytes of an open regular file."""
    chunks, left = [], most
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _refusal(path: str | Path, exc: OSError, follow: bool) -> Unreadable:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Unreadable(path, "missing", "no such file")
    if exc.errno == errno.ELOOP and not follow:
        return Unreadable(path, "symlink", "is a symbolic link, not a regular file")
    if exc.errno == errno.EISDIR:
        return Unreadable(path, "special", "is a folder, not a regular file")
    reason = (exc.strerror or str(exc)).lower()
    return Unreadable(path, "error", f"cannot be read: {reason}")


def write_whole(path: str | Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a new temporary file beside it,
    then moved into place. Without ``replace`` an existing file is never overwritten; with
    it, the file replaced keeps its permissions. On any failure (a full disk) nothing is
    left behind and :class:`~..errors.InputError` says why."""
    import secrets

    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace and os.path.lexists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        if replace:
            os.replace(tmp, path)
        else:
            _move_new(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: not written: {(exc.strerror or str(exc)).lower()}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _move_new(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` unless ``path`` exists (a hard link cannot replace a file)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise InputError(f"{path} already exists; not overwriting it") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(path):
            raise InputError(f"{path} already exists; not overwriting it") from None
        os.rename(tmp, path)
