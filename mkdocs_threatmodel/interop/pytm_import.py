"""Read OWASP pytm's JSON report (``python tm.py --json out.json``) into a :class:`Draft`.

The report is data; the model's ``tm.py`` is never run. pytm names things, it gives them no
ids: names become ids and the names are kept in the id table. Boundaries nest by
``inBoundary``; actors are external entities, datastores stores, every other asset a process
(:data:`.pytm_stride.CLASS_TYPES`). Data become assets (pytm's classification on the default
scale, the original kept as a tag); a response flow is folded into its request as what the
request ``returns``. Controls and properties that are set (true, or a value) become tags
``pytm:NAME`` or ``pytm:NAME=VALUE``; unset ones are pytm's defaults and are left out.

Findings become ``untriaged`` threats, one per pytm threat id, on every target they hit,
with the letters of :mod:`.pytm_stride`; pytm's likelihood and severity are the threat's
likelihood and impact, per target where targets differ. Findings pytm excluded because of
an assumption become ``not-applicable`` threats resting on that assumption.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .common import IMPORTED, entries, mapping, need, text, texts
from .draft import (
    Draft,
    DraftAsset,
    DraftAssumption,
    DraftBoundary,
    DraftElement,
    DraftFlow,
    DraftThreat,
)
from .pytm_stride import CLASS_TYPES, letters_for

# pytm's Classification, lowest first, on the default scale of .threatmodel.yaml.
CLASSIFICATIONS = {"PUBLIC": "public", "RESTRICTED": "internal", "SENSITIVE": "confidential",
                   "SECRET": "restricted", "TOP_SECRET": "restricted"}
LEVELS = {"low": "low", "medium": "medium", "high": "high", "very high": "critical",
          "critical": "critical"}
_SKIP = {"name", "__class__", "findings", "inBoundary", "inScope", "description", "controls",
         "data", "inputs", "outputs", "overrides", "levels", "sourceFiles", "assumptions",
         "severity", "source", "sink", "response", "responseTo", "isResponse", "note",
         "protocol", "maxClassification", "isThirdParty", "carriedBy", "processedBy",
         "classification"}
_DEFAULT_VALUES = ("", -1, "TLSVersion.NONE", "Lifetime.NONE", "Classification.UNKNOWN",
                   "OrderedEnum.NONE")


def detect(data: Any) -> bool:
    """Whether parsed data looks like a pytm JSON report."""
    return isinstance(data, dict) and "threatsFile" in data and "flows" in data


_WHAT = "a pytm JSON report"


def _need(cond: bool, path: str, message: str) -> None:
    need(cond, path, _WHAT, message)


def _named(data: dict, key: str, path: str, fields: tuple[str, ...] = ()) -> list[dict]:
    return entries(data, key, path, _WHAT, ("name",) + fields)


def _tags(entry: dict) -> list[str]:
    """``pytm:NAME`` for every set flag of the entry and its controls, ``pytm:NAME=VALUE``
    for every value that is not pytm's default."""
    out = []
    pairs = [(k, v) for k, v in entry.items() if k not in _SKIP]
    pairs += sorted(mapping(entry.get("controls")).items())
    for key, value in pairs:
        if value is True:
            out.append(f"pytm:{key}")
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                and value not in _DEFAULT_VALUES and value is not False:
            out.append(f"pytm:{key}={value}")
    return out


def _level(value: Any) -> str | None:
    return LEVELS.get(str(value or "").strip().lower())


def from_pytm(data: Any, path: str) -> Draft:
    """A draft model from a pytm report; raises :class:`InputError` on a broken one."""
    _need(isinstance(data, dict), path, "the top level must be a mapping")
    _need(isinstance(data.get("name"), str), path, "'name' is missing")
    report = {key: _named(data, key, path) for key in ("boundaries", "data", "actors",
                                                      "assets", "elements")}
    report["flows"] = _named(data, "flows", path, ("source", "sink"))
    for key in ("findings", "excluded_findings"):
        report[key] = _named_findings(data, key, path)
    return _Reader(data, path).read(report)


def _named_findings(data: dict, key: str, path: str) -> list[dict]:
    return entries(data, key, path, _WHAT, ("target", "threat_id"))


class _Reader:
    def __init__(self, data: dict, path: str) -> None:
        self.data, self.path = data, path
        self.draft = Draft(tool="pytm", format="pytm", title=text(data["name"]) or "",
                           description=text(data.get("description")))
        self.element_key: dict[str, str] = {}  # pytm name -> draft key
        self.kind: dict[str, str] = {}  # draft key -> external | process | store | flow
        self.flow_key: dict[str, str] = {}
        self.asset_key: dict[str, str] = {}
        self.assumption_key: dict[str, str] = {}

    def read(self, report: dict[str, list[dict]]) -> Draft:
        d = self.draft
        d.notes.append("pytm names things and gives them no ids: ids are made from names; "
                       "\"Ids in pytm\" lists every name.")
        for key, value in (("isOrdered", self.data.get("isOrdered")),
                           ("mergeResponses", self.data.get("mergeResponses")),
                           ("onDuplicates", self.data.get("onDuplicates")),
                           ("threatsFile", self.data.get("threatsFile"))):
            if value is True:
                d.tags.append(f"pytm:{key}")
            elif value not in (None, False, ""):
                d.tags.append(f"pytm:{key}={value}")
        self._boundaries(report["boundaries"])
        self._data(report["data"])
        elements = report["elements"] or report["actors"] + report["assets"]
        self._elements(elements)
        self._flows(report["flows"])
        self._assumptions(elements + report["flows"] + report["boundaries"])
        self._findings(report["findings"], excluded=False)
        self._findings(report["excluded_findings"], excluded=True)
        d.unmapped.append("pytm's diagram levels, colour map and source file links "
                          "(`levels`, `colormap`, `sourceFiles`): the format draws its own "
                          "diagram and has no levels.")
        d.unmapped.append("Controls and properties that are false or empty: they are "
                          "pytm's defaults, and only set ones are kept (as `pytm:` tags).")
        return d

    # -- the architecture ------------------------------------------------------------
    def _boundaries(self, boundaries: list[dict]) -> None:
        names = {b["name"] for b in boundaries}
        for b in boundaries:
            inside = text(b.get("inBoundary"))
            self.draft.boundaries.append(DraftBoundary(
                f"b:{b['name']}", b["name"], f"b:{inside}" if inside in names else None,
                text(b.get("description")), b["name"], tags=_tags(b)))

    def _data(self, data: list[dict]) -> None:
        for item in data:
            key = f"d:{item['name']}"
            if key in {a.key for a in self.draft.assets}:
                self.draft.notes.append(f"Data '{item['name']}' is named twice in pytm: the "
                                        "second is left out.")
                continue
            raw = str(item.get("classification") or "").rsplit(".", 1)[-1]
            tags = _tags(item)
            if raw and raw != "UNKNOWN":
                tags.append(f"pytm:classification={raw}")
            self.asset_key[item["name"]] = key
            self.draft.assets.append(DraftAsset(
                key, item["name"], description=text(item.get("description")),
                source_id=item["name"], classification=CLASSIFICATIONS.get(raw), tags=tags))

    def _elements(self, elements: list[dict]) -> None:
        holds: dict[str, list[str]] = {}
        for data in _named(self.data, "data", self.path):
            for name in texts(data.get("processedBy")):
                holds.setdefault(name, []).append(f"d:{data['name']}")
        for e in elements:
            if e["name"] in self.element_key:
                self.draft.notes.append(f"Element '{e['name']}' is named twice in pytm: the "
                                        "second is left out, and findings by that name go "
                                        "to the first.")
                continue
            cls = text(e.get("__class__")) or "Asset"
            kind = CLASS_TYPES.get(cls)
            if kind is None:
                kind = "process"
                self.draft.notes.append(f"Element '{e['name']}' is a pytm {cls}, a class "
                                        "this import does not know: it is a process here.")
            key = f"e:{e['name']}"
            self.element_key[e["name"]], self.kind[key] = key, kind
            boundary = text(e.get("inBoundary"))
            assets = holds.get(e["name"], []) + [f"d:{x}" for x in texts(e.get("data"))]
            self.draft.elements.append(DraftElement(
                key, e["name"], kind,
                f"b:{boundary}" if boundary and any(b.key == f"b:{boundary}"
                                                    for b in self.draft.boundaries) else None,
                [a for a in dict.fromkeys(assets) if a in self.asset_key.values()],
                text(e.get("description")), e["name"],
                third_party=e.get("isThirdParty") is True,
                out_of_scope="pytm marks it out of scope (inScope: false)."
                if e.get("inScope") is False else None,
                tags=[f"pytm:{cls}"] + _tags(e)))

    def _flows(self, flows: list[dict]) -> None:
        d = self.draft
        by_name = {f["name"]: f for f in flows}
        merged: dict[str, str] = {}  # response name -> request name
        for f in flows:
            request = by_name.get(text(f.get("responseTo")) or "")
            if f.get("isResponse") is True and request is not None \
                    and (request["source"], request["sink"]) == (f["sink"], f["source"]):
                merged[f["name"]] = request["name"]
        for f in flows:
            if f["name"] in merged:
                continue
            ends = (f["source"], f["sink"])
            if not all(end in self.element_key for end in ends):
                d.unmapped.append(f"Flow '{f['name']}' connects '{ends[0]}' to '{ends[1]}', "
                                  "which are not both elements of the report.")
                continue
            if f["name"] in self.flow_key:
                d.notes.append(f"Flow '{f['name']}' is named twice in pytm: the second is "
                               "left out.")
                continue
            key = f"f:{f['name']}"
            self.flow_key[f["name"]] = key
            self.kind[key] = "flow"
            flow = DraftFlow(key, self.element_key[ends[0]], self.element_key[ends[1]],
                             f["name"], text(f.get("protocol")), None,
                             [self.asset_key[x] for x in texts(f.get("data"))
                              if x in self.asset_key],
                             _join(text(f.get("description")), text(f.get("note"))),
                             f["name"], tags=_tags(f))
            encrypted = mapping(f.get("controls")).get("isEncrypted")
            flow.encrypted = encrypted if isinstance(encrypted, bool) else None
            d.flows.append(flow)
        for response, request_name in merged.items():
            r = by_name[response]
            forward = next((x for x in d.flows if x.key == self.flow_key.get(request_name)),
                           None)
            if forward is None:
                continue
            self.flow_key[response] = forward.key
            forward.returns += [self.asset_key[x] for x in texts(r.get("data"))
                                if x in self.asset_key]
            forward.also_source_ids.append(response)
            said = [f"Its response '{response}' comes back on the same connection"]
            said += [f"{k} {r[k]}" for k in ("protocol", "dstPort", "srcPort")
                     if r.get(k) not in (None, "", -1)]
            forward.description = _join(forward.description, ", ".join(said) + ".",
                                        text(r.get("description")), text(r.get("note")))
            forward.tags += [f"response:{t}" for t in _tags(r)]
        if merged:
            d.notes.append(f"{len(merged)} response flow(s) are folded into their request "
                           "(what comes back is the request's 'returns'); findings on a "
                           "response are on its request: " + ", ".join(
                               f"'{r}' into '{q}'" for r, q in merged.items()) + ".")

    def _assumptions(self, entries: list[dict]) -> None:
        d = self.draft
        said = [(x, None) for x in _list(self.data.get("assumptions"))]
        for entry in entries:
            said += [(x, entry["name"]) for x in _list(entry.get("assumptions"))]
        for item, on in said:
            name = item if isinstance(item, str) else text(mapping(item).get("name"))
            if not name:
                continue
            key = f"as:{name}"
            tags = [f"pytm:on={on}"] if on else []
            if isinstance(item, dict) and item.get("exclude"):
                tags.append(f"pytm:excludes={item['exclude']}")
            found = next((a for a in d.assumptions if a.key == key), None)
            if found is not None:
                found.tags += [t for t in tags if t not in found.tags]
                continue
            description = text(mapping(item).get("description")) if isinstance(item, dict) \
                else None
            self.assumption_key[name] = key
            statement = f"{name}: {description}" if description else name  # as _join gives
            d.assumptions.append(DraftAssumption(key, statement, tags=tags, source_id=name))

    # -- findings ------------------------------------------------------------------
    def _findings(self, findings: list[dict], excluded: bool) -> None:
        d = self.draft
        groups: dict[str, list[dict]] = {}
        for f in findings:
            groups.setdefault(f["threat_id"], []).append(f)
        for sid, items in groups.items():
            first = items[0]
            likelihood = Counter(_level(f.get("likelihood")) for f in items).most_common(1)[0][0]
            impact = Counter(_level(f.get("severity")) for f in items).most_common(1)[0][0]
            placements: list[tuple[str, list[str]]] = []
            per_target: dict[str, dict] = {}
            missing, unknown = [], False
            for f in items:
                key = self.element_key.get(f["target"]) or self.flow_key.get(f["target"])
                if key is None:
                    missing.append(f["target"])
                    continue
                letters = letters_for(sid, self.kind[key])
                unknown = unknown or letters is None
                if key not in dict(placements):
                    placements.append((key, letters or []))
                detail = {k: v for k, v in (("likelihood", _level(f.get("likelihood"))),
                                            ("impact", _level(f.get("severity"))))
                          if v and v != {"likelihood": likelihood, "impact": impact}[k]}
                if detail:
                    per_target.setdefault(key, {}).update(detail)
            if missing:
                d.unmapped.append(f"Finding(s) of {sid} on "
                                  + ", ".join(f"'{m}'" for m in dict.fromkeys(missing))
                                  + ", which the report does not describe: no target here.")
            if not placements:
                continue
            if unknown:
                d.notes.append(f"pytm threat {sid} is not in the STRIDE table of this import "
                               "(docs/interop.md): it has no letter; add the letters by hand.")
            facts = [f"pytm threat {sid}, {len(items)} finding(s) "
                     f"(pytm finding ids {', '.join(str(f.get('id')) for f in items)})."]
            if text(first.get("condition")):
                facts.append(f"pytm's condition: `{first['condition']}`")
            if text(first.get("example")):
                facts.append(f"Example (pytm threat library): {first['example']}")
            if text(first.get("mitigations")):
                facts.append("Mitigations the pytm threat library suggests: "
                             f"{first['mitigations']}")
            assumptions = []
            status, rationale = "untriaged", None
            if excluded:
                status = "not-applicable"
                name = text(mapping(first.get("assumption")).get("name"))
                if name in self.assumption_key:
                    assumptions.append(self.assumption_key[name])
                else:
                    rationale = "pytm excluded these findings" + (
                        f" by the assumption '{name}'." if name else ".")
            references = [r.strip() for r in str(first.get("references") or "").split(",")
                          if r.strip()]
            cvss = text(first.get("cvss"))
            d.threats.append(DraftThreat(
                key=f"t:{sid}:{'x' if excluded else 'f'}",
                title=text(first.get("description")) or sid, placements=placements,
                status=status, story=text(first.get("details")), likelihood=likelihood,
                impact=impact, rationale=rationale, references=references,
                facts=facts, source_id=sid, per_target=per_target,
                assumptions=assumptions,
                cvss=cvss if cvss and re.match(r"^CVSS:[34]\.[01]/", cvss) else None,
                tags=["pytm:excluded"] if excluded else [IMPORTED]))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _join(*parts: str | None, sep: str = "\n\n") -> str | None:
    kept = [p for p in parts if p]
    return sep.join(kept) if kept else None
