"""Mitigation and assumption checks: links by id, and what a link promises.

TM213 unknown mitigation, TM214 unknown assumption, TM410 a mitigated threat whose controls
are not in place, TM411 a mitigation no threat cites, TM412 a mitigation's test that cites
neither it nor its threats, TM413 a threat resting on an invalid assumption, TM417 an
assumption due for a revisit.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings.finding import Finding, Position
from ..format.model import Assumption, Mitigation, Model, Threat
from ..workspace.repository import repository_path
from .context import Context
from .mentions import mentions
from .references import suggest


def check_controls(model: Model, ctx: Context) -> Iterator[Finding]:
    """Every finding about the model's mitigations and assumptions."""
    mitigations = {m.id: m for m in model.mitigations}
    assumptions = {a.id: a for a in model.assumptions}
    cited: dict[str, list[Threat]] = {}
    for threat in model.threats:
        yield from _citations(model, threat, mitigations, assumptions, cited)
    for mitigation in model.mitigations:
        if mitigation.id not in cited:
            yield Finding(model.path, model.source.at(mitigation.path + ("id",)), "TM411",
                          f"no threat cites mitigation '{mitigation.id}'",
                          hint="add it to the 'mitigations' of the threats it addresses")
        yield from _mitigation_tests(model, mitigation, cited.get(mitigation.id, []), ctx)
    for assumption in model.assumptions:
        if assumption.revisit is not None and assumption.revisit < ctx.date():
            yield Finding(model.path, model.source.at(assumption.path + ("revisit",)), "TM417",
                          f"assumption '{assumption.id}' was due for a revisit on "
                          f"{assumption.revisit.isoformat()}",
                          hint="check that it still holds, then move 'revisit' on")


def _citations(model: Model, threat: Threat, mitigations: dict[str, Mitigation],
               assumptions: dict[str, Assumption],
               cited: dict[str, list[Threat]]) -> Iterator[Finding]:
    src, path = model.source, model.path
    for i, mid in enumerate(threat.mitigations):
        if mid in mitigations:
            cited.setdefault(mid, []).append(threat)
        else:
            yield Finding(path, src.at(threat.path + ("mitigations", i)), "TM213",
                          f"threat '{threat.id}' cites unknown mitigation '{mid}'",
                          hint=suggest(mid, mitigations))
    for target, detail in threat.per_target.items():
        for i, mid in enumerate(detail.mitigations):
            if mid in mitigations:
                cited.setdefault(mid, []).append(threat)
            else:
                yield Finding(path, src.at(threat.path + ("per_target", target, "mitigations",
                                                          i)), "TM213",
                              f"threat '{threat.id}' on '{target}' cites unknown mitigation "
                              f"'{mid}'", hint=suggest(mid, mitigations))
    for i, aid in enumerate(threat.assumptions):
        if aid in assumptions and assumptions[aid].status != "invalid":
            continue  # positions cost a second parse of the file: only for a finding
        where = src.at(threat.path + ("assumptions", i))
        if aid not in assumptions:
            yield Finding(path, where, "TM214",
                          f"threat '{threat.id}' rests on unknown assumption '{aid}'",
                          hint=suggest(aid, assumptions))
        elif assumptions[aid].status == "invalid":
            yield Finding(path, where, "TM413",
                          f"threat '{threat.id}' rests on assumption '{aid}', which is marked "
                          "invalid", hint="re-examine the threat's status and rating")
    yield from _mitigated_by_unfinished(model, threat, mitigations)


def _mitigated_by_unfinished(model: Model, threat: Threat,
                             mitigations: dict[str, Mitigation]) -> Iterator[Finding]:
    """TM410 on the threat, and on each target whose own status is 'mitigated'."""
    for target in [None, *threat.per_target]:
        view = threat if target is None else threat.on(target)
        if view.status != "mitigated":
            continue
        unfinished = [mid for mid in view.mitigations
                      if mid in mitigations and not mitigations[mid].implemented]
        if unfinished:
            where = threat.path + (("status",) if target is None
                                   else ("per_target", target))
            on = "" if target is None else f" on '{target}'"
            yield Finding(model.path, model.source.at(where), "TM410",
                          f"threat '{threat.id}' is mitigated{on}, but "
                          + ", ".join(f"'{m}' is {mitigations[m].status}" for m in unfinished),
                          hint="set the threat to 'mitigating' until its mitigations are "
                          "implemented")


def _mitigation_tests(model: Model, mitigation: Mitigation, threats: list[Threat],
                      ctx: Context) -> Iterator[Finding]:
    """TM412: each test of a mitigation mentions its id or the id of a threat it closes."""
    ids = [mitigation.id, *dict.fromkeys(t.id for t in threats)]
    for i, test in enumerate(mitigation.tests):
        def where(i: int = i) -> Position:  # only for a finding: positions parse again
            return model.source.at(mitigation.path + ("tests", i))

        if repository_path(test) is None:
            yield Finding(model.path, where(), "TM212", f"test file '{test}' is outside the "
                          "repository", hint="test paths are relative to the repository root")
            continue
        text = ctx.text(test) if ctx.has(test) else None
        if text is None:
            yield Finding(model.path, where(), "TM208", f"test file '{test}' does not exist",
                          hint="test paths are relative to the repository root")
        elif not mentions(text, ids):
            yield Finding(model.path, where(), "TM412",
                          f"test file '{test}' mentions neither '{mitigation.id}' nor a "
                          "threat it closes",
                          hint=f"cite '{mitigation.id}' in the test, in a comment or its name")
