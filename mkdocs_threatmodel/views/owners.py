"""The ownership view: per owner, what needs their attention.

For each owner: their open (and mitigating) threats by risk, their acceptances
that expired or expire within 30 days, their open threats without a ticket, and
the stale models they own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format.model import OPEN_STATUSES, Model, Threat
from .badges import (
    BANDS,
    WITHHELD,
    model_link,
    plural,
    risk_badge,
    risk_of,
    sort_key_threat,
    state_badge,
    status_badge,
    table,
    threat_link,
    ticket_cell,
)
from .blocks import Block, Heading, Html
from .escape import h, slug
from .residual import expiry
from .site import Site
from .staleness import reasons_html
from .targets import entries

if TYPE_CHECKING:
    from collections.abc import Callable

NOBODY = "(no owner)"


class _Owner:
    def __init__(self, name: str) -> None:
        self.name = name
        self.open: list[tuple[Threat, Model]] = []
        self.expiring: list[tuple[Threat, Model]] = []
        self.no_ticket: list[tuple[Threat, Model]] = []
        self.stale: list[Model] = []

    @property
    def busy(self) -> bool:
        return bool(self.open or self.expiring or self.no_ticket or self.stale)


def collect(site: Site) -> list[_Owner]:
    owners: dict[str, _Owner] = {}

    def of(name: str | None) -> _Owner:
        key = name or NOBODY
        return owners.setdefault(key, _Owner(key))

    today = site.options.today
    for model in site.models:
        owner = of(model.owner)
        if site.state(model) == "stale":
            owner.stale.append(model)
        for threat in model.threats:
            who = of(threat.owner)
            if any(e.status in OPEN_STATUSES for e in entries(threat)):  # on any target
                who.open.append((threat, model))
                if not threat.ticket:
                    who.no_ticket.append((threat, model))
            elif threat.status == "accepted" and expiry(threat, today)[0] in (
                    "expired", "expiring", "none"):
                who.expiring.append((threat, model))
    return sorted(owners.values(), key=lambda o: (o.name == NOBODY, o.name.lower()))


def _score(threat: Threat) -> int:
    risk = risk_of(threat)
    return risk.score if risk else 0


def _title(site: Site, threat: Threat) -> str:
    if site.options.withheld(threat):
        return f'<span class="tm-withheld">{WITHHELD}</span>'
    return h(threat.title)


def _threat_rows(items: list[tuple[Threat, Model]], site: Site, current: str,
                 extra: Callable[[Threat], str]) -> list[str]:
    return [f"<tr><td>{threat_link(site, t, m, current)}</td><td>{_title(site, t)}</td>"
            f"<td>{model_link(site, m, current)}</td>{extra(t)}</tr>"
            for t, m in sorted(items, key=sort_key_threat)]


def render(site: Site, current: str) -> list[Block]:
    owners = collect(site)
    if not owners:
        return [Html('<p class="tm-muted">No owners yet.</p>')]
    anchors: dict[str, str] = {}
    for owner in owners:
        base = "owner-" + slug(owner.name)
        ident, n = base, 2
        while ident in anchors.values():
            ident, n = f"{base}-{n}", n + 1
        anchors[owner.name] = ident
    rows = []
    for owner in owners:
        bands: dict[str, int] = {}
        for threat, _ in owner.open:
            risk = risk_of(threat)
            band = risk.band if risk is not None else "none"
            bands[band] = bands.get(band, 0) + 1
        shown = " ".join(f'<span class="tm-badge tm-risk-{b}">{bands[b]} '
                         f'{b if b != "none" else "unrated"}</span>'
                         for b in (*BANDS, "none") if b in bands)
        rows.append(
            f'<tr><td><a href="#{anchors[owner.name]}">{h(owner.name)}</a></td>'
            f'<td data-sort="{len(owner.open)}">{shown or "0"}</td>'
            f"<td>{len(owner.expiring)}</td><td>{len(owner.no_ticket)}</td>"
            f"<td>{len(owner.stale)}</td></tr>")
    blocks: list[Block] = [Html(table(
        ["Owner", "Open threats by risk", "Acceptances expired or expiring",
         "Open without ticket", "Stale models"], rows, "tm-owners-summary", sortable=True))]
    for owner in owners:
        blocks.append(Heading(2, owner.name, anchors[owner.name]))
        if not owner.busy:
            blocks.append(Html('<p class="tm-muted">Nothing needs attention.</p>'))
            continue
        parts = []
        if owner.open:
            rows = _threat_rows(owner.open, site, current, lambda t: (
                f'<td data-sort="{_score(t)}">{risk_badge(risk_of(t))}</td>'
                f"<td>{status_badge(t.status)}</td><td>{ticket_cell(site, t.ticket)}</td>"))
            parts.append(table(["Threat", "What", "Model", "Risk", "Status", "Ticket"], rows,
                               "tm-owner-open", sortable=True,
                               caption=f"Open threats ({len(owner.open)}), highest risk first"))
        if owner.expiring:
            rows = _threat_rows(owner.expiring, site, current, lambda t: (
                f"<td>{expiry(t, site.options.today)[1]}</td>"
                f'<td>{h(t.acceptance.by if t.acceptance and t.acceptance.by else "")}</td>'))
            parts.append(table(["Threat", "What", "Model", "Acceptance expires", "Accepted by"],
                               rows, "tm-owner-expiring",
                               caption="Acceptances expired or expiring within 30 days"))
        if owner.no_ticket:
            rows = _threat_rows(owner.no_ticket, site, current, lambda t: (
                f"<td>{risk_badge(risk_of(t))}</td><td>{status_badge(t.status)}</td>"))
            parts.append(table(["Threat", "What", "Model", "Risk", "Status"], rows,
                               "tm-owner-noticket",
                               caption=f"Open threats without a ticket ({len(owner.no_ticket)})"))
        if owner.stale:
            rows = [f"<tr><td>{model_link(site, m, current)}</td>"
                    f"<td>{state_badge(site.state(m))}</td>"
                    f"<td>{reasons_html(site.stale(m)) if site.stale(m) is not None else ''}"
                    "</td></tr>" for m in owner.stale]
            parts.append(table(["Model", "Freshness", "Why"], rows, "tm-owner-stale",
                               caption=f"Stale models ({plural(len(owner.stale), 'model')})"))
        blocks.append(Html("".join(parts)))
    return blocks
