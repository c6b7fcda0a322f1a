"""What checks may know besides the model: the repository, today, the other models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..format.spec import DEFAULT_CLASSIFICATIONS
from ..workspace.file_list import RepositoryFiles
from ..workspace.files import Unreadable, read_file
from ..workspace.repository import inside


@dataclass
class Context:
    """The repository a model is checked in."""

    root: Path
    today: dt.date
    exists: Callable[[str], bool] = lambda relpath: False
    classifications: tuple[str, ...] = DEFAULT_CLASSIFICATIONS
    files: RepositoryFiles | None = None  # for globs that must match something (TM216)
    real: Callable[[str], Path | None] | None = None  # a repository path's file, if inside
    _texts: dict[str, str | None] = field(default_factory=dict)

    def text(self, relpath: str) -> str | None:
        """A repository file's text (cached), or ``None`` when it cannot be read."""
        if relpath not in self._texts:
            # never a file outside the repository
            real = self.real(relpath) if self.real else inside(self.root, relpath)
            try:
                self._texts[relpath] = read_file(real).decode("utf-8", errors="replace") \
                    if real else None
            except Unreadable:
                self._texts[relpath] = None
        return self._texts[relpath]
