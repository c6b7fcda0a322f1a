"""Open suggestions (``threatmodel suggest``): a model page's list, the register's counts.

The model page groups them by rule: how many are open by severity, then one folded
section per rule (its code, name, STRIDE letter, how many targets and the highest
severity) listing its targets. A site that withholds threat details (``redact``) shows only
the counts: an open suggestion names a weakness no threat covers yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format.model import STRIDE_NAMES, Model
from .badges import model_link, plural, table
from .escape import h
from .site import Site

if TYPE_CHECKING:
    from ..suggest.engine import Suggestion

SEVERITIES = ("critical", "high", "medium", "low")  # worst first


def open_suggestions(model: Model, site: Site) -> list[Suggestion]:
    """The model's suggestions that no threat addresses and the model does not dismiss."""
    from ..suggest.engine import suggest  # only when made: a kept page needs no rules

    cache = site.__dict__.setdefault("_open_suggestions", {})
    if model.path not in cache:
        classes = site.options.classifications
        cache[model.path] = [s for s in suggest(model, classes) if s.open]
    return cache[model.path]


def _severity_badge(severity: str | None, n: int | None = None) -> str:
    band = severity if severity in SEVERITIES else "none"
    text = f"{n} {severity or 'unrated'}" if n is not None else (severity or "unrated")
    return f'<span class="tm-badge tm-risk-{band}">{h(text)}</span>'


def _worst(group: list[Suggestion]) -> str | None:
    rated = [s.severity for s in group if s.severity in SEVERITIES]
    return min(rated, key=SEVERITIES.index) if rated else None


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    found = open_suggestions(model, site)
    if not found:
        return ('<p class="tm-muted">No open suggestions: every threat the suggestion rules '
                "find from this model's facts is addressed or dismissed.</p>")
    groups: dict[str, list[Suggestion]] = {}
    for s in found:
        groups.setdefault(s.rule, []).append(s)
    counts: dict[str | None, int] = {}
    for s in found:
        counts[s.severity] = counts.get(s.severity, 0) + 1
    by = " ".join(_severity_badge(level, counts[level])
                  for level in (*SEVERITIES, None) if counts.get(level))
    intro = (f'<p class="tm-summary"><strong>{plural(len(found), "open suggestion")}</strong> '
             f"from {plural(len(groups), 'rule')}: threats found from the model's facts that "
             "no threat with the same STRIDE letter covers yet (<code>threatmodel suggest"
             f'</code>).</p><p class="tm-summary tm-suggestion-severities">By severity: {by}'
             "</p>")
    if site.options.redact != "none":
        return intro
    sections = [_rule_section(group) for group in groups.values()]
    return intro + "".join(sections)


def _rule_section(group: list[Suggestion]) -> str:
    """One rule's open suggestions, folded: a row per target."""
    first = group[0]
    letter = STRIDE_NAMES.get(first.stride, "")
    rows = [f"<tr><td><code>{h(s.target)}</code></td><td>{h(s.title)}</td>"
            f'<td><div class="tm-text">{h(s.reason)}</div></td>'
            f"<td>{h(s.likelihood)} × {h(s.impact)}</td>"
            f"<td>{_severity_badge(s.severity)}</td></tr>" for s in group]
    summary = (f"<code>{h(first.rule)}</code> {h(first.name)} "
               f'(<abbr title="{h(letter)}">{h(first.stride)}</abbr>): '
               f"{plural(len(group), 'target')}, highest {_severity_badge(_worst(group))}")
    return (f'<details class="tm-items tm-suggestion-rule" data-rule="{h(first.rule)}">'
            f"<summary>{summary}</summary>"
            + table(["Target", "Suggestion", "Why", "Likelihood × impact", "Severity"], rows,
                    "tm-suggestions")
            + "</details>")


def register_counts(site: Site, current: str) -> str:
    """One line: how many open suggestions each model has."""
    if not site.models:
        return ""
    parts = [f"{model_link(site, m, current)} {len(open_suggestions(m, site))}"
             for m in site.models]
    total = sum(len(open_suggestions(m, site)) for m in site.models)
    return (f'<p class="tm-summary tm-suggestion-counts">Open suggestions '
            f"({total}): {', '.join(parts)}</p>")
