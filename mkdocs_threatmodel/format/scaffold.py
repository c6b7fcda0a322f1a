"""``threatmodel new``: a model skeleton that validates, with the workshop's steps as headings."""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path

from .spec import FORMAT_VERSION

WORKSHOP = [
    ("Scope", "Name the one feature or service this model covers, its assets ranked by impact, "
     "and the neighbours that are out of scope; fill `scope`, `assets` and `covers`."),
    ("Diagram", "Draw the data flows: external entities, processes and data stores as "
     "`elements`, trust boundaries as `boundaries`, every arrow as a `flow` with protocol "
     "and auth."),
    ("STRIDE pass", "Walk every element and every flow and ask each applicable STRIDE letter; "
     "write each threat as an abuse story in the attacker's words under `threats`."),
    ("Rank and assign", "Rate likelihood and impact, give each threat an owner and open "
     "tickets for the high and critical ones."),
    ("Validate", "Tie mitigations to tests that cite the threat id, record accepted residual "
     "risk with who signed it off, and run `threatmodel validate`."),
]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def skeleton(model_id: str, title: str, owner: str | None, adrs: list[str]) -> str:
    """The text of a new model."""
    lines = [
        "---",
        f"threatmodel: {FORMAT_VERSION}",
        f"id: {model_id}",
        f"title: {_quote(title)}",
    ]
    if owner:
        lines.append(f"owner: {_quote(owner)}                # default owner of the threats")
    lines += [
        "status: draft                # draft | active | retired",
        "review_every: 180d           # review at least this often (days d or weeks w)",
        "covers: []                   # repository paths this model describes, git-style globs",
        "adrs: [" + ", ".join(_quote(a) for a in adrs) + "]"
        + "  # ADRs this model rests on, relative to this file",
        "scope:",
        "  in: []",
        "  out: []",
        "assets: []                   # - {id: ..., name: ..., impact: low|medium|high|critical}",
        "boundaries: []               # - {id: ..., name: ..., inside: <boundary id>}",
        "elements: []                 # - {id: ..., name: ..., type: external|process|store, "
        "boundary: ...}",
        "flows: []                    # - {id: ..., from: ..., to: ..., label: ..., "
        "protocol: ..., auth: ...}",
        "threats: []                  # see `threatmodel schema --format markdown`",
        "---",
        "",
        f"# {title}",
        "",
    ]
    for heading, line in WORKSHOP:
        lines += [f"## {heading}", "", line, ""]
    return "\n".join(lines)


def relative_adr(model_path: Path, adr: Path) -> str:
    """An ADR path as the model should cite it: relative to the model's folder."""
    rel = os.path.relpath(os.path.abspath(adr), os.path.dirname(os.path.abspath(model_path)))
    return posixpath.join(*Path(rel).parts)
