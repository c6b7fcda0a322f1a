"""Citing a threat from any page: ``[[threat:CHK-001]]`` becomes a link with a status badge.

Citations inside code (code spans, fenced and indented blocks, found by markdown-it-py: see
:mod:`.markdown`) stay as written, so the syntax can be documented. An unknown id is
reported and left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .badges import status_badge
from .escape import h
from .markdown import code_flags
from .site import Site

CITATION = re.compile(r"\[\[threat:([A-Za-z0-9][A-Za-z0-9._-]*)\]\]")


def cite(site: Site, threat_id: str, current: str) -> str | None:
    """The inline HTML of one citation, or ``None`` for an unknown id."""
    found = site.threats.get(threat_id)
    if found is None:
        return None
    threat, model = found
    href = site.threat_href(threat, model, current)
    title = f"{threat.title} ({model.title})" if not site.options.withheld(threat) \
        else model.title
    text = h(threat.id)
    link = f'<a class="tm-cite-id" href="{h(href)}" title="{h(title)}">{text}</a>' if href \
        else f'<span class="tm-cite-id" title="{h(title)}">{text}</span>'
    return f'<span class="tm-cite">{link} {status_badge(threat.status)}</span>'


def citing_pages(pages: Iterable[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Which pages cite each threat: ``(site URL, title, Markdown)`` of every page in,
    threat id -> ``[(site URL, title)]`` out (citations in fenced code do not count)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for url, title, text in pages:
        if "[[threat:" not in text:
            continue
        lines = text.splitlines()
        ids: dict[str, None] = {}
        for line, code in zip(lines, code_flags(lines), strict=True):
            if not code and "[[threat:" in line:
                ids.update(dict.fromkeys(CITATION.findall(line)))
        for threat_id in ids:
            found.setdefault(threat_id, []).append((url, title))
    return found
