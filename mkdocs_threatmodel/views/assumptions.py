"""The assumptions a model takes as given, with the threats resting on each.

An assumption marked invalid is flagged, and so is one whose ``revisit`` date has passed
(the site's today). Threats the site withholds show by id only.
"""

from __future__ import annotations

import datetime as dt

from ..format.model import Assumption, Model, Threat
from .badges import table, threat_link
from .escape import anchor, h
from .site import Site

STATUS_CLASS = {"assumed": "mitigating", "confirmed": "mitigated", "invalid": "open"}


def resting_on(model: Model, assumption: Assumption) -> list[Threat]:
    return [t for t in model.threats if assumption.id in t.assumptions]


def flags(assumption: Assumption, today: dt.date) -> list[str]:
    """Why the assumption needs a look: ``invalid``, ``revisit overdue``."""
    out = []
    if assumption.status == "invalid":
        out.append("invalid")
    if assumption.revisit is not None and assumption.revisit < today:
        out.append("revisit overdue")
    return out


def _revisit(assumption: Assumption, today: dt.date) -> str:
    if assumption.revisit is None:
        return '<span class="tm-muted">no date</span>'
    text = h(assumption.revisit.isoformat())
    days = (assumption.revisit - today).days
    if days < 0:
        return (f'{text} <span class="tm-badge tm-expired">{-days} day'
                f'{"" if days == -1 else "s"} overdue</span>')
    return f'{text} <span class="tm-muted">in {days} day{"" if days == 1 else "s"}</span>'


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    if not model.assumptions:
        return '<p class="tm-muted">No assumptions recorded.</p>'
    today = site.options.today
    rows, flagged = [], 0
    for a in model.assumptions:
        ident = anchor("assumption-", a.id)
        status = STATUS_CLASS.get(a.status, "unknown")
        badge = f'<span class="tm-badge tm-status-{status}">{h(a.status)}</span>'
        marks = flags(a, today)
        flagged += bool(marks)
        warn = "".join(f' <strong class="tm-overdue tm-flag">{m}</strong>' for m in marks)
        resting = resting_on(model, a)
        threats = (" ".join(threat_link(site, t, model, current, with_status=True)
                            for t in resting)
                   or '<span class="tm-muted">no threat rests on it</span>')
        if "invalid" in marks and resting:
            threats = (f'<p class="tm-overdue">{len(resting)} threat'
                       f'{"" if len(resting) == 1 else "s"} rest on an invalid assumption: '
                       f"judge {'it' if len(resting) == 1 else 'them'} again.</p>{threats}")
        rows.append(
            f'<tr id="{ident}" class="{"tm-flagged" if marks else ""}">'
            f'<td class="tm-id"><a class="tm-permalink" href="#{ident}" '
            f'title="Link to this assumption">{h(a.id)}</a></td>'
            f'<td><div class="tm-text">{h(a.text)}</div></td>'
            f"<td>{badge}{warn}</td><td>{h(a.owner or '')}</td>"
            f"<td>{_revisit(a, today)}</td><td>{threats}</td></tr>")
    summary = (f'<p class="tm-summary">{len(model.assumptions)} assumption'
               f'{"" if len(model.assumptions) == 1 else "s"}'
               f'{f", {flagged} needing a look" if flagged else ""}.</p>')
    return summary + table(["Assumption", "What is assumed", "Status", "Owner", "Revisit",
                            "Threats resting on it"], rows, "tm-assumptions")
