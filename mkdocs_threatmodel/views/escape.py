"""Escaping for untrusted model text: HTML, Markdown, Mermaid labels, URLs and anchors.

Everything a model says is untrusted. Views build HTML only through these
helpers, so that no name, label or story can open a tag, break a table, start
a Mermaid directive or smuggle a ``javascript:`` link.
"""

from __future__ import annotations

import html
import re
from typing import Any

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_URL = re.compile(r"(?:https?://)[^\s<>\"'`\\]+", re.IGNORECASE)
_ANCHOR_BAD = re.compile(r"[^A-Za-z0-9._-]")


def h(value: Any) -> str:
    """Text as HTML (quotes included, so it is also safe inside attributes)."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def one_line(value: Any) -> str:
    """Text with every run of white space (newlines included) made one space."""
    return _SPACE.sub(" ", str(value or "")).strip()


def md_text(value: Any) -> str:
    """Text safe to place in Markdown (a heading or a paragraph): on one line, and every
    character Markdown or an extension could read as syntax written as a numeric reference."""
    out = []
    for ch in one_line(_CONTROL.sub("", str(value or ""))):
        out.append(ch if ch.isalnum() or ch == " " else f"&#{ord(ch)};")
    return "".join(out)


def mermaid_label(value: Any, limit: int = 44) -> str:
    """Text for a quoted Mermaid label: one line, at most ``limit`` characters, and every
    character but letters, digits and spaces written as a Mermaid entity code (``#60;``).

    So a label can close neither its quotes nor its brackets, and cannot hold ``%%``,
    ``:::``, ``-->``, ``|``, backticks or anything Mermaid reads as a directive, a
    ``click`` handler or a link: those characters reach the SVG as text only.
    """
    text = one_line(_CONTROL.sub("", str(value or "")))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    out = []
    for ch in text:
        if ch == " " or (ch.isalnum() and ch.isprintable()):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out) or "#160;"


def safe_url(value: Any) -> str | None:
    """An absolute http(s) URL fit for an ``href``, or ``None``."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if _SAFE_URL.fullmatch(url) else None


def anchor(prefix: str, ident: Any) -> str:
    """An HTML id for a model item: ``prefix`` and the id with unsafe characters replaced."""
    text = _ANCHOR_BAD.sub("-", str(ident or "")) or "x"
    return f"{prefix}{text}"


def slug(value: Any) -> str:
    """A lower-case slug of free text (owner names), for anchors."""
    text = re.sub(r"[^a-z0-9]+", "-", one_line(value).lower()).strip("-")
    return text or "x"


def page_title(value: Any) -> str:
    """A page title for MkDocs' templates, which print titles without escaping (and some
    unescape them again): no ``<`` or ``>`` at all, the rest escaped."""
    text = one_line(_CONTROL.sub("", str(value or "")))
    return html.escape(text.replace("<", "\u2039").replace(">", "\u203a"), quote=True)
