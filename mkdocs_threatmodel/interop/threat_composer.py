"""Write a model as an AWS Threat Composer export (``.tc.json``, schema 1).

So that a team can keep running workshops in Threat Composer's UI. Ids come back from the
id table a Threat Composer import wrote (others get a UUID made from the model and entry
ids, the same on every export); a threat's title is its statement and the grammar parts are
read back from its story lines (:data:`.threat_composer_import.PARTS`); STRIDE letters,
priority (the explicit severity, else the ``Priority`` story line, else the risk band), tags,
status, mitigations, assumptions and their links all go back. Elements, flows, boundaries and
ratings have no place in Threat Composer and are left out (docs/interop.md).
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

from ..format.model import Model, Threat
from .ids import read_id_table
from .threat_composer_import import (
    ASSUMPTION_COMMENTS,
    COMMENTS,
    LINK_TAG,
    LIST_SEPARATOR,
    PARTS,
    PRIORITY,
    RESOLVED,
    WILL_NOT_ACTION,
)

THREAT_STATUSES = {"mitigated": "threatResolved", "accepted": "threatResolved",
                   "transferred": "threatResolved", "not-applicable": "threatResolvedNotUseful"}
MITIGATION_STATUSES = {"planned": "mitigationIdentified", "in-progress": "mitigationInProgress",
                       "implemented": "mitigationResolved", "verified": "mitigationResolved"}
SECTIONS = (("applicationInfo", "Application"), ("architecture", "Architecture"),
            ("dataflow", "Data flow"))
_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]!|~])")


def _unescape(value: str) -> str:
    """Undo :func:`.common.md_escape` on a section the import wrote."""
    return html.unescape(_UNESCAPE.sub(r"\1", value))


_NEXT = "|".join(re.escape(h) for _k, h in SECTIONS) + "|Import notes|Not mapped|Ids in "


def _section(body: str, heading: str) -> str | None:
    """A section the import wrote; it ends where the next of the import's own begins (its
    text may hold headings of its own)."""
    match = re.search(rf"^## {re.escape(heading)}\n\n(.*?)(?=^## (?:{_NEXT})|\Z)", body,
                      re.M | re.S)
    return _unescape(match[1].strip()) if match and match[1].strip() else None


class _Ids:
    def __init__(self, model: Model) -> None:
        self.table = read_id_table(model.source.body, "threat-composer")
        self.model_id = model.id

    def __call__(self, kind: str, our: str) -> str:
        return self.table.get(our) or str(uuid.uuid5(
            uuid.NAMESPACE_URL, f"mkdocs-threatmodel:{self.model_id}:{kind}:{our}"))


def _story_parts(story: str | None) -> tuple[dict[str, str], str | None]:
    """The grammar parts written as labelled lines, and the comments after them."""
    parts: dict[str, str] = {}
    if not story:
        return parts, None
    head, _sep, comments = story.partition(f"\n\n{COMMENTS}\n")
    if story.startswith(f"{COMMENTS}\n"):
        head, comments = "", story[len(COMMENTS) + 1:]
    labels = {label: key for key, label in PARTS} | {PRIORITY: PRIORITY}
    rest = []
    for line in head.split("\n"):
        label, sep, value = line.partition(": ")
        if sep and label in labels and labels[label] not in parts:
            parts[labels[label]] = value
        else:
            rest.append(line)
    other = "\n".join(rest).strip()
    return parts, "\n\n".join(x for x in (other, comments.strip()) if x) or None


def _priority(threat: Threat, parts: dict[str, str]) -> str | None:
    if threat.severity:
        return "High" if threat.severity in ("high", "critical") else threat.severity.title()
    if parts.get(PRIORITY) in ("High", "Medium", "Low"):
        return parts[PRIORITY]
    if threat.risk is not None:
        band = threat.risk.band
        return "High" if band in ("high", "critical") else band.title()
    return None


def to_threat_composer(model: Model) -> dict[str, Any]:
    """The model as a Threat Composer workspace export."""
    ids = _Ids(model)
    body = model.source.body
    out: dict[str, Any] = {"schema": 1}
    for key, heading in SECTIONS:
        described = _section(body, heading)
        if key == "applicationInfo":
            out[key] = {"name": model.title}
            if described:
                out[key]["description"] = described
        elif described:
            out[key] = {"description": described}
    assumptions, mitigations, threats = [], [], []
    a_links, m_links = [], []
    for n, a in enumerate(model.assumptions, 1):
        content, _sep, remarks = a.text.partition(ASSUMPTION_COMMENTS)
        entry: dict[str, Any] = {"id": ids("assumption", a.id), "numericId": n,
                                 "displayOrder": n, "content": content}
        if remarks:
            entry["metadata"] = [{"key": "Comments", "value": remarks}]
        if a.tags:
            entry["tags"] = list(a.tags)
        assumptions.append(entry)
    for n, m in enumerate(model.mitigations, 1):
        mid = ids("mitigation", m.id)
        status = MITIGATION_STATUSES.get(m.status, "mitigationIdentified")
        if WILL_NOT_ACTION in m.tags:
            status = "mitigationResolvedWillNotAction"
        entry = {"id": mid, "numericId": n, "displayOrder": n, "content": m.title,
                 "status": status}
        if m.description:
            entry["metadata"] = [{"key": "Comments", "value": m.description}]
        tags = [t for t in m.tags if t != WILL_NOT_ACTION and not t.startswith(LINK_TAG)]
        if tags:
            entry["tags"] = tags
        mitigations.append(entry)
        for tag in m.tags:
            if tag.startswith(LINK_TAG):
                a_links.append({"type": "Mitigation", "assumptionId": tag[len(LINK_TAG):],
                                "linkedId": mid})
    asset_names = {a.id: a.name for a in model.assets}
    for n, t in enumerate(model.threats, 1):
        tid = ids("threat", t.id)
        parts, comments = _story_parts(t.story)
        entry = {"id": tid, "numericId": n, "displayOrder": n}
        metadata: list[dict[str, Any]] = []
        priority = _priority(t, parts)
        if priority:
            metadata.append({"key": "Priority", "value": priority})
        if t.stride:
            metadata.append({"key": "STRIDE", "value": list(t.stride)})
        if comments:
            metadata.append({"key": "Comments", "value": comments})
        if metadata:
            entry["metadata"] = metadata
        tags = [x for x in t.tags if x != RESOLVED]
        if tags:
            entry["tags"] = tags
        for key, _label in PARTS:
            if key in parts:
                value = parts[key]
                entry[key] = value.split(LIST_SEPARATOR) if key.startswith("impacted") \
                    else value
        if "impactedGoal" not in entry:
            goals = {"C": "confidentiality", "I": "integrity", "A": "availability"}
            entry["impactedGoal"] = list(dict.fromkeys(goals[c] for h in t.hurts
                                                       for c in h.cia))
        if "impactedAssets" not in entry:
            entry["impactedAssets"] = [asset_names.get(h.asset, h.asset) for h in t.hurts]
        entry["statement"] = t.title
        entry["status"] = THREAT_STATUSES.get(t.status, "threatIdentified")
        if RESOLVED in t.tags and t.status in ("mitigating", "mitigated"):
            entry["status"] = "threatResolved"
        threats.append(entry)
        cited = list(t.mitigations) + [m for d in t.per_target.values() for m in d.mitigations]
        m_links += [{"mitigationId": ids("mitigation", m), "linkedId": tid}
                    for m in dict.fromkeys(cited)]
        a_links += [{"type": "Threat", "assumptionId": ids("assumption", a), "linkedId": tid}
                    for a in t.assumptions]
    out.update(assumptions=assumptions, mitigations=mitigations, assumptionLinks=a_links,
               mitigationLinks=m_links, threats=threats)
    return out
