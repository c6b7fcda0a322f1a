"""The STRIDE-per-element coverage matrix: every element and flow against S T R I D E.

A cell is blank-grey when the letter does not apply to the item's type, a gap when it
applies and no threat covers it, "n/a" when only not-applicable threats cover it,
and otherwise shows the covering threats coloured by their status on that item (a
threat's per-target status where it gives one), the worst first.
"""

from __future__ import annotations

from ..format.model import STRIDE_NAMES, Model
from ..validation.stride import coverage
from .badges import STATUS_ORDER, status_class, table
from .diagram import TYPE_TEXT
from .escape import anchor, h
from .site import Site

LETTERS = "STRIDE"


def _cell(letter: str, ident: str, threats: list | None, site: Site) -> str:
    name = STRIDE_NAMES[letter]
    if threats is None:
        return (f'<td class="tm-cov-none" title="{name} does not apply to this type">'
                '<span class="tm-muted">&middot;</span></td>')
    if not threats:
        return f'<td class="tm-cov-gap" title="{name}: no threat considered">gap</td>'
    here = [t.on(ident) for t in threats]
    if all(v.status == "not-applicable" for v in here):
        ids = ", ".join(h(v.threat.id) for v in here)
        return (f'<td class="tm-cov-na" title="{name}: not applicable ({ids})">'
                f'<a href="#{h(here[0].threat.id)}">n/a</a></td>')
    shown = sorted((v for v in here if v.status != "not-applicable"),
                   key=lambda v: STATUS_ORDER.get(v.status, 0))
    links = []
    for v in shown:
        withheld = site.options.withheld(v.threat)
        cls = "considered" if withheld else status_class(v.status)
        own = "" if withheld or v.threat.status == v.status else f" (here: {v.status})"
        links.append(f'<a class="tm-chip tm-status-{cls}" href="#{h(v.threat.id)}" '
                     f'title="{h(v.threat.id)}{h(own)}">{h(v.threat.id)}</a>')
    worst = "considered" if site.options.withheld(shown[0].threat) \
        else status_class(shown[0].status)
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
        cells = "".join(_cell(x, ident, letters.get(x), site) for x in LETTERS)
        rows.append(f'<tr><th scope="row">{label}<br><span class="tm-muted">{h(kind)}</span>'
                    f"</th>{cells}</tr>")
    head = ["Element or flow"] + [f'<abbr title="{STRIDE_NAMES[x]}">{x}</abbr>' for x in LETTERS]
    summary = (f'<p class="tm-summary">{gaps} gap{"" if gaps == 1 else "s"}: applicable '
               "letters no threat considers yet.</p>" if gaps else
               '<p class="tm-summary">Every applicable letter of every element and flow has '
               "been considered.</p>")
    legend = ('<p class="tm-legend-text tm-muted">Chips are threats, coloured by their status '
              "on the row&rsquo;s element or flow; "
              "<em>n/a</em>: considered and not applicable; <em>gap</em>: not considered; "
              "&middot;: the letter does not apply to this kind of item.</p>")
    return summary + table(head, rows, "tm-coverage") + legend
