"""Reference checks (TM2xx): every id a model uses is defined once, and files it names exist
inside the repository (a path that leaves it is reported and never opened)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from ..findings.finding import Finding, Position
from ..format.model import Boundary, Model
from ..workspace.globs import glob_problem, same_meaning_as_before, same_meaning_both_ways
from ..workspace.repository import repository_path
from .context import Context

_KINDS = ("assets", "boundaries", "elements", "flows", "threats")


def check_references(model: Model, ctx: Context) -> Iterator[Finding]:
    """References inside one model, and the files it cites."""
    src = model.source
    path = model.path
    elements = {e.id for e in model.elements}
    flows = {f.id for f in model.flows}
    boundaries = {b.id: b for b in model.boundaries}
    assets = {a.id for a in model.assets}

    seen: dict[str, tuple] = {}
    for kind in _KINDS:
        for entry in getattr(model, kind):
            if entry.id in seen:
                first = src.at(seen[entry.id] + ("id",))
                yield Finding(path, src.at(entry.path + ("id",)), "TM209",
                              f"id '{entry.id}' is already used on line {first.line}",
                              hint="ids of assets, boundaries, elements, flows and threats "
                              "must differ within a model")
            else:
                seen[entry.id] = entry.path

    for flow in model.flows:
        for key, ref in (("from", flow.source), ("to", flow.target)):
            if ref is not None and ref not in elements:
                yield Finding(path, src.at(flow.path + (key,)), "TM201",
                              f"flow '{flow.id}' {key} unknown element '{ref}'",
                              hint=suggest(ref, elements))
        for i, asset in enumerate(flow.data):
            if asset not in assets:
                yield Finding(path, src.at(flow.path + ("data", i)), "TM206",
                              f"flow '{flow.id}' carries unknown asset '{asset}'",
                              hint=suggest(asset, assets))

    for element in model.elements:
        if element.boundary is not None and element.boundary not in boundaries:
            yield Finding(path, src.at(element.path + ("boundary",)), "TM202",
                          f"element '{element.id}' is in unknown boundary '{element.boundary}'",
                          hint=suggest(element.boundary, boundaries))
        for i, asset in enumerate(element.assets):
            if asset not in assets:
                yield Finding(path, src.at(element.path + ("assets", i)), "TM206",
                              f"element '{element.id}' holds unknown asset '{asset}'",
                              hint=suggest(asset, assets))

    yield from _check_nesting(model, boundaries)

    targets = elements | flows
    for threat in model.threats:
        for i, target in enumerate(threat.targets):
            if target not in targets:
                yield Finding(path, src.at(threat.path + ("targets", i)), "TM205",
                              f"threat '{threat.id}' targets unknown element or flow '{target}'",
                              hint=suggest(target, targets))
        for key in threat.per_target:
            if key not in threat.targets:
                yield Finding(path, src.at(threat.path + ("per_target", key), key=True),
                              "TM215", f"threat '{threat.id}' has per-target detail for "
                              f"'{key}', which is not one of its targets",
                              hint=suggest(key, threat.targets))
        for i, test in enumerate(threat.tests):
            if repository_path(test) is None:
                yield Finding(path, src.at(threat.path + ("tests", i)), "TM212",
                              f"test file '{test}' is outside the repository",
                              hint="test paths are relative to the repository root")
            elif not ctx.has(test):
                yield Finding(path, src.at(threat.path + ("tests", i)), "TM208",
                              f"test file '{test}' does not exist",
                              hint="test paths are relative to the repository root")

    yield from _check_globs(model)

    for i, pattern in enumerate(model.covers):
        if ctx.covers_any(pattern) is False:
            yield Finding(path, src.at(("covers", i)), "TM216",
                          f"covers glob '{pattern}' matches no file in the repository",
                          hint="globs are relative to the repository root, not to the "
                          "model file")
        gained, lost = ctx.changed_matches(pattern)
        if gained or lost:
            yield _meaning_changed(model, i, pattern, gained, lost)

    base = posixpath.dirname(path)
    for i, adr in enumerate(model.adrs):
        adr_path = repository_path(posixpath.join(base, adr))
        if adr_path is None:
            yield Finding(path, src.at(("adrs", i)), "TM212",
                          f"ADR '{adr}' is outside the repository",
                          hint="ADR paths are relative to the model file")
        elif not ctx.has(adr_path):
            yield Finding(path, src.at(("adrs", i)), "TM207",
                          f"ADR '{adr}' does not exist (looked for '{adr_path}')",
                          hint="ADR paths are relative to the model file")


def _meaning_changed(model: Model, i: int, pattern: str, gained: list[str],
                     lost: list[str]) -> Finding:
    """TM112: a covers glob that matches other files since globs read as CODEOWNERS."""
    said = []
    if gained:
        said.append(f"{len(gained)} more file{'s' if len(gained) > 1 else ''} (such as "
                    f"'{gained[0]}')")
    if lost:
        said.append(f"{len(lost)} file{'s' if len(lost) > 1 else ''} fewer (such as "
                    f"'{lost[0]}')")
    before, both = same_meaning_as_before(pattern), same_meaning_both_ways(pattern)
    ways = [f"'{both}' to keep what it matches now"] if both else []
    if before:
        ways.append(f"'{before}' to match what it matched before")
    hint = "write " + ", or ".join(ways) if ways else "see docs/covers.md"
    if not both:
        hint += "; to keep what it matches now, turn TM112 off in .threatmodel.yaml"
    return Finding(model.path, model.source.at(("covers", i)), "TM112",
                   f"covers glob '{pattern}' now matches as in CODEOWNERS: "
                   f"{' and '.join(said)} than before", hint=hint)


def _check_globs(model: Model) -> Iterator[Finding]:
    """TM110: covers globs that cannot match what they say (a reversed range)."""
    covers = model.source.data.get("covers")
    for i, glob in enumerate(covers if isinstance(covers, list) else ()):
        problem = glob_problem(glob) if isinstance(glob, str) else None
        if problem is not None:
            yield Finding(model.path, model.source.at(("covers", i)), "TM110",
                          f"covers glob {glob!r} is not usable: {problem}",
                          hint="write ranges low to high, such as [a-z]")


def _check_nesting(model: Model, boundaries: dict[str, Boundary]) -> Iterator[Finding]:
    src = model.source
    reported: set[str] = set()
    for boundary in model.boundaries:
        if boundary.inside is None:
            continue
        if boundary.inside not in boundaries:
            yield Finding(model.path, src.at(boundary.path + ("inside",)), "TM203",
                          f"boundary '{boundary.id}' is inside unknown boundary "
                          f"'{boundary.inside}'", hint=suggest(boundary.inside, boundaries))
            continue
        chain = [boundary.id]
        current: Boundary | None = boundaries[boundary.inside]
        while current is not None and current.id not in chain:
            chain.append(current.id)
            current = boundaries.get(current.inside) if current.inside else None
        if current is not None and current.id == boundary.id and boundary.id not in reported:
            reported.update(chain)
            yield Finding(model.path, src.at(boundary.path + ("inside",)), "TM204",
                          "boundary nesting is circular: " + " inside ".join(chain + [boundary.id]),
                          hint="remove one 'inside' of the cycle")


@dataclass
class ModelIds:
    """What the repository-wide checks need of a model: its path, id and threat ids."""

    path: str
    id: str
    threats: list[tuple[str, tuple]]  # (threat id, its path in the front matter)


def check_repository(models: list[ModelIds],
                     locate: Callable[[str, tuple], Position]) -> Iterator[Finding]:
    """Ids that must be unique across the repository: model ids and threat ids.

    ``locate(file, path)`` gives the position of a value; it is only called for
    the few ids that are repeated.
    """
    model_ids: dict[str, str] = {}
    threat_ids: dict[str, tuple[str, tuple]] = {}
    for model in sorted(models, key=lambda m: m.path):
        if model.id:
            first = model_ids.setdefault(model.id, model.path)
            if first != model.path:
                yield _repeated(locate, model.path, ("id",), "TM210",
                                f"model id '{model.id}'", first, ("id",))
        seen_here: set[str] = set()
        for tid, tpath in model.threats:
            if tid in seen_here:
                continue  # TM209 reports repeats inside one model
            seen_here.add(tid)
            other = threat_ids.setdefault(tid, (model.path, tpath))
            if other[0] != model.path:
                yield _repeated(locate, model.path, tpath + ("id",), "TM211",
                                f"threat id '{tid}'", other[0], other[1] + ("id",))


def _repeated(locate: Callable[[str, tuple], Position], path: str, where: tuple, code: str,
              what: str, other: str, other_where: tuple) -> Finding:
    pos = locate(other, other_where)
    finding = Finding(path, locate(path, where), code,
                      f"{what} is also used in {other}:{pos.line}:{pos.column}",
                      hint="ids must be unique in the repository")
    finding.related.append((other, pos))
    return finding


def suggest(value: str, known: Collection[str]) -> str | None:
    """A hint naming the closest known id, or a few known ids."""
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + ", ".join(sorted(known)[:8]) if known else None
