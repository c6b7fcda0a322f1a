"""On an ADR page: the threat models that rest on it (cite it under ``adrs``)."""

from __future__ import annotations

import posixpath

from ..format.model import OPEN_STATUSES, Model
from .badges import BANDS, model_link, plural, risk_of, state_badge, table
from .escape import h
from .site import Site


def citing(site: Site, repo_path: str) -> list[Model]:
    """Models whose ``adrs`` name the file at ``repo_path``."""
    index = site._citing
    if index is None:
        index = {}
        for model in site.models:
            base = posixpath.dirname(model.path)
            for adr in dict.fromkeys(posixpath.normpath(posixpath.join(base, a))
                                     for a in model.adrs):
                index.setdefault(adr, []).append(model)
        site._citing = index
    return index.get(repo_path, [])


def render(models: list[Model], site: Site, current: str) -> str:
    rows = []
    for model in models:
        bands: dict[str, int] = {}
        for threat in model.threats:
            if threat.status in OPEN_STATUSES:
                risk = risk_of(threat)
                band = risk.band if risk is not None else "none"
                bands[band] = bands.get(band, 0) + 1
        still = " ".join(f'<span class="tm-badge tm-risk-{b}">{bands[b]} '
                         f'{b if b != "none" else "unrated"}</span>'
                         for b in (*BANDS, "none") if b in bands)
        rows.append(f"<tr><td>{model_link(site, model, current)}</td>"
                    f'<td>{h(model.owner or "")}</td>'
                    f"<td>{state_badge(site.state(model))}</td>"
                    f"<td>{plural(len(model.threats), 'threat')}</td>"
                    f'<td>{still or "none"}</td></tr>')
    intro = (f'<p class="tm-summary">{plural(len(models), "threat model")} rest'
             f'{"s" if len(models) == 1 else ""} on this decision. When the decision changes, '
             "review them.</p>")
    return intro + table(["Threat model", "Owner", "Freshness", "Threats",
                          "Open or mitigating, by risk"], rows, "tm-backlinks")
