"""What checks may know besides the model: the repository, today, the other models.

Checks ask the context through its methods (:meth:`Context.date`, :meth:`Context.has`,
:meth:`Context.text`, :meth:`Context.covers_any`,
:meth:`Context.changed_matches`). A context made with ``answers=[]``
notes each answer it gives, so that a cached outcome of the checks can later be
trusted exactly when the same questions still get the same answers
(:mod:`.outcome_cache`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..format.spec import DEFAULT_CLASSIFICATIONS
from ..workspace.cache import blake2b
from ..workspace.file_list import RepositoryFiles
from ..workspace.files import Unreadable, read_file
from ..workspace.repository import inside

Answer = list  # [kind, question, answer]: JSON-friendly, as kept in the outcome cache


@dataclass
class Context:
    """The repository a model is checked in."""

    root: Path
    today: dt.date
    exists: Callable[[str], bool] = lambda relpath: False
    classifications: tuple[str, ...] = DEFAULT_CLASSIFICATIONS
    files: RepositoryFiles | None = None  # for globs that must match something (TM216)
    real: Callable[[str], Path | None] | None = None  # a repository path's file, if inside
    answers: list[Answer] | None = None  # when a list: every answer given is noted in it
    _texts: dict[str, str | None] = field(default_factory=dict)

    def recording(self) -> Context:
        """This context, noting its answers in a fresh list (``.answers``)."""
        return replace(self, answers=[], _texts=self._texts)

    def date(self) -> dt.date:
        """Today, for expiries and revisit dates."""
        if self.answers is not None:
            self.answers.append(["date", "", self.today.isoformat()])
        return self.today

    def has(self, relpath: str) -> bool:
        """Whether a repository file exists."""
        found = bool(self.exists(relpath))
        if self.answers is not None:
            self.answers.append(["exists", relpath, found])
        return found

    def covers_any(self, pattern: str) -> bool | None:
        """Whether a glob matches any file of the repository (``None``: not known here)."""
        found = None if self.files is None else self.files.any_match(pattern)
        if self.answers is not None:
            self.answers.append(["glob", pattern, found])
        return found

    def changed_matches(self, pattern: str) -> tuple[list[str], list[str]]:
        """The files a glob gained and lost when globs came to read as in CODEOWNERS."""
        got = self._changed(pattern)
        if self.answers is not None:
            self.answers.append(["moved", pattern, _digest(repr(got))])
        return got

    def _changed(self, pattern: str) -> tuple[list[str], list[str]]:
        return ([], []) if self.files is None else self.files.changed_matches(pattern)

    def text(self, relpath: str) -> str | None:
        """A repository file's text (cached), or ``None`` when it cannot be read."""
        text = self._read(relpath)
        if self.answers is not None:
            self.answers.append(["text", relpath, _digest(text)])
        return text

    def _read(self, relpath: str) -> str | None:
        if relpath not in self._texts:
            # never a file outside the repository
            real = self.real(relpath) if self.real else inside(self.root, relpath)
            try:
                self._texts[relpath] = read_file(real).decode("utf-8", errors="replace") \
                    if real else None
            except Unreadable:
                self._texts[relpath] = None
        return self._texts[relpath]

    def still(self, answers: list) -> bool:
        """Whether every noted answer is still what this context answers now."""
        try:
            for kind, question, answer in answers:
                now: str | bool | None
                if kind == "date":
                    now = self.today.isoformat()
                elif kind == "exists":
                    now = bool(self.exists(question))
                elif kind == "glob":
                    now = None if self.files is None else self.files.any_match(question)
                elif kind == "moved":
                    now = _digest(repr(self._changed(question)))
                elif kind == "text":
                    now = _digest(self._read(question))
                else:
                    return False
                if now != answer:
                    return False
        except (TypeError, ValueError):
            return False
        return True


def _digest(text: str | None) -> str | None:
    return None if text is None else blake2b(text.encode("utf-8", "surrogatepass"),
                                             digest_size=16).hexdigest()
