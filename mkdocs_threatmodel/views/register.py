"""The threat register: every threat of every model, grouped by risk band, then status.

A threat that gives some targets their own status or rating has a row per target (see
:mod:`.targets`). Untriaged candidates are counted and listed apart, after the bands.
Each group's table is sortable by any column in the browser; without JavaScript it
stays in risk-then-status order.
"""

from __future__ import annotations

from ..format.model import Model, TargetView
from ..format.spec import UNTRIAGED
from .badges import (
    BANDS,
    STATUS_ORDER,
    STATUS_TEXT,
    WITHHELD,
    model_link,
    plural,
    risk_badge,
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
from .targets import entries, name_of

GROUP_TEXT = {"critical": "Critical risk", "high": "High risk", "medium": "Medium risk",
              "low": "Low risk", "unrated": "Not rated", UNTRIAGED: "Candidates to triage"}
GROUP_BADGE = {"unrated": "none", UNTRIAGED: "untriaged"}


def _levels(entry: TargetView) -> str:
    if not entry.likelihood and not entry.impact:
        return ""
    return (f'<span class="tm-li">L {h(entry.likelihood or "?")} &times; '
            f'I {h(entry.impact or "?")}</span>')


def _row(entry: TargetView, model: Model, site: Site, current: str) -> str:
    threat, risk = entry.threat, entry.risk
    title = (f'<span class="tm-withheld">{WITHHELD}</span>' if site.options.withheld(threat)
             else h(threat.title))
    if entry.target:
        title += f' <span class="tm-muted">on {h(name_of(model, entry.target)[0])}</span>'
    return (f"<tr><td>{threat_link(site, threat, model, current)}</td>"
            f"<td>{title}</td>"
            f"<td>{model_link(site, model, current)}</td>"
            f'<td class="tm-stride">{stride_letters(threat.stride)}</td>'
            f'<td data-sort="{risk.score if risk else 0}">{risk_badge(risk)}{_levels(entry)}'
            "</td>"
            f'<td data-sort="{STATUS_ORDER.get(entry.status, 9)}">'
            f"{status_badge(entry.status)}</td>"
            f'<td>{h(threat.owner or "")}</td><td>{ticket_cell(site, entry.ticket)}</td></tr>')


def render(site: Site, current: str) -> list[Block]:
    groups: dict[str, list[tuple[TargetView, Model]]] = {}
    statuses: dict[str, int] = {}
    for threat, model in site.all_threats():
        for entry in entries(threat):
            band = (UNTRIAGED if entry.status == UNTRIAGED
                    else entry.risk.band if entry.risk else "unrated")
            groups.setdefault(band, []).append((entry, model))
            statuses[entry.status] = statuses.get(entry.status, 0) + 1
    total = sum(len(v) for v in groups.values())
    if not total:
        return [Html('<p class="tm-muted">No threats recorded yet.</p>'
                     + register_counts(site, current))]
    counts = " ".join(
        f'<span class="tm-count tm-status-{s if s in STATUS_ORDER else "unknown"}">'
        f'{n} {h(STATUS_TEXT.get(s, s))}</span>'
        for s, n in sorted(statuses.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9)))
    jump = " ".join(f'<a class="tm-badge tm-risk-{GROUP_BADGE.get(b, b)}" '
                    f'href="#tm-register-{b}">{len(groups[b])} {GROUP_TEXT[b].lower()}</a>'
                    for b in (*BANDS, "unrated") if b in groups)
    triaged = total - len(groups.get(UNTRIAGED, []))
    threats = sum(len(m.threats) for m in site.models)
    split = f" ({total} when counted per target)" if total != threats else ""
    intro = (f'<p class="tm-summary"><strong>{plural(threats, "threat")}</strong>{split} in '
             f'{plural(len(site.models), "model")}: {counts}</p>'
             f'<p class="tm-summary">By risk: {jump or "none triaged"}</p>'
             + register_counts(site, current))
    if UNTRIAGED in groups:
        n = len(groups[UNTRIAGED])
        intro += (f'<p class="tm-summary">{plural(triaged, "threat")} triaged, and '
                  f'<a class="tm-badge tm-status-untriaged" href="#tm-register-{UNTRIAGED}">'
                  f"{plural(n, 'candidate')} to triage</a>, not yet judged or rated.</p>")
    if any(site.options.withheld(t) for t, _ in site.all_threats()):
        intro += ('<p class="tm-note">This site leaves out the details of threats that are not '
                  "mitigated yet.</p>")
    blocks: list[Block] = [Html(intro + heatmap(list(site.all_threats()), site, current,
                                                "tm-register-heat", "tm-register-"))]
    head = ["ID", "Threat", "Model", "STRIDE", "Risk", "Status", "Owner", "Ticket"]
    for band in (*BANDS, "unrated", UNTRIAGED):
        items = groups.get(band)
        if not items:
            continue
        items.sort(key=lambda em: (STATUS_ORDER.get(em[0].status, 9),
                                   -(em[0].risk.score if em[0].risk else 0),
                                   em[1].title.lower(), em[0].threat.id, em[0].target))
        rows = [_row(t, m, site, current) for t, m in items]
        blocks.append(Heading(2, f"{GROUP_TEXT[band]} ({len(items)})", f"tm-register-{band}"))
        blocks.append(Html(table(head, rows, "tm-register", sortable=True)))
    return blocks
