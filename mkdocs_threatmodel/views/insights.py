"""The insights panel of a model page, after Threat Composer's: threats without a
mitigation, unrated threats, untriaged candidates and the STRIDE distribution.

A threat "has a mitigation" when it says one in words (``mitigation:``) or cites a
mitigation record (on itself or a target). Accepted, transferred and not-applicable
threats need none and are not counted there.
"""

from __future__ import annotations

from ..format.model import STRIDE_NAMES, Model, Threat
from .badges import risk_of, threat_link
from .site import Site
from .threats import cited_mitigations

SETTLED = ("accepted", "transferred", "not-applicable")


def without_mitigation(model: Model) -> list[Threat]:
    return [t for t in model.threats if t.status not in SETTLED and not t.mitigation
            and not cited_mitigations(t)]


def unrated(model: Model) -> list[Threat]:
    return [t for t in model.threats if t.status != "not-applicable" and risk_of(t) is None]


def untriaged(model: Model) -> list[Threat]:
    return [t for t in model.threats if t.is_untriaged]


def stride_counts(model: Model) -> dict[str, int]:
    """Threats per STRIDE letter (a threat with two letters counts under both)."""
    counts = dict.fromkeys(STRIDE_NAMES, 0)
    for threat in model.threats:
        for letter in dict.fromkeys(threat.stride):
            counts[letter] += 1
    return counts


def _card(key: str, title: str, threats: list[Threat], model: Model, site: Site,
          current: str, ok: str) -> str:
    n = len(threats)
    state = "tm-insight-ok" if not n else "tm-insight-warn"
    body = (" ".join(threat_link(site, t, model, current) for t in threats) if n
            else f'<span class="tm-muted">{ok}</span>')
    return (f'<div class="tm-insight {state}" data-insight="{key}">'
            f'<p class="tm-insight-count">{n}</p><p class="tm-label">{title}</p>'
            f'<p class="tm-insight-list">{body}</p></div>')


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    if not model.threats:
        return '<p class="tm-muted">No threats recorded yet.</p>'
    cards = [
        _card("without-mitigation", "Threats without a mitigation", without_mitigation(model),
              model, site, current, "every threat that needs one has one"),
        _card("unrated", "Threats not rated", unrated(model), model, site, current,
              "every threat is rated"),
        _card("untriaged", "Candidates to triage", untriaged(model), model, site, current,
              "none waiting"),
    ]
    counts = stride_counts(model)
    top = max(counts.values()) or 1
    bars = "".join(
        f'<tr><th scope="row"><abbr title="{STRIDE_NAMES[s]}">{s}</abbr></th>'
        f'<td class="tm-bar-cell"><span class="tm-bar" style="width: {100 * n // top}%">'
        f'</span></td><td class="tm-bar-count">{n}</td></tr>' for s, n in counts.items())
    stride = (f'<div class="tm-insight tm-insight-stride" data-insight="stride">'
              f'<p class="tm-label">STRIDE distribution</p>'
              f'<table class="tm-bars"><tbody>{bars}</tbody></table></div>')
    return (f'<div class="tm-insights" role="group" aria-label="Insights">'
            f'{"".join(cards)}{stride}</div>')
