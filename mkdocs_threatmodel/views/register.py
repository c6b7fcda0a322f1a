"""The threat register: every threat of every model, grouped by risk band, then status.

Each group's table is sortable by any column in the browser; without JavaScript it
stays in risk-then-status order.
"""

from __future__ import annotations

from ..format.model import Model, Threat
from .badges import (
    BANDS,
    STATUS_ORDER,
    STATUS_TEXT,
    WITHHELD,
    level_pair,
    model_link,
    plural,
    risk_badge,
    risk_of,
    status_badge,
    stride_letters,
    table,
    threat_link,
    ticket_cell,
)
from .blocks import Block, Heading, Html
from .escape import h
from .heatmap import render as heatmap
from .site import Site
from .suggestions import register_counts

GROUP_TEXT = {"critical": "Critical risk", "high": "High risk", "medium": "Medium risk",
              "low": "Low risk", "unrated": "Not rated"}


def _row(threat: Threat, model: Model, site: Site, current: str) -> str:
    risk = risk_of(threat)
    title = (f'<span class="tm-withheld">{WITHHELD}</span>' if site.options.withheld(threat)
             else h(threat.title))
    return (f"<tr><td>{threat_link(site, threat, model, current)}</td>"
            f"<td>{title}</td>"
            f"<td>{model_link(site, model, current)}</td>"
            f'<td class="tm-stride">{stride_letters(threat.stride)}</td>'
            f'<td data-sort="{risk.score if risk else 0}">{risk_badge(risk)}{level_pair(threat)}'
            "</td>"
            f'<td data-sort="{STATUS_ORDER.get(threat.status, 9)}">'
            f"{status_badge(threat.status)}</td>"
            f'<td>{h(threat.owner or "")}</td><td>{ticket_cell(site, threat.ticket)}</td></tr>')


def render(site: Site, current: str) -> list[Block]:
    groups: dict[str, list[tuple[Threat, Model]]] = {}
    statuses: dict[str, int] = {}
    for threat, model in site.all_threats():
        band = risk_of(threat).band if risk_of(threat) else "unrated"
        groups.setdefault(band, []).append((threat, model))
        statuses[threat.status] = statuses.get(threat.status, 0) + 1
    total = sum(len(v) for v in groups.values())
    if not total:
        return [Html('<p class="tm-muted">No threats recorded yet.</p>'
                     + register_counts(site, current))]
    counts = " ".join(
        f'<span class="tm-count tm-status-{s if s in STATUS_ORDER else "unknown"}">'
        f'{n} {h(STATUS_TEXT.get(s, s))}</span>'
        for s, n in sorted(statuses.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9)))
    jump = " ".join(f'<a class="tm-badge tm-risk-{b if b != "unrated" else "none"}" '
                    f'href="#tm-register-{b}">{len(groups[b])} {GROUP_TEXT[b].lower()}</a>'
                    for b in (*BANDS, "unrated") if b in groups)
    intro = (f'<p class="tm-summary"><strong>{plural(total, "threat")}</strong> in '
             f'{plural(len(site.models), "model")}: {counts}</p>'
             f'<p class="tm-summary">By risk: {jump}</p>' + register_counts(site, current))
    if any(site.options.withheld(t) for t, _ in site.all_threats()):
        intro += ('<p class="tm-note">This site leaves out the details of threats that are not '
                  "mitigated yet.</p>")
    blocks: list[Block] = [Html(intro + heatmap(list(site.all_threats()), site, current,
                                                "tm-register-heat", "tm-register-"))]
    head = ["ID", "Threat", "Model", "STRIDE", "Risk", "Status", "Owner", "Ticket"]
    for band in (*BANDS, "unrated"):
        items = groups.get(band)
        if not items:
            continue
        items.sort(key=lambda tm: (STATUS_ORDER.get(tm[0].status, 9),
                                   -(risk_of(tm[0]).score if risk_of(tm[0]) else 0),
                                   tm[1].title.lower(), tm[0].id))
        rows = [_row(t, m, site, current) for t, m in items]
        blocks.append(Heading(2, f"{GROUP_TEXT[band]} ({len(items)})", f"tm-register-{band}"))
        blocks.append(Html(table(head, rows, "tm-register", sortable=True)))
    return blocks
