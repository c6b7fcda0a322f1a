"""SARIF 2.1.0 report, as GitHub code scanning accepts it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ..finding import Finding, Severity
from ..rules import RULES
from .json_report import dump_json

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://pypi.org/project/mkdocs-threatmodel/"


def _rule(code: str) -> dict:
    r = RULES[code]
    help_text = f"{r.summary} {r.why}" + (f" Fix: {r.fix}" if r.fix else "")
    return {
        "id": r.code,
        "name": "".join(part.capitalize() for part in r.name.split("-")),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.why},
        "help": {"text": help_text,
                 "markdown": f"**{r.code} {r.name}**: {r.summary}\n\n{r.why}\n\n"
                             + (f"**Fix:** {r.fix}" if r.fix else "")},
        "defaultConfiguration": {"level": _LEVEL[r.severity], "enabled": r.enabled},
        "properties": {"tags": ["security", "threat-model"]},
    }


def _location(path: str, line: int, column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line, "startColumn": column},
    }}


def render_sarif(root: Path, findings: list[Finding], checked: int) -> str:
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        result = {
            "ruleId": f.code,
            "ruleIndex": index.get(f.code, 0),
            "level": _LEVEL[f.severity],
            "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
            "locations": [_location(f.path, f.position.line, f.position.column)],
        }
        if f.related:
            result["relatedLocations"] = [
                {"id": i, **_location(p, pos.line, pos.column),
                 "message": {"text": "also defined here"}}
                for i, (p, pos) in enumerate(f.related)]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "threatmodel", "version": __version__,
                                "informationUri": INFO_URI,
                                "rules": [_rule(c) for c in codes]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
            "results": results,
        }],
    }
    return dump_json(doc)
