"""A threat's changes over time and the site's risk over time, read from a real git history
(commits at fixed dates in a temporary repository), and ADR status placement."""

from __future__ import annotations

import datetime as dt
import re

from mkdocs_threatmodel.diff.timeline import Timeline, threat_events
from mkdocs_threatmodel.render.engine import render_site
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.views import risk_trend, threat_panel
from mkdocs_threatmodel.views.adr_status import badge, is_adr_status, place
from mkdocs_threatmodel.views.citations import citing_pages
from mkdocs_threatmodel.views.site import Options, Site
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.sites import CHECKOUT, model, model_file

PATH = "docs/models/checkout.md"


def _threat(status: str, **extra) -> dict:
    return {"id": "CO-1", "title": "Guessable order id exposes labels", "stride": ["I"],
            "targets": ["api"], "story": "I enumerate order ids.", "likelihood": "high",
            "impact": "high", "status": status, **extra}


def _history(repo) -> None:
    """CO-1 added open in January, mitigating in February (new owner), accepted in April
    (expiring in June); the model reviewed in April."""
    base = CHECKOUT["threats"][1:]
    steps = [
        ("2026-01-10", [_threat("open"), *base], "2026-01-10"),
        ("2026-02-03", [_threat("mitigating", owner="team-b"), *base], "2026-01-10"),
        ("2026-04-20", [_threat("accepted", owner="team-b", acceptance={
            "by": "CFO", "date": "2026-04-20", "expires": "2026-06-30",
            "rationale": "Low volume."}), *base], "2026-04-20"),
    ]
    for date, threats, reviewed in steps:
        data = model(threats=threats, reviewed={"date": reviewed, "by": "Dana"})
        repo.write(PATH, model_file(data))
        repo.commit(f"checkout on {date}", date=date)


def _site(repo, today: str) -> Site:
    found = validate(Repository.at(repo.root), keep_models=True).models
    site = Site(found, {m.path: "models/checkout/" for m in found},
                options=Options(today=dt.date.fromisoformat(today)))
    site.history = Timeline(repo.root, [m.path for m in found])
    return site


def test_a_threats_changes_come_from_its_models_history(repo):
    _history(repo)
    timeline = Timeline(repo.root, [PATH, "docs/nothing.md"])
    versions = timeline.versions(PATH)
    assert [v.date.isoformat() for v in versions] == ["2026-04-20", "2026-02-03", "2026-01-10"]
    assert timeline.versions("docs/nothing.md") == []
    events = [(e.date.isoformat(), e.text) for e in threat_events(versions, "CO-1")]
    assert events == [("2026-01-10", "added as open, high 9"),
                      ("2026-02-03", "status open → mitigating"),
                      ("2026-02-03", "owner team-checkout → team-b"),
                      ("2026-04-20", "status mitigating → accepted")]
    assert timeline.at(PATH, dt.date(2026, 3, 31)).threats[0].status == "mitigating"
    assert timeline.at(PATH, dt.date(2025, 12, 31)) is None


def test_the_threat_panel_shows_status_history_and_citing_pages(repo):
    _history(repo)
    site = _site(repo, "2026-05-01")
    site.cited_by = citing_pages([
        ("adr/0001/", "Use signed tokens", "# Use signed tokens\n\nSee [[threat:CO-1]].\n"),
        ("notes/", "Notes", "```\n[[threat:CO-2]]\n```\n")])  # in code: no citation
    assert set(site.cited_by) == {"CO-1"}
    m = site.models[0]
    blocks = threat_panel.render(m, site, "models/checkout/")
    head, panel = blocks[0], blocks[1]
    assert (head.level, head.anchor, head.toc) == (3, "threat-CO-1", False)
    assert panel.search.startswith("CO1 I enumerate order ids.")
    html = panel.html
    assert html.index("added as open") < html.index("status open → mitigating") \
        < html.index("status mitigating → accepted")
    assert '<a href="../../adr/0001/">Use signed tokens</a>' in html
    assert "tm-badge tm-status-accepted" in html


def test_risk_over_time_counts_each_month_from_git(repo):
    _history(repo)
    site = _site(repo, "2026-06-30")
    months = risk_trend.month_ends(site.options.today, 6)
    assert months[0] == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert months[-1] == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    m = site.models[0]
    rows = {start.month: risk_trend.month_row([(m, site.history.at(m.path, end))], start, end)
            for start, end in months}
    # CO-5 (high, mitigating) is open throughout; CO-1 is open (high 9) until April
    assert rows[1]["bands"]["high"] == 2 and rows[3]["bands"]["high"] == 2
    assert rows[4]["bands"]["high"] == 1
    assert [rows[i]["taken"] for i in range(1, 7)] == [0, 0, 0, 1, 0, 0]
    assert [rows[i]["expired"] for i in range(1, 7)] == [0, 0, 0, 0, 0, 1]
    assert [len(rows[i]["reviewed"]) for i in range(1, 7)] == [1, 0, 0, 1, 0, 0]
    html = risk_trend.render(site, "threat-risk/")[0].html
    assert re.search(r"<th scope=\"row\">2026-04</th>.*?</tr>", html, re.S)
    assert html.count("<tr>") == 1 + risk_trend.MONTHS


def test_risk_page_is_written_by_render(repo, tmp_path):
    _history(repo)
    done = render_site(repo.root / "docs", tmp_path / "out", on=dt.date(2026, 6, 30))
    assert "threat-risk.md" in done.written
    text = (tmp_path / "out/threat-risk.md").read_text("utf-8")
    assert "# Risk over time" in text and 'class="tm-table tm-risk-trend"' in text
    page = (tmp_path / "out/models/checkout.md").read_text("utf-8")
    assert '<h3 id="threat-CO-1" class="tm-html-head">CO-1 Guessable' in page


def test_adr_status_badge():
    assert is_adr_status("superseded by 0008-hmac.md") and is_adr_status("Accepted")
    assert not is_adr_status("new-feature") and not is_adr_status(None)
    assert badge("superseded by 0008-hmac.md") == (
        '<span class="tm-adr-status">Status: <span class="tm-badge tm-adr-superseded">'
        "superseded</span> by [0008&#45;hmac&#46;md](0008-hmac.md)</span>")
    assert "[" not in badge("superseded by <script>x</script>")
    assert place("---\n# T\n\nText\n", "accepted").split("\n")[2] == ""
    assert place("# T\nText\n", "accepted").split("\n")[2].startswith('<span class="tm-adr')


def test_a_long_history_is_read_in_part_and_says_so(repo):
    """Only the newest HISTORY_VERSIONS versions are parsed for a threat's changes; the
    panel says from when. Every version is still listed (ids and dates)."""
    from mkdocs_threatmodel.diff.timeline import HISTORY_VERSIONS

    count = HISTORY_VERSIONS + 3
    for i in range(count):
        threats = [_threat("open", ticket=f"HC-{i}"), *CHECKOUT["threats"][1:]]
        repo.write(PATH, model_file(model(threats=threats)))
        repo.commit(f"ticket {i}", date=f"2026-01-{i + 1:02d}")
    site = _site(repo, "2026-02-01")
    assert len(site.history.entries(PATH)) == count
    assert site.history.complete(PATH)
    html = threat_panel.render(site.models[0], site, "models/checkout/")[1].html
    first_read = f"2026-01-{count - HISTORY_VERSIONS + 1:02d}"
    assert f"changes before {first_read} not read" in html
    # the oldest version read is where reading starts: its threats were not added then
    assert "ticket HC-3 → HC-4" in html and "added as" not in html
    assert html.count("<li><time") == HISTORY_VERSIONS - 1
