"""The format's keys that other tools have no field for, kept in their attribute bags.

An export writes them with the format's own key names (:func:`plain`, :func:`threat_links`,
:func:`mitigation_record`, :func:`assumption_record`); an import of our own export reads them
back (:func:`plain_back`, :func:`mitigation_back`, :func:`threat_links_back`). Reading back
keeps only keys the format has, with values of the type it declares, so an edited file
cannot put anything else into the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..format.model import Asset, Assumption, Boundary, Element, Flow, Mitigation, Threat
from ..format.spec import (
    ASSET,
    ASSUMPTION,
    BOUNDARY,
    CIA,
    DATE_PATTERN,
    ELEMENT,
    FLOW,
    MITIGATION,
    PER_TARGET,
    THREAT,
    Type,
)
from .common import items, mapping, text, texts
from .draft import DraftMitigation, DraftThreat

# Keys written as they are (no ids in them), per kind of entry.
PLAIN_KEYS = {
    "asset": (ASSET, ("classification", "confidentiality", "integrity", "availability", "tags")),
    "boundary": (BOUNDARY, ("kind", "tags")),
    "element": (ELEMENT, ("technology", "internet_facing", "third_party", "owner",
                          "out_of_scope", "tags")),
    "flow": (FLOW, ("encrypted", "authentication", "authorization", "tags")),
    "threat": (THREAT, ("severity", "severity_reason", "cvss", "tags")),
}
PER_TARGET_PLAIN = ("status", "likelihood", "impact", "ticket", "rationale")

Entry = Asset | Boundary | Element | Flow | Threat


def plain(kind: str, entry: Entry) -> dict[str, Any]:
    """The entry's plain keys that differ from the format's defaults."""
    out: dict[str, Any] = {}
    for key in PLAIN_KEYS[kind][1]:
        value = getattr(entry, "encrypted_given" if key == "encrypted" else key)  # a Flow's
        if kind == "boundary" and key == "kind" and value == "network":
            continue
        if value is None or value == [] or value is False and key != "encrypted":
            continue
        out[key] = list(value) if isinstance(value, list) else value
    return out


def threat_links(threat: Threat, oid: Callable[[str], str]) -> dict[str, Any]:
    """What a threat cites, with ids as the other tool knows them: mitigations,
    assumptions, hurt assets and per-target detail."""
    out: dict[str, Any] = {}
    if threat.mitigations:
        out["mitigations"] = [oid(m) for m in threat.mitigations]
    if threat.assumptions:
        out["assumptions"] = [oid(a) for a in threat.assumptions]
    if threat.hurts:
        out["hurts"] = [{"asset": oid(h.asset), **({"cia": list(h.cia)} if h.cia else {})}
                        for h in threat.hurts]
    if threat.per_target:
        out["per_target"] = {
            oid(target): {**{k: getattr(d, k) for k in PER_TARGET_PLAIN if getattr(d, k)},
                          **({"mitigations": [oid(m) for m in d.mitigations]}
                             if d.mitigations else {})}
            for target, d in threat.per_target.items()}
    return out


def mitigation_record(m: Mitigation) -> dict[str, Any]:
    """A mitigation record's keys besides its id, title and description."""
    return {k: v for k, v in (("status", m.status), ("owner", m.owner), ("ticket", m.ticket),
                              ("tests", list(m.tests)), ("tags", list(m.tags))) if v}


def assumption_record(a: Assumption, oid: Callable[[str], str]) -> dict[str, Any]:
    """An assumption as plain data."""
    return {k: v for k, v in (("id", oid(a.id)), ("text", a.text), ("owner", a.owner),
                              ("revisit", a.revisit.isoformat() if a.revisit else None),
                              ("status", a.status), ("tags", list(a.tags))) if v}


# -- reading back ------------------------------------------------------------------------

def _fits(t: Type, value: Any) -> bool:
    if t.name in ("text", "id"):
        return isinstance(value, str) and bool(value.strip())
    if t.name == "date":
        return isinstance(value, str) and bool(re.match(DATE_PATTERN, value))
    if t.name == "bool":
        return isinstance(value, bool)
    if t.name == "enum":
        return value in t.values
    if t.name == "list":
        item = t.item  # (a list type always has one: spec.list_of)
        return isinstance(value, list) and item is not None and all(_fits(item, v)
                                                                    for v in value)
    return False


def plain_back(kind: str, data: Any) -> dict[str, Any]:
    """The plain keys of ``kind`` found in ``data`` whose values fit the format."""
    spec, keys = PLAIN_KEYS[kind]
    data = mapping(data)
    return {k: data[k] for k in keys if k in data and _fits(spec.fields[k].type, data[k])}


def mitigation_back(key: str, title: str, description: str | None, source_id: str,
                    data: Any) -> DraftMitigation:
    """A mitigation record from what :func:`mitigation_record` wrote."""
    data = mapping(data)
    status = data.get("status")
    return DraftMitigation(
        key, title, status if _fits(MITIGATION.fields["status"].type, status) else "planned",
        description=description, owner=text(data.get("owner")), ticket=text(data.get("ticket")),
        tags=texts(data.get("tags")), source_id=source_id, tests=texts(data.get("tests")))


def assumption_ok(data: dict) -> bool:
    """Whether an assumption read back has values the format accepts."""
    return all(_fits(ASSUMPTION.fields[k].type, data[k]) for k in ("revisit", "status")
               if data.get(k) is not None)


def threat_links_back(threat: DraftThreat, data: Any, target_key: Callable[[str], str | None],
                      prefix: dict[str, str]) -> None:
    """Fill a draft threat's links from what :func:`threat_links` wrote.

    ``target_key`` maps another tool's element or flow id to its draft key; ``prefix``
    names the draft key prefix of ``asset``, ``mitigation`` and ``assumption`` ids.
    """
    data = mapping(data)
    threat.mitigations = [prefix["mitigation"] + m for m in texts(data.get("mitigations"))]
    threat.assumptions = [prefix["assumption"] + a for a in texts(data.get("assumptions"))]
    for h in items(data.get("hurts")):
        h = mapping(h)
        if text(h.get("asset")):
            threat.hurts.append({"asset": prefix["asset"] + h["asset"],
                                 "cia": [c for c in texts(h.get("cia")) if c in CIA]})
    for target, detail in mapping(data.get("per_target")).items():
        key = target_key(target) if isinstance(target, str) else None
        detail = mapping(detail)
        if key is None:
            continue
        entry = {k: detail[k] for k in PER_TARGET_PLAIN
                 if k in detail and _fits(PER_TARGET.fields[k].type, detail[k])}
        mitigations = [prefix["mitigation"] + m for m in texts(detail.get("mitigations"))]
        if mitigations:
            entry["mitigations"] = mitigations
        if entry:
            threat.per_target[key] = entry
    for key, value in plain_back("threat", data).items():  # severity, reason, cvss, tags
        setattr(threat, key, value)
