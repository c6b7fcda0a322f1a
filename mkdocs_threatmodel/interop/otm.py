"""Open Threat Model (OTM 0.2.0): export a model as an OTM document.

Mapping (the README documents it): boundaries are trust zones (``inside`` is ``parent``),
elements are components, flows are dataflows, threats are OTM threats placed on each of their
targets (components and dataflows) as threat instances, whose ``state`` is the threat's status
on that target (per-target detail applied) and whose ``mitigations`` are the mitigation records
it cites there (state ``implemented`` when the record is implemented or verified, else
``required``) plus its ``mitigation`` text. Mitigation records are OTM mitigations with their
own ids; a ``mitigation`` text becomes an OTM mitigation ``<threat id>-mitigation``.

Levels are numbers: low 25, medium 50, high 75, critical 100 (:mod:`.otm_import` reads them
back: 1-25 low, 26-50 medium, 51-75 high, above critical; 0 or none is not rated). A threat's
likelihood and impact, and an asset's confidentiality, integrity and availability (its own
ratings; its impact for all three when it has none of them; else 0) are such numbers. What
OTM has no field for (owner, ticket, acceptance, review, tests, assumptions, per-target
detail, classification, severity, CVSS, tags, ...) is kept in ``attributes`` under the
format's own key names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..format.model import STRIDE_NAMES, Asset, Boundary, Element, Flow, Model, Threat
from ..format.spec import CIA_NAMES, ELEMENT_TYPES
from .common import LEVEL_NUMBER, mapping, text
from .extras import assumption_record, mitigation_record, plain, threat_links
from .ids import read_id_table

OTM_VERSION = "0.2.0"
GENERATOR = "mkdocs-threatmodel"
TRUST_RATING = 50  # the format has no trust rating; OTM requires one
COMPONENT_TYPES = {"external": "external-entity", "process": "process", "store": "data-store"}
RISK_REDUCTION = 100  # the format does not say how much a control reduces a risk
STATES = {"untriaged": "exposed", "open": "exposed", "mitigating": "partly-mitigated",
          "mitigated": "mitigated", "accepted": "accepted", "transferred": "transferred",
          "not-applicable": "not-applicable"}
_CWE = re.compile(r"CWE-\d+", re.IGNORECASE)

def _restore(model: Model) -> dict[str, str]:
    table = read_id_table(model.source.body, "otm")
    counts: dict[str, int] = {}
    for value in table.values():
        counts[value] = counts.get(value, 0) + 1
    return {k: v for k, v in table.items() if counts[v] == 1}


def _threat_attributes(threat: Threat, oid: Callable[[str], str]) -> dict[str, Any]:
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
    attrs.update(threat_links(threat, oid))
    attrs.update(plain("threat", threat))
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

    def asset(a: Asset) -> dict[str, Any]:
        return _asset(a, oid)

    return {"otmVersion": OTM_VERSION, "project": _project(model, oid),
            "representations": [], "assets": [asset(a) for a in model.assets],
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
    if model.assumptions:
        attrs["assumptions"] = [assumption_record(a, oid) for a in model.assumptions]
    if model.tags:
        attrs["tags"] = list(model.tags)
    return {"name": model.title, "id": oid(model.id),
            "description": model.source.body.strip() or None, "owner": model.owner,
            "attributes": attrs}


def _trust_zones(model: Model, oid: Callable[[str], str]
                 ) -> tuple[list[dict[str, Any]], str | None]:
    """The boundaries as trust zones, and the id of the zone added for elements outside
    every boundary (``None`` when there are none)."""
    zones = [{"id": oid(b.id), "name": b.name, "type": "trust-boundary",
              "description": b.description, "risk": {"trustRating": TRUST_RATING},
              **({"parent": {"trustZone": oid(b.inside)}} if b.inside else {}),
              **_zone_attributes(b)}
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


def _zone_attributes(b: Boundary) -> dict[str, Any]:
    attrs = plain("boundary", b)
    return {"attributes": attrs} if attrs else {}


class _MitigationIds:
    """The OTM ids of the mitigation records and of the threats' mitigation texts."""

    def __init__(self, records: dict[str, str], texts: dict[str, str],
                 implemented: set[str]) -> None:
        self.records, self.texts, self.implemented = records, texts, implemented


def _mitigations(model: Model, oid: Callable[[str], str]
                 ) -> tuple[_MitigationIds, list[dict[str, Any]]]:
    """Mitigation records, then each threat's mitigation text, as OTM mitigations."""
    mitigations = []
    records: dict[str, str] = {}
    for m in model.mitigations:
        if m.id in records:
            continue
        records[m.id] = oid(m.id)
        mitigations.append({"id": oid(m.id), "name": m.title, "description": m.description,
                            "riskReduction": RISK_REDUCTION,
                            "attributes": mitigation_record(m) or None})
    implemented = {m.id for m in model.mitigations if m.implemented}
    texts: dict[str, str] = {}
    used = {oid(x.id) for entries in (model.assets, model.boundaries, model.elements,
                                      model.flows, model.threats, model.mitigations,
                                      model.assumptions) for x in entries}
    for threat in model.threats:
        if threat.mitigation:
            mid = f"{oid(threat.id)}-mitigation"
            while mid in used:
                mid += "-1"
            used.add(mid)
            texts[threat.id] = mid
            first = threat.mitigation.strip().splitlines()[0]
            mitigations.append({"id": mid, "name": first[:80], "description": threat.mitigation,
                                "riskReduction": RISK_REDUCTION,
                                "attributes": {"threat": oid(threat.id)}})
    return _MitigationIds(records, texts, implemented), mitigations


def _instances(model: Model, target: str, oid: Callable[[str], str],
               ids: _MitigationIds) -> list[dict[str, Any]]:
    """The threat instances placed on one component or dataflow: the threat's state there
    and the mitigations that address it there."""
    out = []
    for threat in model.threats:
        if target not in threat.targets:
            continue
        view = threat.on(target)
        item: dict[str, Any] = {"threat": oid(threat.id), "state": STATES[view.status]}
        cited = [{"mitigation": ids.records[m],
                  "state": "implemented" if m in ids.implemented else "required"}
                 for m in dict.fromkeys(view.mitigations) if m in ids.records]
        if threat.id in ids.texts:
            cited.append({"mitigation": ids.texts[threat.id],
                          "state": "implemented" if view.status == "mitigated"
                          else "required"})
        if cited:
            item["mitigations"] = cited
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
            "attributes": {"elementType": kind, **plain("element", e)}}


def _dataflow(f: Flow, oid: Callable[[str], str],
              instances: Callable[[str], list]) -> dict[str, Any]:
    attrs: dict[str, Any] = {k: v for k, v in (("label", f.label), ("protocol", f.protocol),
                                               ("auth", f.auth)) if v}
    if f.returns:
        attrs["returns"] = [oid(a) for a in f.returns]
    attrs.update(plain("flow", f))
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
    """An asset: OTM's confidentiality, integrity and availability numbers are the asset's
    own ratings; an asset rated on none of the three gives its impact for all three (as
    before those ratings existed); 0 is not rated."""
    rated_any = any(a.rating(letter) for letter in CIA_NAMES)
    fallback = 0 if rated_any else LEVEL_NUMBER.get(a.impact, 0)
    risk: dict[str, Any] = {name: LEVEL_NUMBER.get(a.rating(letter), fallback)
                            for letter, name in CIA_NAMES.items()}
    rated = [f"{name} {a.rating(letter)}" for letter, name in CIA_NAMES.items()
             if a.rating(letter)]
    risk["comment"] = "; ".join(([f"impact {a.impact}"] if a.impact else []) + rated) \
        or "not rated"
    attrs = {**({"impact": a.impact} if a.impact else {}), **plain("asset", a)}
    return {"id": oid(a.id), "name": a.name, "description": a.description, "risk": risk,
            "attributes": attrs or None}
