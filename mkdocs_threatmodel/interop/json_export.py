"""``export --to json``: the whole typed model as JSON (format version 1, documented in the
README). Defaults are filled in (a threat's owner is the model's when it names none) and
each threat carries its computed risk; nothing else is derived."""

from __future__ import annotations

from typing import Any

from ..format.model import Model, Threat

JSON_VERSION = 1


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _threat(threat: Threat) -> dict[str, Any]:
    risk = threat.risk
    acceptance = None
    if threat.acceptance is not None:
        a = threat.acceptance
        acceptance = {"by": a.by, "date": _date(a.date), "expires": _date(a.expires),
                      "rationale": a.rationale}
    return {
        "id": threat.id, "title": threat.title, "stride": list(threat.stride),
        "targets": list(threat.targets), "story": threat.story,
        "likelihood": threat.likelihood, "impact": threat.impact,
        "risk": {"score": risk.score, "band": risk.band} if risk else None,
        "status": threat.status, "owner": threat.owner, "ticket": threat.ticket,
        "mitigation": threat.mitigation, "tests": list(threat.tests),
        "acceptance": acceptance, "rationale": threat.rationale,
        "references": list(threat.references),
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
        "assets": [{"id": a.id, "name": a.name, "impact": a.impact,
                    "description": a.description} for a in model.assets],
        "boundaries": [{"id": b.id, "name": b.name, "inside": b.inside,
                        "description": b.description} for b in model.boundaries],
        "elements": [{"id": e.id, "name": e.name, "type": e.type, "boundary": e.boundary,
                      "assets": list(e.assets), "description": e.description}
                     for e in model.elements],
        "flows": [{"id": f.id, "from": f.source, "to": f.target, "label": f.label,
                   "protocol": f.protocol, "auth": f.auth, "data": list(f.data),
                   "description": f.description,
                   "crosses_boundary": model.crosses_boundary(f)} for f in model.flows],
        "threats": [_threat(t) for t in model.threats],
        "body": model.source.body,
    }
