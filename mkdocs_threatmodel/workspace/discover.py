"""Find the repository's root and the model files in it."""

from __future__ import annotations

import os
from pathlib import Path

from ..format.source import looks_like_model
from . import git
from .git import MARKDOWN_SUFFIXES

__all__ = ["MARKDOWN_SUFFIXES", "all_files", "candidate_files", "find_models", "find_root"]
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


def find_models(root: Path, in_git: bool, exclude=None,
                files: list[str] | None = None) -> dict[str, bytes]:
    """Every model file of the repository: repository-relative path -> its bytes, sorted."""
    found = {}
    for rel in sorted(candidate_files(root, in_git, files)):
        if exclude is not None and exclude(rel):
            continue
        try:
            with open(root / rel, "rb") as handle:
                raw = handle.read()
        except OSError:
            continue
        if looks_like_model(raw):
            found[rel] = raw
    return found
