"""Mitigations as records: a model's catalogue, and the site's page of every model's.

Each mitigation shows its status, owner, ticket, tests and the threats it closes
(the threats citing it, on themselves or on one of their targets). A mitigation that
closes a threat the site withholds (``redact``) is withheld too: its id, status and the
ids of its threats stay, its title, description and tests do not.
"""

from __future__ import annotations

from ..format.model import Mitigation, Model, Threat
from ..format.spec import MITIGATION_STATUSES
from .badges import (
    MITIGATION_TEXT,
    WITHHELD,
    mitigation_badge,
    model_link,
    plural,
    table,
    threat_link,
    ticket_cell,
)
from .blocks import Block, Html
from .escape import anchor, h
from .site import Site
from .threats import cited_mitigations

ORDER = {s: i for i, s in enumerate(MITIGATION_STATUSES)}


def closes(model: Model, mitigation: Mitigation, site: Site | None = None) -> list[Threat]:
    """The threats of the model that cite the mitigation (with ``site``, looked up in an
    index of the model's citations made once per build)."""
    if site is None:
        return [t for t in model.threats if mitigation.id in cited_mitigations(t)]
    index: dict[str, list[Threat]] | None = site.__dict__.setdefault("_closing", {}).get(
        model.path)
    if index is None:
        index = {}
        site.__dict__["_closing"][model.path] = index
        for threat in model.threats:
            for mid in cited_mitigations(threat):
                index.setdefault(mid, []).append(threat)
    return index.get(mitigation.id, [])


def withheld(site: Site, model: Model, mitigation: Mitigation) -> bool:
    """Whether the mitigation's details stay off the site (it closes a withheld threat)."""
    if site.options.redact == "all":
        return True
    return any(site.options.withheld(t) for t in closes(model, mitigation, site))


def _threats(site: Site, model: Model, mitigation: Mitigation, current: str) -> str:
    found = closes(model, mitigation, site)
    if not found:
        return '<span class="tm-muted">no threat cites it</span>'
    return " ".join(threat_link(site, t, model, current, with_status=True) for t in found)


def _tests(mitigation: Mitigation) -> str:
    if not mitigation.tests:
        return '<span class="tm-muted">none</span>'
    return "<ul>" + "".join(f"<li><code>{h(t)}</code></li>" for t in mitigation.tests) + "</ul>"


def _counts(mitigations: list[Mitigation]) -> str:
    counts: dict[str, int] = {}
    for m in mitigations:
        counts[m.status] = counts.get(m.status, 0) + 1
    parts = " ".join(
        f'<span class="tm-count tm-mit-{h(s) if s in ORDER else "unknown"}">'
        f"{n} {h(MITIGATION_TEXT.get(s, s))}</span>"
        for s, n in sorted(counts.items(), key=lambda kv: ORDER.get(kv[0], 9)))
    return f"{plural(len(mitigations), 'mitigation')}: {parts}"


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    """The model's catalogue: one row per mitigation, its id an anchor."""
    if not model.mitigations:
        return '<p class="tm-muted">No mitigations recorded as records.</p>'
    rows = []
    for m in model.mitigations:
        ident = anchor("mitigation-", m.id)
        if withheld(site, model, m):
            what = f'<span class="tm-withheld">{WITHHELD}</span>'
            tests = ""
        else:
            what = f'<strong class="tm-title">{h(m.title)}</strong>'
            if m.description:
                what += f'<div class="tm-text">{h(m.description)}</div>'
            tests = _tests(m)
        rows.append(
            f'<tr id="{ident}"><td class="tm-id" data-sort="{h(m.id)}">'
            f'<a class="tm-permalink" href="#{ident}" title="Link to this mitigation">'
            f"{h(m.id)}</a></td><td>{what}</td>"
            f'<td data-sort="{ORDER.get(m.status, 9)}">{mitigation_badge(m.status)}</td>'
            f'<td data-sort="{h(m.owner or "")}">{h(m.owner or "")}'
            f'<div class="tm-ticket">{ticket_cell(site, m.ticket)}</div></td>'
            f"<td>{_threats(site, model, m, current)}</td><td>{tests}</td></tr>")
    return (f'<p class="tm-summary">{_counts(model.mitigations)}</p>'
            + table(["Mitigation", "What it does", "Status", "Owner and ticket", "Closes",
                     "Tests"], rows, "tm-mitigations", sortable=True))


def render_site(site: Site, current: str) -> list[Block]:
    """The generated page: every model's mitigations, by status, then model."""
    items = [(m, model) for model in site.models for m in model.mitigations]
    if not items:
        return [Html('<p class="tm-muted">No mitigations recorded as records yet.</p>')]
    items.sort(key=lambda mm: (ORDER.get(mm[0].status, 9), mm[1].title.lower(), mm[0].id))
    rows = []
    for m, model in items:
        href = site.model_href(model, current, anchor("mitigation-", m.id))
        ident = f'<a class="tm-mid" href="{h(href)}">{h(m.id)}</a>' if href else h(m.id)
        title = (f'<span class="tm-withheld">{WITHHELD}</span>' if withheld(site, model, m)
                 else h(m.title))
        rows.append(
            f'<tr><td data-sort="{h(m.id)}">{ident}</td><td>{title}</td>'
            f"<td>{model_link(site, model, current)}</td>"
            f'<td data-sort="{ORDER.get(m.status, 9)}">{mitigation_badge(m.status)}</td>'
            f'<td>{h(m.owner or "")}</td><td>{ticket_cell(site, m.ticket)}</td>'
            f"<td>{_threats(site, model, m, current)}</td></tr>")
    models = len({id(model) for _, model in items})
    intro = (f'<p class="tm-summary"><strong>{_counts([m for m, _ in items])}</strong> in '
             f"{plural(models, 'model')}</p>")
    return [Html(intro + table(["ID", "Mitigation", "Model", "Status", "Owner", "Ticket",
                                "Closes"], rows, "tm-mitigation-register", sortable=True))]
