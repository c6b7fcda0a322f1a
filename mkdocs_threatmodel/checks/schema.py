"""Schema checks (TM1xx): keys, types, allowed values, dates and ids, against :mod:`spec`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding
from ..source import SourceFile
from ..spec import DATE_PATTERN, DURATION_PATTERN, FORMAT_VERSION, ID_PATTERN, MODEL, Type

_ID = re.compile(ID_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_DURATION = re.compile(DURATION_PATTERN)
_KIND = {str: "text", int: "a number", float: "a number", bool: "a boolean",
         type(None): "empty", list: "a list", dict: "a mapping"}


def check_schema(src: SourceFile) -> Iterator[Finding]:
    """Every schema finding of a read front matter."""
    yield from _check(src, MODEL, src.data, ())


def _kind(value: Any) -> str:
    return _KIND.get(type(value), type(value).__name__)


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "front matter"


def _check(src: SourceFile, t: Type, value: Any, path: tuple) -> Iterator[Finding]:
    def bad(code: str, message: str, hint: str | None = None, key: bool = False) -> Finding:
        return Finding(src.path, src.at(path, key=key), code, message, hint=hint)

    if t.name == "object":
        if not isinstance(value, dict):
            yield bad("TM102", f"'{_where(path)}' must be a mapping, not {_kind(value)}")
            return
        for key, item in value.items():
            if key in t.fields:
                yield from _check(src, t.fields[key].type, item, path + (key,))
                continue
            close = difflib.get_close_matches(key, list(t.fields), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else (
                "allowed keys: " + ", ".join(t.fields))
            yield Finding(src.path, src.at(path + (key,), key=True), "TM101",
                          f"unknown key '{key}' in {_where(path)}", hint=hint)
        for key, f in t.fields.items():
            if f.required and key not in value:
                yield bad("TM106", f"{_where(path)} is missing required key '{key}'")
        return
    if t.name == "list":
        if not isinstance(value, list):
            hint = f"write '{path[-1]}: [{value}]'" if isinstance(value, str) else None
            yield bad("TM102", f"'{_where(path)}' must be a list, not {_kind(value)}", hint)
            return
        for i, item in enumerate(value):
            yield from _check(src, t.item, item, path + (i,))
        return
    if t.name == "version":
        if not isinstance(value, int) or isinstance(value, bool):
            yield bad("TM102", f"'{_where(path)}' must be the number {FORMAT_VERSION}")
        elif value != FORMAT_VERSION:
            yield bad("TM108", f"format version {value} is not supported (this release reads "
                      f"{FORMAT_VERSION})")
        return
    if t.name == "id" and (value is None or isinstance(value, (int, float, bool))):
        yield bad("TM105", f"'{_where(path)}' would be read by YAML as {_kind(value)} "
                  f"({value!r}), not text", "quote the id, or start it with a letter")
        return
    if not isinstance(value, str):
        hint = "quote the value" if isinstance(value, (int, float, bool)) else None
        yield bad("TM102", f"'{_where(path)}' must be text, not {_kind(value)}", hint)
        return
    if t.name == "id" and not _ID.match(value):
        yield bad("TM107", f"'{_where(path)}' {value!r} is not an id: use letters, digits, "
                  "'.', '_' and '-', starting with a letter or digit")
    elif t.name == "date" and not _valid_date(value):
        yield bad("TM104", f"'{_where(path)}' {value!r} is not a date",
                  "write the date as YYYY-MM-DD")
    elif t.name == "duration" and not _DURATION.match(value):
        yield bad("TM107", f"'{_where(path)}' {value!r} is not a duration",
                  "write it as 180d or 26w")
    elif t.name == "enum" and value not in t.values:
        close = difflib.get_close_matches(value, t.values, n=1, cutoff=0.5)
        if not close:
            close = [v for v in t.values if v.lower() == value.lower()]
        hint = f"did you mean '{close[0]}'?" if close else None
        yield bad("TM103", f"'{_where(path)}' is {value!r}; allowed: {', '.join(t.values)}",
                  hint)


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
