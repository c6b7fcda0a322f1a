"""``threatmodel review``: record a review in a model, changing nothing else.

Only the text of ``reviewed.date`` and ``reviewed.by`` is replaced (or inserted
when missing); comments, key order, quoting, flow style, the byte order mark
and line endings stay byte for byte. The edit works on source positions, never
by dumping YAML again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import EXIT_FAIL, EXIT_OK, UsageError, print_error, printable
from ..findings.finding import Severity
from ..findings.reports.text import line as finding_line
from ..format.frontmatter import CLOSING_LINE
from ..format.source import looks_like_model
from ..validation.engine import validate
from ..workspace import git
from ..workspace.files import read_file
from ..workspace.repository import Repository, today
from .judge import reviewed_value

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._'-]*[A-Za-z0-9.]|[A-Za-z]")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}
_ANCHORS = ("review_every", "status", "owner", "title", "id")


@dataclass
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def yaml_text(value: str, style: str | None) -> str:
    """``value`` as a YAML scalar, in the original quoting style when there was one."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def plan_review(text: str, date: str, by: str) -> str:
    """The model text with ``reviewed`` set to ``date`` and ``by``; the rest unchanged."""
    first = text.index("\n") + 1
    newline = "\r\n" if text[:first].endswith("\r\n") else "\n"
    closing = CLOSING_LINE.search(text[first:])
    front = text[first:first + closing.start()]
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    edits: list[Edit] = []
    entries = {k.value: (k, v) for k, v in root.value}
    if "reviewed" not in entries:
        anchor = next((entries[k][1] for k in _ANCHORS if k in entries), None)
        at = _line_end(front, anchor.end_mark.index) if anchor is not None else len(front)
        if at == len(front) and front and not front.endswith("\n"):
            edits.append(Edit(at, at, newline))
        edits.append(Edit(at, at, f"reviewed: {{date: {date}, by: {yaml_text(by, None)}}}"
                                  + newline))
    else:
        node = entries["reviewed"][1]
        if not isinstance(node, yaml.MappingNode):
            raise ValueError("'reviewed' is not a mapping")
        fields = {k.value: (k, v) for k, v in node.value}
        for key, value in (("date", date), ("by", by)):
            if key in fields:
                scalar = fields[key][1]
                style = scalar.style if key == "by" else (scalar.style or None)
                edits.append(Edit(scalar.start_mark.index, scalar.end_mark.index,
                                  yaml_text(value, style) if key == "by"
                                  else _date_text(value, scalar.style)))
            else:
                edits.append(_insert_key(front, node, key, yaml_text(value, None), newline))
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        front = front[:edit.start] + edit.new + front[edit.end:]
    return text[:first] + front + text[first + closing.start():]


def _date_text(value: str, style: str | None) -> str:
    return f"{style}{value}{style}" if style in ("'", '"') else value


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding ``index``."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1


def _insert_key(front: str, node: yaml.MappingNode, key: str, value: str,
                newline: str) -> Edit:
    last = node.value[-1][1] if node.value else None
    if node.flow_style:
        at = last.end_mark.index if last is not None else node.start_mark.index + 1
        return Edit(at, at, f", {key}: {value}" if last is not None else f"{key}: {value}")
    first_key = node.value[0][0]
    indent = " " * first_key.start_mark.column
    at = _line_end(front, last.end_mark.index)
    return Edit(at, at, f"{indent}{key}: {value}{newline}")


def _resolve(path: Path) -> Path:
    if path.exists():
        return path
    top = git.toplevel(Path.cwd())
    if top is not None and (top / path).exists():
        return top / path
    raise UsageError(f"{path}: no such file")


def record_review(path: Path, date: str, by: str) -> bool:
    """Validate the model, then record the review; False (with findings printed) if invalid."""
    repo = Repository.at(path.parent)
    rel = repo.relative(path)
    raw = read_file(path)  # a regular file within the size limit (a FIFO never blocks)
    if not looks_like_model(raw):
        raise UsageError(f"{path}: not a threat model (no 'threatmodel' key in front matter)")
    result = validate(repo, [rel])
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        for finding in errors:
            print(finding_line(repo.root, finding))
        print_error(f"not recording a review of {path}: fix the model first")
        return False
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    new_text = plan_review(text, date, by)
    new_raw = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    recorded = reviewed_value(new_raw.removeprefix(b"\xef\xbb\xbf"))
    if not isinstance(recorded, dict) or (str(recorded.get("date")), recorded.get("by")) != (
            date, by):
        raise ValueError(f"{path}: the edit did not produce the review it should")
    _write(path, new_raw)
    return True


def _write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".threatmodel-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def run_review(paths: list[Path], by: str | None, on: dt.date | None) -> int:
    """Record a review in each model; returns the exit status."""
    date = (on or today()).isoformat()
    files = [_resolve(p) for p in paths]
    if by is None:
        git.toplevel(files[0].parent)  # a repository git refuses is said before all else
        by = git.config_value(files[0].parent, "user.name")
        if not by:
            raise UsageError("who reviewed? pass --by NAME or set git's user.name")
    status = EXIT_OK
    for path in files:
        try:
            ok = record_review(path, date, by)
        except (ValueError, yaml.YAMLError) as exc:
            print_error(exc)
            ok = False
        if ok:
            print(printable(f"{path}: review recorded ({date}, {by})"), file=sys.stderr)
        else:
            status = EXIT_FAIL
    return status
