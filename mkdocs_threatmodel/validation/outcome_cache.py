"""Cached check outcomes: one model's findings, kept with the answers they rested on.

A warm ``validate`` spends most of its time building typed models and running the
rules on files that have not changed. An outcome is a pure function of the file's
path and bytes, the settings that change what rules say (classifications, strict STRIDE,
whether suggestions are on), the code of the rules, and the few questions the
checks ask the repository (:class:`~.context.Context`: whether a file exists, a test
file's text, whether a glob matches a file, today's date). So an outcome is kept
under a hash of the first three (:func:`~..workspace.cache.derived_key`), with the
questions and their answers, and used again only when every question still gets the
same answer. Entries are sealed like every cache file: a changed byte means a fresh check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings.finding import Finding, Position, Severity
from ..workspace.cache import derived_key, load_derived, store_derived
from .context import Context


@dataclass
class Outcome:
    """What checking one model gave: findings, its threat ids, whether it is a draft."""

    findings: list[Finding]
    model_id: str
    threat_ids: list[tuple[str, tuple]]
    draft: bool


def outcome_key(path: str, raw: bytes, settings: tuple) -> str:
    """The name of an outcome's entry: the file's path (ADR paths are relative to it), its
    bytes, the settings and the code."""
    return derived_key("outcome", raw, (path, *settings))


def load(folder: Path, name: str, path: str, ctx: Context) -> Outcome | None:
    """The kept outcome, when its entry is intact and its answers still hold in ``ctx``."""
    entry = load_derived(folder, name)
    try:
        if entry is None or not ctx.still(entry["answers"]):
            return None
        findings = [_finding(path, item) for item in entry["findings"]]
        ids = [(tid, tuple(where)) for tid, where in entry["ids"]]
        model_id, draft = entry["model"], entry["draft"]
    except (ValueError, KeyError, TypeError, IndexError):  # not an entry this code wrote
        return None
    if not (isinstance(model_id, str) and isinstance(draft, bool)):
        return None
    return Outcome(findings, model_id, ids, draft)


def store(folder: Path, name: str, outcome: Outcome, answers: list) -> None:
    """Keep an outcome with the answers it rested on; silently nothing when it cannot."""
    store_derived(folder, name, {
        "answers": answers, "model": outcome.model_id, "draft": outcome.draft,
        "ids": [[tid, list(where)] for tid, where in outcome.threat_ids],
        "findings": [_item(f) for f in outcome.findings]})


def _item(f: Finding) -> list:
    end = [f.end.line, f.end.column] if f.end else None
    related = [[p, pos.line, pos.column] for p, pos in f.related]
    return [f.position.line, f.position.column, f.code, f.message, f.hint,
            f.severity.value, end, related]


_SEVERITY = {s.value: s for s in Severity}


def _finding(path: str, item: list) -> Finding:
    line, column, code, message, hint, severity, end, related = item
    if not (type(line) is int and type(column) is int and isinstance(code, str)
            and isinstance(message, str) and (hint is None or isinstance(hint, str))):
        raise TypeError("not an outcome entry")
    return Finding(path, Position(line, column), code, message, hint, _SEVERITY[severity],
                   Position(*end) if end else None,
                   [(p, Position(ln, col)) for p, ln, col in related] if related else [])
