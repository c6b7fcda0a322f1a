"""The STRIDE-per-element coverage matrix: every element and flow against S T R I D E.

A cell is blank-grey when the letter does not apply to the item's type, a gap when it
applies and no threat covers it, "n/a" when only not-applicable threats cover it,
and otherwise shows the covering threats coloured by their status (the worst first).
"""

from __future__ import annotations

from ..format.model import STRIDE_NAMES, Model
from ..validation.stride import coverage
from .badges import STATUS_ORDER, status_class, table
from .diagram import TYPE_TEXT
from .escape import anchor, h
from .site import Site

LETTERS = "STRIDE"


def _cell(letter: str, threats: list | None, model: Model, site: Site, current: str) -> str:
    name = STRIDE_NAMES[letter]
    if threats is None:
        return (f'<td class="tm-cov-none" title="{name} does not apply to this type">'
                '<span class="tm-muted">&middot;</span></td>')
    if not threats:
        return f'<td class="tm-cov-gap" title="{name}: no threat considered">gap</td>'
    if all(t.status == "not-applicable" for t in threats):
        ids = ", ".join(h(t.id) for t in threats)
        return (f'<td class="tm-cov-na" title="{name}: not applicable ({ids})">'
                f'<a href="#{h(threats[0].id)}">n/a</a></td>')
    shown = sorted((t for t in threats if t.status != "not-applicable"),
                   key=lambda t: STATUS_ORDER.get(t.status, 0))
    links = []
    for t in shown:
        cls = "considered" if site.options.withheld(t) else status_class(t.status)
        links.append(f'<a class="tm-chip tm-status-{cls}" href="#{h(t.id)}">{h(t.id)}</a>')
    worst = "considered" if site.options.withheld(shown[0]) else status_class(shown[0].status)
    return f'<td class="tm-cov-{worst}" title="{name}">{" ".join(links)}</td>'


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    table_data = coverage(model)
    if not table_data:
        return '<p class="tm-muted">No elements or flows to cover.</p>'
    rows = []
    gaps = 0
    items = [(e.id, e.name, TYPE_TEXT.get(e.type or "", e.type or "?"), "element-")
             for e in model.elements]
    items += [(f.id, f.label or f.id, "data flow", "flow-") for f in model.flows]
    seen = set()
    for ident, name, kind, prefix in items:
        if ident in seen:
            continue
        seen.add(ident)
        letters = table_data.get(ident, {})
        gaps += sum(1 for v in letters.values() if not v)
        label = h(name)
        if anchors:
            label = f'<a href="#{anchor(prefix, ident)}">{label}</a>'
        cells = "".join(_cell(x, letters.get(x), model, site, current) for x in LETTERS)
        rows.append(f'<tr><th scope="row">{label}<br><span class="tm-muted">{h(kind)}</span>'
                    f"</th>{cells}</tr>")
    head = ["Element or flow"] + [f'<abbr title="{STRIDE_NAMES[x]}">{x}</abbr>' for x in LETTERS]
    summary = (f'<p class="tm-summary">{gaps} gap{"" if gaps == 1 else "s"}: applicable '
               "letters no threat considers yet.</p>" if gaps else
               '<p class="tm-summary">Every applicable letter of every element and flow has '
               "been considered.</p>")
    legend = ('<p class="tm-legend-text tm-muted">Chips are threats, coloured by status; '
              "<em>n/a</em>: considered and not applicable; <em>gap</em>: not considered; "
              "&middot;: the letter does not apply to this kind of item.</p>")
    return summary + table(head, rows, "tm-coverage") + legend
