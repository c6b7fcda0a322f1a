"""The STRIDE threat table of a model page: one row per threat, its id a permalink."""

from __future__ import annotations

from ..format.model import Model, Threat
from .badges import (
    WITHHELD,
    level_pair,
    risk_badge,
    risk_of,
    status_badge,
    status_class,
    stride_letters,
    table,
    ticket_cell,
)
from .escape import anchor, h, safe_url
from .site import Site


def target_links(model: Model, threat: Threat, anchors: bool) -> str:
    out = []
    for target in threat.targets:
        kind = model.target_type(target)
        element = model.element(target)
        if element is not None:
            name, prefix = element.name, "element-"
        else:
            flow = next((f for f in model.flows if f.id == target), None)
            name, prefix = ((flow.label or flow.id), "flow-") if flow else (target, "")
        text = h(name)
        if anchors and kind is not None:
            text = f'<a href="#{anchor(prefix, target)}">{text}</a>'
        out.append(text)
    return ", ".join(out)


def _mitigation(threat: Threat) -> str:
    parts = []
    if threat.mitigation:
        parts.append(f'<div class="tm-text">{h(threat.mitigation)}</div>')
    if threat.status == "not-applicable" and threat.rationale:
        parts.append(f'<div class="tm-text"><em>Not applicable:</em> {h(threat.rationale)}</div>')
    if threat.status == "accepted" and threat.acceptance is not None:
        acc = threat.acceptance
        who = h(acc.by or "?")
        when = h(acc.date.isoformat()) if acc.date else "?"
        until = f", until {h(acc.expires.isoformat())}" if acc.expires else ""
        parts.append(f'<div class="tm-text"><em>Accepted by {who} on {when}{until}.</em> '
                     f'{h(acc.rationale or "")}</div>')
    if threat.tests:
        tests = "".join(f"<li><code>{h(t)}</code></li>" for t in threat.tests)
        parts.append(f'<div class="tm-tests"><span class="tm-label">Tests</span><ul>{tests}'
                     "</ul></div>")
    if threat.references:
        refs = []
        for ref in threat.references:
            url = safe_url(ref)
            refs.append(f'<a href="{h(url)}" rel="noopener">{h(ref)}</a>' if url else h(ref))
        parts.append(f'<div class="tm-refs">{", ".join(refs)}</div>')
    return "".join(parts)


def row(model: Model, threat: Threat, site: Site, anchors: bool) -> str:
    withheld = site.options.withheld(threat)
    risk = risk_of(threat)
    tid = h(threat.id)
    if withheld:
        what = f'<span class="tm-withheld">{WITHHELD}</span>'
        mitigation = ""
    else:
        what = f'<strong class="tm-title">{h(threat.title)}</strong>'
        targets = target_links(model, threat, anchors)
        if targets:
            what += f'<div class="tm-targets">on {targets}</div>'
        elif not threat.targets:
            what += ('<div class="tm-targets tm-unplaced">unplaced: it names no element or '
                     'flow yet</div>')
        if threat.story:
            what += f'<div class="tm-text tm-story">{h(threat.story)}</div>'
        mitigation = _mitigation(threat)
    owner = h(threat.owner) if threat.owner else '<span class="tm-overdue">no owner</span>'
    return (f'<tr id="{tid}" class="tm-threat tm-row-{status_class(threat.status)}">'
            f'<td class="tm-id" data-sort="{tid}"><a class="tm-permalink" href="#{tid}" '
            f'title="Link to this threat">{tid}</a>'
            f'<div class="tm-stride">{stride_letters(threat.stride)}</div></td>'
            f"<td>{what}</td>"
            f'<td data-sort="{risk.score if risk else 0}">{risk_badge(risk)}{level_pair(threat)}'
            f'<div class="tm-status">{status_badge(threat.status)}</div></td>'
            f'<td data-sort="{h(threat.owner or "")}">{owner}'
            f'<div class="tm-ticket">{ticket_cell(site, threat.ticket)}</div></td>'
            f"<td>{mitigation}</td></tr>")


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    if not model.threats:
        return '<p class="tm-muted">No threats recorded yet.</p>'
    rows = [row(model, t, site, anchors) for t in model.threats]
    head = ["Threat", "What could happen", "Risk and status", "Owner and ticket",
            "Mitigation and tests"]
    note = ""
    if any(site.options.withheld(t) for t in model.threats):
        note = ('<p class="tm-note">This site leaves out the details of threats that are not '
                "mitigated yet.</p>")
    return note + table(head, rows, "tm-threats", sortable=True)
