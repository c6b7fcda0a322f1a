"""The header of a model page: owner, status, last review, next review, staleness, totals."""

from __future__ import annotations

import posixpath

from ..format.model import OPEN_STATUSES, Model, TargetView
from .badges import (
    BANDS,
    STATUS_ORDER,
    STATUS_TEXT,
    model_status_badge,
    plural,
    risk_badge,
    state_badge,
    status_badge,
)
from .escape import h
from .site import Site, relative_url
from .staleness import reasons_html
from .targets import entries

TOP = 3  # open threats named in the header


def _fact(label: str, value: str) -> str:
    return f'<div class="tm-fact"><dt>{label}</dt><dd>{value}</dd></div>'


def _review(model: Model, site: Site) -> str:
    if model.reviewed_date is None:
        return '<span class="tm-muted">never recorded</span>'
    text = h(model.reviewed_date.isoformat())
    if model.reviewed_by:
        text += f" by {h(model.reviewed_by)}"
    return text


def _due(model: Model, site: Site) -> str:
    due = site.due(model)
    if due is None:
        return '<span class="tm-muted">no review interval</span>'
    days = (due - site.options.today).days
    if days < 0:
        when = f'<span class="tm-overdue">{plural(-days, "day")} overdue</span>'
    elif days == 0:
        when = '<span class="tm-overdue">today</span>'
    else:
        when = f'<span class="tm-muted">in {plural(days, "day")}</span>'
    return f"{h(due.isoformat())} {when}"


def adr_links(model: Model, site: Site, current: str) -> str:
    links = []
    for adr in model.adrs:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(model.path), adr))
        url = site.doc_urls.get(target)
        name = site.titles.get(url) if url else None
        text = h(name or posixpath.splitext(posixpath.basename(adr))[0])
        links.append(f'<a href="{h(relative_url(url, current))}">{text}</a>' if url else text)
    return ", ".join(links)


def render(model: Model, site: Site, current: str) -> str:
    """The header block of a model page."""
    judged = site.stale(model)
    state = site.state(model)
    facts = [
        _fact("Owner", h(model.owner) if model.owner else '<span class="tm-muted">none</span>'),
        _fact("Status", model_status_badge(model.status)),
        _fact("Last review", _review(model, site)),
        _fact("Next review due", _due(model, site)),
    ]
    if judged is not None or not site.options.staleness_available:
        title = ("judged from git history" if judged is not None
                 else "judged from the review date only (git history not available)")
        facts.append(_fact("Freshness", state_badge(state, title)))
    counts: dict[str, int] = {}
    open_bands: dict[str, int] = {}
    still: list[TargetView] = []  # open on the threat, or on a target with its own status
    for threat in model.threats:
        counts[threat.status] = counts.get(threat.status, 0) + 1
        for entry in entries(threat):
            if entry.status in OPEN_STATUSES:
                still.append(entry)
                band = entry.risk.band if entry.risk else "unrated"
                open_bands[band] = open_bands.get(band, 0) + 1
    parts = [f'<span class="tm-count tm-status-{h(s) if s in STATUS_ORDER else "unknown"}">'
             f'{n} {h(STATUS_TEXT.get(s, s))}</span>'
             for s, n in sorted(counts.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9))]
    summary = (f'<p class="tm-summary"><strong>{plural(len(model.threats), "threat")}</strong>'
               f'{": " + " ".join(parts) if parts else ""}</p>')
    if open_bands:
        shown = [f'<span class="tm-badge tm-risk-{b}">{open_bands[b]} {b}</span>'
                 for b in (*BANDS, "unrated") if b in open_bands]
        summary += (f'<p class="tm-summary">Still open or being mitigated, by risk: '
                    f'{" ".join(shown)}</p>')
    ranked = sorted(still, key=lambda e: (-(e.risk.score if e.risk else 0), e.threat.id))
    top: list[TargetView] = []
    for entry in ranked:  # each threat once, at its highest open risk
        if len(top) < TOP and all(e.threat is not entry.threat for e in top):
            top.append(entry)
    if top:
        items = []
        for entry in top:
            threat = entry.threat
            what = ("" if site.options.withheld(threat)
                    else f' <span class="tm-top-title">{h(threat.title)}</span>')
            items.append(f'<li>{risk_badge(entry.risk)} {status_badge(entry.status)} '
                         f'<a class="tm-tid" href="#{h(threat.id)}">{h(threat.id)}</a>{what}'
                         "</li>")
        summary += (f'<div class="tm-top"><span class="tm-label">Highest open risks</span>'
                    f'<ul>{"".join(items)}</ul></div>')
    adrs = adr_links(model, site, current)
    if adrs:
        summary += f'<p class="tm-summary">Rests on: {adrs}</p>'
    reasons = ""
    if judged is not None and getattr(judged, "reasons", None):
        reasons = reasons_html(judged)
    return (f'<div class="tm-header tm-header-{h(state)}" role="group" '
            f'aria-label="Threat model summary"><dl class="tm-facts">{"".join(facts)}</dl>'
            f"{summary}{reasons}</div>")
