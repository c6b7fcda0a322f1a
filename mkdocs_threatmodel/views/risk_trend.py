"""Risk over time: per month, the open risk by band, the acceptances taken and expired, and
the models reviewed, read from each model file as git history left it at the month's end.

Reads :attr:`Site.history` (a :class:`..diff.timeline.Timeline`: one bounded ``git log``
for all models, each version parsed once), so the cost is one look-up per model per month.
"""

from __future__ import annotations

import datetime as dt

from ..format.model import Model
from ..format.spec import OPEN_STATUSES
from .badges import BANDS, model_link, plural, risk_of, table
from .blocks import Block, Html
from .site import Site

MONTHS = 12
NONE = '<span class="tm-muted">none</span>'


def month_ends(today: dt.date, count: int = MONTHS) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day counted) of the last ``count`` months, oldest first; the
    current month ends today."""
    out = []
    first = today.replace(day=1)
    end = today
    for _ in range(count):
        out.append((first, end))
        end = first - dt.timedelta(days=1)
        first = end.replace(day=1)
    return out[::-1]


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def month_row(models: list[tuple[Model, Model | None]], start: dt.date,
              end: dt.date) -> dict:
    """What one month shows: open threats by band, acceptances taken and expired, reviews.
    ``models`` pairs each site model with its version at ``end`` (or ``None``)."""
    bands = dict.fromkeys((*BANDS, "unrated"), 0)
    taken, expired, reviewed = 0, 0, []
    for current, then in models:
        if then is None:
            continue
        for threat in then.threats:
            if threat.status in OPEN_STATUSES:
                risk = risk_of(threat)
                bands[risk.band if risk else "unrated"] += 1
            acc = threat.acceptance
            if threat.status == "accepted" and acc is not None:
                taken += _within(acc.date, start, end)
                expired += _within(acc.expires, start, end)
        if _within(then.reviewed_date, start, end):
            reviewed.append(current)
    return {"bands": bands, "taken": taken, "expired": expired, "reviewed": reviewed}


def render(site: Site, current: str) -> list[Block]:
    timeline = site.history
    if timeline is None:
        return [Html('<p class="tm-muted">Risk over time is read from git history, which this '
                     "build does not have.</p>")]
    if not site.models:
        return [Html('<p class="tm-muted">No threat models yet.</p>')]
    rows = []
    peak = 1
    data = []
    months = month_ends(site.options.today)
    blobs = {(m.path, end): timeline.blob_at(m.path, end) for m in site.models
             for _, end in months}
    models = timeline.models([b for b in blobs.values() if b])  # one read for all
    unknown = set()
    for m in site.models:
        listed = timeline.entries(m.path)
        if listed and not timeline.complete(m.path):
            unknown |= {(m.path, end) for _, end in months if end < listed[-1][1]}
    for start, end in months:
        pairs = [(m, models.get(blobs[m.path, end] or "")) for m in site.models]
        row = month_row(pairs, start, end)
        row["unknown"] = sum((m.path, end) in unknown for m in site.models)
        peak = max(peak, sum(row["bands"].values()))
        data.append((start, row))
    for start, row in data:
        total = sum(row["bands"].values())
        bar = "".join(
            f'<span class="tm-trend-bar tm-risk-{b if b != "unrated" else "none"}" '
            f'style="width:{100 * n / peak:.1f}%" title="{n} {b}"></span>'
            for b, n in row["bands"].items() if n)
        counts = " ".join(f"<td>{n}</td>" for n in row["bands"].values())
        reviewed = ", ".join(model_link(site, m, current) for m in row["reviewed"])
        partial = (f' <span class="tm-muted" title="models whose history was not read this '
                   f'far back">({plural(row["unknown"], "model")} unknown)</span>'
                   if row["unknown"] else "")
        rows.append(f'<tr><th scope="row">{start.strftime("%Y-%m")}{partial}</th>'
                    f'<td class="tm-trend"><span class="tm-trend-bars">{bar}</span> {total}'
                    f"</td>{counts}<td>{row['taken']}</td><td>{row['expired']}</td>"
                    f"<td>{reviewed or NONE}</td></tr>")
    head = ["Month", "Open", *(b.capitalize() for b in BANDS), "Unrated",
            "Acceptances taken", "Acceptances expired", "Models reviewed"]
    note = (f'<p class="tm-summary">{plural(len(site.models), "model")}, as each stood at '
            "the end of each month (the current month: today) in git history. Open means "
            "open or mitigating.</p>")
    if unknown:
        note += ('<p class="tm-note">The history read was cut at its newest commits: months '
                 "marked unknown leave out the models whose older versions were not read.</p>")
    return [Html(note + table(head, rows, "tm-risk-trend"))]

