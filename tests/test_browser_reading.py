"""The example site as its readers use it, in headless Chromium: Material's search finds a
threat by its id and links to the threat's own anchor; the register's filters, sorting
across bands and CSV download; the register at 390 px; a threat's deep-linkable panel."""

from __future__ import annotations

import csv
import io

import pytest

from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.views.targets import entries
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.sites import EXAMPLE
from tests.test_browser import Tab

ROWS = "table[data-tm-sortable] tbody tr"
VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('.tm-register tbody tr'))
  .filter(r => !r.hidden && r.offsetParent !== null)
  .map(r => Array.from(r.cells).map(c => c.innerText.replace(/\\s+/g, ' ').trim()))"""


@pytest.fixture(scope="module")
def register_rows():
    """(model id, status, band, STRIDE letters) of every register row, from the models."""
    rows = []
    for model in validate(Repository.at(EXAMPLE / "docs"), keep_models=True).models:
        for threat in model.threats:
            for entry in entries(threat):
                band = ("untriaged" if entry.status == "untriaged"
                        else entry.risk.band if entry.risk else "unrated")
                rows.append((model.id, entry.status, band, tuple(threat.stride)))
    return rows


def _search(tab: Tab, query: str) -> list[str]:
    page = tab.page
    field = page.locator("input.md-search__input")
    field.click()
    page.wait_for_function(  # the search index is loaded ("Type to start searching")
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initiali/i.test(m.textContent); }", timeout=30000)
    field.fill(query)  # the whole query at once: the results are its, not a prefix's
    field.press("End")  # Material searches on key presses
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a",
                                     "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("query", ["CHK-003", "CHK003", "chk003"])
def test_search_finds_a_threat_by_its_id_and_links_to_its_anchor(chromium, example_site, query):
    tab = Tab(chromium, example_site)
    try:
        tab.open("")
        links = _search(tab, query)
        # Material lists the page, then its sections: the first section is the threat's
        sections = [link for link in links if "#" in link]
        assert sections and sections[0].endswith("threat-models/guest-checkout/#threat-CHK-003"), \
            links
        tab.page.click(f'.md-search-result__item a[href="{sections[0]}"]')
        tab.page.wait_for_url("**/guest-checkout/#threat-CHK-003")
        box = tab.page.eval_on_selector(
            "#threat-CHK-003", "h => { const r = h.getBoundingClientRect();"
                               " return [r.top, innerHeight, h.textContent]; }")
        assert 0 <= box[0] < box[1] and box[2].startswith("CHK-003 ")
        assert tab.errors == [] and tab.outside == []
    finally:
        tab.close()


def test_a_threat_panel_is_deep_linkable_with_its_history(chromium, example_site):
    tab = Tab(chromium, example_site)
    try:
        tab.open("threat-models/guest-checkout/#threat-CHK-013")
        panel = tab.page.locator("#threat-CHK-013 + .tm-threat-panel")
        assert panel.count() == 1
        text = panel.inner_text()
        assert "mitigated" in text and "History" in text and "added as" in text
        panel.locator("a.tm-to-row").click()
        tab.page.wait_for_url("**/guest-checkout/#CHK-013")
        cited = tab.page.locator("#threat-CHK-001 + .tm-threat-panel .tm-cited-by a")
        assert cited.count() >= 1  # ADR-0007 cites CHK-001
        cited.first.click()
        tab.page.wait_for_url("**/adr/**")
        assert tab.errors == []
    finally:
        tab.close()


def test_register_filters_change_the_rows_shown(chromium, example_site, register_rows):
    tab = Tab(chromium, example_site)
    page = tab.page
    try:
        tab.open("threat-models/register/")
        assert len(page.evaluate(VISIBLE_ROWS)) == len(register_rows)
        page.select_option('select[data-tm-filter="model"]', "guest-checkout")
        page.select_option('select[data-tm-filter="status"]', "open")
        want = [r for r in register_rows if r[0] == "guest-checkout" and r[1] == "open"]
        shown = page.evaluate(VISIBLE_ROWS)
        assert 0 < len(shown) == len(want) < len(register_rows)
        assert all(row[5] == "open" and row[2] == "Guest checkout" for row in shown)
        assert page.inner_text(".tm-register-shown") == f"{len(want)} of {len(register_rows)} rows"
        page.select_option('select[data-tm-filter="model"]', "")
        page.select_option('select[data-tm-filter="status"]', "")
        page.select_option('select[data-tm-filter="stride"]', "R")
        page.select_option('select[data-tm-filter="band"]', "medium")
        want = [r for r in register_rows if "R" in r[3] and r[2] == "medium"]
        shown = page.evaluate(VISIBLE_ROWS)
        assert 0 < len(shown) == len(want)
        assert all("R" in row[3].split() and row[4].startswith("medium") for row in shown)
        assert tab.errors == []
    finally:
        tab.close()


def test_register_sorts_across_the_bands(chromium, example_site):
    tab = Tab(chromium, example_site)
    page = tab.page
    try:
        tab.open("threat-models/register/")
        risk = "table[data-tm-sortable] th:nth-child(5)"
        page.click(risk)
        scores = page.eval_on_selector_all(
            ROWS, "rows => rows.map(r => Number(r.cells[4].getAttribute('data-sort')))")
        assert scores == sorted(scores) and scores[0] < scores[-1]
        page.click(risk)
        bands = page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.band)")
        assert bands[0] in ("critical", "high") and bands[-1] in ("unrated", "untriaged")
        page.click("table[data-tm-sortable] th:nth-child(7)")  # owner, across every band
        owners = page.eval_on_selector_all(
            ROWS, "rows => rows.map(r => r.cells[6].textContent.trim().toLowerCase())")
        assert owners == sorted(owners)
        assert len({b for b in bands}) > 2
    finally:
        tab.close()


def test_register_csv_holds_the_rows_shown(chromium, example_site, register_rows, tmp_path):
    tab = Tab(chromium, example_site)
    page = tab.page
    try:
        tab.open("threat-models/register/")
        page.select_option('select[data-tm-filter="status"]', "open")
        shown = page.evaluate(VISIBLE_ROWS)
        with page.expect_download() as info:
            page.click("button.tm-register-csv")
        saved = tmp_path / "register.csv"
        info.value.save_as(saved)
        rows = list(csv.reader(io.StringIO(saved.read_text("utf-8"))))
        assert rows[0] == ["ID", "Threat", "Model", "STRIDE", "Risk", "Status", "Owner",
                           "Ticket"]
        assert rows[1:] == shown
        assert len(rows) - 1 == len([r for r in register_rows if r[1] == "open"])
    finally:
        tab.close()


def test_register_at_390_px_shows_status_owner_and_ticket(chromium, example_site):
    tab = Tab(chromium, example_site)
    page = tab.page
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        tab.open("threat-models/register/")
        boxes = page.evaluate("""() => {
            const row = document.querySelector('.tm-register tbody tr');
            return ['Status', 'Owner', 'Ticket'].map(label => {
                const cell = row.querySelector(`td[data-label="${label}"]`);
                const r = cell.getBoundingClientRect();
                return {label, left: r.left, right: r.right, width: r.width,
                        height: r.height,
                        text: getComputedStyle(cell, '::before').content + cell.innerText};
            });
        }""")
        for box in boxes:
            assert box["width"] > 0 and box["height"] > 0, box
            assert 0 <= box["left"] and box["right"] <= 390, box
            assert box["text"].startswith(f'"{box["label"]}: "'), box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        tab.close()
