"""GitLab code quality report: the JSON array GitLab shows in merge requests
(``artifacts: reports: codequality``)."""

from __future__ import annotations

from pathlib import Path

from ..finding import Finding, Severity
from ..rules import RULES
from .identity import fingerprint
from .json_report import dump_json

# GitLab's levels: info, minor, major, critical, blocker. An error blocks a commit here, so
# it is "major"; "critical" and "blocker" are left to vulnerabilities.
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def issue(finding: Finding) -> dict:
    """One code quality issue."""
    rule = RULES.get(finding.code)
    return {
        "description": f"{finding.code} {finding.message}"
                       + (f" ({finding.hint})" if finding.hint else ""),
        "check_name": f"{finding.code} {rule.name}" if rule else finding.code,
        "fingerprint": fingerprint(finding),
        "severity": _SEVERITY[finding.severity],
        "location": {"path": finding.path, "lines": {"begin": finding.position.line}},
    }


def render_gitlab(root: Path, findings: list[Finding], checked: int) -> str:
    return dump_json([issue(f) for f in findings])
