"""A model as read from another tool, before it becomes a Markdown model.

Importers (:mod:`.otm_import`, :mod:`.threat_dragon_import`, :mod:`.pytm_import`,
:mod:`.threagile_import`, :mod:`.threat_composer_import`) fill a :class:`Draft`; :mod:`.importer`
turns it into front matter that validates. Keys are the importer's own unique keys for
each entry; ``source_id`` is the id the other tool used (kept in the id table).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DraftAsset:
    key: str
    name: str
    impact: str | None = None
    description: str | None = None
    source_id: str | None = None
    classification: str | None = None
    confidentiality: str | None = None
    integrity: str | None = None
    availability: str | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # plain keys of the format (see .extras)


@dataclass
class DraftBoundary:
    key: str
    name: str
    inside: str | None = None
    description: str | None = None
    source_id: str | None = None
    kind: str | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class DraftElement:
    key: str
    name: str
    type: str  # external | process | store
    boundary: str | None = None
    assets: list[str] = field(default_factory=list)
    description: str | None = None
    source_id: str | None = None
    technology: str | None = None
    internet_facing: bool = False
    third_party: bool = False
    owner: str | None = None
    out_of_scope: str | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class DraftFlow:
    key: str
    source: str
    target: str
    label: str | None = None
    protocol: str | None = None
    auth: str | None = None
    data: list[str] = field(default_factory=list)
    description: str | None = None
    source_id: str | None = None
    returns: list[str] = field(default_factory=list)
    encrypted: bool | None = None
    authentication: str | None = None
    authorization: str | None = None
    tags: list[str] = field(default_factory=list)
    also_source_ids: list[str] = field(default_factory=list)  # a merged response's id
    extra: dict = field(default_factory=dict)


@dataclass
class DraftThreat:
    """A threat: its letters per target (letters of a target need not apply to it yet)."""

    key: str | None
    title: str
    placements: list[tuple[str, list[str]]]
    status: str = "open"
    story: str | None = None
    likelihood: str | None = None
    impact: str | None = None
    owner: str | None = None
    ticket: str | None = None
    mitigation: str | None = None
    tests: list[str] = field(default_factory=list)
    acceptance: dict | None = None
    rationale: str | None = None
    references: list[str] = field(default_factory=list)
    letters: list[str] = field(default_factory=list)  # for a threat without targets
    target_order: list[str] = field(default_factory=list)  # source ids, as the source lists
    facts: list[str] = field(default_factory=list)  # what the source said, for the story
    source_id: str | None = None
    source_status: str | None = None
    per_target: dict[str, dict] = field(default_factory=dict)  # draft target key -> detail
    mitigations: list[str] = field(default_factory=list)  # draft mitigation keys
    assumptions: list[str] = field(default_factory=list)  # draft assumption keys
    hurts: list[dict] = field(default_factory=list)  # {"asset": draft key, "cia": [...]}
    severity: str | None = None
    severity_reason: str | None = None
    cvss: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class DraftMitigation:
    """A control as a record; threats cite it by its key."""

    key: str
    title: str
    status: str = "planned"
    description: str | None = None
    owner: str | None = None
    ticket: str | None = None
    tags: list[str] = field(default_factory=list)
    source_id: str | None = None
    tests: list[str] = field(default_factory=list)


@dataclass
class DraftAssumption:
    """Something the source takes as given; threats rest on it by its key."""

    key: str
    text: str
    status: str = "assumed"
    owner: str | None = None
    tags: list[str] = field(default_factory=list)
    source_id: str | None = None
    revisit: str | None = None  # YYYY-MM-DD


@dataclass
class Draft:
    """A whole imported model."""

    tool: str  # "Threat Dragon", "Open Threat Model"
    format: str  # "threat-dragon", "otm"
    title: str
    model_id: str | None = None
    owner: str | None = None
    status: str = "draft"
    reviewed: dict | None = None
    review_every: str | None = None
    covers: list[str] = field(default_factory=list)
    adrs: list[str] = field(default_factory=list)
    scope: dict | None = None
    description: str | None = None
    notes: list[str] = field(default_factory=list)
    assets: list[DraftAsset] = field(default_factory=list)
    boundaries: list[DraftBoundary] = field(default_factory=list)
    elements: list[DraftElement] = field(default_factory=list)
    flows: list[DraftFlow] = field(default_factory=list)
    threats: list[DraftThreat] = field(default_factory=list)
    mitigations: list[DraftMitigation] = field(default_factory=list)
    assumptions: list[DraftAssumption] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, Markdown)
    unmapped: list[str] = field(default_factory=list)  # what could not be mapped, and why
    tags: list[str] = field(default_factory=list)

    def restore_own_fields(self, extras: dict) -> None:
        """Take back what our own export kept aside: status, review, covers, ADRs, scope,
        tags and the assumptions (keyed ``s:<id>``)."""
        from ..format.dates import parse_duration
        from ..format.spec import MODEL_STATUSES
        from .common import items, mapping, text, texts

        if extras.get("status") in MODEL_STATUSES:
            self.status = extras["status"]
        reviewed = mapping(extras.get("reviewed"))
        if text(reviewed.get("date")):
            self.reviewed = {k: text(reviewed.get(k)) for k in ("date", "by")
                             if text(reviewed.get(k))}
        self.review_every = text(extras.get("review_every")) \
            if parse_duration(extras.get("review_every")) else None
        self.covers, self.adrs = texts(extras.get("covers")), texts(extras.get("adrs"))
        scope = mapping(extras.get("scope"))
        self.scope = {"in": texts(scope.get("in")), "out": texts(scope.get("out"))}
        self.tags = texts(extras.get("tags"))
        for a in items(extras.get("assumptions")):
            a = mapping(a)
            if text(a.get("id")) and (said := text(a.get("text"))):
                self.assumptions.append(DraftAssumption(
                    f"s:{a['id']}", said, text(a.get("status")) or "assumed",
                    text(a.get("owner")), texts(a.get("tags")), a["id"],
                    revisit=text(a.get("revisit"))))
