"""``export --to json``: the whole typed model as JSON (format version 1, documented in the
README; new keys may be added). Defaults are filled in (a threat's owner is the model's when it
names none) and a few facts are computed: each threat's risk (its explicit severity when it
has one), its standing on each target (per-target detail applied), the base score of its CVSS
vector, and whether each flow is encrypted and crosses a boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..format.model import Model, Threat

if TYPE_CHECKING:
    import datetime as dt

    from ..format.risk import Risk

JSON_VERSION = 1


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _risk(risk: Risk | None) -> dict[str, Any] | None:
    return {"score": risk.score, "band": risk.band} if risk else None


def _cvss(vector: str | None) -> dict[str, Any] | None:
    """The vector's version, base score and severity (``error`` when it does not parse)."""
    if vector is None:
        return None
    from ..format.cvss_vector import score

    try:
        parsed = score(vector)
    except ValueError as exc:
        return {"vector": vector, "error": str(exc)}
    return {"vector": vector, "version": parsed.version, "base_score": parsed.base_score,
            "severity": parsed.severity}


def _threat(threat: Threat) -> dict[str, Any]:
    acceptance = None
    if threat.acceptance is not None:
        a = threat.acceptance
        acceptance = {"by": a.by, "date": _date(a.date), "expires": _date(a.expires),
                      "rationale": a.rationale}
    per_target = {t: {"status": d.status, "likelihood": d.likelihood, "impact": d.impact,
                      "ticket": d.ticket, "mitigations": list(d.mitigations),
                      "rationale": d.rationale} for t, d in threat.per_target.items()}
    on_targets = []
    for target in threat.targets:
        view = threat.on(target)
        on_targets.append({"target": target, "status": view.status,
                           "likelihood": view.likelihood, "impact": view.impact,
                           "risk": _risk(view.risk), "ticket": view.ticket,
                           "mitigations": list(view.mitigations)})
    return {
        "id": threat.id, "title": threat.title, "stride": list(threat.stride),
        "targets": list(threat.targets), "story": threat.story,
        "likelihood": threat.likelihood, "impact": threat.impact,
        "severity": threat.severity, "severity_reason": threat.severity_reason,
        "risk": _risk(threat.risk), "cvss": _cvss(threat.cvss),
        "status": threat.status, "untriaged": threat.is_untriaged, "owner": threat.owner,
        "ticket": threat.ticket, "mitigation": threat.mitigation,
        "mitigations": list(threat.mitigations), "assumptions": list(threat.assumptions),
        "hurts": [{"asset": h.asset, "cia": list(h.cia)} for h in threat.hurts],
        "per_target": per_target, "on_targets": on_targets,
        "tests": list(threat.tests), "acceptance": acceptance, "rationale": threat.rationale,
        "references": list(threat.references), "tags": list(threat.tags),
    }


def model_to_json(model: Model) -> dict[str, Any]:
    """The typed model as plain JSON data."""
    review = None
    if model.reviewed_date is not None:
        review = {"date": _date(model.reviewed_date), "by": model.reviewed_by}
    return {
        "version": JSON_VERSION,
        "path": model.path,
        "id": model.id, "title": model.title, "owner": model.owner, "status": model.status,
        "reviewed": review, "review_every_days": model.review_every,
        "covers": list(model.covers), "adrs": list(model.adrs),
        "scope": {"in": list(model.scope_in), "out": list(model.scope_out)},
        "tags": list(model.tags),
        "assets": [{"id": a.id, "name": a.name, "impact": a.impact,
                    "description": a.description, "classification": a.classification,
                    "confidentiality": a.confidentiality, "integrity": a.integrity,
                    "availability": a.availability, "tags": list(a.tags)}
                   for a in model.assets],
        "boundaries": [{"id": b.id, "name": b.name, "inside": b.inside,
                        "description": b.description, "kind": b.kind, "tags": list(b.tags)}
                       for b in model.boundaries],
        "elements": [{"id": e.id, "name": e.name, "type": e.type, "boundary": e.boundary,
                      "assets": list(e.assets), "description": e.description,
                      "technology": e.technology, "internet_facing": e.internet_facing,
                      "third_party": e.third_party, "owner": e.owner,
                      "out_of_scope": e.out_of_scope, "tags": list(e.tags)}
                     for e in model.elements],
        "flows": [{"id": f.id, "from": f.source, "to": f.target, "label": f.label,
                   "protocol": f.protocol, "auth": f.auth, "data": list(f.data),
                   "returns": list(f.returns), "description": f.description,
                   "encrypted": f.encrypted, "authentication": f.authentication,
                   "authorization": f.authorization, "tags": list(f.tags),
                   "crosses_boundary": model.crosses_boundary(f),
                   "crosses_trust": model.crosses_trust(f)} for f in model.flows],
        "threats": [_threat(t) for t in model.threats],
        "mitigations": [{"id": m.id, "title": m.title, "status": m.status,
                         "implemented": m.implemented, "owner": m.owner, "ticket": m.ticket,
                         "tests": list(m.tests), "description": m.description,
                         "tags": list(m.tags),
                         "threats": [t.id for t in model.threats if m.id in t.mitigations
                                     or any(m.id in d.mitigations
                                            for d in t.per_target.values())]}
                        for m in model.mitigations],
        "assumptions": [{"id": a.id, "text": a.text, "owner": a.owner,
                         "revisit": _date(a.revisit), "status": a.status,
                         "tags": list(a.tags),
                         "threats": [t.id for t in model.threats if a.id in t.assumptions]}
                        for a in model.assumptions],
        "body": model.source.body,
    }
