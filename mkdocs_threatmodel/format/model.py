"""The typed model: what a front matter means, once read.

Building is lenient: entries the schema check rejected are skipped or left
empty, so that later checks and views still see everything that is usable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .risk import Risk, rate
from .source import SourceFile
from .spec import OPEN_STATUSES

STRIDE_NAMES = {"S": "Spoofing", "T": "Tampering", "R": "Repudiation",
                "I": "Information disclosure", "D": "Denial of service",
                "E": "Elevation of privilege"}
APPLICABLE = {"external": "SR", "process": "STRIDE", "store": "TRID", "flow": "TID"}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def parse_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` text as a date, or ``None``."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_duration(value: Any) -> int | None:
    """``180d`` or ``26w`` as a number of days, or ``None``."""
    if isinstance(value, str):
        match = re.fullmatch(r"([1-9]\d*)([dw])", value)
        if match:
            return int(match[1]) * (7 if match[2] == "w" else 1)
    return None


@dataclass
class Asset:
    id: str
    name: str
    impact: str | None
    description: str | None
    path: tuple


@dataclass
class Boundary:
    id: str
    name: str
    inside: str | None
    description: str | None
    path: tuple


@dataclass
class Element:
    id: str
    name: str
    type: str | None
    boundary: str | None
    assets: list[str]
    description: str | None
    path: tuple


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

    @property
    def risk(self) -> Risk | None:
        return rate(self.likelihood, self.impact)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


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
    for path, a in _entries(data, "assets"):
        model.assets.append(Asset(a["id"], _text(a.get("name")) or a["id"],
                                  _text(a.get("impact")), _text(a.get("description")), path))
    for path, b in _entries(data, "boundaries"):
        model.boundaries.append(Boundary(b["id"], _text(b.get("name")) or b["id"],
                                         _text(b.get("inside")), _text(b.get("description")), path))
    for path, e in _entries(data, "elements"):
        model.elements.append(Element(e["id"], _text(e.get("name")) or e["id"],
                                      _text(e.get("type")), _text(e.get("boundary")),
                                      _texts(e.get("assets")), _text(e.get("description")), path))
    for path, f in _entries(data, "flows"):
        model.flows.append(Flow(f["id"], _text(f.get("from")), _text(f.get("to")),
                                _text(f.get("label")), _text(f.get("protocol")),
                                _text(f.get("auth")), _texts(f.get("data")),
                                _text(f.get("description")), path))
    for path, t in _entries(data, "threats"):
        acc = t.get("acceptance")
        acceptance = None
        if isinstance(acc, dict):
            acceptance = Acceptance(_text(acc.get("by")), parse_date(acc.get("date")),
                                    parse_date(acc.get("expires")), _text(acc.get("rationale")))
        model.threats.append(Threat(
            id=t["id"], title=_text(t.get("title")) or "",
            stride=[s for s in _texts(t.get("stride")) if s in STRIDE_NAMES],
            targets=_texts(t.get("targets")), story=_text(t.get("story")),
            likelihood=_text(t.get("likelihood")), impact=_text(t.get("impact")),
            status=_text(t.get("status")) or "open",
            owner=_text(t.get("owner")) or owner, ticket=_text(t.get("ticket")),
            mitigation=_text(t.get("mitigation")), tests=_texts(t.get("tests")),
            acceptance=acceptance, rationale=_text(t.get("rationale")),
            references=_texts(t.get("references")), path=path, model_id=model.id))
    return model
