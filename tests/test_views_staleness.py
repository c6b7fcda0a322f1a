"""Staleness on pages, from real judgements of a real git history."""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_threatmodel.staleness.judge import Assessment
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.views import header, owners
from mkdocs_threatmodel.views.site import Options, Site
from mkdocs_threatmodel.views.staleness import reasons_html, render_dashboard
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.sites import ADR, CHECKOUT, FixtureSite, model, model_file

TODAY = dt.date(2026, 11, 27)
PATH = "docs/models/checkout.md"


@pytest.fixture
def stale_repo(repo):
    """A model covering src/**, committed, then a commit that changes src/app.py."""
    repo.write("src/app.py", "print('v1')\n")
    repo.write("docs/adr/0001-checkout.md", ADR)
    repo.write(PATH, model_file(model(CHECKOUT, covers=["src/**"])))
    repo.write("docs/models/other.md", model_file(model(
        CHECKOUT, id="other", title="Other", owner="team-other",
        threats=[dict(t, id="OT-" + t["id"]) for t in CHECKOUT["threats"]])))
    repo.commit("Add the checkout model")
    repo.write("src/app.py", "print('v2')\n")
    repo.commit("Change the app <b>bold</b>")
    return repo


def judged(repo):
    repository = Repository.at(repo.root)
    models = validate(repository, keep_models=True, on=TODAY).models
    results = Assessment(repository, TODAY).run()
    urls = {m.path: f"models/{m.id}/" for m in models}
    return Site(models, urls, results, Options(today=TODAY, staleness_available=True)), results


def test_reasons_show_commits_and_the_command_that_records_a_review(stale_repo):
    site, results = judged(stale_repo)
    judgement = results[PATH]
    assert judgement.state == "stale"
    html = reasons_html(judgement)
    commit = judgement.reasons[0].commits[0]
    assert f"<code>{commit.short}</code>" in html
    assert "Change the app &lt;b&gt;bold&lt;/b&gt;" in html and "<b>" not in html
    assert f"Fix: <code>threatmodel review {PATH}</code>" in html
    assert "<code>src/app.py</code>" in html
    assert "TM501" in html


def test_header_dashboard_and_owners_show_the_judgement(stale_repo):
    site, _ = judged(stale_repo)
    checkout = site.by_id["checkout"]
    top = header.render(checkout, site, "models/checkout/")
    assert 'class="tm-header tm-header-stale"' in top
    assert 'tm-state-stale" title="judged from git history">stale<' in top
    assert "TM501" in top
    board = render_dashboard(site, "threat-staleness/")[0].html
    assert board.index("Checkout") < board.index("Other")  # stale first
    assert "1 stale" in board
    found = {o.name: o for o in owners.collect(site)}
    assert [m.id for m in found["team-checkout"].stale] == ["checkout"]


@pytest.mark.slow
def test_plugin_reports_stale_findings_or_only_shows_them(stale_repo, tmp_path):
    site = FixtureSite(stale_repo.root)
    site.configure("mkdocs")
    report = site.build("--strict", cache=tmp_path / "cache")
    assert report.code == 1
    assert any(line.startswith("WARNING") and f"{PATH}:" in line and " TM501 " in line
               for line in report.log.splitlines()), report.log
    site.configure("mkdocs", {"staleness": "show"})
    shown = site.build("--strict", cache=tmp_path / "cache")
    assert shown.code == 0, shown.log
    page = shown.page("models/checkout/")
    assert "tm-header-stale" in page and "Change the app" in page
    site.configure("mkdocs", {"staleness": "off"})
    off = site.build("--strict", cache=tmp_path / "cache")
    assert off.code == 0, off.log
    assert "judged from the review date only" in off.page("models/checkout/")
