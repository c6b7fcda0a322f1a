"""``threatmodel review``: record a review in a model, changing nothing else.

Only the text of ``reviewed.date`` and ``reviewed.by`` is replaced (or inserted
when missing); comments, key order, quoting, flow style, the byte order mark
and line endings stay byte for byte. The edit works on source positions, never
by dumping YAML again.

Every review is recorded as a new value, since staleness counts from the commit that
gave ``reviewed`` the value it has now: when the model already records a review by the
same person on the same day, the date gets the time of day (``2026-11-30T14:05``, with
seconds when that minute is taken too).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import EXIT_FAIL, EXIT_OK, InputError, UsageError, print_error, printable
from ..findings.finding import Severity
from ..findings.reports.text import line as finding_line
from ..format.source import front_matter_tree, looks_like_model, read_source
from ..validation.engine import validate
from ..workspace import git
from ..workspace.files import read_file, write_whole
from ..workspace.repository import Repository, today

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


def plan_review(raw: bytes, date: str, by: str) -> bytes:
    """The model's bytes with ``reviewed`` set to ``date`` and ``by``; the rest unchanged.

    The front matter is split and composed by the reader ``validate`` uses, so whatever
    it accepts can be edited (``ValueError`` otherwise).
    """
    text, first, last, root = front_matter_tree(raw)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the front matter is not a mapping")
    front = text[first:last]
    newline = "\r\n" if text[:first].endswith("\r\n") else "\n"
    edits: list[Edit] = []
    entries = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "reviewed" not in entries:
        value = f"{{date: {date}, by: {yaml_text(by, None)}}}"
        anchor = next((entries[k][1] for k in _ANCHORS if k in entries), None)
        edits.append(_insert_key(front, root, "reviewed", value, newline, after=anchor))
    else:
        node = entries["reviewed"][1]
        if not isinstance(node, yaml.MappingNode):
            raise ValueError("'reviewed' is not a mapping")
        fields = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for key, value in (("date", date), ("by", by)):
            if key in fields:
                scalar = fields[key][1]
                if not isinstance(scalar, yaml.ScalarNode):
                    raise ValueError(f"'reviewed.{key}' is not a single value")
                style = scalar.style if scalar.style in ("'", '"') else None
                start, end = scalar.start_mark.index, scalar.end_mark.index
                if scalar.style in ("|", ">"):  # a block scalar: written on one line now
                    end = start + len(front[start:end].rstrip())
                edits.append(Edit(start, end, yaml_text(value, style) if key == "by"
                                  else _date_text(value, style)))
            else:
                edits.append(_insert_key(front, node, key, yaml_text(value, None), newline))
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        front = front[:edit.start] + edit.new + front[edit.end:]
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    return bom + (text[:first] + front + text[last:]).encode("utf-8")


def _date_text(value: str, style: str | None) -> str:
    return f"{style}{value}{style}" if style in ("'", '"') else value


_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding ``index``."""
    if index > 0 and _BREAK.fullmatch(text[index - 1]):
        return index
    found = _BREAK.search(text, index)
    return len(text) if found is None else found.end()


def _insert_key(front: str, node: yaml.MappingNode, key: str, value: str, newline: str,
                after: yaml.Node | None = None) -> Edit:
    """An edit adding ``key: value`` to a mapping: after the entry whose value is ``after``,
    else last; in the mapping's own style and indentation."""
    last = node.value[-1][1] if node.value else None
    if node.flow_style:
        at = (after or last).end_mark.index if last is not None else node.start_mark.index + 1
        return Edit(at, at, f", {key}: {value}" if last is not None else f"{key}: {value}")
    indent = " " * node.value[0][0].start_mark.column
    at = _line_end(front, (after or node.value[-1][1]).end_mark.index)  # (so last)
    lead = newline if at == len(front) and front and not _BREAK.fullmatch(front[-1]) else ""
    return Edit(at, at, f"{lead}{indent}{key}: {value}{newline}")


def _resolve(path: Path) -> Path:
    if path.exists():
        return path
    top = git.toplevel(Path.cwd())
    if top is not None and (top / path).exists():
        return top / path
    raise InputError(f"{path}: no such file")


class AlreadyRecorded(Exception):
    """The date given (``--date``) and the reviewer are what the model records already."""


def new_stamp(date: str, by: str, recorded: object, given: bool = False,
              now: dt.datetime | None = None) -> str:
    """What to write as ``reviewed.date`` (``recorded`` is the model's ``reviewed``).

    Today's review (``given`` false) is ``date``, with the time of day when the model
    already records a review by ``by`` on that day. A date given is written as given;
    :class:`AlreadyRecorded` when the model records it, and ``by``, already.
    """
    if not isinstance(recorded, dict) or recorded.get("by") != by:
        return date
    old = recorded.get("date")
    if given:
        if old == date:
            time = (now or dt.datetime.now()).strftime("%H:%M")
            raise AlreadyRecorded(
                f"already records this review ({date}, {by}): nothing written"
                + ("" if len(date) > 10 else
                   f"; to record another that day, give its time: --date {date}T{time}"))
        return date
    if not isinstance(old, str) or old[:10] != date:
        return date
    now = now or dt.datetime.now()
    stamp = f"{date}T{now:%H:%M}"
    return stamp if stamp != old else f"{date}T{now:%H:%M:%S}"


def record_review(path: Path, date: str, by: str, given: bool = False) -> str | None:
    """Validate the model, then record the review; the date written, or ``None`` (with
    findings printed) if the model is invalid. ``given``: ``date`` is the user's, to be
    written as it is (else today's, see :func:`new_stamp`).

    A symbolic link is written through to its target when that is inside the repository,
    and refused otherwise; the link stays a link.
    """
    repo = Repository.at(path.parent)
    real = _target(path, repo.root)
    rel = repo.relative(real)
    raw = read_file(real)  # a regular file within the size limit (a FIFO never blocks)
    if not looks_like_model(raw):
        raise InputError(f"{path}: not a threat model (no 'threatmodel' key in front matter)")
    result = validate(repo, [rel])
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if errors:
        for finding in errors:
            print(finding_line(repo.root, finding))
        print_error(f"not recording a review of {path}: fix the model first")
        return None
    src = read_source(rel, raw)
    date = new_stamp(date, by, src.data.get("reviewed") if src.ok else None, given)
    new_raw = plan_review(raw, date, by)
    if not _only_review_changed(rel, raw, new_raw, date, by):
        raise ValueError(f"{path}: cannot record the review without changing more than "
                         "'reviewed': record it by hand")
    write_whole(real, new_raw, replace=True)
    return date


def _target(path: Path, root: Path) -> Path:
    """The file to write: ``path``, or the target of a link when it is inside ``root``."""
    real = Path(os.path.realpath(path))
    if real != Path(os.path.abspath(path)) and not real.is_relative_to(root.resolve()):
        raise InputError(f"{path}: a symbolic link to {real}, outside the repository: "
                         "not recording a review there")
    return real


def _only_review_changed(rel: str, before: bytes, after: bytes, date: str, by: str) -> bool:
    """Whether ``after`` reads (as validate reads it) as ``before`` with the new review."""
    old, new = read_source(rel, before), read_source(rel, after)
    if not (old.ok and new.ok) or new.findings or old.body != new.body:
        return False
    review = new.data.get("reviewed")
    if not isinstance(review, dict) or (review.get("date"), review.get("by")) != (date, by):
        return False
    kept = {k: v for k, v in old.data.items() if k != "reviewed"}
    earlier = old.data.get("reviewed") if isinstance(old.data.get("reviewed"), dict) else {}
    return kept == {k: v for k, v in new.data.items() if k != "reviewed"} and \
        {k: v for k, v in earlier.items() if k not in ("date", "by")} == \
        {k: v for k, v in review.items() if k not in ("date", "by")}


def run_review(paths: list[Path], by: str | None, on: dt.date | str | None) -> int:
    """Record a review in each model; returns the exit status. ``on`` is a date, or a
    ``YYYY-MM-DDTHH:MM`` text (the review's time given)."""
    date = on if isinstance(on, str) else (on or today()).isoformat()
    given = on is not None
    files = [_resolve(p) for p in paths]
    if by is None:
        git.toplevel(files[0].parent)  # a repository git refuses is said before all else
        by = git.config_value(files[0].parent, "user.name")
        if not by:
            raise UsageError("who reviewed? pass --by NAME or set git's user.name")
    status = EXIT_OK
    for path in files:
        try:
            written = record_review(path, date, by, given)
        except AlreadyRecorded as exc:
            print(printable(f"{path}: {exc}"), file=sys.stderr)
            continue
        except (ValueError, InputError) as exc:
            print_error(f"{path}: {exc}" if str(path) not in str(exc) else exc)
            written = None
        if written:
            print(printable(f"{path}: review recorded ({written}, {by})"), file=sys.stderr)
        else:
            status = EXIT_FAIL
    return status
