"""Real headless Chromium (found by ``tests.tools``, driven by Playwright) on built sites
served from 127.0.0.1, with Mermaid served locally.

Where no Chromium or no Mermaid can be had these tests are skipped with one line saying how to
get them (a failure under ``THREATMODEL_REQUIRE_BROWSER=1``, as in CI). Mermaid comes from the
npm registry once (``npm pack mermaid@11``) into a cache under ``.venv``; nothing else leaves
the machine: every request not for 127.0.0.1 is refused,
and the sites load no web fonts or CDN scripts. Material draws diagrams into closed
shadow roots; an init script opens them so that the test can look inside.
"""

from __future__ import annotations

import pytest

from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.sites import (
    EXAMPLE,
    HOSTILE,
    RICH,
    ROOT,
    build,
    example_config,
    hostile_site,
    rich_site,
)

ARTIFACTS = ROOT / "test-artifacts"
OPEN_SHADOWS = ("(() => { const attach = Element.prototype.attachShadow;"
                " Element.prototype.attachShadow = function (init) {"
                " return attach.call(this, Object.assign({}, init, {mode: 'open'})); }; })();")
DIAGRAMS = """() => Array.from(document.querySelectorAll('div.mermaid, div.tm-mermaid'))
  .map(host => (host.shadowRoot || host).querySelector('svg'))
  .map(svg => svg && {
      nodes: svg.querySelectorAll('g.node').length,
      clusters: svg.querySelectorAll('g.cluster').length,
      dashed: Array.from(svg.querySelectorAll('g.cluster rect')).every(
          rect => getComputedStyle(rect).strokeDasharray !== 'none'),
      links: svg.querySelectorAll('a').length,
      handlers: svg.querySelectorAll('[onclick],[onerror],[onload],[onmouseover]').length,
      text: svg.textContent})"""


class Tab:
    """A page that records console errors, page errors, dialogs and outside requests."""

    def __init__(self, browser, base: str, width: int = 1400, height: int = 1000) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           accept_downloads=True)
        self.outside: list[str] = []
        self.context.route(lambda url: not url.startswith("http://127.0.0.1:"),
                           self._refuse)
        self.context.add_init_script(OPEN_SHADOWS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _refuse(self, route) -> None:
        self.outside.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str, diagrams: int = 0) -> list[dict]:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        if diagrams:
            self.page.wait_for_function(
                f"() => ({DIAGRAMS})().filter(d => d && d.nodes).length >= {diagrams}",
                timeout=30000)
        return self.page.evaluate(DIAGRAMS)

    def close(self) -> None:
        self.context.close()


def counts_of_example_models() -> dict[str, tuple[int, int]]:
    result = validate(Repository.at(EXAMPLE / "docs"), keep_models=True)
    return {m.path.rsplit("/", 1)[1][:-3]: (len(m.elements), len(m.boundaries))
            for m in result.models}


def test_every_diagram_becomes_an_svg_with_every_element_and_boundary(chromium, example_site):
    tab = Tab(chromium, example_site)
    try:
        for name, (elements, boundaries) in counts_of_example_models().items():
            diagrams = tab.open(f"threat-models/{name}/", diagrams=1)
            assert len(diagrams) == 1, name
            assert diagrams[0]["nodes"] == elements, name
            assert diagrams[0]["clusters"] == boundaries, name
            assert diagrams[0]["dashed"], name
        ARTIFACTS.mkdir(exist_ok=True)
        tab.open("threat-models/guest-checkout/", diagrams=1)
        tab.page.screenshot(path=str(ARTIFACTS / "guest-checkout.png"))
        tab.page.locator(".tm-diagram").screenshot(
            path=str(ARTIFACTS / "guest-checkout-diagram.png"))
        tab.page.screenshot(path=str(ARTIFACTS / "guest-checkout-full.png"), full_page=True)
        assert tab.errors == [] and tab.outside == []
    finally:
        tab.close()
    assert (ARTIFACTS / "guest-checkout.png").stat().st_size > 10000


def _lands_on(tab: Tab, fragment: str) -> None:
    state = tab.page.evaluate("""() => {
        const target = document.querySelector(':target');
        const box = target && target.getBoundingClientRect();
        return {hash: location.hash, id: target && target.id,
                top: box && box.top, bottom: box && box.bottom, height: innerHeight,
                visible: !!target && target.offsetParent !== null};
    }""")
    assert state["hash"] == f"#{fragment}" and state["id"] == fragment, state
    assert state["visible"] and 0 <= state["top"] < state["height"], state


def test_threat_links_land_on_their_anchors(chromium, example_site):
    tab = Tab(chromium, example_site)
    try:
        tab.open("threat-models/register/")
        tab.page.click('a.tm-tid[href$="guest-checkout/#CHK-012"]')
        tab.page.wait_for_url("**/guest-checkout/#CHK-012")
        _lands_on(tab, "CHK-012")
        tab.open("adr/0007-guest-checkout/")
        tab.page.click('.tm-cite a[href$="#CHK-007"]')
        tab.page.wait_for_url("**/guest-checkout/#CHK-007")
        _lands_on(tab, "CHK-007")
        # a target link inside the threat table opens the folded elements table
        tab.page.click('#CHK-007 .tm-targets a[href="#element-browser"]')
        tab.page.wait_for_timeout(300)
        _lands_on(tab, "element-browser")
        # a heatmap count lands on its list of threats
        tab.page.click('.tm-heatmap td a[href$="-high-medium"]')
        _lands_on(tab, tab.page.evaluate("location.hash.slice(1)"))
        assert tab.errors == [] and tab.outside == []
    finally:
        tab.close()


def test_mkdocs_theme_draws_the_diagrams_itself(chromium, tmp_path, mermaid_js, serve):
    config = example_config(tmp_path, theme="mkdocs", options=f"      mermaid: {mermaid_js}\n")
    result = build(config, tmp_path / "site", "--strict", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    tab = Tab(chromium, serve(tmp_path / "site"))
    try:
        counts = counts_of_example_models()
        diagrams = tab.open("threat-models/support-assistant/", diagrams=1)
        assert [(d["nodes"], d["clusters"]) for d in diagrams] == [counts["support-assistant"]]
        assert tab.page.evaluate("document.querySelectorAll('pre.mermaid').length") == 0
        tab.open("threat-models/register/")
        tab.page.click("table[data-tm-sortable] th:nth-child(5)")  # sort by risk
        assert tab.page.get_attribute("table[data-tm-sortable] th:nth-child(5)",
                                      "aria-sort") == "ascending"
        assert tab.errors == [] and tab.outside == []
    finally:
        tab.close()


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_a_hostile_model_runs_no_script(chromium, tmp_path, mermaid_js, serve, theme):
    site = hostile_site(tmp_path / "site", theme, mermaid_js)
    result = site.build("--strict", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    tab = Tab(chromium, serve(result.site))
    try:
        pages = [("models/hostile/", 1), ("", 0), ("threat-register/", 0),
                 ("threat-mitigations/", 0), ("threat-owners/", 0), ("threat-staleness/", 0)]
        for path, expected in pages:
            diagrams = tab.open(path, diagrams=expected)
            tab.page.wait_for_timeout(200)
            state = tab.page.evaluate("""() => ({
                pwned: window.pwned === undefined ? null : window.pwned,
                title: document.title,
                handlers: document.querySelectorAll(
                    '[onerror],[onload],[onclick],[onmouseover]').length,
                scripts: Array.from(document.scripts).map(s => s.src || s.text.slice(0, 40)),
                iframes: document.querySelectorAll('iframe').length,
                javascript: Array.from(document.querySelectorAll('a[href]')).filter(
                    a => a.href.trim().toLowerCase().startsWith('javascript')).length})""")
            assert state["pwned"] is None, (path, state)
            assert state["title"] != "pwned", (path, state)  # the payloads' own title
            assert state["handlers"] == 0 and state["iframes"] == 0, (path, state)
            assert state["javascript"] == 0, (path, state)
            assert not any("pwned" in s for s in state["scripts"]), (path, state)
            if expected:
                diagram = diagrams[0]
                assert diagram["nodes"] == len(HOSTILE["elements"])
                assert diagram["clusters"] == len(HOSTILE["boundaries"])
                assert diagram["links"] == 0 and diagram["handlers"] == 0
                assert "<img" in diagram["text"]  # the payload is shown, as text
        page = tab.page
        page.goto(tab.base + "models/hostile/")
        assert page.locator("#HX-1 .tm-story").inner_text().startswith("| pipe |")
        assert page.locator("#HX-2 td").count() == 5  # the pipes stayed in their cell
        # the new sections show the payloads as text
        assert page.locator("#mitigation-HM-1 .tm-title").inner_text().startswith("<script>")
        assert page.locator("#assumption-HA-1 .tm-text").inner_text().startswith("<img")
        assert page.locator(".tm-candidates #HX-7 .tm-title").inner_text() == \
            HOSTILE["threats"][6]["title"]
        assert "<script>" in page.locator("#element-e4").text_content()  # folded: text
        assert tab.dialogs == [] and tab.errors == [] and tab.outside == []
    finally:
        tab.close()


def test_the_new_sections_render_and_their_links_land(chromium, tmp_path, mermaid_js, serve):
    result = rich_site(tmp_path / "site", mermaid=mermaid_js).build(
        "--strict", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    tab = Tab(chromium, serve(result.site))
    try:
        diagrams = tab.open("models/payments/", diagrams=1)
        assert diagrams[0]["nodes"] == len(RICH["elements"])
        page = tab.page
        visible = page.evaluate("""() => Object.fromEntries(
            ['.tm-insights', '.tm-mitigations', '.tm-assumptions', '.tm-candidates',
             '.tm-coverage', '.tm-residual'].map(s => {
                const el = document.querySelector(s);
                return [s, !!el && el.getBoundingClientRect().height > 0];
            }))""")
        assert all(visible.values()), visible
        counts = page.locator(".tm-insight-count").all_inner_texts()
        assert counts == ["1", "0", "1"]  # without mitigation (PAY-5), unrated, untriaged
        page.click('#PAY-1 a.tm-mid[href="#mitigation-M-TLS"]')
        _lands_on(tab, "mitigation-M-TLS")
        page.click('#mitigation-M-TLS a.tm-tid[href="#PAY-1"]')
        _lands_on(tab, "PAY-1")
        page.click('#PAY-3 a.tm-aid[href="#assumption-A-CDN"]')
        _lands_on(tab, "assumption-A-CDN")
        webhook = page.locator(".tm-coverage tr", has_text="Webhook")
        assert webhook.locator("a.tm-chip.tm-status-open").inner_text() == "PAY-1"
        tab.open("threat-mitigations/")
        page.click('a.tm-mid[href$="payments/#mitigation-M-SIG"]')
        page.wait_for_url("**/payments/#mitigation-M-SIG")
        _lands_on(tab, "mitigation-M-SIG")
        tab.open("threat-register/")
        assert page.locator("#tm-register-untriaged").count() == 1
        assert tab.errors == [] and tab.outside == [] and tab.dialogs == []
    finally:
        tab.close()
