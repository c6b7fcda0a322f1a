"""JSON report (format version 1, stable): see README, "JSON output"."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ... import __version__
from ..finding import Finding, Severity
from ..rules import RULES

JSON_FORMAT_VERSION = 1
# json escapes C0 controls itself; these it writes raw when ensure_ascii is off: DEL, C1
# controls (U+009B acts as ESC [ on some terminals), line separators, bidirectional overrides.
_RAW_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dump_json(doc: object) -> str:
    """``doc`` as indented JSON (UTF-8 text kept) in which no string holds a raw control
    character: safe to print to a terminal or a CI log."""
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def finding_dict(f: Finding) -> dict:
    rule = RULES.get(f.code)
    return {
        "path": f.path,
        "line": f.position.line,
        "column": f.position.column,
        "code": f.code,
        "rule": rule.name if rule else f.code,
        "severity": f.severity.value,
        "message": f.message,
        "hint": f.hint,
        "related": [{"path": p, "line": pos.line, "column": pos.column} for p, pos in f.related],
    }


def render_json(root: Path, findings: list[Finding], checked: int) -> str:
    doc = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "threatmodel", "version": __version__},
        "summary": {
            "checked": checked,
            "errors": sum(f.severity is Severity.ERROR for f in findings),
            "warnings": sum(f.severity is Severity.WARNING for f in findings),
            "notes": sum(f.severity is Severity.NOTE for f in findings),
        },
        "findings": [finding_dict(f) for f in findings],
    }
    return dump_json(doc)
