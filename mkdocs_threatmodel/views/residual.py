"""Residual risk: accepted threats, who accepted them, and when each acceptance expires."""

from __future__ import annotations

import datetime as dt

from ..format.model import Model, Threat
from ..format.spec import ACCEPTANCE_WARNING_DAYS
from .badges import WITHHELD, risk_badge, risk_of, table, threat_link
from .escape import h
from .site import Site

EXPIRING_DAYS = ACCEPTANCE_WARNING_DAYS  # as TM405


def expiry(threat: Threat, today: dt.date) -> tuple[str, str]:
    """(state, HTML) of an acceptance's expiry: expired, expiring, ok or none."""
    acc = threat.acceptance
    if acc is None or acc.expires is None:
        return "none", '<span class="tm-overdue">no expiry set</span>'
    days = (acc.expires - today).days
    text = h(acc.expires.isoformat())
    if days < 0:
        return "expired", f'{text} <span class="tm-badge tm-expired">expired</span>'
    if days <= EXPIRING_DAYS:
        return "expiring", (f'{text} <span class="tm-badge tm-expiring">in '
                            f'{days} day{"" if days == 1 else "s"}</span>')
    return "ok", f'{text} <span class="tm-muted">in {days} days</span>'


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    accepted = [t for t in model.threats if t.status == "accepted"]
    if not accepted:
        return '<p class="tm-muted">No accepted risks: every threat is mitigated, being ' \
               "worked on, transferred or not applicable.</p>"
    rows = []
    for threat in accepted:
        acc = threat.acceptance
        withheld = site.options.withheld(threat)
        title = f'<span class="tm-withheld">{WITHHELD}</span>' if withheld else h(threat.title)
        rationale = "" if withheld or acc is None else h(acc.rationale or "")
        _, expires = expiry(threat, site.options.today)
        by = h(acc.by) if acc and acc.by else '<span class="tm-overdue">nobody</span>'
        rows.append(
            f"<tr><td>{threat_link(site, threat, model, current)}</td><td>{title}</td>"
            f"<td>{risk_badge(risk_of(threat))}</td>"
            f"<td>{by}</td>"
            f'<td>{h(acc.date.isoformat()) if acc and acc.date else ""}</td>'
            f'<td>{expires}</td><td><div class="tm-text">{rationale}</div></td></tr>')
    return table(["Threat", "What", "Risk", "Accepted by", "On", "Expires", "Why"], rows,
                 "tm-residual")
