"""An ADR's status shown by us, under its first heading: ``proposed``, ``accepted``,
``superseded by [0008](0008-....md)``...

MADR keeps an ADR's status in its front matter (``status: superseded by 0008...``), where
themes such as Material read ``status`` as their own page status and draw it as a
navigation icon (``md-status--superseded by 0008...``, a class no style knows). So on an
ADR page the host keeps the value out of the theme's way (see :func:`is_adr_status`) and
places :func:`place` instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .escape import h, md_text
from .markdown import code_flags, h1_line

if TYPE_CHECKING:
    from typing import TypeGuard

# MADR's statuses (and the common extras); "superseded by ..." and "deprecated by ...".
ADR_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded", "draft",
                "approved", "decided", "withdrawn")
_LEADING = re.compile(r"^\s*([A-Za-z]+)\b\s*(?:by\b[\s:]*(.*))?$", re.DOTALL)
_PATH = re.compile(r"^[\w./-]+\.md(?:#[\w-]*)?$")


def is_adr_status(value: object) -> TypeGuard[str]:
    """Whether a page's ``status`` is an ADR's (MADR's vocabulary), not a theme's."""
    if not isinstance(value, str):
        return False
    match = _LEADING.match(value)
    return match is not None and match[1].lower() in ADR_STATUSES


def badge(value: str) -> str:
    """The status as a Markdown paragraph: a badge and, for "superseded by X", X (a link
    when it names a Markdown file, so the host resolves it like any link)."""
    match = _LEADING.match(value)
    word = match[1].lower() if match else "unknown"
    cls = word if word in ADR_STATUSES else "unknown"
    text = f'<span class="tm-badge tm-adr-{cls}">{h(word)}</span>'
    rest = (match[2] or "").strip() if match else value.strip()
    if rest:
        target = rest.split()[0] if rest.split() else ""
        by = f"[{md_text(target)}]({target})" if _PATH.match(target) else md_text(rest)
        text += f" by {by}"
    return f'<span class="tm-adr-status">Status: {text}</span>'


def place(markdown: str, value: str) -> str:
    """The page's Markdown with the status under its first level-1 heading (at the top when
    it has none)."""
    lines = markdown.split("\n")
    line = h1_line(lines, code_flags(lines))
    at = 0 if line is None else line + 1
    return "\n".join(lines[:at] + ["", badge(value), ""] + lines[at:])
