"""Suggestion checks (TM6xx): unaddressed suggestions and dismissals that match nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings.finding import Finding, Position
from ..format.model import Model
from ..format.source import SourceFile
from ..suggest.engine import RULES, suggest
from .context import Context


def check_suggestions(model: Model, ctx: Context, unaddressed: bool = True
                      ) -> Iterator[Finding]:
    """TM601 for each open suggestion (when ``unaddressed``: the rules cost a few ms a model),
    TM602 for each dismissal that matches no rule or target."""
    src = model.source
    where: dict[str, Position] | None = None
    for s in suggest(model, ctx.classifications) if unaddressed else ():
        if s.open:
            if where is None:
                where = id_positions(src)
            at = where.get(s.target) or src.at(s.target_path + ("id",))
            yield Finding(
                model.path, at, "TM601",
                f"{s.rule} {s.name} ({s.stride}) on '{s.target}': {s.title}; {s.reason}",
                hint=f"a threat with stride {s.stride} on it addresses it, or a 'dismissed' "
                     "entry; `threatmodel suggest --write` adds it as untriaged")
    known = {e.id for e in model.elements} | {f.id for f in model.flows}
    for d in model.dismissed:
        if d.rule not in RULES:
            yield Finding(model.path, src.at(d.path + ("rule",)), "TM602",
                          f"dismissed rule '{d.rule}' is not a suggestion rule",
                          hint="see `threatmodel suggest --catalogue` for the codes")
        elif d.target not in known:
            yield Finding(model.path, src.at(d.path + ("target",)), "TM602",
                          f"dismissed target '{d.target}' is no element or flow of the model")


_TOP = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
_ID = re.compile(r"(?:^[ \t]*-[ \t]*\{?|[{,][ \t]*|^[ \t]+)id[ \t]*:[ \t]*"
                 r"(['\"]?)([A-Za-z0-9][A-Za-z0-9._-]*)\1[ \t]*(?=[,}#]|$)")


def id_positions(src: SourceFile) -> dict[str, Position]:
    """Where each element's and flow's id is written, found by scanning the lines of the
    ``elements`` and ``flows`` sections: a full parse with positions costs far more, and
    every model with an open suggestion needs a few of them."""
    text = src.raw.decode("utf-8", "replace").lstrip("\ufeff")
    out: dict[str, Position] = {}
    section = None
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        top = _TOP.match(line)
        if top:
            section = top[1]
            continue
        if section not in ("elements", "flows"):
            continue
        found = _ID.search(line)
        if found and found[2] not in out:
            out[found[2]] = Position(number, found.start(2) + 1 - len(found[1]))
    return out
