"""The STRIDE threat table of a model page: one row per threat, its id a permalink.

Untriaged candidates get a table of their own ("Candidates to triage"), not mixed with
the judged threats. A row shows what differs per target, the mitigations it cites
(linked to the catalogue when it is on the page), the assumptions it rests on, an
explicit severity with its reason and a CVSS base score.
"""

from __future__ import annotations

from ..format.model import Model, Threat
from .badges import (
    WITHHELD,
    level_pair,
    mitigation_badge,
    risk_badge,
    risk_of,
    status_badge,
    status_class,
    stride_letters,
    table,
    ticket_cell,
)
from .escape import anchor, h, safe_url
from .ratings import cvss_html, severity_html
from .site import Site
from .targets import name_of

HEAD = ["Threat", "What could happen", "Risk and status", "Owner and ticket",
        "Mitigation and tests"]


def target_links(model: Model, threat: Threat, anchors: bool) -> str:
    out = []
    for target in threat.targets:
        name, prefix = name_of(model, target)
        text = h(name)
        if anchors and prefix:
            text = f'<a href="#{anchor(prefix, target)}">{text}</a>'
        out.append(text)
    return ", ".join(out)


def cited_mitigations(threat: Threat) -> list[str]:
    """Ids of the mitigations a threat cites, on itself or on any of its targets."""
    ids = list(threat.mitigations)
    for detail in threat.per_target.values():
        ids += detail.mitigations
    return list(dict.fromkeys(ids))


def _mitigation_refs(model: Model, threat: Threat, linked: frozenset[str]) -> str:
    items = []
    for mid in cited_mitigations(threat):
        found = model.mitigation(mid)
        ref = h(mid)
        if found is not None and "mitigations" in linked:
            ref = f'<a class="tm-mid" href="#{anchor("mitigation-", mid)}">{ref}</a>'
        if found is None:
            items.append(f'<li>{ref} <span class="tm-overdue">unknown mitigation</span></li>')
        else:
            items.append(f"<li>{ref} {mitigation_badge(found.status)} {h(found.title)}</li>")
    if not items:
        return ""
    return (f'<div class="tm-cited-mitigations"><span class="tm-label">Mitigations</span>'
            f'<ul>{"".join(items)}</ul></div>')


def _assumption_refs(model: Model, threat: Threat, linked: frozenset[str]) -> str:
    items = []
    for aid in dict.fromkeys(threat.assumptions):
        found = model.assumption(aid)
        ref = h(aid)
        if found is not None and "assumptions" in linked:
            ref = f'<a class="tm-aid" href="#{anchor("assumption-", aid)}">{ref}</a>'
        if found is None:
            flag = ' <span class="tm-overdue">unknown assumption</span>'
        elif found.status == "invalid":
            flag = ' <span class="tm-badge tm-status-open">invalid</span>'
        else:
            flag = ""
        items.append(f"{ref}{flag}")
    if not items:
        return ""
    return (f'<div class="tm-rests-on"><span class="tm-label">Rests on</span> '
            f'{", ".join(items)}</div>')


def _mitigation(model: Model, threat: Threat, linked: frozenset[str]) -> str:
    parts = []
    if threat.mitigation:
        parts.append(f'<div class="tm-text">{h(threat.mitigation)}</div>')
    parts.append(_mitigation_refs(model, threat, linked))
    if threat.status == "not-applicable" and threat.rationale:
        parts.append(f'<div class="tm-text"><em>Not applicable:</em> {h(threat.rationale)}</div>')
    parts.append(_assumption_refs(model, threat, linked))
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


def _hurts(model: Model, threat: Threat, linked: frozenset[str]) -> str:
    """The assets the threat hurts, and which of C, I and A (linked to the assets table
    when it is on the page)."""
    if not threat.hurts:
        return ""
    names = {a.id: a.name for a in model.assets}
    items = []
    for hurt in threat.hurts:
        name = h(names.get(hurt.asset, hurt.asset))
        if hurt.asset in names and "scope" in linked:
            name = f'<a href="#{anchor("asset-", hurt.asset)}">{name}</a>'
        letters = "".join(c for c in "CIA" if c in hurt.cia)
        items.append(f"{name} ({letters})" if letters else name)
    return f'<div class="tm-hurts"><span class="tm-label">Hurts</span> {", ".join(items)}</div>'


def _per_target(model: Model, threat: Threat, site: Site) -> str:
    """What differs on single targets: status, rating, ticket and why."""
    items = []
    for target in threat.targets:
        if target not in threat.per_target:
            continue
        view, detail = threat.on(target), threat.per_target[target]
        bits = [status_badge(view.status)]
        if detail.likelihood or detail.impact:
            bits.append(risk_badge(view.risk))
        if detail.ticket:
            bits.append(ticket_cell(site, detail.ticket))
        why = f' <span class="tm-text">{h(detail.rationale)}</span>' if detail.rationale else ""
        items.append(f"<li>on {h(name_of(model, target)[0])}: {' '.join(bits)}{why}</li>")
    if not items:
        return ""
    return (f'<div class="tm-per-target"><span class="tm-label">Per target</span>'
            f'<ul>{"".join(items)}</ul></div>')


def row(model: Model, threat: Threat, site: Site, anchors: bool,
        linked: frozenset[str] = frozenset()) -> str:
    withheld = site.options.withheld(threat)
    risk = risk_of(threat)
    tid = h(threat.id)
    rating = level_pair(threat)
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
        what += _hurts(model, threat, linked) + _per_target(model, threat, site)
        mitigation = _mitigation(model, threat, linked)
        rating += severity_html(threat) + cvss_html(threat.cvss)
    owner = h(threat.owner) if threat.owner else '<span class="tm-overdue">no owner</span>'
    return (f'<tr id="{tid}" class="tm-threat tm-row-{status_class(threat.status)}">'
            f'<td class="tm-id" data-sort="{tid}"><a class="tm-permalink" href="#{tid}" '
            f'title="Link to this threat">{tid}</a>'
            f'<div class="tm-stride">{stride_letters(threat.stride)}</div></td>'
            f"<td>{what}</td>"
            f'<td data-sort="{risk.score if risk else 0}">{risk_badge(risk)}{rating}'
            f'<div class="tm-status">{status_badge(threat.status)}</div></td>'
            f'<td data-sort="{h(threat.owner or "")}">{owner}'
            f'<div class="tm-ticket">{ticket_cell(site, threat.ticket)}</div></td>'
            f"<td>{mitigation}</td></tr>")


def _note(threats: list[Threat], site: Site) -> str:
    if any(site.options.withheld(t) for t in threats):
        return ('<p class="tm-note">This site leaves out the details of threats that are not '
                "mitigated yet.</p>")
    return ""


def render(model: Model, site: Site, current: str, anchors: bool = True,
           linked: frozenset[str] = frozenset()) -> str:
    """The judged threats (untriaged candidates are left to :func:`render_candidates`)."""
    judged = [t for t in model.threats if not t.is_untriaged]
    if not judged:
        if model.threats:
            return ('<p class="tm-muted">No threat has been triaged yet; see the candidates '
                    "to triage.</p>")
        return '<p class="tm-muted">No threats recorded yet.</p>'
    rows = [row(model, t, site, anchors, linked) for t in judged]
    return _note(judged, site) + table(HEAD, rows, "tm-threats", sortable=True)


def render_candidates(model: Model, site: Site, current: str, anchors: bool = True,
                      linked: frozenset[str] = frozenset()) -> str:
    """The untriaged candidates: found by a rule or an import, not yet judged."""
    candidates = [t for t in model.threats if t.is_untriaged]
    if not candidates:
        return '<p class="tm-muted">No candidates waiting for triage.</p>'
    rows = [row(model, t, site, anchors, linked) for t in candidates]
    intro = (f'<p class="tm-summary">{len(candidates)} candidate'
             f'{"" if len(candidates) == 1 else "s"} found and not yet judged: give each a '
             "status (open, not applicable, ...) and a rating.</p>")
    return (intro + _note(candidates, site)
            + table(HEAD, rows, "tm-threats tm-candidates", sortable=True))
