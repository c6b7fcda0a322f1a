"""Text report: one ``path:line:col: CODE message`` line per finding, with every control
character escaped (:func:`~mkdocs_threatmodel.errors.printable`)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ...errors import printable
from ..finding import Finding, Severity


def display_path(root: Path, relpath: str) -> str:
    """A repository-relative path as seen from the current folder."""
    return _shown(root, relpath, os.getcwd())


@lru_cache(maxsize=4096)
def _shown(root: Path, relpath: str, cwd: str) -> str:
    absolute = root / relpath
    try:
        shown = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return str(absolute)
    return relpath if shown.startswith("..") else shown.replace(os.sep, "/")


def line(root: Path, finding: Finding) -> str:
    """The one-line form of a finding."""
    return printable(_raw_line(root, finding, os.getcwd()))


def _raw_line(root: Path, finding: Finding, cwd: str) -> str:
    pos = finding.position
    label = "" if finding.severity is Severity.ERROR else f"{finding.severity.value}: "
    text = (f"{_shown(root, finding.path, cwd)}:{pos.line}:{pos.column}: {finding.code} "
            f"{label}{finding.message}")
    if finding.hint:
        text += f" ({finding.hint})"
    return text.replace("\n", " ") if "\n" in text else text


def summary(findings: list[Finding], checked: int, noun: str = "model") -> str:
    """A closing line such as ``2 errors, 1 warning in 3 models checked``."""
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    plural = "s" if checked != 1 else ""
    if not findings and not checked:  # no verdict on nothing: never "All good" for it
        return f"Nothing to check: 0 {noun}s checked."
    if not findings:
        return f"All good: {checked} {noun}{plural} checked."
    return (f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
            f"{'s' if warnings != 1 else ''} in {checked} {noun}{plural} checked.")


def render_text(root: Path, findings: list[Finding], checked: int) -> str:
    """Every finding's line; control characters escaped once over the whole text."""
    cwd = os.getcwd()
    return printable("".join(_raw_line(root, f, cwd) + "\n" for f in findings))
