"""Suggestions as text, JSON (stable, ``version`` 1) or Markdown, and the catalogue as the
Markdown of docs/suggestions.md."""

from __future__ import annotations

import json

from ..format.model import STRIDE_NAMES
from .engine import Suggestion
from .rule import CATALOGUE

JSON_VERSION = 1


def as_json(suggestions: list[Suggestion]) -> str:
    """``{"version": 1, "suggestions": [...]}`` on one line, written by json's C encoder in
    one call: an indented dump runs the pure-Python encoder, and one call per suggestion
    pays the encoder's set-up 54,000 times on a 1,000-model run (measured: three quarters,
    then a third, of a warm run)."""
    return json.dumps({"version": JSON_VERSION,
                       "suggestions": [s.as_json() for s in suggestions]},
                      ensure_ascii=False) + "\n"


def _state(s: Suggestion) -> str:
    if s.addressed_by:
        return "addressed by " + ", ".join(s.addressed_by)
    return "dismissed" if s.dismissed else "open"


def as_text(suggestions: list[Suggestion]) -> str:
    out = []
    for s in suggestions:
        out.append(f"{s.path}: {s.rule} {s.stride} {s.target}: {s.title} "
                   f"[{s.likelihood} x {s.impact}; {_state(s)}]")
        out.append(f"    because {s.reason}")
        out.append(f"    rating: {s.rating}")
        out.append(f"    see: {', '.join(s.references)}")
    return "\n".join(out) + ("\n" if out else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(suggestions: list[Suggestion]) -> str:
    out: list[str | None] = []  # None: no blank line before the first model's heading
    model = None
    for s in suggestions:
        if s.path != model:
            model = s.path
            out += ["" if out else None, f"## {s.model} ({s.path})", "",
                    "| rule | STRIDE | target | suggestion | why | likelihood | impact | state |",
                    "|---|---|---|---|---|---|---|---|"]
        out.append(f"| {s.rule} | {s.stride} | `{_cell(s.target)}` | {_cell(s.title)} | "
                   f"{_cell(s.reason)} | {s.likelihood} | {s.impact} | {_state(s)} |")
    return "\n".join(x for x in out if x is not None) + ("\n" if out else "")


def catalogue_markdown() -> str:
    """Every rule of the catalogue, for docs/suggestions.md."""
    out = ["| code | name | STRIDE | target | pytm | Threagile |", "|---|---|---|---|---|---|"]
    for r in CATALOGUE:
        out.append(f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.stride} | {r.targets} | "
                   f"{', '.join(r.pytm) or '—'} | "
                   f"{', '.join(f'`{t}`' for t in r.threagile) or '—'} |")
    out.append("")
    for r in CATALOGUE:
        out += [f"### {r.code}", "",
                f"**`{r.name}`**: {_cell(r.title.replace('{subject}', 'the target'))} "
                f"({r.stride}, {STRIDE_NAMES[r.stride].lower()}, on the {r.targets}).", "",
                f"- **Fires on:** {r.facts}", f"- **Why it matters:** {r.why}",
                f"- **Example:** {r.example}", f"- **What addresses it:** {r.addresses}",
                f"- **References:** {', '.join(r.references)}",
                f"- **pytm:** {', '.join(r.pytm) or 'none'}; **Threagile:** "
                f"{', '.join(f'`{t}`' for t in r.threagile) or 'none'}", ""]
    return "\n".join(out)
