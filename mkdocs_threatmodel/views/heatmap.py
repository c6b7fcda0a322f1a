"""The risk heatmap: likelihood across, impact up, a count of threats in each cell.

A threat that gives some targets their own status or rating counts once per target
(see :mod:`.targets`). Each count opens the list of its threats, linked to their rows.
Not-applicable threats, untriaged candidates and threats without both ratings are left
out (and counted below).
"""

from __future__ import annotations

from ..format.model import OPEN_STATUSES, Model, TargetView, Threat
from ..format.risk import rate
from ..format.spec import LEVELS, UNTRIAGED
from .badges import plural, status_badge, threat_link
from .escape import h
from .site import Site
from .targets import entries, name_of


def _item(site: Site, entry: TargetView, model: Model, current: str) -> str:
    link = threat_link(site, entry.threat, model, current)
    if entry.target:
        link += f' <span class="tm-muted">on {h(name_of(model, entry.target)[0])}</span>'
    return f"{link} {status_badge(entry.status)}"


def render(threats: list[tuple[Threat, Model]], site: Site, current: str,
           ident: str = "tm-heat", band_links: str | None = None) -> str:
    """The heatmap (``ident`` prefixes its anchors) and, below it, each cell's threats;
    with ``band_links`` (an anchor prefix), counts link to ``#{band_links}{band}`` instead
    and no list follows."""
    cells: dict[tuple[str, str], list[tuple[TargetView, Model]]] = {}
    unrated = untriaged = 0
    for threat, model in threats:
        for entry in entries(threat):
            if entry.status == "not-applicable":
                continue
            if entry.status == UNTRIAGED:
                untriaged += 1
            elif entry.likelihood in LEVELS and entry.impact in LEVELS:
                cells.setdefault((entry.likelihood, entry.impact), []).append((entry, model))
            else:
                unrated += 1
    head = "".join(f'<th scope="col">{lvl}</th>' for lvl in LEVELS)
    rows, lists = [], []
    for impact in reversed(LEVELS):
        tds = []
        for likelihood in LEVELS:
            risk = rate(likelihood, impact)  # never None: both are LEVELS
            band = risk.band if risk is not None else "none"
            where = f"likelihood {likelihood}, impact {impact}"
            items = sorted(cells.get((likelihood, impact), []),
                           key=lambda em: (em[0].status not in OPEN_STATUSES,
                                           em[0].threat.id, em[0].target))
            if not items:
                tds.append(f'<td class="tm-heat-{band} tm-heat-empty" title="{where}"></td>')
                continue
            still = sum(1 for e, _ in items if e.status in OPEN_STATUSES)
            cell = f"{ident}-{impact}-{likelihood}"
            sub = f'<span class="tm-heat-open">{still} open</span>' if still else ""
            target = f"{band_links}{band}" if band_links else cell
            tds.append(f'<td class="tm-heat-{band}" title="{where}"><a href="#{target}">'
                       f'<span class="tm-heat-count">{len(items)}</span>{sub}</a></td>')
            if band_links:
                continue
            links = ", ".join(_item(site, e, m, current) for e, m in items)
            lists.append(f'<li id="{cell}"><span class="tm-heat-where">Impact {impact}, '
                         f"likelihood {likelihood}</span> "
                         f'<span class="tm-badge tm-risk-{band}">{band}</span>: {links}</li>')
        rows.append(f'<tr><th scope="row">{impact}</th>{"".join(tds)}</tr>')
    notes = []
    if unrated:
        notes.append(f"{plural(unrated, 'threat')} without likelihood and impact not shown.")
    if untriaged:
        notes.append(f"{plural(untriaged, 'untriaged candidate')} not shown.")
    note = f'<p class="tm-muted">{" ".join(notes)}</p>' if notes else ""
    listing = f'<ul class="tm-heat-cells">{"".join(lists)}</ul>' if lists else ""
    return (f'<div class="tm-heatmap" id="{ident}"><table class="tm-heat-table">'
            '<thead><tr><th class="tm-heat-axis">impact \u2193 likelihood \u2192</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p class="tm-muted tm-heat-help">Each count links to its threats '
            f'{"in the tables below" if band_links else "below"}; '
            "&ldquo;open&rdquo; counts threats still open or being mitigated; a threat whose "
            "targets have their own rating counts once per target.</p>"
            f"{listing}</div>{note}")
