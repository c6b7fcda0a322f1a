"""Suggestion checks (TM6xx): unaddressed suggestions and dismissals that match nothing."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings.finding import Finding
from ..format.model import Model
from ..suggest.engine import RULES, suggest
from .context import Context


def check_suggestions(model: Model, ctx: Context) -> Iterator[Finding]:
    """TM601 for each open suggestion, TM602 for each dismissal that matches no rule or
    target."""
    src = model.source
    for s in suggest(model, ctx.classifications):
        if s.open:
            yield Finding(
                model.path, src.at(s.target_path + ("id",)), "TM601",
                f"{s.rule} {s.name} ({s.stride}) on '{s.target}': {s.title}; {s.reason}",
                hint=f"add a threat with stride {s.stride} on '{s.target}' "
                     "(`threatmodel suggest --write` appends it as untriaged), or dismiss "
                     f"it: dismissed: [{{rule: {s.rule}, target: {s.target}, rationale: "
                     "...}]")
    known = {e.id for e in model.elements} | {f.id for f in model.flows}
    for d in model.dismissed:
        if d.rule not in RULES:
            yield Finding(model.path, src.at(d.path + ("rule",)), "TM602",
                          f"dismissed rule '{d.rule}' is not a suggestion rule",
                          hint="see `threatmodel suggest --catalogue` for the codes")
        elif d.target not in known:
            yield Finding(model.path, src.at(d.path + ("target",)), "TM602",
                          f"dismissed target '{d.target}' is no element or flow of the model")
