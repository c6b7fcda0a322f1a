"""Shared pieces of the interop modules: level numbers, STRIDE words, safe text."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..format.model import STRIDE_NAMES
from ..format.spec import LEVELS, is_id

if TYPE_CHECKING:
    from typing import TypeGuard

# The tag of a threat an import made that no one has judged yet (status untriaged): a
# placeholder, or a finding of the source tool (a pytm finding, an unchecked Threagile risk).
IMPORTED = "imported"
# Likelihood and impact as OTM numbers (0-100): each level is the top of its quarter.
# (Looked up with an optional level: a missing one, None, gets the caller's default.)
LEVEL_NUMBER: dict[str | None, int] = {"low": 25, "medium": 50, "high": 75, "critical": 100}

_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   r"[0-9a-fA-F]{12}")
_STRIDE_WORDS = {name.lower(): letter for letter, name in STRIDE_NAMES.items()}
_STRIDE_WORDS.update({"information disclosure": "I", "info disclosure": "I", "dos": "D",
                      "denial-of-service": "D", "elevation of privileges": "E",
                      "elevation-of-privilege": "E", "privilege escalation": "E",
                      "information-disclosure": "I"})


def level_from_number(value: Any) -> str | None:
    """An OTM number (0-100) as a level: 1-25 low, 26-50 medium, 51-75 high, above critical.

    0, a missing value or anything that is not a number means "not rated".
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    if value <= 0:
        return None
    for level in LEVELS:
        if value <= LEVEL_NUMBER[level]:
            return level
    return "critical"


def stride_letter(word: Any) -> str | None:
    """The STRIDE letter of a category word ('Spoofing', 'Information disclosure', 'S')."""
    if not isinstance(word, str):
        return None
    cleaned = " ".join(word.strip().split()).lower()
    if len(cleaned) == 1 and cleaned.upper() in STRIDE_NAMES:
        return cleaned.upper()
    return _STRIDE_WORDS.get(cleaned)


def is_slug(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a valid id of the format."""
    return is_id(value)


def is_uuid(value: Any) -> bool:
    """Whether ``value`` looks like a UUID (a tool-made id, not a name people cite)."""
    return isinstance(value, str) and bool(_UUID.fullmatch(value))


def slugify(text: str, limit: int = 48) -> str:
    """A slug made from a name: lower case words joined by '-', or '' when none is left."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(words)[:limit].strip("-")
    return slug


def text(value: Any) -> str | None:
    """A non-empty string, stripped, or ``None``."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def texts(value: Any) -> list[str]:
    """The non-empty strings of a list (anything else gives ``[]``)."""
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def items(value: Any) -> list:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def mapping(value: Any) -> dict:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def one_line(value: str) -> str:
    """Text on one line: runs of whitespace (newlines included) become one space."""
    return " ".join(value.split())


_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]!|~])")


def md_escape(value: str) -> str:
    """Untrusted text made inert in Markdown: no raw HTML, links, code, emphasis or
    attribute lists (``{: onclick=...}``), and no table cell breaks."""
    return _MD_SPECIALS.sub(r"\\\1", html.escape(value, quote=False))


def md_inline(value: str) -> str:
    """Untrusted text for one line of Markdown (a table cell, a list item)."""
    return md_escape(one_line(value))



def need(cond: bool, path: str, what: str, message: str) -> None:
    """Refuse an import file that is not ``what`` (one line, exit 1), saying why."""
    if not cond:
        raise InputError(f"{path}: not {what}: {message}")


def entries(data: dict, key: str, path: str, what: str, fields: tuple[str, ...] = ()
            ) -> list[dict]:
    """``data[key]`` as a list of mappings that each give a text for every field in
    ``fields`` (an absent key is an empty list); anything else refuses the file."""
    value = data.get(key)
    if value is None:
        return []
    need(isinstance(value, list), path, what, f"'{key}' must be a list")
    for i, item in enumerate(value):
        need(isinstance(item, dict), path, what, f"{key}[{i}] must be a mapping")
        for name in fields:
            need(isinstance(item.get(name), str), path, what, f"{key}[{i}] has no text '{name}'")
    return value
