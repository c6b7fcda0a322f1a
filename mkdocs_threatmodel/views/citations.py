"""Citing a threat from any page: ``[[threat:CHK-001]]`` becomes a link with a status badge.

Citations inside code (code spans, fenced and indented blocks, found by markdown-it-py: see
:mod:`.markdown`) stay as written, so the syntax can be documented. An unknown id is
reported and left as written.
"""

from __future__ import annotations

import re

from .badges import status_badge
from .escape import h
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
