"""A suggestion rule: its code, the STRIDE letter it suggests, its documentation, and the
function that finds its targets in a model's facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .facts import Facts


@dataclass(frozen=True)
class Hit:
    """One target a rule fired on: the facts that fired it and the proposed rating."""

    target: str
    subject: str  # what the title names: a flow's label or an element's name
    reason: str
    likelihood: str
    impact: str
    rating: str  # why this likelihood and impact


@dataclass(frozen=True)
class SuggestionRule:
    """A rule of the catalogue; ``find`` yields the targets it fires on."""

    code: str
    name: str
    stride: str
    targets: str  # the kind of target: external, process, store or flow (words)
    title: str  # "{subject}" is replaced by the hit's subject
    facts: str
    why: str
    example: str
    addresses: str
    references: tuple[str, ...]
    pytm: tuple[str, ...]
    threagile: tuple[str, ...]
    find: Callable[[Facts], Iterator[Hit]]

    def title_for(self, subject: str) -> str:
        return self.title.replace("{subject}", subject)


CATALOGUE: list[SuggestionRule] = []


def rule(code: str, name: str, stride: str, targets: str, title: str, *, facts: str, why: str,
         example: str, addresses: str, references: tuple[str, ...], pytm: tuple[str, ...] = (),
         threagile: tuple[str, ...] = ()) -> Callable:
    """Register the decorated function as the finder of a catalogue rule."""
    def register(find: Callable[[Facts], Iterator[Hit]]) -> Callable:
        CATALOGUE.append(SuggestionRule(code, name, stride, targets, title, facts, why,
                                        example, addresses, references, pytm, threagile, find))
        return find
    return register
