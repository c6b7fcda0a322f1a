"""The git layer: every git call of the project goes through here.

Git is always run with an argument list (never a shell), with ``--`` before
paths, and with output read as bytes so that any file name survives.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(Exception):
    """Git failed, or is not there; the message is fit for a user."""


_ENV = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def run(args: list[str], cwd: Path | str, *, check: bool = True) -> bytes:
    """Run ``git args`` in ``cwd`` and return its standard output."""
    env = {**os.environ, **_ENV}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout


def toplevel(cwd: Path | str) -> Path | None:
    """The work tree root containing ``cwd``, or ``None`` outside a git work tree."""
    try:
        out = run(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        return None
    return Path(os.fsdecode(out.rstrip(b"\n")))


def list_files(root: Path) -> list[str]:
    """Files git tracks, plus untracked files it does not ignore (repository-relative)."""
    out = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
               "--deduplicate", "--"], root)
    return [os.fsdecode(p) for p in out.split(b"\0") if p]


def index_blobs(root: Path) -> dict[str, str]:
    """Staged files (stage 0) and their blob ids, from the index."""
    out = run(["ls-files", "-z", "--stage", "--"], root)
    entries = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, sha, stage = meta.split(b" ")
        if stage == b"0" and not mode.startswith(b"120") and not mode.startswith(b"160"):
            entries[os.fsdecode(path)] = sha.decode()
    return entries


def read_blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of many blobs, read by one ``git cat-file --batch``."""
    if not shas:
        return {}
    env = {**os.environ, **_ENV}
    unique = list(dict.fromkeys(shas))
    proc = subprocess.run(["git", "cat-file", "--batch"], cwd=root, env=env,
                          input="".join(s + "\n" for s in unique).encode(), capture_output=True)
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
    data, blobs, pos = proc.stdout, {}, 0
    for sha in unique:
        end = data.index(b"\n", pos)
        header = data[pos:end].split(b" ")
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        blobs[sha] = data[pos:pos + size]
        pos += size + 1
    return blobs
