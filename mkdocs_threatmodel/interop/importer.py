"""Turn a :class:`~.draft.Draft` into a Markdown model that passes ``threatmodel validate``.

What the import decides, so that the result validates without pretending anything:

* Ids: see :mod:`.ids`. Threat ids are unique in the repository: a kept threat id that
  another model already uses gets the model id as prefix.
* STRIDE per element: a letter that does not apply to its target moves to the neighbour
  it is about (STRIDE per interaction): on a data flow, S and R go to the sender and E to
  the receiver; on a data store, S goes to the elements that write to it and E to the
  processes that read from it; on an external entity, T, I and D go to its flows and E to
  the processes it sends to. A letter with no such neighbour is dropped from ``stride``
  (the threat stays on its target) and the notes say so.
* A flow that crosses a trust boundary and has no threat gets an ``untriaged`` placeholder
  threat "Not yet analysed", unrated: the source does not say anyone looked at it.
* Every threat an import makes without a human judgement (a placeholder, or a finding of
  the source tool that no one has judged: a pytm finding, an unchecked Threagile risk) is
  ``untriaged`` and tagged ``imported`` (:data:`~.common.IMPORTED`), as ``suggest --write``
  tags its candidates ``suggested``; no import writes a threat ``open`` that no one judged
  open. (A threat that was already untriaged where it was exported from comes back as it
  was.)
* A ``mitigated`` threat without a mitigation text, a ``not-applicable`` one without a
  reason, or an ``accepted`` one without who/when/why gets an honest placeholder text
  (or, for an acceptance, goes back to ``open``). An open high or critical rating without a
  ticket is kept in the story and left out of ``likelihood``/``impact`` (a ticket comes
  first, TM402).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import UsageError
from ..format.dates import parse_date
from ..format.model import APPLICABLE, STRIDE_NAMES
from ..format.risk import rate
from ..format.spec import (
    AUTHENTICATIONS,
    AUTHORIZATIONS,
    BOUNDARY_KINDS,
    FORMAT_VERSION,
    IMPLEMENTED_STATUSES,
    LEVELS,
    MODEL_STATUSES,
    OPEN_STATUSES,
    TARGET_NAMES,
    THREAT_STATUSES,
    UNTRIAGED,
)
from ..workspace.repository import today as repository_today
from .common import IMPORTED, md_escape, md_inline, one_line, slugify
from .draft import Draft, DraftThreat
from .ids import IdMaker, id_table, keepable, name_base

if TYPE_CHECKING:
    from typing import TypeAlias

    from .draft import (
        DraftAsset,
        DraftAssumption,
        DraftBoundary,
        DraftElement,
        DraftFlow,
        DraftMitigation,
    )

    # An entry that gets an id: its draft key and the source's id.
    _Entry: TypeAlias = (DraftAsset | DraftBoundary | DraftElement | DraftFlow
                         | DraftMitigation | DraftAssumption)

# Control characters (but the line break and tab), DEL, C1 controls, Unicode line separators
# and bidirectional overrides: never copied from a source into the model written.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class MissingOwner(UsageError):
    """Threats need an owner and neither the source nor ``--owner`` names one."""


@dataclass
class Imported:
    """The written model: its text, id and what the import changed."""

    text: str
    model_id: str
    notes: list[str] = field(default_factory=list)


def clean(value: str | None) -> str | None:
    """Untrusted text without control characters (newlines and tabs stay)."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value or None


@dataclass
class _Part:
    """One threat of the output: a draft threat's targets that share the same letters."""

    draft: DraftThreat
    targets: list[str]
    letters: list[str]
    wanted: str | None
    id: str = ""


class _Builder:
    def __init__(self, draft: Draft, model_id: str, taken_threats: set[str]) -> None:
        self.draft = draft
        self.model_id = model_id
        self.ids = IdMaker()
        self.taken_threats = taken_threats
        self.notes: list[str] = list(draft.notes)
        self.key: dict[str, str] = {}  # draft key -> id here
        self.kind: dict[str, str] = {}  # draft key -> external | process | store | flow
        self.moved = self.dropped = self.placeholders = 0
        self.pending: list[tuple[list[_Part], list[str]]] = []

    # -- ids -------------------------------------------------------------------------
    def assign_ids(self) -> None:
        d = self.draft
        entries: list[tuple[str, _Entry, str]] = (
            [("asset", a, "asset") for a in d.assets]
            + [("boundary", b, "boundary") for b in d.boundaries]
            + [("element", e, e.type) for e in d.elements]
            + [("flow", f, "flow") for f in d.flows]
            + [("mitigation", m, "mitigation") for m in d.mitigations]
            + [("assumption", a, "assumption") for a in d.assumptions])
        later = []
        for kind, entry, _fallback in entries:
            name = (getattr(entry, "name", None) or getattr(entry, "label", None)
                    or getattr(entry, "title", None) or getattr(entry, "text", None) or "")
            got = self.ids.keep(kind, entry.source_id, entry.source_id, name)
            if got is None:
                later.append((kind, entry, _fallback, name))
            else:
                self.key[entry.key] = got
        for kind, entry, fallback, name in later:
            self.key[entry.key] = self.ids.make(kind, name_base(name, fallback),
                                                entry.source_id, name)
        for flow in d.flows:  # a response merged into its request keeps its own id too
            for other in flow.also_source_ids:
                self.ids.rows.append(("flow", self.key[flow.key], other, flow.label or ""))
        nodes: list[DraftElement | DraftFlow] = [*d.elements, *d.flows]
        self.source_of = {x.key: x.source_id for x in nodes}
        for element in d.elements:
            self.kind[element.key] = element.type
        for flow in d.flows:
            self.kind[flow.key] = "flow"

    # -- STRIDE per element ------------------------------------------------------------
    def _neighbours(self, target: str, letter: str) -> tuple[list[str], str]:
        kind = self.kind.get(target)
        flows = self.draft.flows
        found: list[str] = []
        why = ""
        if kind == "flow":
            flow = next(f for f in flows if f.key == target)
            if letter in "SR":
                found, why = [flow.source], "its sender"
            elif letter == "E":
                found, why = [flow.target], "its receiver"
        elif kind == "store":
            if letter == "S":
                found, why = [f.source for f in flows if f.target == target], "what writes to it"
            elif letter == "E":
                found, why = [f.target for f in flows if f.source == target], "what reads it"
        elif kind == "external":
            if letter in "TID":
                found = [f.key for f in flows if target in (f.source, f.target)]
                why = "its flows"
            elif letter == "E":
                found, why = [f.target for f in flows if f.source == target], "what it sends to"
        fits = [k for k in dict.fromkeys(found)
                if letter in APPLICABLE.get(self.kind.get(k, ""), "")]
        return fits, why

    def place(self, threat: DraftThreat,
              messages: list[str]) -> list[tuple[list[str], list[str]]]:
        """The threat's targets grouped by the letters each keeps, after moving letters."""
        per_target: dict[str, list[str]] = {}
        keep_empty: set[str] = set()  # targets that stay even without a letter
        order: dict[str | None, int] = {sid: i for i, sid in enumerate(threat.target_order)}
        placements = sorted(threat.placements,
                            key=lambda p: order.get(self.source_of.get(p[0]), len(order)))
        for target, letters in placements:
            if target not in self.key:
                continue
            per_target.setdefault(target, [])
            if not letters:
                keep_empty.add(target)
            kind = self.kind.get(target, "")  # "" (no kind) is in neither table below
            for letter in letters:
                if letter in APPLICABLE.get(kind, ""):
                    per_target[target].append(letter)
                    continue
                homes, why = self._neighbours(target, letter)
                where = f"{TARGET_NAMES.get(kind, 'target')} '{self.key.get(target, target)}'"
                if homes:
                    self.moved += 1
                    for home in homes:
                        per_target.setdefault(home, []).append(letter)
                    messages.append(
                        f"{STRIDE_NAMES[letter]} ({letter}) was filed on {where}; "
                        f"STRIDE per element does not apply it there, so it targets {why}: "
                        + ", ".join(f"'{self.key[h]}'" for h in homes) + ".")
                else:
                    self.dropped += 1
                    keep_empty.add(target)
                    messages.append(
                        f"{STRIDE_NAMES[letter]} ({letter}) was filed on {where}, "
                        "where STRIDE per element does not apply it, and no neighbour takes it: "
                        "the letter is left out of 'stride'; move the threat by hand.")
        groups: dict[frozenset, tuple[list[str], list[str]]] = {}  # letters -> (letters, targets)
        for target, letters in per_target.items():
            if not letters and target not in keep_empty:
                continue  # every letter moved to a neighbour
            ordered = list(dict.fromkeys(letters))  # the source's order
            groups.setdefault(frozenset(ordered), (ordered, []))[1].append(target)
        if not groups:
            return [([], list(dict.fromkeys(x for x in threat.letters if x in "STRIDE")))]
        return [(targets, letters) for letters, targets in groups.values()]

    def parts(self) -> list[_Part]:
        out = []
        for threat in self.draft.threats:
            messages: list[str] = []
            placed = self.place(threat, messages)
            mine = []
            for n, (targets, letters) in enumerate(placed):
                wanted = threat.source_id if n == 0 else (
                    f"{threat.source_id}-{n + 1}" if keepable(threat.source_id) else None)
                mine.append(_Part(threat, targets, letters, wanted))
            if len(placed) > 1:
                messages.append(f"the source's threat is split in {len(placed)}, one per set "
                                "of STRIDE letters its targets take.")
            out += mine
            if messages:
                self.pending.append((mine, messages))
        return out

    def threat_notes(self) -> None:
        """Notes on moved letters and split threats, now that threats have their ids."""
        for parts, messages in self.pending:
            ids = ", ".join(f"'{p.id}'" for p in parts)
            for message in messages:
                self.notes.append(f"Threat {ids}: {message[0].upper()}{message[1:]}")

    def assign_threat_ids(self, parts: list[_Part]) -> None:
        later = []
        for part in parts:
            name = part.draft.title
            if keepable(part.wanted) and part.wanted in self.taken_threats:
                prefixed = f"{self.model_id}-{part.wanted}"
                part.id = self.ids.make("threat", prefixed, part.draft.source_id, name)
                self.notes.append(f"Threat id '{part.wanted}' is already used by another "
                                  f"model of the repository; it is '{part.id}' here.")
                continue
            got = self.ids.keep("threat", part.wanted, part.draft.source_id, name)
            if got is None:
                later.append(part)
            else:
                part.id = got
        counter = 1
        for part in later:
            while not self.ids.free(f"{self.model_id}-{counter:03d}"):
                counter += 1
            part.id = self.ids.claim("threat", f"{self.model_id}-{counter:03d}",
                                     part.draft.source_id, part.draft.title)


def _level(value: str | None) -> str | None:
    return value if value in LEVELS else None


def _threat_entry(b: _Builder, part: _Part, owner: str | None) -> dict[str, Any]:
    t = part.draft
    status = t.status if t.status in THREAT_STATUSES else "open"
    story = clean(t.story)
    facts = [fact for f in t.facts if (fact := clean(f))]
    likelihood, impact = _level(t.likelihood), _level(t.impact)
    ticket, mitigation, rationale = clean(t.ticket), clean(t.mitigation), clean(t.rationale)
    acceptance = {k: clean(v) for k, v in (t.acceptance or {}).items() if clean(v)}
    label = f"'{part.id}'"
    unfinished = [m.title for m in b.draft.mitigations if m.key in t.mitigations
                  and m.status not in IMPLEMENTED_STATUSES]
    if status == "mitigated" and unfinished:
        status = "mitigating"
        b.notes.append(f"Threat {label} is mitigated in the source, but its mitigations "
                       + ", ".join(f"'{one_line(x)}'" for x in unfinished[:3])
                       + " are not in place there: it is 'mitigating' here (TM410).")
    risk = rate(likelihood, impact)
    if status in OPEN_STATUSES and risk and risk.band in ("high", "critical") \
            and not ticket:
        facts.append(f"The source rated it likelihood {likelihood}, impact {impact} "
                     f"({risk.band} risk); rate it here once it has a ticket.")
        likelihood = impact = None
        b.notes.append(f"Threat {label}: its {risk.band} rating is kept in the story, not in "
                       "likelihood/impact, because an open threat of that risk needs a "
                       "ticket first (TM402).")
    severity = _level(t.severity)
    severity_waits = status in OPEN_STATUSES and severity in ("high", "critical") \
        and not ticket
    if severity and not severity_waits and not clean(t.severity_reason):
        facts.append(f"The source gave it severity {severity} without a reason; rate it "
                     "here with 'severity_reason' (TM416) or likelihood and impact.")
        severity_waits = True
    elif severity_waits:
        reason = clean(t.severity_reason)
        facts.append(f"The source gave it severity {severity}"
                     + (f" ({one_line(reason)})" if reason else "")
                     + "; rate it here once it has a ticket.")
        b.notes.append(f"Threat {label}: its {severity} severity is kept in the story, "
                       "because an open threat of that risk needs a ticket first (TM402).")
    if status == "mitigated" and not mitigation and not t.mitigations:
        mitigation = "Not described in the source, which marks the threat mitigated."
        b.notes.append(f"Threat {label} is mitigated in the source without a mitigation text.")
    if status == "not-applicable" and not rationale and not t.assumptions:
        rationale = (f"From the source's mitigation text: {mitigation}" if mitigation else
                     "The source marks it not applicable without giving a reason.")
    if status == "accepted" and not all(acceptance.get(k) for k in ("by", "date",
                                                                      "rationale")):
        status = "open"
        b.notes.append(f"Threat {label} is accepted in the source, which does not say who "
                       "accepted it, when and why: it is open here until someone does.")
    if facts:
        story = "\n\n".join([story] + facts if story else facts)
    entry: dict[str, Any] = {"id": part.id, "title": clean(t.title) or "Untitled threat",
                             "stride": part.letters,
                             "targets": [b.key[k] for k in part.targets]}
    optional = [("story", story), ("likelihood", likelihood), ("impact", impact),
                ("status", status), ("owner", clean(t.owner) if clean(t.owner) != owner
                                     else None),
                ("ticket", ticket), ("mitigation", mitigation),
                ("tests", [x for x in map(clean, t.tests) if x]),
                ("acceptance", acceptance if status == "accepted" else None),
                ("rationale", rationale if status == "not-applicable" else None),
                ("references", [x for x in map(clean, t.references) if x])]
    entry.update((k, v) for k, v in optional if v)
    entry.update(_threat_depth(b, part, keep_severity=not severity_waits))
    return entry


def _threat_depth(b: _Builder, part: _Part, keep_severity: bool = True) -> dict[str, Any]:
    """The threat's records and detail: mitigations, assumptions, hurts, per-target detail,
    explicit severity, CVSS and tags (only what the draft has)."""
    t, k = part.draft, b.key
    out: dict[str, Any] = {}
    mitigations = [k[m] for m in dict.fromkeys(t.mitigations) if m in k]
    assumptions = [k[a] for a in dict.fromkeys(t.assumptions) if a in k]
    hurts = [_drop_empty({"asset": k[h["asset"]], "cia": [c for c in "CIA"
                                                          if c in h.get("cia", [])]})
             for h in t.hurts if h.get("asset") in k]
    per_target = {}
    for target in part.targets:
        detail = t.per_target.get(target) or {}
        entry = _drop_empty({
            "status": detail.get("status") if detail.get("status") in THREAT_STATUSES
            else None,
            "likelihood": _level(detail.get("likelihood")),
            "impact": _level(detail.get("impact")),
            "ticket": clean(detail.get("ticket")),
            "mitigations": [k[m] for m in detail.get("mitigations", []) if m in k],
            "rationale": clean(detail.get("rationale"))})
        if entry:
            per_target[k[target]] = entry
    severity = _level(t.severity) if keep_severity else None
    for key, value in (("mitigations", mitigations), ("assumptions", assumptions),
                       ("hurts", hurts), ("per_target", per_target),
                       ("severity", severity),
                       ("severity_reason", clean(t.severity_reason) if severity else None),
                       ("cvss", _scored(clean(t.cvss))), ("tags", _tags(t.tags))):
        if value:
            out[key] = value
    return out


def _tags(values: list[str]) -> list[str]:
    return [x for x in dict.fromkeys(clean(one_line(v)) for v in values) if x]


def _mitigation(b: _Builder, m: Any) -> dict[str, Any]:
    from ..format.spec import MITIGATION_STATUSES

    return _drop_empty({"id": b.key[m.key], "title": clean(one_line(m.title)) or b.key[m.key],
                        "status": m.status if m.status in MITIGATION_STATUSES else "planned",
                        "owner": clean(m.owner), "ticket": clean(m.ticket),
                        "tests": [x for x in map(clean, m.tests) if x],
                        "description": clean(m.description), "tags": _tags(m.tags)})


def _assumption(b: _Builder, a: Any) -> dict[str, Any]:
    from ..format.spec import ASSUMPTION_STATUSES

    return _drop_empty({"id": b.key[a.key], "text": clean(a.text) or b.key[a.key],
                        "owner": clean(a.owner),
                        "revisit": a.revisit if parse_date(a.revisit) else None,
                        "status": a.status if a.status in ASSUMPTION_STATUSES else "assumed",
                        "tags": _tags(a.tags)})


def _placeholders(b: _Builder, front: dict, owner: str | None) -> None:
    boundary_of = {e["id"]: e.get("boundary") for e in front["elements"]}
    targeted = {t for threat in front["threats"] for t in threat["targets"]}
    counter = 1
    for flow in front["flows"]:
        a, z = boundary_of.get(flow["from"]), boundary_of.get(flow["to"])
        if a == z or flow["id"] in targeted:
            continue
        while not b.ids.free(f"{b.model_id}-{counter:03d}"):
            counter += 1
        tid = b.ids.claim("threat", f"{b.model_id}-{counter:03d}", None, "")
        b.placeholders += 1
        front["threats"].append({
            "id": tid,
            "title": f"Not yet analysed: flow '{flow['id']}' crosses a trust boundary",
            "stride": ["T", "I", "D"], "targets": [flow["id"]],
            "story": "Placeholder written by threatmodel import: the source has no threat on "
                     "this flow, which crosses a trust boundary. Walk tampering, information "
                     "disclosure and denial of service for it, then replace this threat with "
                     "what you find, or record letters that do not apply as not-applicable "
                     "with a rationale.",
            "status": UNTRIAGED, "tags": [IMPORTED]})


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def front_matter(data: dict) -> str:
    """YAML front matter text (block style, no anchors, keys in the format's order)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96,
                     default_flow_style=False)


def build(draft: Draft, *, source_name: str, model_id: str | None = None,
          owner: str | None = None, taken_threats: set[str] | None = None,
          today: dt.date | None = None) -> Imported:
    """The Markdown model for ``draft``; raises :class:`MissingOwner` when threats would
    have no owner."""
    title = clean(one_line(draft.title or "")) or "Imported threat model"
    mid = model_id or (draft.model_id if keepable(draft.model_id) else None) \
        or slugify(title) or "imported-model"
    owner = clean(owner) or clean(draft.owner)
    b = _Builder(draft, mid, set(taken_threats or ()))
    _break_cycles(draft, b.notes)
    b.ids.used.add(mid)
    if draft.model_id and draft.model_id != mid:
        b.ids.rows.append(("model", mid, draft.model_id, title))
    b.assign_ids()
    parts = b.parts()
    b.assign_threat_ids(parts)
    b.threat_notes()
    front: dict[str, Any] = {"threatmodel": FORMAT_VERSION, "id": mid, "title": title}
    if owner:
        front["owner"] = owner
    front["status"] = draft.status if draft.status in MODEL_STATUSES else "draft"
    if draft.reviewed and clean(draft.reviewed.get("date")):
        front["reviewed"] = {k: clean(v) for k, v in draft.reviewed.items() if clean(v)}
    for key, value in (("review_every", draft.review_every), ("covers", draft.covers),
                       ("adrs", draft.adrs)):
        if value:
            front[key] = [clean(v) for v in value] if isinstance(value, list) else clean(value)
    if draft.scope and (draft.scope.get("in") or draft.scope.get("out")):
        front["scope"] = {k: [clean(v) for v in draft.scope.get(k) or []] for k in ("in", "out")}
    k = b.key
    front["assets"] = [_with_extra({"id": k[a.key], "name": clean(a.name) or k[a.key],
                                    "impact": _level(a.impact),
                                    "description": clean(a.description),
                                    "classification": clean(a.classification),
                                    "confidentiality": _level(a.confidentiality),
                                    "integrity": _level(a.integrity),
                                    "availability": _level(a.availability),
                                    "tags": _tags(a.tags)}, a)
                       for a in draft.assets]
    front["boundaries"] = [_with_extra({"id": k[x.key], "name": clean(x.name) or k[x.key],
                                        "inside": k.get(x.inside) if x.inside else None,
                                        "description": clean(x.description),
                                        "kind": x.kind if x.kind in BOUNDARY_KINDS
                                        and x.kind != "network" else None,
                                        "tags": _tags(x.tags)}, x)
                           for x in draft.boundaries]
    front["elements"] = [_with_extra({"id": k[e.key], "name": clean(one_line(e.name)) or k[e.key],
                                      "type": e.type,
                                      "boundary": k.get(e.boundary) if e.boundary else None,
                                      "assets": [k[a] for a in e.assets if a in k],
                                      "description": clean(e.description),
                                      "technology": clean(e.technology),
                                      "internet_facing": e.internet_facing or None,
                                      "third_party": e.third_party or None,
                                      "owner": clean(e.owner),
                                      "out_of_scope": clean(e.out_of_scope),
                                      "tags": _tags(e.tags)}, e)
                         for e in draft.elements]
    front["flows"] = [_with_extra({"id": k[f.key], "from": k[f.source], "to": k[f.target],
                                   "label": clean(f.label), "protocol": clean(f.protocol),
                                   "auth": clean(f.auth), "data": [k[a] for a in f.data if a in k],
                                   "returns": [k[a] for a in dict.fromkeys(f.returns) if a in k],
                                   "description": clean(f.description),
                                   "encrypted": f.encrypted,
                                   "authentication": f.authentication
                                   if f.authentication in AUTHENTICATIONS else None,
                                   "authorization": f.authorization
                                   if f.authorization in AUTHORIZATIONS else None,
                                   "tags": _tags(f.tags)}, f)
                      for f in draft.flows]
    front["threats"] = [_threat_entry(b, part, owner) for part in parts]
    front["mitigations"] = [_mitigation(b, m) for m in draft.mitigations]
    front["assumptions"] = [_assumption(b, a) for a in draft.assumptions]
    if _tags(draft.tags):
        front["tags"] = _tags(draft.tags)
    _placeholders(b, front, owner)
    if front["threats"] and not owner and any("owner" not in t for t in front["threats"]):
        raise MissingOwner("the source names no owner for its threats; pass --owner TEAM")
    for key in ("assets", "boundaries", "elements", "flows", "threats", "mitigations",
                "assumptions"):
        if not front[key]:
            del front[key]
    body = _body(draft, b, title, source_name, today or repository_today())
    text = "---\n" + front_matter(front) + "---\n\n" + body
    # Values were cleaned one by one; the notes quote source names as they were.
    return Imported(_CONTROL.sub("", text), mid, b.notes)


def _break_cycles(draft: Draft, notes: list[str]) -> None:
    """Boundaries nested in a circle are not nested (the first one that closes it)."""
    keys = {x.key for x in draft.boundaries}
    inside = {x.key: x.inside if x.inside in keys else None for x in draft.boundaries}
    for boundary in draft.boundaries:
        seen, current = {boundary.key}, inside[boundary.key]
        while current is not None:
            if current in seen:
                notes.append(f"Boundary '{one_line(boundary.name)}' is nested in a circle of "
                             "boundaries in the source: it is not nested here.")
                inside[boundary.key] = boundary.inside = None
                break
            seen.add(current)
            current = inside[current]


def _scored(vector: str | None) -> str | None:
    """A CVSS vector the format accepts (one the ``cvss`` library scores), else ``None``."""
    if not vector:
        return None
    from ..format.cvss_vector import score

    try:
        score(vector)
    except ValueError:
        return None
    return vector


def _with_extra(entry: dict, draft_entry: Any) -> dict:
    """The entry with the plain keys our own export kept aside (see :mod:`.extras`) where
    the typed fields left them empty; texts cleaned, empties dropped."""
    for key, value in draft_entry.extra.items():
        if entry.get(key) in (None, [], "", False):
            entry[key] = (clean(value) if isinstance(value, str) else
                          [clean(x) for x in value if clean(x)] if isinstance(value, list)
                          else value)
    kept = _drop_empty(entry)
    if draft_entry.extra.get("controls") == []:
        kept["controls"] = []  # stated, and none in place: not the same as not stated
    return kept


def _drop_empty(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v not in (None, [], "")}


def _comment_safe(value: str) -> str:
    return one_line(value).replace("--", "- -").replace(">", "")


def _body(draft: Draft, b: _Builder, title: str, source_name: str, today: dt.date) -> str:
    lines = ["<!--",
             f"Imported from {_comment_safe(source_name)} ({draft.tool}) by `threatmodel "
             f"import` on {today.isoformat()}. How the import mapped it (README, \"Export, "
             "import and diff\"):",
             "- Ids: the source's ids stay where they are valid ids; others are made from "
             f"names, and threat ids from the model id ({b.model_id}-001). \"Ids in "
             f"{draft.tool}\" below lists every id that changed."]
    if b.moved or b.dropped:
        lines.append(f"- STRIDE per element: {b.moved + b.dropped} letter(s) filed on a "
                     "target they do not apply to; moved to the neighbour they are about "
                     "(flow S/R to its sender, E to its receiver; store S to its writers, E "
                     "to its readers; external T/I/D to its flows, E to what it sends to), "
                     "or left out when none fits. The notes below list each.")
    if b.placeholders:
        lines.append(f"- {b.placeholders} flow(s) cross a trust boundary without a threat in "
                     "the source: each has an untriaged placeholder threat \"Not yet analysed\" "
                     "(tagged `imported`), unrated, until someone walks it.")
    lines += ["Review the notes below, then delete this comment.", "-->", "",
              f"# {md_inline(title)}", ""]
    if description := clean(draft.description):
        lines += [md_escape(description), ""]
    for heading, section in draft.sections:
        if body := clean(section):
            lines += [f"## {md_inline(heading)}", "", md_escape(body), ""]
    if b.notes:
        lines += ["## Import notes", ""] + [f"- {md_inline(n)}" for n in b.notes] + [""]
    if draft.unmapped:
        lines += ["## Not mapped", "",
                  f"What {draft.tool} holds that this format has no place for, and why:", ""]
        lines += [f"- {md_inline(n)}" for n in draft.unmapped] + [""]
    lines += id_table(b.ids.rows, draft.format, draft.tool,
                      exportable=draft.format in ("otm", "threat-dragon", "threat-composer"))
    return "\n".join(lines).rstrip("\n") + "\n"
