"""Read an AWS Threat Composer export (``.tc.json``, schema 1) into a :class:`Draft`.

Threat Composer writes threats as sentences of its grammar, with no diagram element: every
threat comes in *unplaced* (``targets: []``), which the page lists and ``validate --strict``
flags (TM218); nothing guesses a placement. Each threat's statement is its title; the parts
of the grammar are lines of its story (:data:`PARTS`, read back by the export); its impacted
assets become assets, and with the impacted goals what the threat ``hurts``. Priority is an
explicit severity, STRIDE metadata the letters, tags stay tags. Mitigations and assumptions
are records, linked as Threat Composer links them; an assumption linked to a mitigation is a
``threat-composer:assumption=ID`` tag of the mitigation (the format links assumptions to
threats only). The application, architecture and data flow descriptions are the body.
"""

from __future__ import annotations

from typing import Any

from ..format.spec import STRIDE
from .common import entries, mapping, need, text, texts
from .draft import Draft, DraftAsset, DraftAssumption, DraftMitigation, DraftThreat

# The grammar's parts, in the order Threat Composer reads them, as story line labels.
PARTS = (("threatSource", "Threat source"), ("prerequisites", "Prerequisites"),
         ("threatAction", "Threat action"), ("threatImpact", "Threat impact"),
         ("impactedGoal", "Impacted goal"), ("impactedAssets", "Impacted assets"))
PRIORITY = "Priority"  # a story line too: the severity waits for a ticket when high
COMMENTS = "Comments:"  # the story's last part: Threat Composer's comments
ASSUMPTION_COMMENTS = "\n\nComments (Threat Composer): "
LIST_SEPARATOR = "; "
THREAT_STATUSES = {"threatIdentified": "open", "threatResolved": "mitigated",
                   "threatResolvedNotUseful": "not-applicable"}
MITIGATION_STATUSES = {"mitigationIdentified": "planned", "mitigationInProgress": "in-progress",
                       "mitigationResolved": "implemented",
                       "mitigationResolvedWillNotAction": "planned"}
WILL_NOT_ACTION = "threat-composer:will-not-action"
RESOLVED = "threat-composer:resolved"  # resolved there, mitigating here (TM410)
LINK_TAG = "threat-composer:assumption="
PRIORITIES = {"high": "high", "medium": "medium", "low": "low"}
GOALS = {"confidentiality": "C", "integrity": "I", "availability": "A"}


def detect(data: Any) -> bool:
    """Whether parsed data looks like a Threat Composer export."""
    return isinstance(data, dict) and "schema" in data and (
        "applicationInfo" in data or "threats" in data and "mitigationLinks" in data)


_WHAT = "a Threat Composer export"


def _need(cond: bool, path: str, message: str) -> None:
    need(cond, path, _WHAT, message)


def _entries(data: dict, key: str, path: str, fields: tuple[str, ...]) -> list[dict]:
    return entries(data, key, path, _WHAT, fields)


def _metadata(entry: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    items = entry.get("metadata")
    for item in items if isinstance(items, list) else []:
        item = mapping(item)
        if isinstance(item.get("key"), str):
            out[item["key"]] = item.get("value")
    return out


def from_threat_composer(data: Any, path: str) -> Draft:
    """A draft model from a Threat Composer export; raises :class:`InputError` on a broken
    one."""
    _need(isinstance(data, dict), path, "the top level must be a mapping")
    _need(data.get("schema") == 1, path, "'schema' must be 1")
    threats = _entries(data, "threats", path, ("id", "statement"))
    mitigations = _entries(data, "mitigations", path, ("id", "content"))
    assumptions = _entries(data, "assumptions", path, ("id", "content"))
    m_links = _entries(data, "mitigationLinks", path, ("mitigationId", "linkedId"))
    a_links = _entries(data, "assumptionLinks", path, ("assumptionId", "linkedId"))
    info = mapping(data.get("applicationInfo"))
    d = Draft(tool="Threat Composer", format="threat-composer",
              title=text(info.get("name")) or "Threat Composer workspace")
    for heading, key in (("Application", "applicationInfo"), ("Architecture", "architecture"),
                         ("Data flow", "dataflow")):
        part = mapping(data.get(key))
        if text(part.get("description")):
            d.sections.append((heading, part["description"]))
        if text(part.get("image")):
            d.unmapped.append(f"The {heading.lower()} diagram ({len(part['image']) // 1024} "
                              "KB image): the model draws its own diagram from elements and "
                              "flows, which Threat Composer does not have.")
    for a in assumptions:
        comments = text(_metadata(a).get("Comments"))
        d.assumptions.append(DraftAssumption(
            f"a:{a['id']}", a["content"] + (ASSUMPTION_COMMENTS + comments if comments else ""),
            tags=texts(a.get("tags")), source_id=a["id"]))
    for m in mitigations:
        status = str(m.get("status") or "mitigationIdentified")
        tags = texts(m.get("tags"))
        if status == "mitigationResolvedWillNotAction":
            tags.append(WILL_NOT_ACTION)
        tags += [f"{LINK_TAG}{link['assumptionId']}" for link in a_links
                 if link["linkedId"] == m["id"] and link.get("type") == "Mitigation"]
        d.mitigations.append(DraftMitigation(
            f"m:{m['id']}", m["content"], MITIGATION_STATUSES.get(status, "planned"),
            text(_metadata(m).get("Comments")), tags=tags, source_id=m["id"]))
    known = {x["id"] for x in threats}
    linked = {x["id"] for x in mitigations} | {x["id"] for x in assumptions}
    for link in m_links + a_links:
        for end in (link["linkedId"], link.get("mitigationId") or link.get("assumptionId")):
            if end not in known and end not in linked:
                d.unmapped.append(f"A link names '{end}', which the export does not hold: "
                                  "left out.")
    assets: dict[str, str] = {}
    done = {m.key for m in d.mitigations if m.status == "implemented"}
    for t in threats:
        threat = _threat(t, d, assets, m_links, a_links)
        if threat.status == "mitigated" and any(m not in done for m in threat.mitigations
                                                if m in {x.key for x in d.mitigations}):
            threat.status = "mitigating"  # TM410: its controls are not all in place
            threat.tags.append(RESOLVED)
            d.notes.append(f"Threat '{t['id']}' is resolved in Threat Composer while some of "
                           "its mitigations are not: it is mitigating here (an export gives "
                           "Threat Composer its status back).")
        d.threats.append(threat)
    if threats:
        d.notes.append(f"Threat Composer names no diagram element: the {len(threats)} "
                       "threat(s) are unplaced (no targets). Place each on the elements and "
                       "flows it is about once the model has them; `threatmodel validate "
                       "--strict` lists those still unplaced (TM218).")
    d.unmapped.append("Threat Composer's numeric ids and display order (`numericId`, "
                      "`displayOrder`): threats, mitigations and assumptions keep their order "
                      "here, and an export numbers them again.")
    return d


def _threat(t: dict, d: Draft, assets: dict[str, str], m_links: list[dict],
            a_links: list[dict]) -> DraftThreat:
    meta = _metadata(t)
    lines = []
    for key, label in PARTS:
        value = t.get(key)
        shown = LIST_SEPARATOR.join(texts(value)) if isinstance(value, list) else text(value)
        if shown:
            lines.append(f"{label}: {' '.join(shown.splitlines())}")
    priority = PRIORITIES.get(str(meta.get("Priority") or "").lower())
    if priority:
        lines.append(f"{PRIORITY}: {meta['Priority']}")
    story = "\n".join(lines)
    comments = text(meta.get("Comments"))
    if comments:
        story = f"{story}\n\n{COMMENTS}\n{comments}" if story else f"{COMMENTS}\n{comments}"
    cia = [GOALS[g.lower()] for g in texts(t.get("impactedGoal")) if g.lower() in GOALS]
    hurts = []
    for name in texts(t.get("impactedAssets")):
        asset_key = assets.get(name.lower())
        if asset_key is None:
            asset_key = assets[name.lower()] = f"asset:{name.lower()}"
            d.assets.append(DraftAsset(asset_key, name, description="An impacted asset named "
                                       "by Threat Composer threats."))
        hurts.append({"asset": asset_key, "cia": cia})
    letters = [x for x in dict.fromkeys(texts(meta.get("STRIDE"))) if x in STRIDE]
    status = str(t.get("status") or "threatIdentified")
    if priority in ("high", "critical") and THREAT_STATUSES.get(status, "open") == "open":
        priority = None  # an open threat of that severity needs a ticket first (TM402)
    custom = {k: v for k, v in meta.items() if k not in ("STRIDE", "Priority", "Comments")}
    if custom:
        d.unmapped.append(f"Custom metadata of threat '{t['id']}' ("
                          + ", ".join(f"{k}: {v}" for k, v in custom.items()) + ").")
    return DraftThreat(
        key=f"t:{t['id']}", title=t["statement"], placements=[], status=THREAT_STATUSES.get(
            status, "open"), story=story or None, letters=letters, source_id=t["id"],
        rationale="Threat Composer marks it resolved as not useful."
        if status == "threatResolvedNotUseful" else None,
        mitigations=[f"m:{x['mitigationId']}" for x in m_links if x["linkedId"] == t["id"]],
        assumptions=[f"a:{x['assumptionId']}" for x in a_links
                     if x["linkedId"] == t["id"] and x.get("type", "Threat") == "Threat"],
        hurts=hurts, severity=priority,
        severity_reason="The priority Threat Composer gives it." if priority else None,
        tags=texts(t.get("tags")))
