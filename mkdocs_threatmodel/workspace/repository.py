"""A repository as the commands see it: its root, its configuration and its model files.

Takes a folder; gives an immutable :class:`Repository` that reads model files from the
work tree, or from git's index for the view :meth:`Repository.as_staged` returns, and
:func:`today`, the date every judgement is made on.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..findings.finding import Finding, Position
from ..format.source import looks_like_model
from . import git
from .config import Config, load_config
from .discover import MARKDOWN_SUFFIXES, all_files, find_models, find_root, problem
from .files import Unreadable, read_file, too_large


def today() -> dt.date:
    """Today, or ``THREATMODEL_TODAY`` (YYYY-MM-DD) when set, for reproducible runs."""
    fixed = os.environ.get("THREATMODEL_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def repository_path(path: str) -> str | None:
    """A path a model names (relative to the repository root) in normal form, or ``None``
    when it leaves the repository: absolute, or climbing above the root with ``..``.

    Such a path is never opened: which finding it got would tell whether a file exists
    outside the repository, and what it holds.
    """
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return None  # absolute, also as Windows writes it (C:\..., \\server)
    # A backslash is a separator on Windows: a path that climbs out either way is refused.
    if any(p == ".." or p.startswith("../")
           for p in (posixpath.normpath(path), posixpath.normpath(path.replace("\\", "/")))):
        return None
    return posixpath.normpath(path)


def inside(root: Path, relpath: str) -> Path | None:
    """The file at a repository path when it stays inside ``root`` once symbolic links are
    followed, else ``None`` (:meth:`Repository.real_path` does the same with a cache)."""
    normal = repository_path(relpath)
    if normal is None:
        return None
    real = os.path.realpath(root / normal)
    return Path(real) if _within(os.path.realpath(root), real) else None


def _within(base: str, real: str) -> bool:
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


@dataclass
class _Reads:
    """What a repository view has read so far (kept so no file is read twice)."""

    index: git.Index | None = None
    all_files: list[str] | None = None
    blobs: dict[str, bytes] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    folders: dict[str, str | None] = field(default_factory=dict)  # resolved, or None: outside
    problems: dict[str, Finding] = field(default_factory=dict)


@dataclass(frozen=True)
class Repository:
    """A repository (or plain folder) holding models, and its configuration.

    With ``staged``, models are read from git's index (what the next commit holds)
    instead of the work tree; ask for that view with :meth:`as_staged`.
    """

    root: Path
    in_git: bool
    config: Config
    staged: bool = False
    _reads: _Reads = field(default_factory=_Reads, repr=False, compare=False)

    @classmethod
    def at(cls, start: Path) -> Repository:
        root, in_git = find_root(start.resolve())
        return cls(root, in_git, load_config(root))

    def as_staged(self) -> Repository:
        """The same repository, read from git's index."""
        return replace(self, staged=True, _reads=_Reads())

    def with_config(self, config: Config) -> Repository:
        """The same repository under another configuration."""
        return replace(self, config=config)

    def relative(self, path: str | Path) -> str:
        """A user-given path as a repository-relative posix path."""
        absolute = Path(os.path.abspath(path))
        return absolute.relative_to(self.root).as_posix()

    def model_paths(self) -> list[str]:
        """Every model file of the repository (their bytes are kept for :meth:`read`).

        Model files that cannot be read are left out, and said by :meth:`problems`.
        """
        if not self.staged:
            found = find_models(self.root, self.in_git, exclude=self.config.excluded,
                                files=self.files())
            self._reads.files = found.models
            self._reads.problems.update(found.problems)
            return list(found.models)
        markdown = self.staged_markdown()
        self._reads.blobs = blobs = git.read_blobs(self.root, list(markdown.values()))
        self._conflicts()
        models = sorted(p for p, sha in markdown.items() if looks_like_model(blobs.get(sha, b"")))
        for rel in models:
            if isinstance(blobs[markdown[rel]], git.Oversized):
                self.refuse(rel, too_large(rel))
        return [rel for rel in models if rel not in self._reads.problems]

    def files(self) -> list[str]:
        """Every file of the repository (git's index when staged), listed once per view."""
        if self.staged:
            return list(self.index())
        if self._reads.all_files is None:
            self._reads.all_files = all_files(self.root, self.in_git)
        return self._reads.all_files

    def _conflicts(self) -> None:
        """Models the index holds unmerged (a conflict not resolved) become TM010 findings."""
        unmerged = {p: shas for p, shas in self.index_entries().unmerged.items()
                    if p.lower().endswith(MARKDOWN_SUFFIXES) and not self.config.excluded(p)}
        sides = git.read_blobs(self.root, [sha for shas in unmerged.values() for sha in shas])
        for rel, shas in unmerged.items():
            if any(looks_like_model(sides.get(sha, b"")) for sha in shas):
                self._reads.problems[rel] = Finding(
                    rel, Position(1, 1), "TM010", "unresolved merge conflict: git's index "
                    "holds the sides of this model, not a resolution",
                    hint="resolve the conflict, then git add the model")

    def problems(self) -> dict[str, Finding]:
        """Model files found but not read, with the finding that says why."""
        return dict(self._reads.problems)

    def named_model(self, relpath: str) -> bool:
        """Whether a file the user named is to be checked as a model: it is one, or it is
        a file that cannot be read (then :meth:`problems` says why)."""
        if relpath in self._reads.problems:
            return True
        try:
            return looks_like_model(self.read(relpath))
        except Unreadable as refusal:
            if refusal.kind == "missing":
                raise
            self.refuse(relpath, refusal)
            return True

    def refuse(self, relpath: str, refusal: Unreadable) -> None:
        """Say that a model file was not read, and why (see :meth:`problems`)."""
        self._reads.problems[relpath] = problem(relpath, refusal)

    def staged_markdown(self) -> dict[str, str]:
        """Markdown files in git's index that the configuration does not exclude, with
        their blob ids: where the staged models are."""
        return {p: sha for p, sha in self.index().items()
                if p.lower().endswith(MARKDOWN_SUFFIXES) and not self.config.excluded(p)}

    def index(self) -> dict[str, str]:
        """Staged files and their blob ids."""
        return self.index_entries().blobs

    def index_entries(self) -> git.Index:
        if self._reads.index is None:
            self._reads.index = git.index(self.root)
        return self._reads.index

    def forget_contents(self) -> None:
        """Drop the files' bytes read so far: for a holder that keeps this view after it
        is done reading (the site plugin, for a whole build)."""
        self._reads.files.clear()
        self._reads.blobs.clear()

    def read(self, relpath: str) -> bytes:
        """A file's bytes: from the index when staged, else from the work tree (a regular
        file within the size limit: else :class:`~.files.Unreadable` is raised)."""
        if self.staged:
            sha = self.index().get(relpath)
            if sha is not None and sha not in self._reads.blobs:
                self._reads.blobs.update(git.read_blobs(self.root, [sha]))
            if sha is not None:
                raw = self._reads.blobs.get(sha, b"")
                if isinstance(raw, git.Oversized):
                    raise too_large(relpath)
                return raw
        if relpath in self._reads.files:
            return self._reads.files[relpath]
        return read_file(self.root / relpath)

    def exists(self, relpath: str) -> bool:
        """Whether a file exists inside the repository (in the index when staged)."""
        normal = repository_path(relpath)
        if normal is None:
            return False
        if self.staged:
            return normal in self.index()
        real = self.real_path(normal)
        return real is not None and real.is_file()

    def real_path(self, relpath: str) -> Path | None:
        """The work-tree file a repository path names, when it stays inside the repository
        once symbolic links are followed; else ``None``. Each folder is resolved once per
        view, so the check costs one ``lstat`` per file."""
        normal = repository_path(relpath)
        if normal is None:
            return None
        head, _, name = normal.rpartition("/")
        folder = self._real_folder(head)
        if folder is None:
            return None
        path = os.path.join(folder, name)
        if os.path.islink(path):
            path = os.path.realpath(path)
            if not _within(self._real_root(), path):
                return None
        return Path(path)

    def _real_folder(self, head: str) -> str | None:
        if not head:
            return self._real_root()
        folders = self._reads.folders
        if head not in folders:
            real = os.path.realpath(os.path.join(self.root, head))
            folders[head] = real if _within(self._real_root(), real) else None
        return folders[head]

    def _real_root(self) -> str:
        """The repository's own folder, resolved (kept with the others, as "")."""
        root = self._reads.folders.get("")
        if root is None:
            root = self._reads.folders[""] = os.path.realpath(self.root)
        return root
