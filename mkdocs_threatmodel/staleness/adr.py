"""Reading an ADR's status: is it superseded, and by what?

Three common styles are understood: MADR front matter (``status: superseded by
...``) or MADR 2's ``* Status: superseded by ...`` line, adr-tools' ``## Status``
section ("Superseded by ..." or the old misspelling "Superceded by ..."), and
log4brains' ``- Status: superseded by ...`` line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..format.frontmatter import OPENING, closing_index
from ..format.source import read_yaml

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_SUPERSEDED = re.compile(r"super[sc]eded\s+by\b[\s:]*(.*)", re.IGNORECASE | re.DOTALL)
_STATUS_LINE = re.compile(r"^\s*status\s*:\s*(super[sc]eded\s+by\b.*)$",
                          re.IGNORECASE | re.MULTILINE)
_MENTION = re.compile(r"super[sc]eded", re.IGNORECASE)  # no mention: nothing to parse
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_md: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        from markdown_it import MarkdownIt  # only when an ADR is read: not on every run

        _md = MarkdownIt("commonmark")
    return _md


def superseded_by(text: str) -> str | None:
    """What supersedes the ADR (a link target or its words), or ``None`` if it is not."""
    body = text
    if text.startswith(OPENING):
        lines = text.splitlines(keepends=True)
        end = closing_index(lines)
        if end is not None:
            front = read_yaml("adr", "".join(lines[1:end]).encode("utf-8"))
            status = front.data.get("status") if isinstance(front.data, dict) else None
            if isinstance(status, str):
                found = _SUPERSEDED.search(status)
                if found:
                    return _name(found[1])
            body = "".join(lines[end + 1:])
    return _from_body(body) if _MENTION.search(body) else None


def _from_body(body: str) -> str | None:
    tokens = _parser().parse(body)
    in_status = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip().lower()
            in_status = title == "status"
            continue
        if token.type != "inline":
            continue
        line = _STATUS_LINE.search(token.content)
        # (the status line's words are what _SUPERSEDED matches: it always finds them)
        if line and (words := _SUPERSEDED.search(line[1])) is not None:
            return _name(words[1])
        if in_status:
            found = _SUPERSEDED.search(token.content)
            if found:
                return _name(found[1])
    return None


def _name(rest: str) -> str:
    """The superseding ADR, from the words after "superseded by"."""
    rest = rest.strip().splitlines()[0].strip() if rest.strip() else ""
    link = _LINK.search(rest)
    if link:
        text, target = link[1].strip(), link[2].strip()
        return f"{text} ({target})" if text and text != target else target
    return rest.strip(" .") or "another ADR"
