"""The data flow diagram as Mermaid, drawn the way Material for MkDocs draws diagrams.

Node and box ids are generated (``n0``, ``b0``), never the model's ids; every label
is quoted and written with Mermaid entity codes (see :func:`escape.mermaid_label`),
so model text cannot add statements, directives, ``click`` handlers or links.
Shapes: external entities are rectangles, processes rounded (stadium) boxes, data
stores cylinders. Trust boundaries are dashed boxes, nested as the model nests
them. Flows that cross a boundary are thick red arrows; elements and flows with
open high or critical threats are outlined in red and marked with a warning sign.
"""

from __future__ import annotations

from ..format.model import OPEN_STATUSES, Element, Flow, Model
from ..format.spec import ELEMENT_TYPES, TARGET_NAMES
from .badges import plural, risk_of, table, threat_link
from .escape import anchor, h, mermaid_label
from .site import Site

SHAPES = {"external": ('["', '"]'), "process": ('(["', '"])'), "store": ('[("', '")]')}
TYPE_TEXT = {kind: TARGET_NAMES[kind] for kind in ELEMENT_TYPES}
WARN = "\u26a0 "
HOT_BANDS = ("high", "critical")

CLASS_DEFS = (
    "classDef tmExternal fill:#eceff1,stroke:#455a64,stroke-width:1.5px,color:#1c2529",
    "classDef tmProcess fill:#e3f2fd,stroke:#1565c0,stroke-width:1.5px,color:#0d2a4d",
    "classDef tmStore fill:#fff8e1,stroke:#a86b00,stroke-width:1.5px,color:#3d2a00",
    "classDef tmHot stroke:#c62828,stroke-width:3.5px",
    "classDef tmOutOfScope fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:3 3,color:#616161",
    "classDef tmBoundary fill:transparent,stroke:#7b1fa2,stroke-width:1.5px,"
    "stroke-dasharray:7 4,color:#4a148c",
)
# Our own layout settings (never model text): tighter than Mermaid's defaults so that a
# diagram stays legible at the width of a documentation page; labels (HTML, as Mermaid
# draws them by default) wrap at ``wrappingWidth`` pixels instead of being cut.
LAYOUT = ("---", "config:", "  flowchart:", "    nodeSpacing: 28", "    rankSpacing: 42",
          "    padding: 10", "    wrappingWidth: 180", "---")
# A red that keeps 3:1 against both Material's light and its dark (slate) background; the
# label keeps the theme's edge colour, so that it reads on the label's own background.
CROSSING_STYLE = "stroke:#e53935,stroke-width:2.5px"
# Labels are wrapped, not cut; these bounds only stop a pathological text from filling
# the page (a longer label ends with an ellipsis).
NODE_LABEL_LIMIT = 160
BOUNDARY_LABEL_LIMIT = 120
FLOW_LABEL_LIMIT = 120


def hot_targets(model: Model, site: Site) -> set[str]:
    """Ids of elements and flows with an open high or critical threat (unless redacted),
    judged per target where a threat gives a target its own status or rating."""
    hot: set[str] = set()
    for threat in model.threats:
        if site.options.withheld(threat):
            continue
        for target in threat.targets:
            view = threat.on(target) if threat.per_target else None
            status = view.status if view else threat.status
            risk = view.risk if view else risk_of(threat)
            if status in OPEN_STATUSES and risk is not None and risk.band in HOT_BANDS:
                hot.add(target)
    return hot


def _nesting(model: Model) -> tuple[dict[str | None, list[int]], dict[str, int]]:
    """Children of each boundary (``None``: top level) by index; boundary id -> index.

    Unknown parents and nesting cycles put a boundary at the top level."""
    index: dict[str, int] = {}
    for i, boundary in enumerate(model.boundaries):
        index.setdefault(boundary.id, i)
    parent: dict[int, str | None] = {}
    for i, boundary in enumerate(model.boundaries):
        if index[boundary.id] != i:
            continue  # a repeated id: the first one is the box
        seen, up = {boundary.id}, boundary.inside
        while up is not None and up in index and up not in seen:
            seen.add(up)
            up = model.boundaries[index[up]].inside
        ok = boundary.inside in index and (up is None or up not in seen)
        parent[i] = boundary.inside if ok and boundary.inside != boundary.id else None
    children: dict[str | None, list[int]] = {}
    for i, up in parent.items():
        children.setdefault(up, []).append(i)
    return children, index


def mermaid_source(model: Model, site: Site) -> str:
    """The Mermaid flowchart of a model."""
    hot = hot_targets(model, site)
    direction = site.options.direction if site.options.direction in ("LR", "TB", "RL", "BT") \
        else "LR"
    lines = [*LAYOUT, f"flowchart {direction}"]
    children, bindex = _nesting(model)
    node: dict[str, str] = {}
    by_boundary: dict[str | None, list[tuple[int, Element]]] = {}
    for i, element in enumerate(model.elements):
        if element.id in node:
            continue
        node[element.id] = f"n{i}"
        where = element.boundary if element.boundary in bindex else None
        by_boundary.setdefault(where, []).append((i, element))

    def emit_nodes(key: str | None, indent: str) -> None:
        for i, element in by_boundary.get(key, []):
            left, right = SHAPES.get(element.type or "", SHAPES["process"])
            text = (WARN if element.id in hot else "") + element.name
            lines.append(f"{indent}n{i}{left}{mermaid_label(text, NODE_LABEL_LIMIT)}{right}")

    def emit_box(i: int, indent: str) -> None:
        boundary = model.boundaries[i]
        name = mermaid_label(boundary.name, BOUNDARY_LABEL_LIMIT)
        lines.append(f'{indent}subgraph b{i}["{name}"]')
        emit_nodes(boundary.id, indent + "  ")
        for child in children.get(boundary.id, []):
            emit_box(child, indent + "  ")
        lines.append(f"{indent}end")

    emit_nodes(None, "  ")
    for i in children.get(None, []):
        emit_box(i, "  ")
    crossing: list[int] = []
    link = 0
    for flow in model.flows:
        a, b = node.get(flow.source or ""), node.get(flow.target or "")
        if a is None or b is None:
            continue
        text = (WARN if flow.id in hot else "") + (flow.label or flow.id)
        arrow = "-->"
        if model.crosses_boundary(flow):
            arrow = "==>"
            crossing.append(link)
        lines.append(f'  {a} {arrow}|"{mermaid_label(text, FLOW_LABEL_LIMIT)}"| {b}')
        link += 1
    lines += ["  " + c for c in CLASS_DEFS]
    for kind, cls in (("external", "tmExternal"), ("process", "tmProcess"), ("store", "tmStore")):
        ids = [node[e.id] for e in model.elements
               if (e.type if e.type in SHAPES else "process") == kind and node.get(e.id)]
        ids = list(dict.fromkeys(ids))
        if ids:
            lines.append(f"  class {','.join(ids)} {cls}")
    hot_nodes = list(dict.fromkeys(node[e.id] for e in model.elements if e.id in hot))
    if hot_nodes:
        lines.append(f"  class {','.join(hot_nodes)} tmHot")
    aside = list(dict.fromkeys(node[e.id] for e in model.elements if e.out_of_scope))
    if aside:
        lines.append(f"  class {','.join(aside)} tmOutOfScope")
    boxes = sorted({i for kids in children.values() for i in kids})
    if boxes:
        lines.append(f"  class {','.join(f'b{i}' for i in boxes)} tmBoundary")
    if crossing:
        lines.append(f"  linkStyle {','.join(map(str, crossing))} {CROSSING_STYLE}")
    return "\n".join(lines) + "\n"


LEGEND = (
    '<ul class="tm-legend" aria-label="Diagram legend">'
    '<li><span class="tm-key tm-key-external"></span>external entity</li>'
    '<li><span class="tm-key tm-key-process"></span>process</li>'
    '<li><span class="tm-key tm-key-store"></span>data store</li>'
    '<li><span class="tm-key tm-key-boundary"></span>trust boundary</li>'
    '<li><span class="tm-key tm-key-crossing"></span>flow crossing a boundary</li>'
    '<li><span class="tm-key tm-key-hot">\u26a0</span>open high or critical threat</li>'
    '<li><span class="tm-key tm-key-aside"></span>out of scope</li>'
    "</ul>")


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    """The diagram (a ``pre.mermaid`` block, as Material expects), its legend, and the
    elements and flows it shows, each with an anchor that threats link to."""
    if not model.elements:
        return '<p class="tm-muted">The model has no elements to draw.</p>'
    source = mermaid_source(model, site)
    label = h(f"Data flow diagram of {model.title or model.id}")
    name = h(anchor("", model.id or "model"))
    figure = (f'<div class="tm-diagram" role="img" aria-label="{label}" data-tm-name="{name}">'
              f'<pre class="mermaid"><code>{h(source)}</code></pre></div>{LEGEND}')
    return figure + items_tables(model, site, current)


def _threats_on(model: Model, site: Site, current: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for threat in model.threats:
        if threat.status == "not-applicable":
            continue
        for target in dict.fromkeys(threat.targets):
            out.setdefault(target, []).append(threat_link(site, threat, model, current))
    return out


def items_tables(model: Model, site: Site, current: str) -> str:
    names = {b.id: b.name for b in model.boundaries}
    threats = _threats_on(model, site, current)
    assets = {a.id: a.name for a in model.assets}
    rows = []
    for element in model.elements:
        kind = TYPE_TEXT.get(element.type or "", element.type or "")
        where = names.get(element.boundary or "", element.boundary or "")
        rows.append(
            f'<tr id="{anchor("element-", element.id)}"><td><strong>{h(element.name)}</strong>'
            f"</td><td>{h(kind)}</td><td>{h(where) if where else _outside()}</td>"
            f"<td>{_assets(element.assets, assets)}</td>"
            f'<td>{h(element.description or "")}{properties(element)}</td>'
            f'<td>{" ".join(threats.get(element.id, []))}</td></tr>')
    out = table(["Element", "Type", "Trust boundary", "Assets", "What it is", "Threats"], rows,
                "tm-elements", caption="Elements")
    elements = {e.id: e for e in model.elements}
    rows = [_flow_row(model, flow, elements, assets, threats) for flow in model.flows]
    if rows:
        out += table(["Flow", "From \u2192 to", "Protocol", "Authentication", "Data",
                      "Threats"], rows, "tm-flows", caption="Data flows")
    crossing = sum(1 for f in model.flows if model.crosses_boundary(f))
    summary = (f"Elements and data flows: {plural(len(model.elements), 'element')}, "
               f"{plural(len(model.flows), 'flow')} ({crossing} crossing a trust boundary)")
    return f'<details class="tm-items note"><summary>{summary}</summary>{out}</details>'


def properties(element: Element) -> str:
    """An element's security properties as badges and short facts (HTML, never the
    diagram's labels)."""
    badges = []
    if element.out_of_scope is not None:
        badges.append('<span class="tm-badge tm-prop tm-prop-aside">out of scope</span>')
    if element.internet_facing:
        badges.append('<span class="tm-badge tm-prop tm-prop-internet">internet-facing</span>')
    if element.third_party:
        badges.append('<span class="tm-badge tm-prop tm-prop-third">third party</span>')
    facts = []
    if element.technology:
        facts.append(f'<span class="tm-label">Technology</span> {h(element.technology)}')
    if element.owner:
        facts.append(f'<span class="tm-label">Run by</span> {h(element.owner)}')
    if element.out_of_scope:
        facts.append(f'<span class="tm-label">Out of scope</span> {h(element.out_of_scope)}')
    if element.tags:
        facts.append(" ".join(f'<span class="tm-tag">{h(t)}</span>' for t in element.tags))
    if not badges and not facts:
        return ""
    return (f'<div class="tm-props">{" ".join(badges)}'
            f'{"".join(f"<div>{f}</div>" for f in facts)}</div>')


def _encryption(flow: Flow) -> str:
    encrypted = flow.encrypted
    if encrypted is None:
        return ""
    how = "as written" if flow.encrypted_given is not None else "from the protocol"
    if encrypted:
        return (f' <span class="tm-badge tm-prop tm-prop-encrypted" title="encrypted, {how}">'
                "encrypted</span>")
    return (f' <span class="tm-badge tm-prop tm-prop-plain" title="not encrypted, {how}">'
            "plain text</span>")


def _auth(flow: Flow) -> str:
    parts = [h(flow.auth)] if flow.auth else []
    if flow.authentication:
        parts.append(f'<span class="tm-muted">authentication:</span> {h(flow.authentication)}')
    if flow.authorization:
        parts.append(f'<span class="tm-muted">authorization:</span> {h(flow.authorization)}')
    return "<br>".join(parts)


def _outside() -> str:
    return '<span class="tm-muted">outside every boundary</span>'


def _assets(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(f'<a href="#{anchor("asset-", a)}">{h(names[a])}</a>' if a in names
                     else h(a) for a in ids)


def _flow_row(model: Model, flow: Flow, elements: dict, assets: dict[str, str],
              threats: dict[str, list[str]]) -> str:
    a, b = elements.get(flow.source or ""), elements.get(flow.target or "")
    ends = (f'{h(a.name if a else flow.source or "?")} \u2192 '
            f'{h(b.name if b else flow.target or "?")}')
    if model.crosses_trust(flow):
        ends += ' <span class="tm-badge tm-crossing" title="crosses a trust boundary">' \
                "crosses boundary</span>"
    elif model.crosses_boundary(flow):
        ends += (' <span class="tm-badge tm-crossing tm-crossing-execution" title="crosses '
                 'only an execution boundary (a sandbox or container)">crosses execution '
                 "boundary</span>")
    data = _assets(flow.data, assets)
    if flow.returns:
        data += (f'{"<br>" if data else ""}<span class="tm-muted">back:</span> '
                 f"{_assets(flow.returns, assets)}")
    return (f'<tr id="{anchor("flow-", flow.id)}"><td><strong>{h(flow.label or flow.id)}'
            f"</strong></td><td>{ends}</td><td>{h(flow.protocol or '')}{_encryption(flow)}</td>"
            f"<td>{_auth(flow)}</td><td>{data}</td>"
            f'<td>{" ".join(threats.get(flow.id, []))}</td></tr>')


def scripts(mermaid_src: str, init_src: str, self_render: bool) -> str:
    """The script tags a page with diagrams needs: Mermaid itself (from ``mermaid_src``,
    a CDN or a file the site hosts), then ours, which keeps Mermaid's ``securityLevel``
    at ``strict`` and, for themes without Mermaid support, draws the diagrams."""
    mode = "self" if self_render else "theme"
    return (f'<script src="{h(mermaid_src)}"></script>'
            f'<script src="{h(init_src)}" data-tm-render="{mode}"></script>')
