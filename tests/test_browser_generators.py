"""Real headless Chromium over the other builds: the example site built by Zensical with the
Markdown extension (diagrams drawn, tables and anchors there, no console errors, a hostile
model inert), and Material's ``navigation.instant`` over the MkDocs build (moving between
model pages without a reload, the diagram drawn each time). Fixtures and rules are those of
``test_browser.py``: every request not for 127.0.0.1 is refused and counted."""

from __future__ import annotations

import shutil

import pytest

from tests.fixtures.generators import example_copy, zensical_build
from tests.fixtures.sites import HOSTILE, build, example_config, hostile_site
from tests.test_browser import Tab, _lands_on, counts_of_example_models

EXTENSION = "mkdocs_threatmodel.markdown_ext"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory, mermaid_js, serve):
    folder = example_copy(tmp_path_factory.mktemp("zensical-browser"), mermaid=mermaid_js)
    result = zensical_build(folder / "zensical.toml", cache=folder.parent / "cache")
    assert result.code == 0, result.log
    return serve(result.site)


def test_zensical_draws_every_diagram_with_every_element_and_boundary(chromium, zensical_site):
    tab = Tab(chromium, zensical_site)
    try:
        for name, (elements, boundaries) in counts_of_example_models().items():
            diagrams = tab.open(f"threat-models/{name}/", diagrams=1)
            assert len(diagrams) == 1, name
            assert diagrams[0]["nodes"] == elements, name
            assert diagrams[0]["clusters"] == boundaries, name
            assert diagrams[0]["links"] == 0 and diagrams[0]["handlers"] == 0
            rows = tab.page.locator(".tm-threats tbody tr[id]").count()
            assert rows > 0, name
            styled = tab.page.evaluate(
                "() => getComputedStyle(document.querySelector('.tm-badge')).borderRadius")
            assert styled not in ("", "0px"), styled  # our styles reached the page
        assert tab.errors == [] and tab.outside == [] and tab.dialogs == []
    finally:
        tab.close()


def test_zensical_threat_links_land_and_tables_sort(chromium, zensical_site):
    tab = Tab(chromium, zensical_site)
    try:
        tab.open("threat-models/register/")
        tab.page.click('a.tm-tid[href$="guest-checkout/#CHK-012"]')
        tab.page.wait_for_url("**/guest-checkout/#CHK-012")
        _lands_on(tab, "CHK-012")
        tab.open("adr/0007-guest-checkout/")
        tab.page.click('.tm-cite a[href$="#CHK-007"]')
        tab.page.wait_for_url("**/guest-checkout/#CHK-007")
        _lands_on(tab, "CHK-007")
        tab.page.click('.tm-heatmap td a[href$="-high-medium"]')
        _lands_on(tab, tab.page.evaluate("location.hash.slice(1)"))
        # the sort script runs: a heading of a sortable table sorts it
        tab.open("threat-models/register/")
        heading = tab.page.locator("table[data-tm-sortable] thead th").first
        heading.click()
        assert heading.get_attribute("aria-sort") == "ascending"
        assert tab.errors == [] and tab.outside == [] and tab.dialogs == []
    finally:
        tab.close()


def test_zensical_keeps_a_hostile_model_inert(chromium, tmp_path, mermaid_js, serve):
    site = hostile_site(tmp_path, "material")
    (tmp_path / "docs/assets").mkdir()
    shutil.copyfile(mermaid_js, tmp_path / "docs/assets/mermaid.min.js")
    site.write("docs/threat-register.md", "# Register\n\n<!-- threatmodel:register -->\n")
    site.write("mkdocs.yml", "site_name: Hostile\ntheme:\n  name: material\n  font: false\n"
                             f"markdown_extensions:\n  - {EXTENSION}:\n"
                             "      mermaid: assets/mermaid.min.js\n")
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    tab = Tab(chromium, serve(result.site))
    try:
        for path, expected in (("models/hostile/", 1), ("", 0), ("threat-register/", 0)):
            diagrams = tab.open(path, diagrams=expected)
            tab.page.wait_for_timeout(200)
            state = tab.page.evaluate("""() => ({
                pwned: window.pwned === undefined ? null : window.pwned,
                title: document.title,
                handlers: document.querySelectorAll(
                    '[onerror],[onload],[onclick],[onmouseover]').length,
                iframes: document.querySelectorAll('iframe').length,
                javascript: Array.from(document.querySelectorAll('a[href]')).filter(
                    a => a.href.trim().toLowerCase().startsWith('javascript')).length})""")
            assert state["pwned"] is None and state["title"] != "pwned", (path, state)
            assert state["handlers"] == 0 and state["iframes"] == 0, (path, state)
            assert state["javascript"] == 0, (path, state)
            if expected:
                assert diagrams[0]["nodes"] == len(HOSTILE["elements"])
                assert diagrams[0]["links"] == 0 and diagrams[0]["handlers"] == 0
                assert "<img" in diagrams[0]["text"]  # the payload is shown, as text
        tab.open("models/hostile/", diagrams=1)
        assert tab.page.locator("#HX-1 .tm-story").inner_text().startswith("| pipe |")
        assert tab.page.locator("#HX-2 td").count() == 5  # the pipes stayed in their cell
        assert tab.dialogs == [] and tab.errors == [] and tab.outside == []
    finally:
        tab.close()


def test_material_instant_navigation_moves_between_models_and_draws(chromium, tmp_path,
                                                                  mermaid_js, serve):
    config = example_config(tmp_path, options=f"      mermaid: {mermaid_js}\n")
    text = config.read_text("utf-8").replace("    - navigation.sections\n",
                                             "    - navigation.sections\n"
                                             "    - navigation.instant\n")
    # Instant loading needs a site_url, and follows only links to its host and port (the
    # sitemap's addresses): the site is served first, then built at that address.
    (tmp_path / "site").mkdir()
    base = serve(tmp_path / "site")
    config.write_text(f"site_url: {base}\n" + text, "utf-8")
    result = build(config, tmp_path / "site", "--strict", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    counts = counts_of_example_models()
    tab = Tab(chromium, base)
    try:
        tab.open("threat-models/guest-checkout/", diagrams=1)
        tab.page.evaluate("() => { window.__tmSamePage = true; }")
        for name in ("shipping-webhook", "support-assistant", "guest-checkout"):
            tab.page.click(f'.md-nav a.md-nav__link[href$="{name}/"]')
            tab.page.wait_for_url(f"**/threat-models/{name}/")
            nodes = """() => Array.from(document.querySelectorAll('div.mermaid, div.tm-mermaid'))
                .map(h => (h.shadowRoot || h).querySelectorAll('svg g.node').length)"""
            # the new page's own diagram is drawn (a timeout here is the failure)
            tab.page.wait_for_function(f"() => JSON.stringify(({nodes})()) === "
                                       f"JSON.stringify([{counts[name][0]}])", timeout=30000)
            assert tab.page.evaluate(nodes) == [counts[name][0]], name
            assert tab.page.evaluate("() => window.__tmSamePage === true"), name  # no reload
            assert tab.page.locator(".tm-threats tbody tr[id]").count() > 0
        assert tab.errors == [] and tab.outside == []
    finally:
        tab.close()
