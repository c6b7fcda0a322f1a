"""OWASP Threat Dragon: export a model as a Threat Dragon v2 model.

One STRIDE diagram: external entities are actors, processes and stores keep their shapes,
flows connect them, boundaries are trust boundary boxes laid out around what they contain
(:mod:`.layout`). A threat becomes one Threat Dragon threat per target and STRIDE letter,
with Threat Dragon's words for its status on that target (per-target detail applied):
``Open`` (untriaged, open, mitigating, accepted, transferred), ``Mitigated`` or
``NotApplicable``; severity ``Low``, ``Medium``, ``High`` or ``Critical`` from the risk band,
``TBD`` when unrated. Its ``mitigation`` is the threat's ``mitigation`` text (or, when it has
none, its rationale) followed by each mitigation record it cites there, as "title (status):
description". A flow is ``isEncrypted`` when it is encrypted, an element ``outOfScope`` when
it is. What Threat Dragon has no field for is kept under a ``threatmodel`` key (on each
threat, each cell's ``data`` and ``detail``), which :mod:`.threat_dragon_import` reads back.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..format.model import STRIDE_NAMES, Model, Threat
from ..format.spec import ELEMENT_TYPES
from .common import mapping, text
from .extras import assumption_record, mitigation_record, plain, threat_links
from .ids import read_id_table
from .layout import Rect, layout

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..format.model import Element

TD_VERSION = "2.0.0"
SHAPES = {"external": ("actor", "tm.Actor"), "process": ("process", "tm.Process"),
          "store": ("store", "tm.Store")}
STATUS_WORDS = {"untriaged": "Open", "open": "Open", "mitigating": "Open", "accepted": "Open",
                "transferred": "Open", "mitigated": "Mitigated", "not-applicable": "NotApplicable"}
SEVERITY_WORDS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
_TYPE_DEFAULTS: dict[str, dict[str, bool | str]] = {
    "external": {"providesAuthentication": False},
    "process": {"handlesCardPayment": False, "handlesGoodsOrServices": False,
                "isWebApplication": False, "privilegeLevel": ""},
    "store": {"isALog": False, "isEncrypted": False, "isSigned": False,
              "storesCredentials": False, "storesInventory": False},
}
_NAMESPACE = uuid.UUID("7a3c2f0e-5b1d-4e8a-9c6f-2d4b8e1a0f37")


def _extras(threat: Threat, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": threat.id, "index": index, "status": threat.status}
    for key in ("likelihood", "impact", "owner", "ticket", "rationale"):
        if getattr(threat, key):
            out[key] = getattr(threat, key)
    for key in ("tests", "references"):
        if getattr(threat, key):
            out[key] = list(getattr(threat, key))
    out.update(plain("threat", threat))
    if threat.acceptance is not None:
        a = threat.acceptance
        out["acceptance"] = {k: v for k, v in (
            ("by", a.by), ("date", a.date.isoformat() if a.date else None),
            ("expires", a.expires.isoformat() if a.expires else None),
            ("rationale", a.rationale)) if v}
    return out


def mitigation_text(model: Model, threat: Threat, mitigations: list[str]) -> str:
    """The threat's own text, then each cited mitigation record as one paragraph."""
    parts = [threat.mitigation or threat.rationale or ""]
    for mid in dict.fromkeys(mitigations):
        m = model.mitigation(mid)
        if m is not None:
            parts.append(f"{m.title} ({m.status})" + (f": {m.description}"
                                                       if m.description else ""))
    return "\n\n".join(p.strip() for p in parts if p.strip())


def _entries(model: Model, target: str, restore: dict[str, str], counter: list[int]) -> list:
    out = []
    for index, threat in enumerate(model.threats):
        if target not in threat.targets:
            continue
        view = threat.on(target)
        risk = view.risk
        letters = threat.stride or [""]
        single = len(letters) == 1 and len(threat.targets) == 1
        mitigation = mitigation_text(model, threat, view.mitigations)
        for letter in letters:
            counter[0] += 1
            extras = _extras(threat, index)
            extras["targets"] = [restore.get(t, t) for t in threat.targets]
            extras.update(threat_links(threat, lambda x: restore.get(x, x)))
            if mitigation != (threat.mitigation or threat.rationale or ""):
                extras["mitigation"] = threat.mitigation or ""
            entry_id = restore.get(threat.id, threat.id) if single else str(
                uuid.uuid5(_NAMESPACE, f"{model.id}/{threat.id}/{target}/{letter}"))
            out.append({
                "id": entry_id, "title": threat.title,
                "status": STATUS_WORDS.get(view.status, "Open"),
                "severity": SEVERITY_WORDS[risk.band] if risk else "TBD",
                "type": STRIDE_NAMES.get(letter, ""), "description": threat.story or "",
                "mitigation": mitigation,
                "modelType": "STRIDE", "number": counter[0], "score": "",
                "threatmodel": extras})
    return out


def _node(model: Model, element: Element, rect: Rect, threats: list[dict[str, Any]],
          cid: str) -> dict[str, Any]:
    kind = element.type if element.type in ELEMENT_TYPES else "process"
    shape, td_type = SHAPES[kind]
    is_open = any(t["status"] == "Open" for t in threats)
    line = {"stroke": "red" if is_open else "#333333", "strokeWidth": 3 if is_open else 1,
            "strokeDasharray": None}
    attrs: dict[str, Any] = {"text": {"text": element.name}}
    if kind == "store":
        attrs.update(topLine=dict(line), bottomLine=dict(line))
    else:
        attrs["body"] = line
    data: dict[str, Any] = {
        "name": element.name, "description": element.description or "", "type": td_type,
        "isTrustBoundary": False, "outOfScope": element.out_of_scope is not None,
        "reasonOutOfScope": element.out_of_scope or "",
        **_TYPE_DEFAULTS[kind], "threats": threats, "hasOpenThreats": is_open}
    extras = {**({"assets": list(element.assets)} if element.assets else {}),
              **plain("element", element)}
    if extras:
        data["threatmodel"] = extras
    return {"position": {"x": rect.x, "y": rect.y},
            "size": {"width": rect.width, "height": rect.height}, "attrs": attrs,
            "visible": True, "shape": shape, "id": cid, "zIndex": 1, "data": data}


def to_threat_dragon(model: Model) -> dict[str, Any]:
    """The model as a Threat Dragon v2 model (plain data, ready for ``json.dumps``)."""
    table = read_id_table(model.source.body, "threat-dragon")
    counts: dict[str, int] = {}
    for value in table.values():
        counts[value] = counts.get(value, 0) + 1
    restore = {k: v for k, v in table.items() if counts[v] == 1}

    def cid(x: str) -> str:
        return restore.get(x, x)

    elements, boxes = layout(model)
    depth = {b.id: 0 for b in model.boundaries}
    parents = {b.id: b.inside for b in model.boundaries}
    for b in model.boundaries:
        current, seen = b.inside, set()
        while current in parents and current not in seen:
            seen.add(current)
            depth[b.id] += 1
            current = parents[current]
    cells: list[dict[str, Any]] = []
    for b in model.boundaries:
        rect = boxes[b.id]
        cells.append({
            "position": {"x": rect.x, "y": rect.y},
            "size": {"width": rect.width, "height": rect.height},
            "attrs": {"headerText": {"text": b.name},
                      "body": {"stroke": "#333333", "strokeWidth": 3,
                               "strokeDasharray": "5 5"}},
            "visible": True, "shape": "trust-boundary-box", "id": cid(b.id),
            "zIndex": -50 + depth[b.id],
            "data": {"type": "tm.BoundaryBox", "name": b.name, "description": b.description or "",
                     "isTrustBoundary": True, "hasOpenThreats": False,
                     **({"threatmodel": plain("boundary", b)} if plain("boundary", b) else {})}})
    counter = [0]
    for element in model.elements:
        threats = _entries(model, element.id, restore, counter)
        cells.append(_node(model, element, elements[element.id], threats, cid(element.id)))
    for flow in model.flows:
        threats = _entries(model, flow.id, restore, counter)
        is_open = any(t["status"] == "Open" for t in threats)
        name = flow.label or ""
        extras = {k: v for k, v in (("label", flow.label), ("auth", flow.auth),
                                    ("data", list(flow.data)),
                                    ("returns", list(flow.returns))) if v}
        extras.update(plain("flow", flow))
        data = {"type": "tm.Flow", "name": name, "description": flow.description or "",
                "outOfScope": False, "reasonOutOfScope": "", "protocol": flow.protocol or "",
                "isBidirectional": False, "isEncrypted": flow.encrypted is True,
                "isPublicNetwork": False,
                "hasOpenThreats": is_open, "threats": threats, "isTrustBoundary": False}
        if extras:
            data["threatmodel"] = extras
        cells.append({
            "shape": "flow",
            "attrs": {"line": {"stroke": "red" if is_open else "#333333",
                               "strokeWidth": 3 if is_open else 1,
                               "targetMarker": {"name": "block"}, "sourceMarker": {"name": ""},
                               "strokeDasharray": None}},
            "width": 200, "height": 100, "zIndex": 10, "connector": "smooth", "data": data,
            "id": cid(flow.id),
            "labels": [{"position": 0.5, "attrs": {"label": {"text": name}}}],
            "source": {"cell": cid(flow.source or "")},
            "target": {"cell": cid(flow.target or "")}, "vertices": []})
    return {
        "version": TD_VERSION,
        "summary": {"title": model.title, "owner": model.owner or "",
                    "description": model.source.body.strip(), "id": 0},
        "detail": {"contributors": [], "diagrams": [{
            "version": TD_VERSION, "title": model.title,
            "thumbnail": "./public/content/images/thumbnail.stride.jpg",
            "diagramType": "STRIDE", "placeholder": "", "id": 0, "cells": cells}],
            "diagramTop": 1, "reviewer": model.reviewed_by or "", "threatTop": counter[0],
            "threatmodel": _model_extras(model, cid)},
    }


def _model_extras(model: Model, cid: Callable[[str], str]) -> dict[str, Any]:
    raw = mapping(model.source.data)
    out: dict[str, Any] = {"id": model.id, "status": model.status}
    if model.reviewed_date:
        out["reviewed"] = {k: v for k, v in (("date", model.reviewed_date.isoformat()),
                                            ("by", model.reviewed_by)) if v}
    if text(raw.get("review_every")):
        out["review_every"] = raw["review_every"]
    for key, value in (("covers", model.covers), ("adrs", model.adrs)):
        if value:
            out[key] = list(value)
    if model.scope_in or model.scope_out:
        out["scope"] = {"in": list(model.scope_in), "out": list(model.scope_out)}
    if model.assets:
        out["assets"] = [{**{k: v for k, v in (("id", a.id), ("name", a.name),
                                               ("impact", a.impact),
                                               ("description", a.description)) if v},
                          **plain("asset", a)} for a in model.assets]
    if model.mitigations:
        out["mitigations"] = [{"id": cid(m.id), "title": m.title,
                               **({"description": m.description} if m.description else {}),
                               **mitigation_record(m)} for m in model.mitigations]
    if model.assumptions:
        out["assumptions"] = [assumption_record(a, cid) for a in model.assumptions]
    if model.tags:
        out["tags"] = list(model.tags)
    loose = [(i, t) for i, t in enumerate(model.threats) if not t.targets]
    if loose:
        out["threats"] = [{"title": t.title, "stride": list(t.stride), "story": t.story,
                           "mitigation": t.mitigation, **_extras(t, i),
                           **threat_links(t, cid)} for i, t in loose]
    return out
