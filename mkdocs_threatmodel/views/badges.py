"""Small pieces every view shares: badges for statuses, risks and staleness, and links."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..format.model import STRIDE_NAMES, Model, Threat
from ..format.risk import Risk, rate, severity_risk
from ..format.spec import MITIGATION_STATUSES
from .escape import h
from .site import KNOWN_STATUSES, Site

STATUS_ORDER = {s: i for i, s in enumerate(
    ("untriaged", "open", "mitigating", "accepted", "transferred", "mitigated",
     "not-applicable"))}
STATUS_TEXT = {"not-applicable": "not applicable"}
MITIGATION_TEXT = {"in-progress": "in progress"}
BANDS = ("critical", "high", "medium", "low")
STATE_TEXT = {"current": "current", "stale": "stale", "unknown": "unknown"}
WITHHELD = "Details withheld until mitigated"


@lru_cache(maxsize=64)
def _rate(likelihood: str | None, impact: str | None) -> Risk | None:
    return rate(likelihood, impact)


def risk_of(threat: Threat) -> Risk | None:
    """A threat's risk (as ``threat.risk``: an explicit severity, else likelihood x
    impact, computed once per pair)."""
    if threat.severity is not None:
        return severity_risk(threat.severity)
    return _rate(threat.likelihood, threat.impact)


def status_class(status: str) -> str:
    return status if status in KNOWN_STATUSES else "unknown"


def status_badge(status: str) -> str:
    text = STATUS_TEXT.get(status, status)
    return f'<span class="tm-badge tm-status-{status_class(status)}">{h(text)}</span>'


def mitigation_badge(status: str) -> str:
    cls = status if status in MITIGATION_STATUSES else "unknown"
    text = MITIGATION_TEXT.get(status, status)
    return f'<span class="tm-badge tm-mit-{cls}">{h(text)}</span>'


def risk_badge(risk: Risk | None) -> str:
    if risk is None:
        return '<span class="tm-badge tm-risk-none">unrated</span>'
    return (f'<span class="tm-badge tm-risk-{risk.band}" title="risk score {risk.score} of 16">'
            f'{risk.band} {risk.score}</span>')


def level_pair(threat: Threat) -> str:
    """``L high × I medium`` (likelihood and impact)."""
    if not threat.likelihood and not threat.impact:
        return ""
    return (f'<span class="tm-li">L {h(threat.likelihood or "?")} &times; '
            f'I {h(threat.impact or "?")}</span>')


def state_badge(state: str, title: str | None = None) -> str:
    cls = state if state in STATE_TEXT else "unknown"
    extra = f' title="{h(title)}"' if title else ""
    return f'<span class="tm-badge tm-state-{cls}"{extra}>{h(STATE_TEXT.get(state, state))}</span>'


def model_status_badge(status: str) -> str:
    cls = status if status in ("draft", "active", "retired") else "unknown"
    return f'<span class="tm-badge tm-model-{cls}">{h(status)}</span>'


def stride_letters(letters: list[str]) -> str:
    return " ".join(f'<abbr title="{h(STRIDE_NAMES[s])}">{s}</abbr>'
                    for s in letters if s in STRIDE_NAMES)


def threat_link(site: Site, threat: Threat, model: Model, current: str,
                with_status: bool = False) -> str:
    """The threat's id, linked to its row on its model page."""
    href = site.threat_href(threat, model, current)
    title = "" if site.options.withheld(threat) else f' title="{h(threat.title)}"'
    text = h(threat.id)
    link = f'<a class="tm-tid" href="{h(href)}"{title}>{text}</a>' if href else text
    if with_status:
        link += " " + status_badge(threat.status)
    return link


def model_link(site: Site, model: Model, current: str) -> str:
    href = site.model_href(model, current)
    title = h(model.title or model.id)
    return f'<a href="{h(href)}">{title}</a>' if href else title


def ticket_cell(site: Site, ticket: str | None) -> str:
    if not ticket:
        return '<span class="tm-muted">none</span>'
    href = site.options.ticket_href(ticket)
    if href:
        return f'<a class="tm-ticket-link" href="{h(href)}" rel="noopener">{h(ticket)}</a>'
    return h(ticket)


def table(head: list[str], rows: list[str], cls: str, sortable: bool = False,
          caption: str | None = None, before: str = "") -> str:
    """A classless ``<table>`` (themes style those) wrapped in a classed block, after
    ``before``; joined once (a register's rows can be tens of MB)."""
    sort = ' data-tm-sortable=""' if sortable else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    ths = "".join(f"<th>{c}</th>" for c in head)
    return "".join([f'{before}<div class="tm-table {cls}"><table{sort}>{cap}<thead><tr>{ths}'
                    "</tr></thead><tbody>", *rows, "</tbody></table></div>"])


def sort_key_threat(item: tuple[Threat, Any]) -> tuple:
    threat = item[0]
    risk = risk_of(threat)
    return (-(risk.score if risk else 0), STATUS_ORDER.get(threat.status, 0), threat.id)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
