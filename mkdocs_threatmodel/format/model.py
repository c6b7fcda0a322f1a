"""The typed model: what a front matter means, once read.

Building is lenient: entries the schema check rejected are skipped or left
empty, so that later checks and views still see everything that is usable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .dates import parse_date, parse_duration
from .risk import Risk, rate, severity_risk
from .source import SourceFile
from .spec import (
    CROSSING_KINDS,
    ENCRYPTED_PROTOCOLS,
    IMPLEMENTED_STATUSES,
    OPEN_STATUSES,
    PLAIN_PROTOCOLS,
    UNTRIAGED,
    technology_kind,
)

STRIDE_NAMES = {"S": "Spoofing", "T": "Tampering", "R": "Repudiation",
                "I": "Information disclosure", "D": "Denial of service",
                "E": "Elevation of privilege"}
APPLICABLE = {"external": "SR", "process": "STRIDE", "store": "TRID", "flow": "TID"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: Any) -> list[str]:
    if value.__class__ is not list:  # most optional keys are absent: the cheap test first
        return []
    return [v for v in value if v.__class__ is str]


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _controls(value: Any) -> list[str] | None:
    """The stated controls, or ``None`` when the key is not given (a list that is not a list
    of texts reads as not given: the schema check reports it)."""
    return _texts(value) if value.__class__ is list else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


_WORDS = re.compile(r"[a-z0-9]+")


def encryption_of(protocol: str | None) -> bool | None:
    """Whether a protocol is encrypted, read from its words (the spec's table), or ``None``.

    Any encrypted word makes it encrypted ("PostgreSQL over TLS", "RESP over TLS"); else any
    plain word makes it plain ("HTTP", "AMQP"); else it is unknown.
    """
    words = set(_WORDS.findall((protocol or "").lower()))
    if words & _ENCRYPTED:
        return True
    if words & _PLAIN:
        return False
    return None


_ENCRYPTED, _PLAIN = frozenset(ENCRYPTED_PROTOCOLS), frozenset(PLAIN_PROTOCOLS)


@dataclass
class Asset:
    id: str
    name: str
    impact: str | None
    description: str | None
    path: tuple
    classification: str | None = None
    confidentiality: str | None = None
    integrity: str | None = None
    availability: str | None = None
    tags: list[str] = field(default_factory=list)

    def rating(self, letter: str) -> str | None:
        """The asset's C, I or A rating."""
        return {"C": self.confidentiality, "I": self.integrity, "A": self.availability}[letter]


@dataclass
class Boundary:
    id: str
    name: str
    inside: str | None
    description: str | None
    path: tuple
    kind: str = "network"
    tags: list[str] = field(default_factory=list)


@dataclass
class Element:
    id: str
    name: str
    type: str | None
    boundary: str | None
    assets: list[str]
    description: str | None
    path: tuple
    technology: str | None = None
    internet_facing: bool = False
    third_party: bool = False
    owner: str | None = None
    out_of_scope: str | None = None
    tags: list[str] = field(default_factory=list)
    controls: list[str] | None = None  # None: not stated (nothing is assumed)
    machine: str | None = None
    data_formats: list[str] = field(default_factory=list)
    multi_tenant: bool | None = None
    redundant: bool | None = None
    custom_developed: bool | None = None
    used_by_humans: bool | None = None
    usage: str = "business"

    @property
    def technology_kind(self) -> str | None:
        """The kind of its ``technology`` in the format's vocabulary, or ``None``."""
        return technology_kind(self.technology)


@dataclass
class Flow:
    id: str
    source: str | None
    target: str | None
    label: str | None
    protocol: str | None
    auth: str | None
    data: list[str]
    description: str | None
    path: tuple
    returns: list[str] = field(default_factory=list)
    encrypted_given: bool | None = None
    authentication: str | None = None
    authorization: str | None = None
    tags: list[str] = field(default_factory=list)
    controls: list[str] | None = None  # None: not stated (nothing is assumed)
    vpn: bool | None = None
    ip_filtered: bool | None = None
    read_only: bool | None = None
    usage: str = "business"

    @property
    def encrypted(self) -> bool | None:
        """Whether the flow is encrypted: as written, else derived from its protocol."""
        if self.encrypted_given is not None:
            return self.encrypted_given
        return encryption_of(self.protocol)


@dataclass
class Mitigation:
    """A control, cited by the threats it addresses."""

    id: str
    title: str
    status: str
    owner: str | None
    ticket: str | None
    tests: list[str]
    description: str | None
    path: tuple
    tags: list[str] = field(default_factory=list)

    @property
    def implemented(self) -> bool:
        return self.status in IMPLEMENTED_STATUSES


@dataclass
class Assumption:
    id: str
    text: str
    owner: str | None
    revisit: dt.date | None
    status: str
    path: tuple
    tags: list[str] = field(default_factory=list)


@dataclass
class Hurt:
    """An asset a threat hurts, and which of C, I and A."""

    asset: str
    cia: list[str]


@dataclass
class TargetDetail:
    """What differs for one target of a threat: status, rating, ticket, mitigations."""

    target: str
    status: str | None
    likelihood: str | None
    impact: str | None
    ticket: str | None
    mitigations: list[str]
    rationale: str | None


@dataclass
class Acceptance:
    by: str | None
    date: dt.date | None
    expires: dt.date | None
    rationale: str | None


@dataclass
class Threat:
    id: str
    title: str
    stride: list[str]
    targets: list[str]
    story: str | None
    likelihood: str | None
    impact: str | None
    status: str
    owner: str | None
    ticket: str | None
    mitigation: str | None
    tests: list[str]
    acceptance: Acceptance | None
    rationale: str | None
    references: list[str]
    path: tuple
    model_id: str = ""
    mitigations: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    hurts: list[Hurt] = field(default_factory=list)
    per_target: dict[str, TargetDetail] = field(default_factory=dict)
    severity: str | None = None
    severity_reason: str | None = None
    cvss: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def risk(self) -> Risk | None:
        """Likelihood x impact, or the explicit severity when one is given."""
        if self.severity is not None:
            return severity_risk(self.severity)
        return rate(self.likelihood, self.impact)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_untriaged(self) -> bool:
        return self.status == UNTRIAGED

    def on(self, target: str) -> TargetView:
        """This threat as it stands on one of its targets (per-target detail applied)."""
        detail = self.per_target.get(target)
        if detail is None:
            return TargetView(self, target, self.status, self.likelihood, self.impact,
                              self.ticket, self.mitigations, self.risk)
        likelihood = detail.likelihood or self.likelihood
        impact = detail.impact or self.impact
        risk = rate(likelihood, impact) if (detail.likelihood or detail.impact) else self.risk
        return TargetView(self, target, detail.status or self.status, likelihood, impact,
                          detail.ticket or self.ticket, detail.mitigations or self.mitigations,
                          risk)


@dataclass(frozen=True)
class TargetView:
    """A threat on one target: its own status and rating where the model gives them."""

    threat: Threat
    target: str
    status: str
    likelihood: str | None
    impact: str | None
    ticket: str | None
    mitigations: list[str]
    risk: Risk | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass
class Dismissal:
    """A suggestion judged not to apply: its rule code, target and why."""

    rule: str
    target: str
    rationale: str
    path: tuple


@dataclass
class Model:
    """One threat model file, typed."""

    path: str
    source: SourceFile
    id: str
    title: str
    owner: str | None
    status: str
    reviewed_date: dt.date | None
    reviewed_by: str | None
    review_every: int | None
    covers: list[str]
    adrs: list[str]
    scope_in: list[str]
    scope_out: list[str]
    assets: list[Asset] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    threats: list[Threat] = field(default_factory=list)
    mitigations: list[Mitigation] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)
    dismissed: list[Dismissal] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    _index: dict[str, Element | Flow] | None = field(default=None, repr=False)

    def _lookup(self, key: str | None) -> Element | Flow | None:
        if self._index is None:
            self._index = {f.id: f for f in reversed(self.flows)}
            self._index.update((e.id, e) for e in reversed(self.elements))
        return self._index.get(key) if key is not None else None

    def element(self, eid: str | None) -> Element | None:
        """The (first) element with this id."""
        found = self._lookup(eid)
        return found if isinstance(found, Element) else None

    def target_type(self, tid: str) -> str | None:
        """``external``, ``process``, ``store`` or ``flow`` for a target id."""
        found = self._lookup(tid)
        if isinstance(found, Element):
            return found.type
        return "flow" if found is not None else None

    def crosses_boundary(self, flow: Flow) -> bool:
        """Whether a flow's two ends sit in different trust boundaries."""
        a, b = self.element(flow.source), self.element(flow.target)
        return a is not None and b is not None and a.boundary != b.boundary

    def crossed(self, flow: Flow) -> list[Boundary]:
        """The boundaries a flow crosses: those around one end but not the other."""
        a, b = self.element(flow.source), self.element(flow.target)
        if a is None or b is None or a.boundary == b.boundary:
            return []
        around_a, around_b = self._around(a.boundary), self._around(b.boundary)
        return [x for x in around_a + around_b if (x in around_a) != (x in around_b)]

    def crosses_trust(self, flow: Flow) -> bool:
        """Whether a flow crosses a boundary of a kind that demands a threat (TM302): any
        but an execution boundary. A flow between two ends whose boundaries are unknown ids
        counts as crossing, as before boundary kinds existed."""
        if not self.crosses_boundary(flow):
            return False
        crossed = self.crossed(flow)
        return not crossed or any(b.kind in CROSSING_KINDS for b in crossed)

    def _around(self, boundary_id: str | None) -> list[Boundary]:
        """The boundary with this id and every boundary containing it, innermost first."""
        by_id = self._boundaries()
        chain: list[Boundary] = []
        while boundary_id in by_id and by_id[boundary_id] not in chain:
            chain.append(by_id[boundary_id])
            boundary_id = by_id[boundary_id].inside
        return chain

    def _boundaries(self) -> dict[str, Boundary]:
        return {b.id: b for b in reversed(self.boundaries)}

    def mitigation(self, mid: str) -> Mitigation | None:
        return next((m for m in self.mitigations if m.id == mid), None)

    def assumption(self, aid: str) -> Assumption | None:
        return next((a for a in self.assumptions if a.id == aid), None)


def _entries(data: dict, key: str) -> list[tuple[tuple, dict]]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [((key, i), item) for i, item in enumerate(items)
            if isinstance(item, dict) and isinstance(item.get("id"), str)]


def build_model(src: SourceFile) -> Model:
    """The typed model of a read source (``src.ok`` must be true)."""
    data = src.data
    reviewed, scope = _map(data.get("reviewed")), _map(data.get("scope"))
    owner = _text(data.get("owner"))
    model = Model(
        path=src.path, source=src,
        id=_text(data.get("id")) or "", title=_text(data.get("title")) or "",
        owner=owner, status=_text(data.get("status")) or "active",
        reviewed_date=parse_date(reviewed.get("date")), reviewed_by=_text(reviewed.get("by")),
        review_every=parse_duration(data.get("review_every")),
        covers=_texts(data.get("covers")), adrs=_texts(data.get("adrs")),
        scope_in=_texts(scope.get("in")), scope_out=_texts(scope.get("out")),
    )
    model.tags = _texts(data.get("tags"))
    for path, a in _entries(data, "assets"):
        model.assets.append(Asset(
            a["id"], _text(a.get("name")) or a["id"], _text(a.get("impact")),
            _text(a.get("description")), path, _text(a.get("classification")),
            _text(a.get("confidentiality")), _text(a.get("integrity")),
            _text(a.get("availability")), _texts(a.get("tags"))))
    for path, b in _entries(data, "boundaries"):
        model.boundaries.append(Boundary(
            b["id"], _text(b.get("name")) or b["id"], _text(b.get("inside")),
            _text(b.get("description")), path, _text(b.get("kind")) or "network",
            _texts(b.get("tags"))))
    for path, e in _entries(data, "elements"):
        model.elements.append(Element(
            e["id"], _text(e.get("name")) or e["id"], _text(e.get("type")),
            _text(e.get("boundary")), _texts(e.get("assets")), _text(e.get("description")),
            path, _text(e.get("technology")), _flag(e.get("internet_facing")) or False,
            _flag(e.get("third_party")) or False, _text(e.get("owner")),
            _text(e.get("out_of_scope")), _texts(e.get("tags")), _controls(e.get("controls")),
            _text(e.get("machine")), _texts(e.get("data_formats")),
            _flag(e.get("multi_tenant")), _flag(e.get("redundant")),
            _flag(e.get("custom_developed")), _flag(e.get("used_by_humans")),
            _text(e.get("usage")) or "business"))
    for path, f in _entries(data, "flows"):
        model.flows.append(Flow(
            f["id"], _text(f.get("from")), _text(f.get("to")), _text(f.get("label")),
            _text(f.get("protocol")), _text(f.get("auth")), _texts(f.get("data")),
            _text(f.get("description")), path, _texts(f.get("returns")),
            _flag(f.get("encrypted")), _text(f.get("authentication")),
            _text(f.get("authorization")), _texts(f.get("tags")), _controls(f.get("controls")),
            _flag(f.get("vpn")), _flag(f.get("ip_filtered")), _flag(f.get("read_only")),
            _text(f.get("usage")) or "business"))
    for path, t in _entries(data, "threats"):
        model.threats.append(_threat(t, path, owner, model.id))
    for path, m in _entries(data, "mitigations"):
        model.mitigations.append(Mitigation(
            m["id"], _text(m.get("title")) or m["id"], _text(m.get("status")) or "planned",
            _text(m.get("owner")) or owner, _text(m.get("ticket")), _texts(m.get("tests")),
            _text(m.get("description")), path, _texts(m.get("tags"))))
    for path, a in _entries(data, "assumptions"):
        model.assumptions.append(Assumption(
            a["id"], _text(a.get("text")) or "", _text(a.get("owner")) or owner,
            parse_date(a.get("revisit")), _text(a.get("status")) or "assumed", path,
            _texts(a.get("tags"))))
    for i, d in enumerate(data.get("dismissed") if isinstance(data.get("dismissed"), list)
                          else []):
        if isinstance(d, dict) and isinstance(d.get("rule"), str):
            model.dismissed.append(Dismissal(d["rule"], _text(d.get("target")) or "",
                                             _text(d.get("rationale")) or "", ("dismissed", i)))
    return model


def _threat(t: dict, path: tuple, owner: str | None, model_id: str) -> Threat:
    acc = t.get("acceptance")
    acceptance = None
    if isinstance(acc, dict):
        acceptance = Acceptance(_text(acc.get("by")), parse_date(acc.get("date")),
                                parse_date(acc.get("expires")), _text(acc.get("rationale")))
    listed = t.get("hurts")
    hurts = [Hurt(h["asset"], [c for c in _texts(h.get("cia")) if c in "CIA"])
             for h in (listed if isinstance(listed, list) else [])
             if isinstance(h, dict) and isinstance(h.get("asset"), str)]
    per_target = {
        key: TargetDetail(key, _text(d.get("status")), _text(d.get("likelihood")),
                          _text(d.get("impact")), _text(d.get("ticket")),
                          _texts(d.get("mitigations")), _text(d.get("rationale")))
        for key, d in _map(t.get("per_target")).items()
        if isinstance(key, str) and isinstance(d, dict)}
    return Threat(
        id=t["id"], title=_text(t.get("title")) or "",
        stride=[s for s in _texts(t.get("stride")) if s in STRIDE_NAMES],
        targets=_texts(t.get("targets")), story=_text(t.get("story")),
        likelihood=_text(t.get("likelihood")), impact=_text(t.get("impact")),
        status=_text(t.get("status")) or "open",
        owner=_text(t.get("owner")) or owner, ticket=_text(t.get("ticket")),
        mitigation=_text(t.get("mitigation")), tests=_texts(t.get("tests")),
        acceptance=acceptance, rationale=_text(t.get("rationale")),
        references=_texts(t.get("references")), path=path, model_id=model_id,
        mitigations=_texts(t.get("mitigations")), assumptions=_texts(t.get("assumptions")),
        hurts=hurts, per_target=per_target, severity=_text(t.get("severity")),
        severity_reason=_text(t.get("severity_reason")), cvss=_text(t.get("cvss")),
        tags=_texts(t.get("tags")))
