"""Read OWASP pytm's JSON report (``python tm.py --json out.json``) into a :class:`Draft`.

The report is data; the model's ``tm.py`` is never run. pytm names things, it gives them no
ids: names become ids and the names are kept in the id table. Boundaries nest by
``inBoundary``; actors are external entities, datastores stores, every other asset a process
(:data:`.pytm_stride.CLASS_TYPES`). Data become assets (pytm's classification on the default
scale, the original kept as a tag). Every pytm flow is a flow of its own, a response too (its
description names its request), with an id of its own when names repeat; findings go to the
flow or element pytm lists them on.

pytm states every control, true or false: the true ones become the element's or flow's
``controls`` through the format's vocabulary, written even when empty, since a false control
is a control stated absent, which is what suggestion rules read. ``isEncrypted`` is the flow's
``encrypted`` and ``usesVPN`` its ``vpn``; pytm's class gives the technology and machine where
it says (Lambda, LLM, Agent, a datastore's type); an actor is ``used_by_humans``; a data
item's ``format`` (and ``usesXMLParser``) the receiving element's ``data_formats``; a set
``hasContentFiltering`` or ``validatesToolLaunchConfig`` a control. Properties the format
has no field for stay tags ``pytm:NAME`` or ``pytm:NAME=VALUE`` (:data:`GAPS` names them);
unset ones are pytm's defaults and are left out.

Findings become ``untriaged`` threats, one per pytm threat id, on every target they hit,
with the letters of :mod:`.pytm_stride`; pytm's likelihood and severity are the threat's
likelihood and impact, per target where targets differ. Findings pytm excluded because of
an assumption become ``not-applicable`` threats resting on that assumption.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..format.spec import CONTROL_SYNONYMS, CONTROLS, DATA_FORMATS
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
         "classification", "isEncrypted", "usesVPN", "usesXMLParser", "hasContentFiltering",
         "validatesToolLaunchConfig", "format"}
# pytm's controls and properties the format reads as a control, beyond CONTROL_SYNONYMS.
EXTRA_CONTROLS = {"hasContentFiltering": "content-filtering",
                  "validatesToolLaunchConfig": "tool-call-validation"}
# Controls the flow's own fields state, not `controls`.
_FLOW_FIELDS = {"isEncrypted", "usesVPN"}
# pytm properties a rule could read and the format has no field for: they stay tags.
GAPS = ("handlesInterruptions", "usesSessionTokens", "usesEnvironmentVariables",
        "implementsAPI", "processesPersonalData", "storesPII", "storesSensitiveData",
        "hasSystemPrompt", "usesExternalTools", "processesUntrustedInput", "isSelfHosted",
        "usesCache", "handlesResources", "OS", "onAWS", "authenticationScheme")
# pytm's class (and a datastore's type) -> our technology and machine.
CLASS_TECHNOLOGY = {"Lambda": ("serverless function", "serverless"), "LLM": ("LLM", None),
                    "Agent": ("AI agent", None)}
DATASTORE_TECHNOLOGY = {"SQL": "SQL database", "NOSQL": "NoSQL", "FILE_SYSTEM": "file system",
                        "BUCKET": "object storage", "LDAP": "LDAP"}
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


def _tags(entry: dict, controls: bool = False) -> list[str]:
    """``pytm:NAME`` for every set flag of the entry, ``pytm:NAME=VALUE`` for every value
    that is not pytm's default; of its controls, those the vocabulary has no name for (all
    set ones with ``controls``, for an entry that has no ``controls`` field: a boundary)."""
    out: list[str] = []
    pairs = [(k, v) for k, v in entry.items() if k not in _SKIP]
    if controls:
        pairs += sorted(mapping(entry.get("controls")).items())
    else:
        out += sorted(_unmapped_controls(entry))
    for key, value in pairs:
        if value is True:
            out.append(f"pytm:{key}")
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                and value not in _DEFAULT_VALUES and value is not False:
            out.append(f"pytm:{key}={value}")
    return out


def _controls(entry: dict, flow: bool = False) -> list[str] | None:
    """The controls pytm states true, in the format's vocabulary; ``None`` when the report
    gives no controls at all (then nothing is stated)."""
    given = entry.get("controls")
    if not isinstance(given, dict):
        return None
    out: list[str] = []
    pairs = list(given.items()) + [(k, entry.get(k)) for k in EXTRA_CONTROLS]
    for key, value in pairs:
        if flow and key in _FLOW_FIELDS:
            continue
        name = EXTRA_CONTROLS.get(key) or CONTROL_SYNONYMS.get(key.lower())
        if key == "usesEncryptionAlgorithm" and str(value).upper() in ("RSA", "AES"):
            name, value = "strong-encryption", True
        if value is True and name in CONTROLS and name not in out:
            out.append(name)
    return out


def _unmapped_controls(entry: dict) -> list[str]:
    """Tags for true controls the vocabulary has no name for (``handlesInterruptions``)."""
    out = []
    for key, value in mapping(entry.get("controls")).items():
        if value is True and key not in _FLOW_FIELDS and key not in EXTRA_CONTROLS \
                and CONTROL_SYNONYMS.get(key.lower()) not in CONTROLS:
            out.append(f"pytm:{key}")
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
        self.formats: dict[str, list[str]] = {}  # pytm element name -> data formats
        self.by_finding: dict[str, str] = {}  # pytm finding id -> draft key of its target

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
        d.unmapped.append("pytm properties the format has no field for stay `pytm:` tags "
                          "(when set): " + ", ".join(f"`{g}`" for g in GAPS) + "; and "
                          "`handlesInterruptions`, a control the vocabulary has no name for.")
        return d

    # -- the architecture ------------------------------------------------------------
    def _boundaries(self, boundaries: list[dict]) -> None:
        names = {b["name"] for b in boundaries}
        for b in boundaries:
            inside = text(b.get("inBoundary"))
            self.draft.boundaries.append(DraftBoundary(
                f"b:{b['name']}", b["name"], f"b:{inside}" if inside in names else None,
                text(b.get("description")), b["name"], tags=_tags(b, controls=True)))

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
        flows = {f["name"]: f for f in _named(self.data, "flows", self.path, ("source", "sink"))}
        for data in _named(self.data, "data", self.path):
            for name in texts(data.get("processedBy")):
                holds.setdefault(name, []).append(f"d:{data['name']}")
            fmt = str(data.get("format") or "").strip().lower()
            if fmt in DATA_FORMATS:  # the format a flow carries, as its receiver takes it
                for flow in texts(data.get("carriedBy")):
                    sink = text(mapping(flows.get(flow)).get("sink"))
                    if sink:
                        self.formats.setdefault(sink, []).append(fmt)
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
            technology, machine = CLASS_TECHNOLOGY.get(cls, (None, None))
            if cls == "Lambda" and e.get("onAWS") is True:
                technology = "AWS Lambda"
            tags = _tags(e)
            if cls == "Datastore":
                technology = DATASTORE_TECHNOLOGY.get(str(e.get("type") or "").rsplit(".")[-1])
                if technology:  # the type is the technology: no tag
                    tags = [t for t in tags if not t.startswith("pytm:type=")]
            # the class is a tag only where no field says it (Server, Process ...)
            said = technology is not None or cls == "Actor"
            tags = ([] if said else [f"pytm:{cls}"]) + tags
            extra: dict[str, Any] = {}
            controls = _controls(e)
            if controls is not None:
                extra["controls"] = controls
            if machine:
                extra["machine"] = machine
            formats = self.formats.get(e["name"], []) + (["xml"] if e.get("usesXMLParser")
                                                         is True else [])
            if formats:
                extra["data_formats"] = list(dict.fromkeys(formats))
            if cls == "Actor":
                extra["used_by_humans"] = True
            self.draft.elements.append(DraftElement(
                key, e["name"], kind,
                f"b:{boundary}" if boundary and any(b.key == f"b:{boundary}"
                                                    for b in self.draft.boundaries) else None,
                [a for a in dict.fromkeys(assets) if a in self.asset_key.values()],
                text(e.get("description")), e["name"],
                third_party=e.get("isThirdParty") is True,
                out_of_scope="pytm marks it out of scope (inScope: false)."
                if e.get("inScope") is False else None,
                technology=technology, tags=tags, extra=extra))
            for fid in _list(e.get("findings")):
                self.by_finding.setdefault(str(fid), key)

    def _flows(self, flows: list[dict]) -> None:
        d = self.draft
        for f in flows:
            ends = (f["source"], f["sink"])
            if not all(end in self.element_key for end in ends):
                d.unmapped.append(f"Flow '{f['name']}' connects '{ends[0]}' to '{ends[1]}', "
                                  "which are not both elements of the report.")
                continue
            key, n = f"f:{f['name']}", 1
            while key in self.kind:
                n += 1
                key = f"f:{f['name']}#{n}"
            if n > 1:
                d.notes.append(f"Flow '{f['name']}' is named {n} times in pytm: each is a flow "
                               "of its own, with the findings pytm lists on it.")
            self.flow_key.setdefault(f["name"], key)
            self.kind[key] = "flow"
            for fid in _list(f.get("findings")):
                self.by_finding.setdefault(str(fid), key)
            said = None
            if f.get("isResponse") is True and text(f.get("responseTo")):
                said = f"The response to '{text(f.get('responseTo'))}'."
            flow = DraftFlow(key, self.element_key[ends[0]], self.element_key[ends[1]],
                             f["name"], text(f.get("protocol")), None,
                             [self.asset_key[x] for x in texts(f.get("data"))
                              if x in self.asset_key],
                             _join(text(f.get("description")), text(f.get("note")), said),
                             f["name"], tags=_tags(f))
            given = mapping(f.get("controls"))
            encrypted = given.get("isEncrypted")
            flow.encrypted = encrypted if isinstance(encrypted, bool) else None
            controls = _controls(f, flow=True)
            if controls is not None:
                flow.extra["controls"] = controls
            vpn = given.get("usesVPN", f.get("usesVPN"))
            if isinstance(vpn, bool):
                flow.extra["vpn"] = vpn
            d.flows.append(flow)

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
                key = (None if excluded else self.by_finding.get(str(f.get("id")))) \
                    or self.element_key.get(
                    f["target"]) or self.flow_key.get(f["target"])
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
