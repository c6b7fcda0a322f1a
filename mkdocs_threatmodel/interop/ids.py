"""Ids for imported entries, and the table that keeps the source's own ids.

The source's id is kept when it is a valid id and not a UUID (people cite such ids in
tickets and tests); otherwise an id is made from the entry's name, or for threats from
the model id (``checkout-001``). Kept ids win over made ones, so that a made id never
takes an id the source chose. Every id that differs from the source's is listed in a
table in the body, after a marker comment that :func:`read_id_table` finds again, so that
an export can give the other tool its own ids back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .common import is_slug, is_uuid, md_inline, slugify

if TYPE_CHECKING:
    from typing import TypeGuard

TABLE_MARKER = "<!-- threatmodel: source ids ({fmt}) -->"
_KINDS = "model|asset|boundary|element|flow|threat|mitigation|assumption"
_ROW = re.compile(rf"^\| ({_KINDS}) \| `([^`|]+)` \| `([^`|]+)` \|", re.MULTILINE)
_SAFE_ID = re.compile(r"[^`|\\<>\s]{1,200}")

def keepable(source_id: str | None) -> TypeGuard[str]:
    """Whether a source's id can stay as it is."""
    return is_slug(source_id) and not is_uuid(source_id) and len(source_id) <= 80


class IdMaker:
    """Hands out ids unique within one model (one namespace for every kind)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.used: set[str] = set()
        self.taken = taken or set()  # ids used elsewhere (threat ids of other models)
        self.rows: list[tuple[str, str, str, str]] = []  # kind, id here, source id, name

    def free(self, candidate: str) -> bool:
        return candidate not in self.used and candidate not in self.taken

    def unique(self, base: str) -> str:
        candidate, n = base, 2
        while not self.free(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def claim(self, kind: str, new: str, source_id: str | None, name: str) -> str:
        self.used.add(new)
        if source_id is not None and source_id != new:
            self.rows.append((kind, new, source_id, name))
        return new

    def keep(self, kind: str, wanted: str | None, source_id: str | None, name: str) -> str | None:
        """``wanted`` when it can stay, else ``None`` (then call :meth:`make`)."""
        if keepable(wanted) and self.free(wanted):
            return self.claim(kind, wanted, source_id, name)
        return None

    def make(self, kind: str, base: str, source_id: str | None, name: str) -> str:
        return self.claim(kind, self.unique(base), source_id, name)


def name_base(name: str, fallback: str) -> str:
    """The base of an id made from a name."""
    return slugify(name) or fallback


def id_table(rows: list[tuple[str, str, str, str]], fmt: str, tool: str,
             exportable: bool = True) -> list[str]:
    """Markdown lines of the id table (empty when no id changed)."""
    if not rows:
        return []
    back = (f"an export to {tool} gives them back." if exportable else
            "they are kept here so that findings and tickets that cite them can be traced.")
    lines = [f"## Ids in {tool}", "",
             f"These ids differ from the ids {tool} used; {back}", "",
             TABLE_MARKER.format(fmt=fmt), "",
             f"| kind | id here | id in {tool} | name |", "|---|---|---|---|"]
    for kind, new, source_id, name in rows:
        shown = f"`{source_id}`" if _SAFE_ID.fullmatch(source_id) else md_inline(source_id)
        lines.append(f"| {kind} | `{new}` | {shown} | {md_inline(name)} |")
    return lines + [""]


def read_id_table(body: str, fmt: str) -> dict[str, str]:
    """Our id -> the source's id, from a model body's id table for ``fmt``."""
    marker = TABLE_MARKER.format(fmt=fmt)
    start = body.find(marker)
    if start < 0:
        return {}
    end = body.find("\n\n", body.find("| kind |", start))
    section = body[start:end if end > 0 else len(body)]
    out: dict[str, str] = {}
    for _kind, new, source_id in _ROW.findall(section):
        out.setdefault(new, source_id)
    return out
