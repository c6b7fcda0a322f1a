"""The risk heatmap: likelihood across, impact up, a count of threats in each cell.

Each count opens the list of its threats, linked to their rows. Not-applicable
threats and threats without both ratings are left out (and counted below).
"""

from __future__ import annotations

from ..format.model import OPEN_STATUSES, Model, Threat
from ..format.risk import rate
from ..format.spec import LEVELS
from .badges import plural, threat_link
from .site import Site


def render(threats: list[tuple[Threat, Model]], site: Site, current: str,
           ident: str = "tm-heat", band_links: str | None = None) -> str:
    """The heatmap (``ident`` prefixes its anchors) and, below it, each cell's threats;
    with ``band_links`` (an anchor prefix), counts link to ``#{band_links}{band}`` instead
    and no list follows."""
    cells: dict[tuple[str, str], list[tuple[Threat, Model]]] = {}
    unrated = 0
    for threat, model in threats:
        if threat.status == "not-applicable":
            continue
        if threat.likelihood in LEVELS and threat.impact in LEVELS:
            cells.setdefault((threat.likelihood, threat.impact), []).append((threat, model))
        else:
            unrated += 1
    head = "".join(f'<th scope="col">{lvl}</th>' for lvl in LEVELS)
    rows, lists = [], []
    for impact in reversed(LEVELS):
        tds = []
        for likelihood in LEVELS:
            band = rate(likelihood, impact).band
            where = f"likelihood {likelihood}, impact {impact}"
            items = sorted(cells.get((likelihood, impact), []),
                           key=lambda tm: (tm[0].status not in OPEN_STATUSES, tm[0].id))
            if not items:
                tds.append(f'<td class="tm-heat-{band} tm-heat-empty" title="{where}"></td>')
                continue
            still = sum(1 for t, _ in items if t.status in OPEN_STATUSES)
            cell = f"{ident}-{impact}-{likelihood}"
            sub = f'<span class="tm-heat-open">{still} open</span>' if still else ""
            target = f"{band_links}{band}" if band_links else cell
            tds.append(f'<td class="tm-heat-{band}" title="{where}"><a href="#{target}">'
                       f'<span class="tm-heat-count">{len(items)}</span>{sub}</a></td>')
            if band_links:
                continue
            links = " ".join(threat_link(site, t, m, current, with_status=True)
                             for t, m in items)
            lists.append(f'<li id="{cell}"><span class="tm-heat-where">Impact {impact}, '
                         f"likelihood {likelihood}</span> "
                         f'<span class="tm-badge tm-risk-{band}">{band}</span>: {links}</li>')
        rows.append(f'<tr><th scope="row">{impact}</th>{"".join(tds)}</tr>')
    note = (f'<p class="tm-muted">{plural(unrated, "threat")} without likelihood and impact '
            "not shown.</p>" if unrated else "")
    listing = f'<ul class="tm-heat-cells">{"".join(lists)}</ul>' if lists else ""
    return (f'<div class="tm-heatmap" id="{ident}"><table class="tm-heat-table">'
            '<thead><tr><th class="tm-heat-axis">impact \u2193 likelihood \u2192</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p class="tm-muted tm-heat-help">Each count links to its threats '
            f'{"in the tables below" if band_links else "below"}; '
            "&ldquo;open&rdquo; counts threats still open or being mitigated.</p>"
            f"{listing}</div>{note}")
