"""Read an Open Threat Model (OTM 0.2.0) document into a :class:`~.draft.Draft`.

Trust zones become boundaries, components elements (their type from ``attributes.elementType``
when :mod:`.otm` wrote it, else from the OTM type and tags: store words, then external words,
else a process), dataflows flows, and OTM threats threats with the STRIDE letters of their
categories, one per state of their threat instances. Numbers become levels (1-25 low,
26-50 medium, 51-75 high, above critical; 0 or none is not rated): a threat's likelihood and
impact, an asset's confidentiality, integrity and availability ratings (its impact is the
highest of them). OTM mitigations that threat instances cite become mitigation records the
threats cite (implemented when every instance says so, in progress when some do, else
planned). Descriptions, trust ratings, tags and unlinked mitigations are kept as prose. What
:mod:`.otm` kept in ``attributes`` gives an exported model back.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ..format.spec import CIA_NAMES, ELEMENT_TYPES, THREAT_STATUSES
from .common import LEVEL_NUMBER, level_from_number, mapping, stride_letter, text, texts
from .draft import (
    Draft,
    DraftAsset,
    DraftBoundary,
    DraftElement,
    DraftFlow,
    DraftMitigation,
    DraftThreat,
)
from .extras import mitigation_back, plain_back, threat_links_back
from .otm import GENERATOR

PREFIX = {"asset": "a:", "mitigation": "m:", "assumption": "s:"}  # draft keys of OTM ids

_STATE_WORDS = {
    "open": "open", "exposed": "open", "expose": "open", "required": "open", "new": "open",
    "partly-mitigated": "mitigating", "partly_mitigated": "mitigating",
    "partially-mitigated": "mitigating", "mitigating": "mitigating", "in-progress": "mitigating",
    "mitigated": "mitigated", "mitigate": "mitigated", "implemented": "mitigated",
    "accepted": "accepted", "accept": "accepted", "transferred": "transferred",
    "transfer": "transferred", "not-applicable": "not-applicable",
    "not_applicable": "not-applicable", "notapplicable": "not-applicable",
    "na": "not-applicable", "n/a": "not-applicable", "not applicable": "not-applicable"}
_STORE_WORDS = re.compile(r"\b(database|db|datastore|data-store|store|storage|bucket|s3|queue|"
                          r"cache|redis|sql|postgres\w*|mysql|mongo\w*|dynamodb|file|filesystem|"
                          r"blob|kafka|topic|table|repository|vault)\b")
_EXTERNAL_WORDS = re.compile(r"\b(external|external-entity|actor|user|users|client|browser|"
                             r"mobile|third-party|thirdparty|saas|partner|customer|human)\b")


def _need(cond: bool, path: str, where: str, message: str) -> None:
    if not cond:
        raise InputError(f"{path}: not an Open Threat Model file: {where}{message}")


def _items(data: dict, key: str, required: tuple[str, ...], path: str) -> list[dict]:
    value = data.get(key)
    if value is None:
        return []
    _need(isinstance(value, list), path, f"'{key}' ", "must be a list")
    for i, item in enumerate(value):
        _need(isinstance(item, dict), path, f"{key}[{i}] ", "must be a mapping")
        for name in required:
            _need(isinstance(item.get(name), str), path, f"{key}[{i}] ",
                  f"has no text '{name}'")
    return value


def detect(data: Any) -> bool:
    """Whether parsed data looks like an OTM document."""
    return isinstance(data, dict) and "otmVersion" in data


def from_otm(data: Any, path: str) -> Draft:
    """A draft model from an OTM document; raises :class:`InputError` on a broken one."""
    _need(isinstance(data, dict), path, "", "the top level must be a mapping")
    _need(isinstance(data.get("otmVersion"), str), path, "", "'otmVersion' is missing")
    project = data.get("project")
    _need(isinstance(project, dict), path, "", "'project' is missing")
    for key in ("name", "id"):
        _need(isinstance(project.get(key), str), path, "project ", f"has no text '{key}'")
    zones = _items(data, "trustZones", ("id", "name"), path)
    components = _items(data, "components", ("id", "name"), path)
    flows = _items(data, "dataflows", ("id", "source", "destination"), path)
    threats = _items(data, "threats", ("id", "name"), path)
    mitigations = _items(data, "mitigations", ("id", "name"), path)
    assets = _items(data, "assets", ("id", "name"), path)
    return _Reader(data, project, path).read(zones, components, flows, threats, mitigations,
                                             assets)


class _Reader:
    def __init__(self, data: dict, project: dict, path: str) -> None:
        attrs = mapping(project.get("attributes"))
        self.ours = str(attrs.get("generator", "")).startswith(GENERATOR)
        self.draft = Draft(tool="Open Threat Model", format="otm",
                           title=text(project.get("name")) or "", model_id=text(project["id"]),
                           owner=text(project.get("owner")),
                           description=text(project.get("description")))
        self.data, self.project, self.attrs, self.path = data, project, attrs, path

    def _project(self) -> None:
        d, attrs = self.draft, self.attrs
        if self.ours:
            d.restore_own_fields(attrs)
        else:
            for key, value in attrs.items():
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    d.notes.append(f"Project attribute {key}: {value}")
        if text(self.project.get("ownerContact")):
            d.notes.append(f"Owner contact: {self.project['ownerContact']}")
        if texts(self.project.get("tags")):
            d.notes.append("Project tags: " + ", ".join(texts(self.project.get("tags"))))

    def read(self, zones: list[dict], components: list[dict], flows: list[dict],
             threats: list[dict], mitigations: list[dict], assets: list[dict]) -> Draft:
        """The draft of the whole file: project, assets, zones, components, flows, threats."""
        self._project()
        self._assets(assets)
        asset_keys = {a.key for a in self.draft.assets}
        outside, component_zone = self._zones(zones, components)
        placements: dict[str, list[tuple[str, dict]]] = {}
        self._components(components, component_zone, outside, asset_keys, placements)
        self._flows(flows, components, asset_keys, placements)
        self._threats_and_mitigations(threats, mitigations, placements)
        self._representations()
        return self.draft

    def _assets(self, assets: list[dict]) -> None:
        d = self.draft
        for a in assets:
            risk = mapping(a.get("risk"))
            attrs = mapping(a.get("attributes"))
            impact = text(attrs.get("impact"))
            numbers: list[int | float] = [
                n for n in (risk.get(k) for k in CIA_NAMES.values())
                if isinstance(n, (int, float)) and not isinstance(n, bool)]
            if self.ours:
                extra = plain_back("asset", attrs)
            else:
                extra = {name: level_from_number(risk.get(name)) for name in CIA_NAMES.values()
                         if level_from_number(risk.get(name))}
            if impact not in LEVEL_NUMBER:
                impact = level_from_number(max(numbers)) if numbers and not self.ours else None
            description = text(a.get("description"))
            if not self.ours and text(risk.get("comment")):
                description = _join(description, f"OTM risk comment: {text(risk['comment'])}")
            d.assets.append(DraftAsset(f"a:{a['id']}", text(a["name"]) or a["id"], impact,
                                       description, a["id"], extra=extra))

    def _zones(self, zones: list[dict], components: list[dict]) -> tuple[set, dict[str, str]]:
        """Boundaries from trust zones; returns the zones outside every boundary and each
        component's zone."""
        d = self.draft
        zone_ids = {z["id"] for z in zones}
        outside = {z["id"] for z in zones
                   if mapping(z.get("attributes")).get("outsideEveryBoundary") is True}
        component_zone = self._component_zones(components, zone_ids)
        for z in zones:
            if z["id"] in outside:
                continue
            parent = mapping(z.get("parent"))
            inside = text(parent.get("trustZone"))
            inside = inside if inside in zone_ids else None
            around = text(parent.get("component"))
            if around is not None and around in component_zone:
                inside = component_zone[around]
            description = text(z.get("description"))
            rating = mapping(z.get("risk")).get("trustRating")
            if not self.ours and rating is not None:
                description = _join(description, f"OTM trust rating: {rating}.")
            d.boundaries.append(DraftBoundary(
                f"z:{z['id']}", text(z["name"]) or z["id"],
                f"z:{inside}" if inside and inside not in outside else None, description,
                z["id"], extra=plain_back("boundary", z.get("attributes")) if self.ours else {}))

        return outside, component_zone

    def _components(self, components: list[dict], component_zone: dict[str, str],
                    outside: set, asset_keys: set, placements: dict) -> None:
        d = self.draft
        kinds = []
        for c in components:
            kind, why = self._kind(c)
            kinds.append(why)
            zone = component_zone.get(c["id"])
            comp_assets = mapping(c.get("assets"))
            held = texts(comp_assets.get("processed")) + texts(comp_assets.get("stored"))
            description = text(c.get("description"))
            if text(mapping(c.get("parent")).get("component")):
                description = _join(description, "Inside component "
                                    f"'{text(mapping(c.get('parent')).get('component'))}' in "
                                    "the source.")
            d.elements.append(DraftElement(
                f"c:{c['id']}", text(c["name"]) or c["id"], kind,
                f"z:{zone}" if zone and zone not in outside else None,
                [k for k in dict.fromkeys(f"a:{x}" for x in held) if k in asset_keys],
                description, c["id"],
                extra=plain_back("element", c.get("attributes")) if self.ours else {}))
            self._instances(c, f"c:{c['id']}", placements)
        if kinds and not self.ours:
            d.notes.append("Element types come from the OTM component types and tags: "
                           + "; ".join(kinds) + ".")


    def _flows(self, flows: list[dict], components: list[dict], asset_keys: set,
               placements: dict) -> None:
        d = self.draft
        components_by_id = {c["id"] for c in components}
        for f in flows:
            ends = (f["source"], f["destination"])
            if not all(end in components_by_id for end in ends):
                d.notes.append(f"Dataflow '{f['id']}' ({text(f.get('name')) or ''}) connects "
                               f"'{ends[0]}' to '{ends[1]}', which are not both components: "
                               "it is not a flow here, and threats on it lose that target.")
                continue
            attrs = mapping(f.get("attributes"))
            description = text(f.get("description"))
            if f.get("bidirectional") is True:
                description = _join(description, "Bidirectional in the source.")
            label = text(attrs.get("label")) if self.ours else text(f.get("name"))
            d.flows.append(DraftFlow(
                f"f:{f['id']}", f"c:{ends[0]}", f"c:{ends[1]}", label,
                text(attrs.get("protocol")), text(attrs.get("auth")),
                [k for k in dict.fromkeys(f"a:{x}" for x in texts(f.get("assets")))
                 if k in asset_keys], description, f["id"],
                [k for k in (f"a:{x}" for x in texts(attrs.get("returns"))) if k in asset_keys]
                if self.ours else [], extra=plain_back("flow", attrs) if self.ours else {}))
            self._instances(f, f"f:{f['id']}", placements)


    def _threats_and_mitigations(self, threats: list[dict], mitigations: list[dict],
                                 placements: dict) -> None:
        d = self.draft
        by_mitigation = {m["id"]: m for m in mitigations}
        used_mitigations: set[str] = set()
        known = {t["id"] for t in threats}
        ends: list[DraftElement | DraftFlow] = [*d.elements, *d.flows]
        self.targets = {x.source_id: x.key for x in ends}
        self.records = self._records(mitigations, placements)
        for tid in placements:
            if tid not in known:
                d.notes.append(f"A threat instance names threat '{tid}', which the file does "
                               "not define: it is left out.")
        for t in threats:
            d.threats += self._threats(t, placements.get(t["id"], []), by_mitigation,
                                       used_mitigations)
        d.mitigations = [r for r in self.records.values()
                         if self.ours or r.source_id in used_mitigations]
        for m in mitigations:
            if m["id"] not in used_mitigations and m["id"] not in self.records:
                d.notes.append(f"Mitigation '{text(m['name']) or m['id']}' is not linked to "
                               "any threat" + (f": {text(m.get('description'))}"
                                               if text(m.get("description")) else "."))

    def _records(self, mitigations: list[dict], placements: dict
                 ) -> dict[str, DraftMitigation]:
        """The OTM mitigations that are records (by OTM id): in our own export, those not
        written from a threat's mitigation text; in another tool's, those an instance cites,
        their status from the instances' states."""
        states: dict[str, list[str]] = {}
        for items in placements.values():
            for _key, item in items:
                for m in data_list(item, "mitigations"):
                    ref = mapping(m).get("mitigation")
                    if isinstance(ref, str):
                        states.setdefault(ref, []).append(
                            str(mapping(m).get("state") or "").strip().lower())
        out = {}
        for m in mitigations:
            attrs = mapping(m.get("attributes"))
            if self.ours and "threat" in attrs:
                continue
            if not self.ours and m["id"] not in states:
                continue
            key = PREFIX["mitigation"] + m["id"]
            title = text(m["name"]) or m["id"]
            record = mitigation_back(key, title, text(m.get("description")), m["id"],
                                     attrs if self.ours else {})
            if not self.ours:
                done = [s == "implemented" for s in states[m["id"]]]
                record.status = ("implemented" if all(done) else
                                 "in-progress" if any(done) else "planned")
                reduction = m.get("riskReduction")
                if isinstance(reduction, (int, float)) and not isinstance(reduction, bool):
                    record.description = _join(record.description,
                                               f"OTM risk reduction: {reduction}.")
            out[m["id"]] = record
        return out

    def _representations(self) -> None:
        d = self.draft
        for r in data_list(self.data, "representations"):
            r = mapping(r)
            if text(r.get("name")) and not self.ours:
                url = text(mapping(r.get("repository")).get("url"))
                d.notes.append(f"Representation '{r['name']}' ({text(r.get('type')) or '?'})"
                               + (f", repository {url}" if url else "") + ".")

    def _component_zones(self, components: list[dict], zone_ids: set[str]) -> dict[str, str]:
        parents = {c["id"]: mapping(c.get("parent")) for c in components}
        out: dict[str, str] = {}
        for cid in parents:
            seen: set[str] = set()
            current: str | None = cid
            while current is not None and current in parents and current not in seen:
                seen.add(current)
                parent = parents[current]
                zone = text(parent.get("trustZone"))
                if zone is not None and zone in zone_ids:
                    out[cid] = zone
                    break
                current = text(parent.get("component"))
        return out

    def _kind(self, c: dict) -> tuple[str, str]:
        attrs = mapping(c.get("attributes"))
        if attrs.get("elementType") in ELEMENT_TYPES:
            return attrs["elementType"], ""
        words = " ".join([str(c.get("type") or "")] + texts(c.get("tags"))).lower()
        kind = "store" if _STORE_WORDS.search(words) else (
            "external" if _EXTERNAL_WORDS.search(words) else "process")
        return kind, f"'{c['name']}' ({words.strip() or 'no type'}) is {kind}"

    def _instances(self, owner: dict, key: str, placements: dict) -> None:
        value = owner.get("threats")
        if not isinstance(value, list):
            return
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("threat"), str):
                placements.setdefault(item["threat"], []).append((key, item))

    def _threats(self, t: dict, instances: list[tuple[str, dict]], mitigations: dict,
                 used: set[str]) -> list[DraftThreat]:
        attrs = mapping(t.get("attributes"))
        letters, others = [], []
        for category in texts(t.get("categories")):
            letter = stride_letter(category)
            if letter and letter not in letters:
                letters.append(letter)
            elif not letter:
                others.append(category)
        risk = mapping(t.get("risk"))
        facts = []
        if others:
            facts.append("OTM categories that are not STRIDE: " + ", ".join(others) + ".")
        exact = attrs.get("status") if attrs.get("status") in THREAT_STATUSES else None
        groups: dict[str, list[tuple[str, dict]]] = {}
        for key, item in instances:
            word = str(item.get("state") or "").strip().lower()
            status = exact or _STATE_WORDS.get(word, "open")
            if word and word not in _STATE_WORDS and not exact:
                facts.append(f"OTM state '{word}' is read as open.")
            groups.setdefault(status, []).append((key, item))
        if not groups:
            groups[exact or "open"] = []
            facts.append("Not placed on any component or dataflow in the source.")
        acceptance = mapping(attrs.get("acceptance"))
        references = texts(attrs.get("references")) or texts(t.get("cwes"))
        out = []
        for status, items in groups.items():
            texts_: list[str] = []
            cited: list[str] = []
            for _key, item in items:
                for m in data_list(item, "mitigations"):
                    ref = mapping(m).get("mitigation")
                    found = mitigations.get(ref) if isinstance(ref, str) else None
                    if found is None:
                        continue
                    used.add(found["id"])
                    if found["id"] in self.records:
                        if self.records[found["id"]].key not in cited:
                            cited.append(self.records[found["id"]].key)
                        continue
                    description = text(found.get("description"))
                    state = text(mapping(m).get("state"))
                    name = text(found.get("name"))
                    if name and state:
                        name = f"{name} ({state})"
                    line = description if self.ours and description else _join(
                        name, description, sep=": ")
                    if line and line not in texts_:
                        texts_.append(line)
            if not texts_ and not items:  # a threat placed nowhere: its own mitigations
                for m in mitigations.values():
                    if mapping(m.get("attributes")).get("threat") == t["id"]:
                        used.add(m["id"])
                        line = text(m.get("description")) or text(m.get("name"))
                        if line:
                            texts_.append(line)
            threat = DraftThreat(
                key=t["id"], title=text(t.get("name")) or t["id"],
                placements=[(key, letters) for key, _item in items],
                status=status, story=text(t.get("description")),
                likelihood=level_from_number(risk.get("likelihood")),
                impact=level_from_number(risk.get("impact")),
                owner=text(attrs.get("owner")), ticket=text(attrs.get("ticket")),
                mitigation="\n\n".join(texts_) or None, tests=texts(attrs.get("tests")),
                acceptance={k: text(acceptance.get(k)) for k in ("by", "date", "expires",
                                                                 "rationale")
                            if text(acceptance.get(k))} or None,
                rationale=text(attrs.get("rationale")), references=references,
                target_order=texts(attrs.get("targets")),
                letters=letters, facts=list(facts), source_id=t["id"])
            if self.ours:
                threat_links_back(threat, attrs, self.targets.get, PREFIX)
            else:
                threat.mitigations = cited
            out.append(threat)
        return out


def data_list(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _join(first: str | None, second: str | None, sep: str = "\n\n") -> str | None:
    parts = [p for p in (first, second) if p]
    return sep.join(parts) if parts else None
