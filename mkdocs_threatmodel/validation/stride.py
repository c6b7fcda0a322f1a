"""STRIDE-per-element checks (TM3xx): letters fit their targets, boundary flows are covered."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings.finding import Finding
from ..format.model import APPLICABLE, STRIDE_NAMES, Element, Flow, Model
from ..format.spec import TARGET_NAMES


def check_stride(model: Model, strict: bool = False) -> Iterator[Finding]:
    """TM301 letters that do not apply, TM302 uncovered boundary flows; in strict mode TM303
    gaps and TM218 unplaced threats."""
    src = model.source
    for threat in model.threats:
        letters = [s for s in threat.stride]
        for target in threat.targets:
            kind = model.target_type(target)
            if kind not in APPLICABLE:
                continue
            for i, letter in enumerate(letters):
                if letter not in APPLICABLE[kind]:
                    yield Finding(
                        model.path, src.at(threat.path + ("stride", i)), "TM301",
                        f"'{letter}' ({STRIDE_NAMES[letter]}) does not apply to "
                        f"{TARGET_NAMES[kind]} '{target}' (it takes "
                        f"{' '.join(APPLICABLE[kind])})",
                        hint=_neighbour_hint(model, target, kind, letter))

    targeted = {t for threat in model.threats for t in threat.targets}
    out_of_scope = {e.id for e in model.elements if e.out_of_scope}
    for flow in model.flows:
        if flow.source in out_of_scope or flow.target in out_of_scope:
            continue
        if flow.id not in targeted and model.crosses_trust(flow):
            a, b = model.element(flow.source), model.element(flow.target)
            if a is None or b is None:  # not so: a flow crossing trust has two element ends
                continue
            yield Finding(
                model.path, src.at(flow.path + ("id",)), "TM302",
                f"flow '{flow.id}' crosses a trust boundary "
                f"({a.boundary or 'outside'} -> {b.boundary or 'outside'}) but no threat "
                "targets it",
                hint="add a threat on the flow, or a 'not-applicable' one with a rationale")

    if strict:
        yield from _gaps(model)
        yield from _unplaced(model)


def _unplaced(model: Model) -> Iterator[Finding]:
    """TM218: threats that target nothing (an import of a tool without a diagram)."""
    for threat in model.threats:
        if not threat.targets:
            yield Finding(model.path, model.source.at(threat.path + ("targets",)), "TM218",
                          f"threat '{threat.id}' is unplaced: it targets no element or flow",
                          hint="add the ids of the elements and flows it is about to "
                          "'targets'")


def _neighbour_hint(model: Model, target: str, kind: str, letter: str) -> str:
    """Where a misplaced letter belongs: the flow's sender or receiver, or the flows and
    elements next to an element, whichever the letter applies to."""
    if kind == "flow":
        flow = next(f for f in model.flows if f.id == target)
        ends = [("sender", flow.source), ("receiver", flow.target)]
        fits = [f"the {role} '{eid}' ({TARGET_NAMES[end]})"
                for role, eid in ends
                if eid and (end := model.target_type(eid)) is not None
                and letter in APPLICABLE.get(end, "")]
    else:
        fits = []
        for flow in model.flows:
            if target not in (flow.source, flow.target):
                continue
            if letter in APPLICABLE["flow"]:
                fits.append(f"the flow '{flow.id}'")
            other = flow.target if flow.source == target else flow.source
            if other and (end := model.target_type(other)) is not None \
                    and letter in APPLICABLE.get(end, ""):
                fits.append(f"{TARGET_NAMES[end]} '{other}'")
        fits = list(dict.fromkeys(fits))
    if not fits:
        return "move the letter to a threat on a target it applies to"
    shown = fits[:3] + ([f"{len(fits) - 3} more"] if len(fits) > 3 else [])
    return f"'{letter}' here belongs to " + " or ".join(shown) + ": move it to a threat there"


def coverage(model: Model) -> dict[str, dict[str, list]]:
    """For each element and flow id, the threats that cover each applicable letter."""
    table: dict[str, dict[str, list]] = {}
    for item, kind in [(e, e.type) for e in model.elements] + [(f, "flow") for f in model.flows]:
        table[item.id] = {letter: [] for letter in APPLICABLE.get(kind or "", "")}
    for threat in model.threats:
        for target in threat.targets:
            row = table.get(target)
            if row is None:
                continue
            for letter in threat.stride:
                if letter in row:
                    row[letter].append(threat)
    return table


def _gaps(model: Model) -> Iterator[Finding]:
    table = coverage(model)
    out_of_scope = {e.id for e in model.elements if e.out_of_scope}
    items: list[tuple[Element | Flow, str]] = [
        (e, TARGET_NAMES.get(e.type or "", "element")) for e in model.elements
        if not e.out_of_scope]
    items += [(f, "data flow") for f in model.flows
              if f.source not in out_of_scope and f.target not in out_of_scope]
    for item, kind in items:
        missing = [letter for letter, threats in table.get(item.id, {}).items() if not threats]
        if missing:
            yield Finding(
                model.path, model.source.at(item.path + ("id",)), "TM303",
                f"{kind} '{item.id}' has no threat for "
                + ", ".join(f"{m} ({STRIDE_NAMES[m]})" for m in missing),
                hint="add threats, or a 'not-applicable' threat with a rationale")
