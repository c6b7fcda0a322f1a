"""Open suggestions (``threatmodel suggest``): a model page's list, the register's counts.

A site that withholds threat details (``redact``) shows only how many suggestions are open:
an open suggestion names a weakness no threat covers yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format.model import Model
from .badges import model_link, plural, table
from .escape import h
from .site import Site

if TYPE_CHECKING:
    from ..suggest.engine import Suggestion


def open_suggestions(model: Model, site: Site) -> list[Suggestion]:
    """The model's suggestions that no threat addresses and the model does not dismiss."""
    from ..suggest.engine import suggest  # only when made: a kept page needs no rules

    cache = site.__dict__.setdefault("_open_suggestions", {})
    if model.path not in cache:
        classes = site.options.classifications
        cache[model.path] = [s for s in suggest(model, classes) if s.open]
    return cache[model.path]


def render(model: Model, site: Site, current: str, anchors: bool = True) -> str:
    found = open_suggestions(model, site)
    if not found:
        return ('<p class="tm-muted">No open suggestions: every threat the suggestion rules '
                "find from this model's facts is addressed or dismissed.</p>")
    intro = (f'<p class="tm-summary"><strong>{plural(len(found), "open suggestion")}</strong>: '
             "threats found from the model's facts that no threat with the same STRIDE letter "
             "covers yet (<code>threatmodel suggest</code>).</p>")
    if site.options.redact != "none":
        return intro
    rows = [f"<tr><td><code>{h(s.rule)}</code></td><td>{h(s.stride)}</td>"
            f"<td><code>{h(s.target)}</code></td><td>{h(s.title)}</td>"
            f'<td><div class="tm-text">{h(s.reason)}</div></td>'
            f"<td>{h(s.likelihood)} × {h(s.impact)}</td></tr>" for s in found]
    return intro + table(["Rule", "STRIDE", "Target", "Suggestion", "Why", "Likelihood × impact"],
                         rows, "tm-suggestions")


def register_counts(site: Site, current: str) -> str:
    """One line: how many open suggestions each model has."""
    if not site.models:
        return ""
    parts = [f"{model_link(site, m, current)} {len(open_suggestions(m, site))}"
             for m in site.models]
    total = sum(len(open_suggestions(m, site)) for m in site.models)
    return (f'<p class="tm-summary tm-suggestion-counts">Open suggestions '
            f"({total}): {', '.join(parts)}</p>")
