"""Residual risk: where every threat stands (counted per target where a threat gives a
target its own status), and the accepted ones: who accepted them, and when each
acceptance expires."""

from __future__ import annotations

import datetime as dt

from ..format.model import Model, Threat
from ..format.spec import ACCEPTANCE_WARNING_DAYS, OPEN_STATUSES, UNTRIAGED
from .badges import STATUS_ORDER, STATUS_TEXT, WITHHELD, plural, risk_badge, table, threat_link
from .escape import h
from .site import Site
from .targets import entries, name_of

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


def status_counts(model: Model) -> dict[str, int]:
    """How many threats (per target where one has its own status) stand at each status."""
    counts: dict[str, int] = {}
    for threat in model.threats:
        for entry in entries(threat):
            counts[entry.status] = counts.get(entry.status, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9)))


def summary(model: Model) -> str:
    """What is true of the model's residual risk, in one or two sentences with counts."""
    counts = status_counts(model)
    total = sum(counts.values())
    if not total:
        return '<p class="tm-summary">No threats recorded yet.</p>'
    parts = " ".join(
        f'<span class="tm-count tm-status-{h(s) if s in STATUS_ORDER else "unknown"}">'
        f"{n} {h(STATUS_TEXT.get(s, s))}</span>" for s, n in counts.items())
    what = f"<strong>{plural(len(model.threats), 'threat')}</strong>"
    if total != len(model.threats):
        what += f" ({total} when counted per target)"
    out = f'<p class="tm-summary">{what}: {parts}</p>'
    still = sum(n for s, n in counts.items() if s in OPEN_STATUSES)
    untriaged = counts.get(UNTRIAGED, 0)
    accepted = counts.get("accepted", 0)
    facts = []
    if still:
        facts.append(f"{plural(still, 'threat')} {'is' if still == 1 else 'are'} still open "
                     "or being mitigated: their risk remains until they are dealt with.")
    if untriaged:
        facts.append(f"{plural(untriaged, 'candidate')} {'is' if untriaged == 1 else 'are'} "
                     "not triaged yet: their risk is unknown.")
    if accepted:
        facts.append(f"{plural(accepted, 'risk')} {'is' if accepted == 1 else 'are'} accepted "
                     "(below).")
    if not facts:
        facts.append("No threat is open, untriaged or accepted: every one is mitigated, "
                     "transferred or not applicable.")
    return out + f'<p class="tm-residual-facts">{" ".join(facts)}</p>'


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    accepted = [(threat, entry) for threat in model.threats for entry in entries(threat)
                if entry.status == "accepted"]
    if not accepted:
        return summary(model) + '<p class="tm-muted">No risk has been accepted.</p>'
    rows = []
    for threat, entry in accepted:
        acc = threat.acceptance
        withheld = site.options.withheld(threat)
        title = f'<span class="tm-withheld">{WITHHELD}</span>' if withheld else h(threat.title)
        if entry.target and not withheld:
            title += f' <span class="tm-muted">on {h(name_of(model, entry.target)[0])}</span>'
        rationale = "" if withheld or acc is None else h(acc.rationale or "")
        _, expires = expiry(threat, site.options.today)
        by = h(acc.by) if acc and acc.by else '<span class="tm-overdue">nobody</span>'
        rows.append(
            f"<tr><td>{threat_link(site, threat, model, current)}</td><td>{title}</td>"
            f"<td>{risk_badge(entry.risk)}</td>"
            f"<td>{by}</td>"
            f'<td>{h(acc.date.isoformat()) if acc and acc.date else ""}</td>'
            f'<td>{expires}</td><td><div class="tm-text">{rationale}</div></td></tr>')
    return summary(model) + table(["Threat", "What", "Risk", "Accepted by", "On", "Expires",
                                   "Why"], rows, "tm-residual")
