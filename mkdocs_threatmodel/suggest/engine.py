"""Run the catalogue on a model: suggestions, with what addresses or dismisses each."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..format.model import APPLICABLE, Model
from ..format.risk import rate
from ..format.spec import DEFAULT_CLASSIFICATIONS, LEVELS
from . import catalogue
from .facts import Facts
from .rule import SuggestionRule

RULES: dict[str, SuggestionRule] = {r.code: r for r in catalogue.CATALOGUE}
# A suggestion's severity: its likelihood x impact banded as a threat's risk is
# (format.risk.rate), for every pair of levels once.
SEVERITY: dict[tuple[str, str], str] = {
    (likelihood, impact): risk.band for likelihood in LEVELS for impact in LEVELS
    if (risk := rate(likelihood, impact)) is not None}
SEVERITY_RANK = {level: i for i, level in enumerate(LEVELS)}  # low 0 ... critical 3


@dataclass
class Suggestion:
    """One rule fired on one target of one model."""

    model: str
    path: str
    rule: str
    name: str
    stride: str
    target: str
    target_path: tuple
    title: str
    reason: str
    references: list[str]
    likelihood: str
    impact: str
    rating: str
    addressed_by: list[str] = field(default_factory=list)
    dismissed: bool = False

    @property
    def open(self) -> bool:
        """Neither addressed by a threat nor dismissed."""
        return not self.addressed_by and not self.dismissed

    @property
    def severity(self) -> str | None:
        """Likelihood x impact as a risk band (low, medium, high, critical), as
        :func:`~..format.risk.rate` bands a threat; ``None`` for a level it does not know."""
        return SEVERITY.get((self.likelihood, self.impact))

    def at_least(self, level: str | None) -> bool:
        """Whether its severity is ``level`` or above (always, when ``level`` is ``None``)."""
        if level is None:
            return True
        severity = self.severity
        return severity is not None and SEVERITY_RANK[severity] >= SEVERITY_RANK[level]

    def as_json(self) -> dict:
        return {"model": self.model, "path": self.path, "rule": self.rule, "name": self.name,
                "stride": self.stride, "target": self.target, "title": self.title,
                "reason": self.reason, "references": self.references,
                "likelihood": self.likelihood, "impact": self.impact,
                "rating": self.rating, "addressed_by": self.addressed_by,
                "dismissed": self.dismissed, "severity": self.severity}


def suggest(model: Model, classifications: tuple[str, ...] = DEFAULT_CLASSIFICATIONS
            ) -> list[Suggestion]:
    """Every suggestion for ``model`` in catalogue order, each marked addressed or dismissed.

    A suggestion is addressed by any threat (in any status) with its letter on its target, and
    dismissed when the model's ``dismissed`` names its rule and target with a rationale.
    """
    facts = Facts(model, classifications)
    paths = {e.id: e.path for e in reversed(model.elements)}
    paths.update((f.id, f.path) for f in reversed(model.flows) if f.id not in paths)
    covering: dict[tuple[str, str], list[str]] = {}
    for threat in model.threats:
        for target in threat.targets:
            for letter in threat.stride:
                covering.setdefault((target, letter), []).append(threat.id)
    dismissed = {(d.rule, d.target) for d in model.dismissed if d.rationale.strip()}
    out: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    for rule in catalogue.CATALOGUE:
        for hit in rule.find(facts):
            kind = model.target_type(hit.target)
            if (rule.code, hit.target) in seen or rule.stride not in APPLICABLE.get(kind or "", ""):
                continue
            seen.add((rule.code, hit.target))
            out.append(Suggestion(
                model.id, model.path, rule.code, rule.name, rule.stride, hit.target,
                paths.get(hit.target, ()), rule.title_for(hit.subject), hit.reason,
                list(rule.references), hit.likelihood, hit.impact, hit.rating,
                list(dict.fromkeys(covering.get((hit.target, rule.stride), []))),
                (rule.code, hit.target) in dismissed))
    return out
