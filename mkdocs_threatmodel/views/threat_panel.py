"""Threat details: a deep-linkable panel per threat, under an HTML heading of its own.

Each threat's heading (``id="threat-CHK-003"``) starts a section of the page, so a site's
search lists the threat on its own (its id, also written without the hyphen, its title
and story) and links to its panel. The panel shows the threat's rating, status, owner and
ticket, its story, mitigations and tests, the pages that cite it (``[[threat:ID]]``) and
its changes over time, read from git history (:mod:`..diff.timeline`).
"""

from __future__ import annotations

from ..format.model import Model, Threat
from .badges import WITHHELD, level_pair, risk_badge, risk_of, status_badge, ticket_cell
from .blocks import Block, Heading, Html
from .escape import anchor, h, one_line
from .site import Site, relative_url
from .threats import cited_mitigations

MAX_EVENTS = 12  # changes shown per threat, newest last


def panel_id(threat: Threat) -> str:
    return anchor("threat-", threat.id)


def search_text(threat: Threat, site: Site) -> str:
    """The panel's search text: the id also without hyphens and dots (search engines split
    ``CHK-003`` in two, so ``CHK003`` finds it too), and what the site does not withhold."""
    parts = [threat.id.replace("-", "").replace(".", "").replace("_", "")]
    if not site.options.withheld(threat):
        parts += [threat.story or "", threat.mitigation or ""]
    return one_line(" ".join(p for p in parts if p))


def _history(threat: Threat, events: dict | None, cut: str | None) -> str:
    if events is None:
        return ""
    mine = events.get(threat.id, [])
    if not mine:
        return ('<div class="tm-history"><span class="tm-label">History</span> '
                '<span class="tm-muted">not in the git history yet</span></div>')
    shown = mine[-MAX_EVENTS:]
    more = len(mine) - len(shown)
    items = "".join(
        f'<li><time datetime="{e.date.isoformat()}">{e.date.isoformat()}</time> '
        f'<code>{h(e.sha[:8])}</code> {h(e.text)}</li>' for e in shown)
    older = f'<li class="tm-muted">{more} earlier changes</li>' if more else ""
    if cut:
        older = f'<li class="tm-muted">changes before {h(cut)} not read</li>' + older
    return (f'<div class="tm-history"><span class="tm-label">History</span>'
            f"<ul>{older}{items}</ul></div>")


def _events(model: Model, site: Site) -> tuple[dict | None, str | None]:
    """Each threat's changes in the model's newest versions, and the date before which
    versions were not read (``None`` when every version was)."""
    timeline = site.history
    if timeline is None:
        return None, None
    from ..diff.timeline import model_events

    versions = timeline.versions(model.path)
    listed = timeline.entries(model.path)
    cut = None
    if versions and (len(listed) > len(versions) or not timeline.complete(model.path)):
        cut = versions[-1].date.isoformat()
    return model_events(versions, from_start=cut is None), cut


def _cited(threat: Threat, site: Site, current: str) -> str:
    pages = site.cited_by.get(threat.id, [])
    if not pages:
        return ""
    links = ", ".join(f'<a href="{h(relative_url(url, current))}">{h(title)}</a>'
                      for url, title in pages)
    return f'<div class="tm-cited-by"><span class="tm-label">Cited in</span> {links}</div>'


def _panel(model: Model, threat: Threat, site: Site, current: str,
           history: tuple[dict | None, str | None]) -> str:
    facts = (f'{risk_badge(risk_of(threat))}{level_pair(threat)} {status_badge(threat.status)} '
             f'<span class="tm-label">Owner</span> {h(threat.owner or model.owner or "none")} '
             f'<span class="tm-label">Ticket</span> {ticket_cell(site, threat.ticket)} '
             f'<a class="tm-to-row" href="#{h(threat.id)}">in the table</a>')
    parts = [f'<div class="tm-panel-facts">{facts}</div>']
    if site.options.withheld(threat):
        parts.append(f'<div class="tm-withheld">{WITHHELD}</div>')
    else:
        if threat.story:
            parts.append(f'<div class="tm-text tm-story">{h(threat.story)}</div>')
        mids = []
        for mid in cited_mitigations(threat):
            found = model.mitigation(mid)
            mids.append(f"{h(mid)} {h(found.title)}" if found else h(mid))
        if threat.mitigation or mids:
            text = h(threat.mitigation or "")
            listed = f'<ul>{"".join(f"<li>{m}</li>" for m in mids)}</ul>' if mids else ""
            parts.append(f'<div class="tm-mitigation"><span class="tm-label">Mitigation</span> '
                         f"{text}{listed}</div>")
        if threat.tests:
            tests = ", ".join(f"<code>{h(t)}</code>" for t in threat.tests)
            parts.append(f'<div class="tm-tests"><span class="tm-label">Tests</span> '
                         f"{tests}</div>")
    parts.append(_cited(threat, site, current))
    parts.append(_history(threat, *history))
    return f'<div class="tm-threat-panel">{"".join(parts)}</div>'


def render(model: Model, site: Site, current: str) -> list[Block]:
    """A heading and a panel per threat, judged ones first, in the model's order."""
    if not model.threats:
        return [Html('<p class="tm-muted">No threats recorded yet.</p>')]
    ordered = ([t for t in model.threats if not t.is_untriaged]
               + [t for t in model.threats if t.is_untriaged])
    blocks: list[Block] = []
    history = _events(model, site)
    for threat in ordered:
        title = threat.id if site.options.withheld(threat) else f"{threat.id} {threat.title}"
        blocks.append(Heading(3, title, panel_id(threat), toc=False))
        blocks.append(Html(_panel(model, threat, site, current, history),
                           search_text(threat, site)))
    return blocks
