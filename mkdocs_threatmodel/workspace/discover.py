"""Find the repository's root and the model files in it.

A model file is a regular Markdown file whose front matter has a ``threatmodel`` key
(:func:`..format.source.looks_like_model`), read through :func:`.files.read_file`. A
symbolic link is never a model (git's tree and index views, which ``stale`` and
``validate --staged`` read, leave links out too). A model that cannot be read is reported,
never skipped in silence: TM009 (unreadable, or not a regular file), TM011 (over the size
limit), TM012 (git tracks it but the work tree lacks it, as in a sparse checkout).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings.finding import Finding, Position
from ..format.source import looks_like_model
from . import git
from .files import MAX_FILE_BYTES, Unreadable, read_file
from .git import MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MARKDOWN_SUFFIXES", "Found", "all_files", "candidate_files", "find_models",
           "find_root", "problem"]
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "site", "__pycache__", ".tox",
              ".threatmodel_cache"}


def find_root(start: Path) -> tuple[Path, bool]:
    """The repository root for ``start`` and whether it is a git work tree.

    Outside git, the nearest folder with a ``.threatmodel.yaml`` is the root,
    else ``start`` itself. A repository git refuses, or cannot run in, raises
    :class:`~..errors.GitError` (see :func:`.git.toplevel`): it is never walked as a folder.
    """
    top = git.toplevel(start)
    if top is not None:
        return top, True
    for folder in [start, *start.parents]:
        if (folder / ".threatmodel.yaml").is_file():
            return folder, False
    return start, False


def all_files(root: Path, in_git: bool) -> list[str]:
    """Repository-relative files: what git knows of, or a walk outside git."""
    if in_git:
        return git.list_files(root)
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        rel = os.path.relpath(folder, root)
        for name in sorted(names):
            files.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return files


def candidate_files(root: Path, in_git: bool, files: list[str] | None = None) -> list[str]:
    """Repository-relative Markdown files (of ``files`` when the caller listed them)."""
    if files is None:
        files = all_files(root, in_git)
    return [f for f in files if f.lower().endswith(MARKDOWN_SUFFIXES)]


@dataclass
class Found:
    """The models of a work tree (path -> bytes, sorted) and the model files that could not
    be read (path -> the finding that says why)."""

    models: dict[str, bytes] = field(default_factory=dict)
    problems: dict[str, Finding] = field(default_factory=dict)


def problem(rel: str, refusal: Unreadable) -> Finding:
    """The finding for a model file that was not read."""
    if refusal.kind == "too-large":
        return Finding(rel, Position(1, 1), "TM011", f"file {refusal.reason}; it was not read",
                       hint=f"keep models under {MAX_FILE_BYTES >> 20} MiB")
    if refusal.kind == "missing":
        return Finding(rel, Position(1, 1), "TM012", "git tracks this model but the work tree "
                       "lacks it (a sparse checkout, or deleted without git rm): not checked",
                       hint="check it out, or git rm it")
    return Finding(rel, Position(1, 1), "TM009", f"model file {refusal.reason}; not checked")


def find_models(root: Path, in_git: bool, exclude: Callable[[str], bool] | None = None,
                files: list[str] | None = None) -> Found:
    """Every model file of the repository (of ``files`` when the caller listed them), and
    those that could not be read. A link, or a special file a folder walk meets, is none."""
    found, doubtful = Found(), {}
    for rel in sorted(candidate_files(root, in_git, files)):
        if exclude is not None and exclude(rel):
            continue
        try:
            raw = read_file(root / rel, follow=False)
        except Unreadable as refusal:
            if refusal.kind == "too-large":
                if looks_like_model(refusal.head):
                    found.problems[rel] = problem(rel, refusal)
            elif refusal.kind != "symlink":
                doubtful[rel] = refusal
            continue
        if looks_like_model(raw):
            found.models[rel] = raw
    if doubtful:
        found.problems.update(_unread_models(root, in_git, doubtful))
        found.problems = dict(sorted(found.problems.items()))
    return found


def _unread_models(root: Path, in_git: bool, doubtful: dict[str, Unreadable]
                   ) -> dict[str, Finding]:
    """Of the files that could not be read, the models: those git's index has as a model, and
    any other that is not gone or special (it cannot be told; it is said)."""
    staged = git.index_blobs(root) if in_git else {}
    blobs = git.read_blobs(root, [staged[r] for r in doubtful if r in staged])
    problems = {}
    for rel, refusal in doubtful.items():
        if rel in staged:
            if looks_like_model(blobs.get(staged[rel], b"")):
                problems[rel] = problem(rel, refusal)
        elif refusal.kind == "error":
            problems[rel] = problem(rel, refusal)
    return problems
