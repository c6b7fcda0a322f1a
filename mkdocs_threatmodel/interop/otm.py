"""Open Threat Model (OTM 0.2.0): export a model as an OTM document.

Mapping (the README documents it): boundaries are trust zones (``inside`` is ``parent``),
elements are components, flows are dataflows, threats are OTM threats placed on their
targets as threat instances, mitigation texts are OTM mitigations. Likelihood and impact
are numbers: low 25, medium 50, high 75, critical 100 (:mod:`.otm_import` reads them back:
1-25 low, 26-50 medium, 51-75 high, above critical; 0 or none is not rated). What OTM has no
field for (owner, ticket, acceptance, review, tests, ...) is kept in ``attributes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..format.model import STRIDE_NAMES, Asset, Element, Flow, Model, Threat
from ..format.spec import ELEMENT_TYPES
from .common import LEVEL_NUMBER, mapping, text
from .ids import read_id_table

OTM_VERSION = "0.2.0"
GENERATOR = "mkdocs-threatmodel"
TRUST_RATING = 50  # the format has no trust rating; OTM requires one
COMPONENT_TYPES = {"external": "external-entity", "process": "process", "store": "data-store"}
STATES = {"open": "exposed", "mitigating": "partly-mitigated", "mitigated": "mitigated",
          "accepted": "accepted", "transferred": "transferred",
          "not-applicable": "not-applicable", "untriaged": "exposed"}
_CWE = re.compile(r"CWE-\d+", re.IGNORECASE)


def _restore(model: Model) -> dict[str, str]:
    table = read_id_table(model.source.body, "otm")
    counts: dict[str, int] = {}
    for value in table.values():
        counts[value] = counts.get(value, 0) + 1
    return {k: v for k, v in table.items() if counts[v] == 1}


def _threat_attributes(threat: Threat, oid) -> dict[str, Any]:
    attrs: dict[str, Any] = {"status": threat.status,
                             "targets": [oid(t) for t in threat.targets]}
    if threat.owner:
        attrs["owner"] = threat.owner
    for key in ("ticket", "rationale"):
        if getattr(threat, key):
            attrs[key] = getattr(threat, key)
    if threat.tests:
        attrs["tests"] = list(threat.tests)
    if threat.references:
        attrs["references"] = list(threat.references)
    if threat.acceptance is not None:
        a = threat.acceptance
        attrs["acceptance"] = {k: v for k, v in (
            ("by", a.by), ("date", a.date.isoformat() if a.date else None),
            ("expires", a.expires.isoformat() if a.expires else None),
            ("rationale", a.rationale)) if v}
    return attrs


def to_otm(model: Model) -> dict[str, Any]:
    """The model as an OTM 0.2.0 document (plain data, ready for ``json.dumps``)."""
    ids = _restore(model)

    def oid(x: str) -> str:
        return ids.get(x, x)

    zones, outside = _trust_zones(model, oid)
    mitigation_ids, mitigations = _mitigations(model, oid)

    def instances(target: str) -> list[dict[str, Any]]:
        return _instances(model, target, oid, mitigation_ids)

    return {"otmVersion": OTM_VERSION, "project": _project(model, oid),
            "representations": [], "assets": [_asset(a, oid) for a in model.assets],
            "trustZones": zones,
            "components": [_component(e, oid, outside, instances) for e in model.elements],
            "dataflows": [_dataflow(f, oid, instances) for f in model.flows],
            "threats": [_threat(t, oid) for t in model.threats], "mitigations": mitigations}


def _project(model: Model, oid: Callable[[str], str]) -> dict[str, Any]:
    raw = mapping(model.source.data)
    attrs: dict[str, Any] = {"generator": f"{GENERATOR} {__version__}", "status": model.status}
    if model.reviewed_date:
        attrs["reviewed"] = {k: v for k, v in (("date", model.reviewed_date.isoformat()),
                                              ("by", model.reviewed_by)) if v}
    if text(raw.get("review_every")):
        attrs["review_every"] = raw["review_every"]
    for key, value in (("covers", model.covers), ("adrs", model.adrs)):
        if value:
            attrs[key] = list(value)
    if model.scope_in or model.scope_out:
        attrs["scope"] = {"in": list(model.scope_in), "out": list(model.scope_out)}
    return {"name": model.title, "id": oid(model.id),
            "description": model.source.body.strip() or None, "owner": model.owner,
            "attributes": attrs}


def _trust_zones(model: Model, oid: Callable[[str], str]
                 ) -> tuple[list[dict[str, Any]], str | None]:
    """The boundaries as trust zones, and the id of the zone added for elements outside
    every boundary (``None`` when there are none)."""
    zones = [{"id": oid(b.id), "name": b.name, "type": "trust-boundary",
              "description": b.description, "risk": {"trustRating": TRUST_RATING},
              **({"parent": {"trustZone": oid(b.inside)}} if b.inside else {})}
             for b in model.boundaries]
    if all(e.boundary is not None for e in model.elements):
        return zones, None
    taken = {z["id"] for z in zones}
    outside = "outside"
    while outside in taken:
        outside += "-zone"
    zones.append({"id": outside, "name": "Outside every trust boundary",
                  "description": "Elements that sit in no trust boundary of the model.",
                  "risk": {"trustRating": TRUST_RATING},
                  "attributes": {"outsideEveryBoundary": True}})
    return zones, outside


def _mitigations(model: Model, oid: Callable[[str], str]
                 ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each mitigation text as an OTM mitigation: (threat id -> mitigation id, mitigations)."""
    mitigation_ids: dict[str, str] = {}
    mitigations = []
    used = {oid(x.id) for x in [*model.assets, *model.boundaries, *model.elements,
                                *model.flows, *model.threats]}
    for threat in model.threats:
        if threat.mitigation:
            mid = f"{oid(threat.id)}-mitigation"
            while mid in used:
                mid += "-1"
            used.add(mid)
            mitigation_ids[threat.id] = mid
            first = threat.mitigation.strip().splitlines()[0]
            mitigations.append({"id": mid, "name": first[:80], "description": threat.mitigation,
                                "riskReduction": 100, "attributes": {"threat": oid(threat.id)}})
    return mitigation_ids, mitigations


def _instances(model: Model, target: str, oid: Callable[[str], str],
               mitigation_ids: dict[str, str]) -> list[dict[str, Any]]:
    """The threat instances placed on one component or dataflow."""
    out = []
    for threat in model.threats:
        if target not in threat.targets:
            continue
        item: dict[str, Any] = {"threat": oid(threat.id), "state": STATES[threat.status]}
        if threat.id in mitigation_ids:
            item["mitigations"] = [{"mitigation": mitigation_ids[threat.id],
                                    "state": "implemented" if threat.status == "mitigated"
                                    else "required"}]
        out.append(item)
    return out


def _component(e: Element, oid: Callable[[str], str], outside: str | None,
               instances: Callable[[str], list]) -> dict[str, Any]:
    kind = e.type if e.type in ELEMENT_TYPES else "process"
    assets = None
    if e.assets:
        assets = {"processed": [] if kind == "store" else [oid(a) for a in e.assets],
                  "stored": [oid(a) for a in e.assets] if kind == "store" else []}
    return {"id": oid(e.id), "name": e.name, "type": COMPONENT_TYPES[kind],
            "description": e.description,
            "parent": {"trustZone": oid(e.boundary) if e.boundary else outside},
            "assets": assets, "threats": instances(e.id), "tags": [kind],
            "attributes": {"elementType": kind}}


def _dataflow(f: Flow, oid: Callable[[str], str],
              instances: Callable[[str], list]) -> dict[str, Any]:
    attrs = {k: v for k, v in (("label", f.label), ("protocol", f.protocol),
                               ("auth", f.auth)) if v}
    return {"id": oid(f.id), "name": f.label or f"{f.source} -> {f.target}",
            "description": f.description, "bidirectional": False,
            "source": oid(f.source or ""), "destination": oid(f.target or ""),
            "assets": [oid(a) for a in f.data], "threats": instances(f.id),
            "attributes": attrs or None}


def _threat(t: Threat, oid: Callable[[str], str]) -> dict[str, Any]:
    return {"id": oid(t.id), "name": t.title, "description": t.story,
            "categories": [STRIDE_NAMES[s] for s in t.stride],
            "cwes": [r for r in t.references if _CWE.fullmatch(r)],
            "risk": {"likelihood": LEVEL_NUMBER.get(t.likelihood),
                     "impact": LEVEL_NUMBER.get(t.impact, 0),
                     **({} if t.impact else {"impactComment": "not rated"})},
            "attributes": _threat_attributes(t, oid)}


def _asset(a: Asset, oid: Callable[[str], str]) -> dict[str, Any]:
    number = LEVEL_NUMBER.get(a.impact, 0)
    return {"id": oid(a.id), "name": a.name, "description": a.description,
            "risk": {"confidentiality": number, "integrity": number, "availability": number,
                     "comment": f"impact {a.impact}" if a.impact else "not rated"},
            "attributes": {"impact": a.impact} if a.impact else None}
