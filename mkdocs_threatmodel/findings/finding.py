"""Findings: what a check reports, with a rule code and a source position."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How much a finding matters; ``error`` blocks a commit."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "note": 0}[self.value]


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int = 1
    column: int = 1


@dataclass
class Finding:
    """One problem in one file, as ``path:line:col: CODE message``."""

    path: str
    position: Position
    code: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    end: Position | None = None
    related: list[tuple[str, Position]] = field(default_factory=list)

    def sort_key(self) -> tuple:
        return (self.path, self.position.line, self.position.column, self.code, self.message)
