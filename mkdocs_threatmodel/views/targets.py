"""Threats counted per target: a threat that gives some of its targets their own status or
rating (``per_target``) counts once on each target; any other threat counts once."""

from __future__ import annotations

from ..format.model import Model, TargetView, Threat
from .badges import risk_of


def whole(threat: Threat) -> TargetView:
    """The threat as one entry, with its own status and rating (``target`` is empty)."""
    return TargetView(threat, "", threat.status, threat.likelihood, threat.impact,
                      threat.ticket, threat.mitigations, risk_of(threat))


def entries(threat: Threat) -> list[TargetView]:
    """One entry per target when the threat has per-target detail, else the whole threat."""
    targets = list(dict.fromkeys(threat.targets))
    if not threat.per_target or not targets:
        return [whole(threat)]
    return [threat.on(target) for target in targets]


def name_of(model: Model, target: str) -> tuple[str, str]:
    """A target's name and the anchor prefix of its row (``element-`` or ``flow-``; empty
    for an unknown id)."""
    element = model.element(target)
    if element is not None:
        return element.name, "element-"
    flow = next((f for f in model.flows if f.id == target), None)
    if flow is not None:
        return flow.label or flow.id, "flow-"
    return target, ""
