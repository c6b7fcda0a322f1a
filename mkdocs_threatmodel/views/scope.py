"""Scope in and out, and the assets ranked by impact, with their classification and their
confidentiality, integrity and availability ratings."""

from __future__ import annotations

from ..format.model import Asset, Model
from ..format.spec import CIA, CIA_NAMES, DEFAULT_CLASSIFICATIONS, LEVELS
from .badges import table
from .escape import anchor, h
from .site import Site

_IMPACT_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f'<p class="tm-muted">{empty}</p>'
    return "<ul>" + "".join(f"<li>{h(i)}</li>" for i in items) + "</ul>"


def tags(labels: list[str]) -> str:
    """Free tags as small labels."""
    if not labels:
        return ""
    return ('<div class="tm-tags">' + " ".join(f'<span class="tm-tag">{h(t)}</span>'
                                               for t in labels) + "</div>")


def classification(asset: Asset) -> str:
    """The asset's classification badge and its C, I and A ratings."""
    parts = []
    if asset.classification:
        known = asset.classification in DEFAULT_CLASSIFICATIONS
        cls = f"tm-class-{asset.classification}" if known else "tm-class-other"
        parts.append(f'<span class="tm-badge tm-class {cls}" title="data classification">'
                     f"{h(asset.classification)}</span>")
    for letter in CIA:
        level = asset.rating(letter)
        if level:
            band = level if level in LEVELS else "none"
            parts.append(f'<span class="tm-badge tm-cia tm-risk-{band}" '
                         f'title="{CIA_NAMES[letter]}: {h(level)}">{letter} {h(level)}</span>')
    return " ".join(parts) or '<span class="tm-muted">none</span>'


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    scope = (
        '<div class="tm-scope">'
        f'<div class="tm-scope-in"><p class="tm-label">In scope</p>'
        f'{_list(model.scope_in, "Nothing listed.")}</div>'
        f'<div class="tm-scope-out"><p class="tm-label">Out of scope</p>'
        f'{_list(model.scope_out, "Nothing listed.")}</div></div>')
    if not model.assets:
        return scope + '<p class="tm-muted">No assets listed.</p>'
    held: dict[str, list[str]] = {}
    for element in model.elements:
        for asset_id in element.assets:
            ref = h(element.name)
            if anchors:
                ref = f'<a href="#{anchor("element-", element.id)}">{ref}</a>'
            held.setdefault(asset_id, []).append(ref)
    carried: dict[str, int] = {}
    for flow in model.flows:
        for asset_id in dict.fromkeys(flow.data + flow.returns):
            carried[asset_id] = carried.get(asset_id, 0) + 1
    ranked = sorted(enumerate(model.assets),
                    key=lambda ia: (_IMPACT_RANK.get(ia[1].impact or "", 4), ia[0]))
    rows = []
    for _, asset in ranked:
        impact = asset.impact if asset.impact in _IMPACT_RANK else None
        badge = (f'<span class="tm-badge tm-risk-{impact}">{impact}</span>' if impact
                 else '<span class="tm-badge tm-risk-none">unrated</span>')
        where = ", ".join(held.get(asset.id, []))
        n = carried.get(asset.id, 0)
        if n:
            where += (", " if where else "") + f'<span class="tm-muted">{n} flow' \
                     f'{"" if n == 1 else "s"}</span>'
        rows.append(f'<tr id="{anchor("asset-", asset.id)}"><td><strong>{h(asset.name)}</strong>'
                    f'</td><td data-sort="{_IMPACT_RANK.get(impact or "", 4)}">{badge}</td>'
                    f"<td>{classification(asset)}</td>"
                    f'<td>{h(asset.description or "")}{tags(asset.tags)}</td><td>{where}</td>'
                    "</tr>")
    return scope + table(["Asset", "Impact", "Classification", "What it is",
                          "Held by / carried on"], rows, "tm-assets",
                         caption="Assets, most valuable first")
