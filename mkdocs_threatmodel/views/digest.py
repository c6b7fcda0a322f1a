"""Plain text of a view, for the site's search index.

Search plugins parse every page's HTML with Python's HTML parser, which costs far
more for the views' tables than rendering them. So the page the search plugin sees
holds, in each view's place, a hidden block with this text (names, ids, titles,
stories, mitigations: what a reader searches for), and the view's HTML takes its
place in the finished page. Details a site withholds (``redact``) are left out here
too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format.model import Model
from .escape import one_line
from .site import Site

if TYPE_CHECKING:
    from collections.abc import Iterable


def _join(parts: Iterable[str | None]) -> str:
    return one_line(" ".join(p for p in parts if p))


def model_text(name: str, model: Model, site: Site,
               linked: frozenset[str] = frozenset()) -> str:
    """The search text of one section of a model page; ``linked`` names the sections of
    the same model on the page. With the threat details there, each threat is searched in
    its panel (its id, title, story and mitigation, under its own heading), so the threat
    table adds no text (the index holds each story once)."""
    if name == "header":
        return _join([model.owner, model.reviewed_by])
    if name == "scope":
        parts: list[str | None] = [*model.scope_in, *model.scope_out]
        for asset in model.assets:
            parts += [asset.name, asset.description]
        return _join(parts)
    if name == "diagram":
        parts = [b.name for b in model.boundaries]
        for element in model.elements:
            parts += [element.name, element.description, element.technology,
                      element.out_of_scope]
        for flow in model.flows:
            parts += [flow.label, flow.protocol, flow.auth, flow.description]
        return _join(parts)
    if name == "mitigations":
        from .mitigations import withheld

        parts = []
        for m in model.mitigations:
            parts.append(m.id)
            if not withheld(site, model, m):
                parts += [m.title, m.description, m.owner]
        return _join(parts)
    if name == "assumptions":
        parts = []
        for a in model.assumptions:
            parts += [a.id, a.text, a.owner]
        return _join(parts)
    if name == "threats" and "details" in linked:
        return ""  # each threat is searched in its panel, under its own heading
    if name in ("threats", "triage", "residual"):
        parts = []
        for threat in model.threats:
            if name == "residual" and threat.status != "accepted":
                continue
            if (name == "triage") != threat.is_untriaged and name != "residual":
                continue
            parts.append(threat.id)
            if site.options.withheld(threat):
                continue
            parts += [threat.title, threat.story, threat.mitigation, threat.rationale,
                      threat.severity_reason]
            if threat.acceptance is not None:
                parts += [threat.acceptance.by, threat.acceptance.rationale]
        return _join(parts)
    return ""
