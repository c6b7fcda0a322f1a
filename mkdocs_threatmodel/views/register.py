"""The threat register: every threat of every model in one table, by risk band, then status.

A threat that gives some targets their own status or rating has a row per target (see
:mod:`.targets`). Untriaged candidates come last and are counted apart. In the browser
the table is a tool: filters by model, owner, status, STRIDE letter and risk band,
sorting by any column across the whole register, and a CSV download of the rows shown
(``threatmodel/assets/threatmodel.js``); without JavaScript it stays in risk-then-status
order. Anchors are stable: ``#tm-register-high`` is the first row of a band.
"""

from __future__ import annotations

from ..format.model import STRIDE_NAMES, Model, TargetView
from ..format.spec import UNTRIAGED
from .badges import (
    BANDS,
    STATUS_ORDER,
    STATUS_TEXT,
    WITHHELD,
    model_link,
    plural,
    risk_badge,
    status_badge,
    stride_letters,
    table,
    threat_link,
    ticket_cell,
)
from .blocks import Block, Heading, Html
from .escape import h
from .heatmap import render as heatmap
from .site import Site
from .suggestions import register_counts
from .targets import entries, name_of

GROUP_TEXT = {"critical": "Critical risk", "high": "High risk", "medium": "Medium risk",
              "low": "Low risk", "unrated": "Not rated", UNTRIAGED: "Candidates to triage"}
GROUP_BADGE = {"unrated": "none", UNTRIAGED: "untriaged"}


def _levels(entry: TargetView) -> str:
    if not entry.likelihood and not entry.impact:
        return ""
    return (f'<span class="tm-li">L {h(entry.likelihood or "?")} &times; '
            f'I {h(entry.impact or "?")}</span>')


def _row(entry: TargetView, model: Model, site: Site, current: str, band: str,
         first: bool) -> str:
    threat, risk = entry.threat, entry.risk
    title = (f'<span class="tm-withheld">{WITHHELD}</span>' if site.options.withheld(threat)
             else h(threat.title))
    if entry.target:
        title += f' <span class="tm-muted">on {h(name_of(model, entry.target)[0])}</span>'
    ident = f' id="tm-register-{band}"' if first else ""
    data = (f' data-band="{band}" data-model="{h(model.id)}" data-status="{h(entry.status)}"'
            f' data-owner="{h(threat.owner or "")}" data-stride="{h(" ".join(threat.stride))}"')
    levels = _levels(entry)
    return (f"<tr{ident}{data}>"
            f'<td data-label="ID">{threat_link(site, threat, model, current)}</td>'
            f'<td data-label="Threat">{title}</td>'
            f'<td data-label="Model">{model_link(site, model, current)}</td>'
            f'<td data-label="STRIDE" class="tm-stride">{stride_letters(threat.stride)}</td>'
            f'<td data-label="Risk" data-sort="{risk.score if risk else 0}">{risk_badge(risk)}'
            f'{" " + levels if levels else ""}</td>'
            f'<td data-label="Status" data-sort="{STATUS_ORDER.get(entry.status, 9)}">'
            f"{status_badge(entry.status)}</td>"
            f'<td data-label="Owner">{h(threat.owner or "")}</td>'
            f'<td data-label="Ticket">{ticket_cell(site, entry.ticket)}</td></tr>')


def _select(name: str, label: str, choices: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{h(v)}">{h(t)}</option>' for v, t in choices)
    return (f'<label>{label} <select data-tm-filter="{name}"><option value="">all</option>'
            f"{options}</select></label>")


def _tools(site: Site, rows: list[tuple[TargetView, Model, str]]) -> str:
    """The filters, the count shown and the CSV download (shown by the script)."""
    models = sorted({(m.id, m.title or m.id) for _, m, _ in rows}, key=lambda p: p[1].lower())
    owners = sorted({e.threat.owner for e, _, _ in rows if e.threat.owner}, key=str.lower)
    statuses = sorted({e.status for e, _, _ in rows}, key=lambda s: STATUS_ORDER.get(s, 9))
    letters = [s for s in STRIDE_NAMES if any(s in e.threat.stride for e, _, _ in rows)]
    bands = [b for b in (*BANDS, "unrated", UNTRIAGED) if any(r[2] == b for r in rows)]
    return ('<div class="tm-register-tools" data-tm-register hidden>'
            + _select("model", "Model", models)
            + _select("owner", "Owner", [(o, o) for o in owners])
            + _select("status", "Status", [(s, STATUS_TEXT.get(s, s)) for s in statuses])
            + _select("stride", "STRIDE", [(s, f"{s} {STRIDE_NAMES[s]}") for s in letters])
            + _select("band", "Risk", [(b, GROUP_TEXT[b]) for b in bands])
            + f'<span class="tm-register-shown" aria-live="polite">{len(rows)} of {len(rows)} '
            f"rows</span>"
            '<button type="button" class="md-button tm-register-csv">Download CSV</button>'
            "</div>")


def render(site: Site, current: str) -> list[Block]:
    groups: dict[str, list[tuple[TargetView, Model]]] = {}
    statuses: dict[str, int] = {}
    for threat, model in site.all_threats():
        for entry in entries(threat):
            band = (UNTRIAGED if entry.status == UNTRIAGED
                    else entry.risk.band if entry.risk else "unrated")
            groups.setdefault(band, []).append((entry, model))
            statuses[entry.status] = statuses.get(entry.status, 0) + 1
    total = sum(len(v) for v in groups.values())
    if not total:
        return [Html('<p class="tm-muted">No threats recorded yet.</p>'
                     + register_counts(site, current))]
    counts = " ".join(
        f'<span class="tm-count tm-status-{s if s in STATUS_ORDER else "unknown"}">'
        f'{n} {h(STATUS_TEXT.get(s, s))}</span>'
        for s, n in sorted(statuses.items(), key=lambda kv: STATUS_ORDER.get(kv[0], 9)))
    jump = " ".join(f'<a class="tm-badge tm-risk-{GROUP_BADGE.get(b, b)}" '
                    f'href="#tm-register-{b}">{len(groups[b])} {GROUP_TEXT[b].lower()}</a>'
                    for b in (*BANDS, "unrated") if b in groups)
    triaged = total - len(groups.get(UNTRIAGED, []))
    threats = sum(len(m.threats) for m in site.models)
    split = f" ({total} when counted per target)" if total != threats else ""
    intro = (f'<p class="tm-summary"><strong>{plural(threats, "threat")}</strong>{split} in '
             f'{plural(len(site.models), "model")}: {counts}</p>'
             f'<p class="tm-summary">By risk: {jump or "none triaged"}</p>'
             + register_counts(site, current))
    if UNTRIAGED in groups:
        n = len(groups[UNTRIAGED])
        intro += (f'<p class="tm-summary">{plural(triaged, "threat")} triaged, and '
                  f'<a class="tm-badge tm-status-untriaged" href="#tm-register-{UNTRIAGED}">'
                  f"{plural(n, 'candidate')} to triage</a>, not yet judged or rated.</p>")
    if any(site.options.withheld(t) for t, _ in site.all_threats()):
        intro += ('<p class="tm-note">This site leaves out the details of threats that are not '
                  "mitigated yet.</p>")
    blocks: list[Block] = [Html(intro + heatmap(list(site.all_threats()), site, current,
                                                "tm-register-heat", "tm-register-"))]
    head = ["ID", "Threat", "Model", "STRIDE", "Risk", "Status", "Owner", "Ticket"]
    ordered: list[tuple[TargetView, Model, str]] = []
    for band in (*BANDS, "unrated", UNTRIAGED):
        items = groups.get(band, [])
        items.sort(key=lambda em: (STATUS_ORDER.get(em[0].status, 9),
                                   -(em[0].risk.score if em[0].risk else 0),
                                   em[1].title.lower(), em[0].threat.id, em[0].target))
        ordered += [(e, m, band) for e, m in items]
    rows = [_row(e, m, site, current, band, i == 0 or ordered[i - 1][2] != band)
            for i, (e, m, band) in enumerate(ordered)]
    blocks.append(Heading(2, "All threats", "tm-register-all"))
    blocks.append(Html(table(head, rows, "tm-register", sortable=True,
                             before=_tools(site, ordered))))
    return blocks
