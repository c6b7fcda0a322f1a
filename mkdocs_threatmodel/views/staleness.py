"""Staleness on pages: the badge's reasons on a model page, and the staleness dashboard.

Works on any objects shaped like :class:`mkdocs_threatmodel.staleness.ModelStaleness`
(``state``, ``reasons`` with ``code``, ``message``, ``commits``, ``paths`` and
``command``; commits with ``short`` or ``sha``, ``date``, ``author``, ``subject``).
"""

from __future__ import annotations

import re
from typing import Any

from .badges import model_link, plural, state_badge, table
from .blocks import Block, Html
from .escape import h
from .site import Site

COMMITS_SHOWN = 5
PATHS_SHOWN = 8
_STATE_ORDER = {"stale": 0, "unknown": 1, "current": 2}
_FIX = re.compile(r";[^;]*\b(?:record a review|fetch more history)\b.*$", re.DOTALL)


def _headline(reason: Any) -> str:
    """The message without what the page shows apart (its commits and the fix command)."""
    message = str(getattr(reason, "message", "") or "")
    if getattr(reason, "commits", None):
        message = message.split(": ", 1)[0]
    return _FIX.sub("", message)


def _commit(commit: Any) -> str:
    sha = getattr(commit, "short", None) or str(getattr(commit, "sha", ""))[:10]
    return (f'<li><code>{h(sha)}</code> {h(getattr(commit, "date", ""))} '
            f'<span class="tm-muted">{h(getattr(commit, "author", ""))}</span>: '
            f'{h(getattr(commit, "subject", ""))}</li>')


def reason_html(reason: Any) -> str:
    commits = list(getattr(reason, "commits", None) or [])
    paths = list(getattr(reason, "paths", None) or [])
    out = (f'<li><code class="tm-code">{h(getattr(reason, "code", ""))}</code> '
           f'{h(_headline(reason))}')
    if commits:
        shown = "".join(_commit(c) for c in commits[-COMMITS_SHOWN:][::-1])
        more = (f'<li class="tm-muted">and {len(commits) - COMMITS_SHOWN} older</li>'
                if len(commits) > COMMITS_SHOWN else "")
        out += f'<ul class="tm-commits">{shown}{more}</ul>'
    if paths and commits:
        listed = ", ".join(f"<code>{h(p)}</code>" for p in paths[:PATHS_SHOWN])
        if len(paths) > PATHS_SHOWN:
            listed += f" and {len(paths) - PATHS_SHOWN} more"
        out += f'<div class="tm-paths">{plural(len(paths), "path")}: {listed}</div>'
    command = getattr(reason, "command", "")
    if command:
        out += f'<div class="tm-command">Fix: <code>{h(command)}</code></div>'
    return out + "</li>"


def reasons_html(judged: Any) -> str:
    """The reasons of one judgement as a list (empty when there are none)."""
    reasons = list(getattr(judged, "reasons", None) or [])
    if not reasons:
        return ""
    items = "".join(reason_html(r) for r in reasons)
    return f'<div class="tm-reasons"><ul>{items}</ul></div>'


def render_dashboard(site: Site, current: str) -> list[Block]:
    """Every model with its freshness, last review, next due date and stale reasons."""
    today = site.options.today
    entries = []
    for model in site.models:
        due = site.due(model)
        entries.append((_STATE_ORDER.get(site.state(model), 1),
                        due.isoformat() if due else "9999", model.title.lower(), model, due))
    entries.sort(key=lambda e: e[:3])
    counts: dict[str, int] = {}
    rows = []
    for _, _, _, model, due in entries:
        state = site.state(model)
        counts[state] = counts.get(state, 0) + 1
        judged = site.stale(model)
        review = (h(model.reviewed_date.isoformat()) if model.reviewed_date
                  else '<span class="tm-muted">never</span>')
        if model.reviewed_by:
            review += f'<br><span class="tm-muted">by {h(model.reviewed_by)}</span>'
        if due is None:
            due_cell = '<span class="tm-muted">no interval</span>'
        else:
            late = due < today
            due_cell = (f'<span class="{"tm-overdue" if late else ""}">{h(due.isoformat())}'
                        "</span>")
        why = reasons_html(judged) if judged is not None else ""
        if not why and state == "stale":
            why = '<span class="tm-overdue">review overdue</span>'
        rows.append(
            f'<tr class="tm-state-row-{h(state)}" data-state="{h(state)}">'
            f"<td>{model_link(site, model, current)}</td>"
            f'<td>{h(model.owner) if model.owner else ""}</td>'
            f'<td data-sort="{_STATE_ORDER.get(state, 1)}">{state_badge(state)}</td>'
            f'<td data-sort="{h(model.reviewed_date.isoformat() if model.reviewed_date else "")}">'
            f"{review}</td>"
            f'<td data-sort="{h(due.isoformat() if due else "")}">{due_cell}</td>'
            f"<td>{why}</td></tr>")
    summary = ", ".join(f"{counts[s]} {s}" for s in ("stale", "unknown", "current")
                        if counts.get(s))
    note = ""
    if not site.options.staleness_available:
        note = ('<p class="tm-note">Git history was not available for this build: freshness '
                "comes from review dates only.</p>")
    intro = (f'<p class="tm-summary"><strong>{plural(len(site.models), "model")}</strong>'
             f'{": " + summary if summary else ""}.</p>{note}')
    head = ["Model", "Owner", "Freshness", "Last review", "Next review due", "Why"]
    return [Html(intro + table(head, rows, "tm-staleness", sortable=True))]
