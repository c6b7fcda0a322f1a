"""The model format, defined once: the validator, the JSON Schema and the field
reference are all made from these declarations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DURATION_PATTERN = r"^[1-9][0-9]*[dw]$"

LEVELS = ("low", "medium", "high", "critical")
MODEL_STATUSES = ("draft", "active", "retired")
ELEMENT_TYPES = ("external", "process", "store")
THREAT_STATUSES = ("open", "mitigating", "mitigated", "accepted", "transferred", "not-applicable")
OPEN_STATUSES = THREAT_STATUSES[:2]  # the threats still to be dealt with
TARGET_NAMES = {"external": "external entity", "process": "process", "store": "data store",
                "flow": "data flow"}  # what a threat's target is, in words
ACCEPTANCE_WARNING_DAYS = 30  # an acceptance expiring this soon is flagged (TM405)
STRIDE = ("S", "T", "R", "I", "D", "E")


@dataclass(frozen=True)
class Type:
    """A value type of the format."""

    name: str  # text, id, date, duration, enum, version, list, object
    values: tuple = ()
    item: Type | None = None
    fields: dict[str, Field] = field(default_factory=dict)

    def describe(self) -> str:
        if self.name == "enum":
            return ", ".join(f"`{v}`" for v in self.values)
        if self.name == "list":
            return f"list of {self.item.describe() if self.item.name != 'object' else 'mappings'}"
        if self.name == "object":
            return "mapping"
        return {"text": "text", "id": "id (slug)", "date": "date (YYYY-MM-DD)",
                "duration": "duration (Nd or Nw)", "version": "integer (1)"}[self.name]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, whether it is required, its default and meaning."""

    type: Type
    doc: str
    required: bool = False
    default: Any = None


TEXT, ID, DATE, DURATION = Type("text"), Type("id"), Type("date"), Type("duration")


def enum(*values: str) -> Type:
    return Type("enum", values=values)


def list_of(item: Type) -> Type:
    return Type("list", item=item)


def obj(**fields: Field) -> Type:
    return Type("object", fields={k.rstrip("_"): v for k, v in fields.items()})


LEVEL = enum(*LEVELS)

ASSET = obj(
    id=Field(ID, "Asset id, unique in the model.", required=True),
    name=Field(TEXT, "Human name of the asset.", required=True),
    impact=Field(LEVEL, "Impact if the asset is compromised; ranks assets."),
    description=Field(TEXT, "What the asset is and why it matters."),
)
BOUNDARY = obj(
    id=Field(ID, "Boundary id, unique in the model.", required=True),
    name=Field(TEXT, "Human name of the trust boundary.", required=True),
    inside=Field(ID, "Id of the boundary that contains this one (nesting)."),
    description=Field(TEXT, "What changes at this boundary."),
)
ELEMENT = obj(
    id=Field(ID, "Element id, unique in the model.", required=True),
    name=Field(TEXT, "Human name shown in the diagram.", required=True),
    type=Field(enum(*ELEMENT_TYPES), "external entity, process or data store.", required=True),
    boundary=Field(ID, "Id of the innermost trust boundary the element sits in; none means "
                   "outside every boundary."),
    assets=Field(list_of(ID), "Ids of assets the element holds or handles.", default=[]),
    description=Field(TEXT, "What the element is."),
)
FLOW = obj(
    id=Field(ID, "Flow id, unique in the model.", required=True),
    from_=Field(ID, "Id of the element the data leaves.", required=True),
    to=Field(ID, "Id of the element the data reaches.", required=True),
    label=Field(TEXT, "Arrow label, such as 'GET /orders/{id}'."),
    protocol=Field(TEXT, "Transport, such as HTTPS or AMQP."),
    auth=Field(TEXT, "How the sender is authenticated ('none' when it is not)."),
    data=Field(list_of(ID), "Ids of assets the flow carries.", default=[]),
    description=Field(TEXT, "What the flow is for."),
)
ACCEPTANCE = obj(
    by=Field(TEXT, "Who accepted the residual risk."),
    date=Field(DATE, "When the risk was accepted."),
    expires=Field(DATE, "When the acceptance lapses and must be renewed."),
    rationale=Field(TEXT, "Why the risk is acceptable."),
)
THREAT = obj(
    id=Field(ID, "Threat id, unique in the repository; tickets and tests cite it.",
             required=True),
    title=Field(TEXT, "One line naming the threat.", required=True),
    stride=Field(list_of(enum(*STRIDE)), "STRIDE letters: S T R I D E.", required=True),
    targets=Field(list_of(ID), "Ids of the elements or flows the threat is about.",
                  required=True),
    story=Field(TEXT, "The abuse story, in the attacker's words."),
    likelihood=Field(LEVEL, "How likely the attack is."),
    impact=Field(LEVEL, "How bad it is if it succeeds."),
    status=Field(enum(*THREAT_STATUSES), "Where the threat stands.", default="open"),
    owner=Field(TEXT, "Who owns the threat.", default="the model's owner"),
    ticket=Field(TEXT, "Tracker id (HC-142) or URL."),
    mitigation=Field(TEXT, "What was or will be done about it."),
    tests=Field(list_of(TEXT), "Repository paths of tests that prove the mitigation; each "
                "should mention the threat id.", default=[]),
    acceptance=Field(ACCEPTANCE, "Signed-off residual risk, for status 'accepted'."),
    rationale=Field(TEXT, "Why the threat does not apply, for status 'not-applicable'."),
    references=Field(list_of(TEXT), "Links: CWE, CAPEC, advisories.", default=[]),
)
REVIEW = obj(
    date=Field(DATE, "Date of the last review.", required=True),
    by=Field(TEXT, "Who reviewed."),
)
SCOPE = obj(
    in_=Field(list_of(TEXT), "What the model covers.", default=[]),
    out=Field(list_of(TEXT), "Neighbours deliberately left out.", default=[]),
)
MODEL = obj(
    threatmodel=Field(Type("version"), "Format version; must be 1.", required=True),
    id=Field(ID, "Model id, unique in the repository.", required=True),
    title=Field(TEXT, "Title of the model.", required=True),
    owner=Field(TEXT, "Default owner of the model's threats."),
    status=Field(enum(*MODEL_STATUSES), "Lifecycle of the model.", default="active"),
    reviewed=Field(REVIEW, "The last recorded review."),
    review_every=Field(DURATION, "How often the model must be reviewed, e.g. 180d or 26w."),
    covers=Field(list_of(TEXT), "Git-style globs of repository paths the model describes.",
                 default=[]),
    adrs=Field(list_of(TEXT), "ADR files the model rests on, relative to the model file.",
               default=[]),
    scope=Field(SCOPE, "What is in and out of scope."),
    assets=Field(list_of(ASSET), "What is worth protecting.", default=[]),
    boundaries=Field(list_of(BOUNDARY), "Trust boundaries, nested with 'inside'.", default=[]),
    elements=Field(list_of(ELEMENT), "External entities, processes and data stores.",
                   default=[]),
    flows=Field(list_of(FLOW), "Data flows between elements.", default=[]),
    threats=Field(list_of(THREAT), "STRIDE threats.", default=[]),
)


def json_schema() -> dict:
    """The format as a JSON Schema (draft-07) of the front matter."""
    schema = _schema(MODEL)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://mkdocs-threatmodel.invalid/schema/threatmodel-1.json",
        "title": "Threat model front matter (format 1)",
        **schema,
    }


def _schema(t: Type) -> dict:
    if t.name == "text":
        return {"type": "string"}
    if t.name == "id":
        return {"type": "string", "pattern": ID_PATTERN}
    if t.name == "date":
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    if t.name == "duration":
        return {"type": "string", "pattern": DURATION_PATTERN}
    if t.name == "version":
        return {"type": "integer", "const": FORMAT_VERSION}
    if t.name == "enum":
        return {"type": "string", "enum": list(t.values)}
    if t.name == "list":
        return {"type": "array", "items": _schema(t.item)}
    properties = {}
    for name, f in t.fields.items():
        prop = {"description": f.doc, **_schema(f.type)}
        if f.default is not None and f.default != "the model's owner":
            prop["default"] = f.default
        properties[name] = prop
    required = [name for name, f in t.fields.items() if f.required]
    out: dict[str, Any] = {"type": "object", "properties": properties,
                           "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def field_reference() -> str:
    """Markdown tables documenting every field, its type, default and meaning."""
    sections = [("Model (front matter)", MODEL), ("reviewed", REVIEW), ("scope", SCOPE),
                ("assets[]", ASSET), ("boundaries[]", BOUNDARY), ("elements[]", ELEMENT),
                ("flows[]", FLOW), ("threats[]", THREAT), ("threats[].acceptance", ACCEPTANCE)]
    out = []
    for title, t in sections:
        out += [f"### {title}", "", "| key | type | required | default | meaning |",
                "|---|---|---|---|---|"]
        for name, f in t.fields.items():
            default = "" if f.default is None else f"`{f.default}`" if f.default != [] else "`[]`"
            out.append(f"| `{name}` | {f.type.describe()} | {'yes' if f.required else ''} "
                       f"| {default} | {f.doc} |")
        out.append("")
    return "\n".join(out)
