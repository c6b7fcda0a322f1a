"""SARIF 2.1.0 report, as GitHub code scanning accepts and ranks it.

Each rule carries ``properties.security-severity`` (GitHub shows Critical, High, Medium
or Low from it), each result ``partialFingerprints`` (its identity across runs, which the
API upload path does not compute), and the run ``automationDetails.id``
(``threatmodel/validate/`` or ``threatmodel/stale/``), so that the two tools' results are
two categories. A staleness finding also lists the changed paths as related locations,
and gets one result on each changed path, so that a pull request's annotations land on
the code that changed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ..finding import Finding, Severity
from ..rules import RULES
from .identity import fingerprint
from .json_report import dump_json

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "threatmodelFinding/v1"
# GitHub's bands: critical 9.0 and above, high 7.0-8.9, medium 4.0-6.9, low below 4.0. An
# error blocks a commit (high); a warning is medium; a note is low. Nothing here is a
# vulnerability in itself, so nothing is critical.
SECURITY_SEVERITY = {Severity.ERROR: "7.0", Severity.WARNING: "5.0", Severity.NOTE: "2.0"}
# GitHub's "severity" of a result that is not a security alert.
_PROBLEM = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
CHANGED_PATHS_SHOWN = 20  # results placed on changed paths per staleness finding


def information_uri() -> str | None:
    """The project's documentation, as the installed package's metadata names it (``None``
    when it names none, or only a placeholder host)."""
    from importlib import metadata

    try:
        urls = metadata.metadata("mkdocs-threatmodel").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        url = url.strip()
        if label.strip().lower() == "documentation" and url.startswith("https://") \
                and not _placeholder(url):
            return url
    return None


def _placeholder(url: str) -> bool:
    host = url.split("/")[2].lower() if url.count("/") >= 2 else ""
    return host.endswith((".invalid", "example.com", ".example")) or host in ("", "example.com")


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
        "properties": {"tags": ["security", "threat-model"],
                       "security-severity": SECURITY_SEVERITY[r.severity],
                       "problem.severity": _PROBLEM[r.severity],
                       "precision": "very-high"},
    }


def _location(path: str, line: int, column: int) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line, "startColumn": column},
    }}


CHANGE_RULES = ("TM501", "TM502", "TM507")  # staleness from changed paths


def _changed(f: Finding) -> bool:
    """Whether the finding's related places are changed paths (a staleness finding)."""
    return f.code in CHANGE_RULES


def _result(f: Finding, index: dict[str, int]) -> dict:
    result = {
        "ruleId": f.code,
        "ruleIndex": index.get(f.code, 0),
        "level": _LEVEL[f.severity],
        "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
        "locations": [_location(f.path, f.position.line, f.position.column)],
        "partialFingerprints": {FINGERPRINT: fingerprint(f)},
    }
    if f.related:
        note = "changed since the model's last review" if _changed(f) else "also defined here"
        result["relatedLocations"] = [
            {"id": i, **_location(p, pos.line, pos.column), "message": {"text": note}}
            for i, (p, pos) in enumerate(f.related)]
    return result


def _on_changed_paths(f: Finding, index: dict[str, int]) -> list[dict]:
    """One result on each changed path of a staleness finding (the first few)."""
    out = []
    for path, pos in f.related[:CHANGED_PATHS_SHOWN]:
        out.append({
            "ruleId": f.code,
            "ruleIndex": index.get(f.code, 0),
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.code}: this change concerns the threat model {f.path}, "
                                "which was not reviewed since; review it and record the "
                                "review."},
            "locations": [_location(path, pos.line, pos.column)],
            "relatedLocations": [{"id": 0, **_location(f.path, f.position.line,
                                                       f.position.column),
                                  "message": {"text": "the threat model"}}],
            "partialFingerprints": {FINGERPRINT: fingerprint(f, about=path)},
        })
    return out


def render_sarif(root: Path, findings: list[Finding], checked: int,
                 tool_run: str = "validate") -> str:
    codes = sorted(RULES)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        results.append(_result(f, index))
        if _changed(f):
            results += _on_changed_paths(f, index)
    driver = {"name": "threatmodel", "version": __version__, "semanticVersion": __version__,
              "rules": [_rule(c) for c in codes]}
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "automationDetails": {"id": f"threatmodel/{tool_run}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
            "results": results,
        }],
    }
    return dump_json(doc)

