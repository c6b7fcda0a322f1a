"""GitHub Actions workflow commands: one ``::error file=...,line=...::message`` line per
finding, which GitHub shows as an annotation on the file, in the run and the pull request.

For repositories without code scanning (private ones without GitHub Advanced Security).
Values are escaped as GitHub's runner reads them: ``%``, CR and LF everywhere, and ``:``
and ``,`` in properties too, so that no text of a model can end a property, start a new
command or a new line.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import printable
from ..finding import Finding, Severity
from ..rules import RULES

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """A command's message as the runner reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file``, ``title``) as the runner reads it back."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The workflow command for one finding."""
    rule = RULES.get(finding.code)
    title = f"{finding.code} {rule.name}" if rule else finding.code
    message = finding.message + (f" ({finding.hint})" if finding.hint else "")
    pos = finding.position
    props = (f"file={escape_property(finding.path)},line={pos.line},col={pos.column},"
             f"title={escape_property(title)}")
    # printable() writes other control characters as escapes (ESC as \x1b); CR and LF are
    # already %0D and %0A.
    return printable(f"::{_COMMAND[finding.severity]} {props}::{escape_data(message)}")


def render_github(root: Path, findings: list[Finding], checked: int) -> str:
    return "".join(annotation(f) + "\n" for f in findings)
