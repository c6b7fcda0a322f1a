"""Schema checks (TM1xx): keys, types, allowed values, dates and ids, against :mod:`spec`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from ..findings.finding import Finding
from ..format.source import SourceFile
from ..format.spec import (
    DATE_FORM,
    DURATION_FORM,
    FORMAT_VERSION,
    ID_FORM,
    MODEL,
    MOMENT_FORM,
    Type,
)
from ..format.yaml_errors import key_without_space

_ID = re.compile(ID_FORM)  # matched with fullmatch: the whole value, no final newline
_DATE = re.compile(DATE_FORM)
_MOMENT = re.compile(MOMENT_FORM)
_DURATION = re.compile(DURATION_FORM)
_KIND = {str: "text", int: "a number", float: "a number", bool: "a boolean",
         type(None): "empty", list: "a list", dict: "a mapping"}


def check_schema(src: SourceFile) -> list[Finding]:
    """Every schema finding of a read front matter."""
    out: list[Finding] = []
    _check(src, MODEL, src.data, (), out)
    return out


def _kind(value: Any) -> str:
    return _KIND.get(type(value), type(value).__name__)


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "front matter"


def _bad(src: SourceFile, path: tuple, code: str, message: str,
         hint: str | None = None) -> Finding:
    return Finding(src.path, src.at(path), code, message, hint=hint)


def _check(src: SourceFile, t: Type, value: Any, path: tuple, out: list[Finding]) -> None:
    name = t.name
    if (name == "text" or name == "glob") and value.__class__ is str:  # the common case
        return
    if name == "object":
        if not isinstance(value, dict):
            hint = key_without_space(value) if isinstance(value, str) else None
            out.append(_bad(src, path, "TM102",
                            f"'{_where(path)}' must be a mapping, not {_kind(value)}", hint))
            return
        fields = t.fields
        for key, item in value.items():
            spec = fields.get(key)
            if spec is not None:
                _check(src, spec.type, item, path + (key,), out)
                continue
            close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else (
                "allowed keys: " + ", ".join(fields))
            out.append(Finding(src.path, src.at(path + (key,), key=True), "TM101",
                               f"unknown key '{key}' in {_where(path)}", hint=hint))
        for key, f in fields.items():
            if f.required and key not in value:
                out.append(_bad(src, path, "TM106",
                                f"{_where(path)} is missing required key '{key}'"))
        return
    if name == "list":
        if not isinstance(value, list):
            hint = None
            if isinstance(value, str):
                hint = f"write '{path[-1]}: [{', '.join(_as_items(value, t.item_type))}]'"
            out.append(_bad(src, path, "TM102",
                            f"'{_where(path)}' must be a list, not {_kind(value)}", hint))
            return
        item_type = t.item_type
        for i, item in enumerate(value):
            _check(src, item_type, item, path + (i,), out)
        return
    if name == "map":
        if not isinstance(value, dict):
            out.append(_bad(src, path, "TM102",
                            f"'{_where(path)}' must be a mapping, not {_kind(value)}"))
            return
        for key, item in value.items():
            if not isinstance(key, str) or not _ID.fullmatch(key):
                out.append(Finding(src.path, src.at(path + (key,), key=True), "TM107",
                                   f"'{_where(path)}' key {key!r} is not an id"))
                continue
            _check(src, t.item_type, item, path + (key,), out)
        return
    if name == "bool":
        if not isinstance(value, bool):
            hint = "write true or false" + (" (without quotes)" if isinstance(value, str)
                                             and value.lower() in ("true", "false") else "")
            out.append(_bad(src, path, "TM102", f"'{_where(path)}' must be true or false, not "
                            f"{_kind(value)}", hint))
        return
    if name == "version":
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(_bad(src, path, "TM102",
                            f"'{_where(path)}' must be the number {FORMAT_VERSION}"))
        elif value != FORMAT_VERSION:
            out.append(_bad(src, path, "TM108", f"format version {value} is not supported "
                            f"(this release reads {FORMAT_VERSION})"))
        return
    if name == "id" and (value is None or isinstance(value, (int, float, bool))):
        out.append(_bad(src, path, "TM105", f"'{_where(path)}' would be read by YAML as "
                        f"{_kind(value)} ({value!r}), not text",
                        "quote the id, or start it with a letter"))
        return
    if not isinstance(value, str):
        hint = "quote the value" if isinstance(value, (int, float, bool)) else None
        out.append(_bad(src, path, "TM102", f"'{_where(path)}' must be text, not "
                        f"{_kind(value)}", hint))
        return
    if name == "id" and not _ID.fullmatch(value):
        out.append(_bad(src, path, "TM107", f"'{_where(path)}' {value!r} is not an id: use "
                        "letters, digits, '.', '_' and '-', starting with a letter or digit"))
    elif name == "date" and not _valid_date(value):
        out.append(_bad(src, path, "TM104", f"'{_where(path)}' {value!r} is not a date",
                        "write the date as YYYY-MM-DD"))
    elif name == "moment" and not _valid_moment(value):
        out.append(_bad(src, path, "TM104", f"'{_where(path)}' {value!r} is not a date",
                        "write the date as YYYY-MM-DD, or YYYY-MM-DDTHH:MM with its time"))
    elif name == "duration" and not _DURATION.fullmatch(value):
        out.append(_bad(src, path, "TM107", f"'{_where(path)}' {value!r} is not a duration",
                        "write it as 180d or 26w"))
    elif name == "enum" and value not in t.values:
        letters = _letters(value, t)
        close = _meant(value, t)
        hint = (f"write each as its own item: {', '.join(letters)}" if letters else
                f"did you mean '{close[0]}'?" if close else None)
        out.append(_bad(src, path, "TM103", f"'{_where(path)}' is {value!r}; allowed: "
                        f"{', '.join(t.values)}", hint))


def _meant(value: str, t: Type) -> list[str]:
    """The allowed value someone writing ``value`` most likely meant: a known synonym first
    (so 'very-high' is 'critical', not the close spelling 'high'), then the same word in
    other case, then a close spelling."""
    meant = _meant_exactly(value, t)
    if meant is not None:
        return [meant]
    return difflib.get_close_matches(value, t.values, n=1, cutoff=0.5)


def _letters(value: str, t: Type) -> list[str] | None:
    """``value`` as a run of one-letter values ('ST' is S and T), or ``None``."""
    word = value.strip().upper()
    singles = {v for v in t.values if len(v) == 1}
    if len(word) > 1 and singles and all(c in singles for c in word):
        return list(word)
    return None


def _as_items(value: str, t: Type) -> list[str]:
    """The items someone writing ``value`` for a list meant: 'ST' is S and T, 'Tampering'
    is T, 'S, T' is S and T; anything unknown stays as written."""
    if t.name != "enum":
        return [value]
    parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()] or [value]
    out: list[str] = []
    for part in parts:
        if part in t.values:
            out.append(part)
        elif (letters := _letters(part, t)) is not None:
            out += letters
        else:
            meant = _meant_exactly(part, t)
            out.append(meant if meant is not None else part)
    return out


def _meant_exactly(value: str, t: Type) -> str | None:
    """The allowed value ``value`` names by a known synonym or in other case, else None."""
    word = value.strip().lower().replace("_", "-")
    for candidate in (word, word.replace("-", " ")):
        if candidate in t.synonyms:
            return t.synonyms[candidate]
    return next((v for v in t.values if v.lower() == word), None)


def _valid_moment(value: str) -> bool:
    """A date, or a date and time of day that exist (no 25:00, no 2026-02-30)."""
    if not _MOMENT.fullmatch(value) or not _valid_date(value[:10]):
        return False
    if len(value) == 10:
        return True
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
