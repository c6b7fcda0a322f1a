"""Suggestions as text, JSON (stable, ``version`` 1) or Markdown, and the catalogue as the
Markdown of docs/suggestions.md."""

from __future__ import annotations

import json
from collections import Counter

from ..errors import printable
from ..format.model import STRIDE_NAMES
from .engine import RULES, SEVERITY, Suggestion
from .rule import CATALOGUE

JSON_VERSION = 1
SEVERITIES = ("critical", "high", "medium", "low")  # as listed in counts, worst first
FOOTER_MODELS = 20  # models named in the footer's counts; more are summed up in one line


def listed(found: list[Suggestion], show_all: bool = False, min_severity: str | None = None
           ) -> tuple[list[Suggestion], int]:
    """The suggestions to list (the open ones, or all with ``show_all``) at or above
    ``min_severity``, and how many of those it hides below that level."""
    candidates = found if show_all else [s for s in found if s.open]
    shown = [s for s in candidates if s.at_least(min_severity)]
    return shown, len(candidates) - len(shown)


def as_json(suggestions: list[Suggestion], min_severity: str | None = None,
            hidden: int = 0) -> str:
    """``{"version": 1, "suggestions": [...]}`` on one line, written by json's C encoder in
    one call: an indented dump runs the pure-Python encoder, and one call per suggestion
    pays the encoder's set-up 54,000 times on a 1,000-model run (measured: three quarters,
    then a third, of a warm run). With ``--min-severity``, ``min_severity`` and ``hidden``
    (how many suggestions below it are left out) are added."""
    doc: dict = {"version": JSON_VERSION, "suggestions": [s.as_json() for s in suggestions]}
    if min_severity is not None:
        doc.update(min_severity=min_severity, hidden=hidden)
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _state(s: Suggestion) -> str:
    if s.addressed_by:
        return "addressed by " + ", ".join(s.addressed_by)
    return "dismissed" if s.dismissed else "open"


def _by_model(suggestions: list[Suggestion]) -> dict[str, list[Suggestion]]:
    out: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        out.setdefault(s.path, []).append(s)
    return out


def severity_counts(suggestions: list[Suggestion]) -> str:
    """``3 critical, 10 high, 2 low``: how many have each severity, worst first, zeros
    left out (``none`` when there are none)."""
    counts = Counter(SEVERITY.get((s.likelihood, s.impact)) for s in suggestions)
    parts = [f"{counts[level]} {level}" for level in SEVERITIES if counts.get(level)]
    if counts.get(None):
        parts.append(f"{counts[None]} unrated")
    return ", ".join(parts) or "none"


def _hidden(hidden: int, min_severity: str | None) -> str:
    return f"; {hidden} below {min_severity} not shown" if min_severity and hidden else ""


def model_counts(found: list[Suggestion], min_severity: str | None = None,
                 hidden: int = 0) -> str:
    """One model's counts: ``312 suggestions, 40 open, by severity: 3 critical, ...``
    (the severities of the open ones)."""
    still = [s for s in found if s.open]
    by = f", by severity: {severity_counts(still)}" if still else ""
    return (f"{_plural(len(found), 'suggestion')}, {len(still)} open"
            f"{by}{_hidden(hidden, min_severity)}")


def _rule_title(code: str, fallback: str) -> str:
    """What a rule suggests, said of no target in particular."""
    rule = RULES.get(code)
    title = rule.title.replace("{subject}", "the target") if rule else fallback
    return title[:1].upper() + title[1:]


def _kind(s: Suggestion) -> str:
    return {"elements": "element", "flows": "flow"}.get(s.target_path[0] if s.target_path
                                                        else "", "target")


def _rating(s: Suggestion) -> str:
    return f"{s.likelihood} x {s.impact} = {s.severity or 'unrated'}"


def _groups(mine: list[Suggestion], group_by: str) -> list[list[Suggestion]]:
    """A model's suggestions by rule (catalogue order, then the targets as found) or by
    target (elements, then flows, in the model's order)."""
    groups: dict[str, list[Suggestion]] = {}
    for s in mine:
        groups.setdefault(s.rule if group_by == "rule" else s.target, []).append(s)
    if group_by == "target":
        return sorted(groups.values(), key=lambda g: (g[0].target_path or ("~",), g[0].target))
    return list(groups.values())


def _models(found: list[Suggestion], show_all: bool, min_severity: str | None
            ) -> list[tuple[list[Suggestion], list[Suggestion], int]]:
    """Per model with something to list: (all its suggestions, those listed, how many
    :func:`listed` hides below ``min_severity``)."""
    out = []
    for whole in _by_model(found).values():
        mine, hidden = listed(whole, show_all, min_severity)
        if mine:
            out.append((whole, mine, hidden))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _line(text: str) -> str:
    """Model text on one line (a label or name may hold a line break)."""
    return " ".join(text.split())


def as_text(found: list[Suggestion], group_by: str = "rule", details: bool = False,
            show_all: bool = False, min_severity: str | None = None) -> str:
    """Per model with something to list (see :func:`listed`), a line of counts, then what
    it lists grouped by rule (a line per target: its rating and state) or by target (a line
    per rule); with ``details`` each suggestion's title, reason and rating, and the rule's
    references.
    Control characters of model text are written as escapes (:func:`printable`)."""
    out: list[str] = []
    for whole, mine, hidden in _models(found, show_all, min_severity):
        out.append(f"{mine[0].path} ({mine[0].model}): "
                   f"{model_counts(whole, min_severity, hidden)}")
        for group in _groups(mine, group_by):
            out += (_rule_group(group, details) if group_by == "rule"
                    else _target_group(group, details))
    return printable("\n".join(out) + ("\n" if out else ""))


def _rule_group(group: list[Suggestion], details: bool) -> list[str]:
    first = group[0]
    still = sum(1 for s in group if s.open)
    count = _plural(len(group), "target") + (f", {still} open" if still != len(group) else "")
    out = [f"  {first.rule} {first.name} ({first.stride}), {count}: "
           f"{_line(_rule_title(first.rule, first.title))}"]
    shared = len(group) > 1 and all(s.reason == first.reason for s in group)
    if details:
        rule = RULES.get(first.rule)
        if rule is not None:
            out.append(f"    why: {_line(rule.why)}")
        out.append(f"    see: {', '.join(first.references)}")
    if shared:
        out.append(f"    because {_line(first.reason)}")
    width = max(len(s.target) for s in group)
    rated = max(len(_rating(s)) for s in group)
    for s in group:
        out.append(f"    {s.target:<{width}}  {_rating(s):<{rated}}  {_state(s)}")
        if details:
            out.append(f"        {_line(s.title)}")
            if not shared:
                out.append(f"        because {_line(s.reason)}")
            out.append(f"        rating: {_line(s.rating)}")
    return out


def _target_group(group: list[Suggestion], details: bool) -> list[str]:
    first = group[0]
    out = [f"  {first.target} ({_kind(first)}), {_plural(len(group), 'suggestion')}:"]
    width = max(len(f"{s.rule} {s.name} ({s.stride})") for s in group)
    rated = max(len(_rating(s)) for s in group)
    for s in group:
        out.append(f"    {f'{s.rule} {s.name} ({s.stride})':<{width}}  "
                   f"{_rating(s):<{rated}}  {_state(s)}")
        if details:
            out += [f"        {_line(s.title)}", f"        because {_line(s.reason)}",
                    f"        rating: {_line(s.rating)}",
                    f"        see: {', '.join(s.references)}"]
    return out


def footer(found: list[Suggestion], models: int, show_all: bool = False,
           min_severity: str | None = None) -> str:
    """The counts for standard error: when there are several models, a line per model with
    open suggestions (the :data:`FOOTER_MODELS` with most, when there are more); then the
    whole run's."""
    lines = []
    by_model = _by_model(found)
    still = {path: [s for s in mine if s.open] for path, mine in by_model.items()}
    per_model = [path for path in by_model if still[path]] if models > 1 else []
    named = set(sorted(per_model, key=lambda p: -len(still[p]))[:FOOTER_MODELS])
    for path in per_model:
        if path in named:
            mine = by_model[path]
            below = listed(mine, show_all, min_severity)[1]
            lines.append(f"{path} ({mine[0].model}): {model_counts(mine, min_severity, below)}")
    rest = [path for path in per_model if path not in named]
    if rest:
        lines.append(f"... and {_plural(len(rest), 'more model')} with "
                     f"{sum(len(still[p]) for p in rest)} open suggestions")
    open_ = [s for mine in still.values() for s in mine]
    hidden = listed(found, show_all, min_severity)[1] if min_severity else 0
    lines.append(f"{_plural(len(found), 'suggestion')} in {_plural(models, 'model')}, "
                 f"{len(open_)} open"
                 + (f" ({severity_counts(open_)})" if open_ else "")
                 + _hidden(hidden, min_severity))
    return printable("\n".join(lines) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(found: list[Suggestion], group_by: str = "rule", details: bool = False,
                show_all: bool = False, min_severity: str | None = None) -> str:
    """Per model, its counts, then a table per rule (a row per target) or per target (a
    row per rule); ``details`` adds each suggestion's rating and references."""
    out: list[str] = []
    for whole, mine, hidden in _models(found, show_all, min_severity):
        path = mine[0].path
        if out:
            out.append("")
        out += [f"## {_cell(mine[0].model)} ({_cell(path)})", "",
                model_counts(whole, min_severity, hidden) + "."]
        for group in _groups(mine, group_by):
            first = group[0]
            extra = " rating | see |" if details else ""
            if group_by == "rule":
                out += ["", f"### {first.rule} `{first.name}` ({first.stride}): {len(group)}",
                        "", _cell(_rule_title(first.rule, first.title)) + ".", "",
                        "| target | suggestion | why | likelihood | impact | severity | state |"
                        + extra, "|---|---|---|---|---|---|---|" + "---|" * (2 * details)]
            else:
                out += ["", f"### `{_cell(first.target)}` ({_kind(first)}): {len(group)}", "",
                        "| rule | name | STRIDE | suggestion | why | likelihood | impact | "
                        "severity | state |" + extra,
                        "|---|---|---|---|---|---|---|---|---|" + "---|" * (2 * details)]
            for s in group:
                lead = (f"| `{_cell(s.target)}` |" if group_by == "rule"
                        else f"| {s.rule} | `{s.name}` | {s.stride} |")
                more = (f" {_cell(s.rating)} | {_cell(', '.join(s.references))} |"
                        if details else "")
                out.append(f"{lead} {_cell(s.title)} | {_cell(s.reason)} | {s.likelihood} | "
                           f"{s.impact} | {s.severity or 'unrated'} | {_state(s)} |{more}")
    return "\n".join(out) + ("\n" if out else "")


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
