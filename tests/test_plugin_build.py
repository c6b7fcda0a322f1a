"""Real ``mkdocs build`` runs of the example site and of small fixture sites, with Material
and with MkDocs' own theme, asserting on the generated HTML and on the build log."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml

from tests.fixtures.sites import (
    ADR,
    CHECKOUT,
    EXAMPLE,
    FixtureSite,
    build,
    example_config,
    model,
    model_file,
    rich_site,
)

SLOT = re.compile(r'class="tm-slot"')


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("parse-cache")


# -- the example site ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def example(tmp_path_factory, cache):
    folder = tmp_path_factory.mktemp("example")
    result = build(example_config(folder), folder / "site", "--strict", cache=cache)
    assert result.code == 0, result.log
    return result


@pytest.mark.slow
def test_example_site_builds_strictly_with_every_view(example):
    page = example.page("threat-models/guest-checkout/")
    assert 'class="tm-header' in page and "team-checkout" in page
    front = yaml.safe_load((EXAMPLE / "docs/threat-models/guest-checkout.md")
                           .read_text("utf-8").split("---\n")[1])
    reviewed, every = front["reviewed"], int(front["review_every"].rstrip("d"))
    assert f"{reviewed['date'].isoformat()} by {reviewed['by']}" in page
    assert (reviewed["date"] + dt.timedelta(days=every)).isoformat() in page  # when it is due
    assert page.count('<pre class="mermaid"><code>') == 1  # the hand-drawn one is gone
    assert "flowchart TB" in page
    for threat in ("CHK-001", "CHK-012", "CHK-036"):
        assert f'<tr id="{threat}"' in page
    assert 'class="tm-table tm-coverage"' in page
    assert 'class="tm-heatmap"' in page
    assert 'class="tm-table tm-residual"' in page and "Dana Whitfield (CFO)" in page
    assert 'href="https://tracker.harbor.example/browse/HC-142"' in page
    assert not SLOT.search(page)
    # sections placed by the author's placeholders stay where they were put
    assert page.index('class="tm-scope"') < page.index('id="diagram"') \
        < page.index('class="tm-diagram"') < page.index('id="stride-pass"') \
        < page.index("tm-coverage") < page.index('id="rank-and-assign"') \
        < page.index('class="tm-heatmap"') < page.index('id="validate"') \
        < page.index("tm-residual") < page.index('id="stride-threats"')
    # citations in the prose
    assert 'class="tm-cite"' in page and "[[threat:" not in page


def test_example_mermaid_scripts_only_on_pages_with_a_diagram(example):
    page = example.page("threat-models/guest-checkout/")
    assert '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>' in page
    assert 'src="../../assets/threatmodel/mermaid-init.js" data-tm-render="theme"' in page
    adr = example.page("adr/0007-guest-checkout/")
    assert "mermaid" not in adr.lower()
    assert (example.site / "assets/threatmodel/threatmodel.css").is_file()
    assert "assets/threatmodel/threatmodel.css" in adr


def test_example_generated_pages(example):
    register = example.page("threat-models/register/")
    assert register.count('<a class="tm-tid"') >= 77
    mitigations = example.page("threat-models/mitigations/")
    assert "<title>Mitigations - Harbor Commerce security docs</title>" in mitigations
    assert 'href="../register/"' in mitigations  # in the nav, beside the register
    assert "77 threats</strong> (78 when counted per target) in 3 models" in register  # CHK-013
    for group in ("high", "medium", "low", "unrated"):
        assert f'id="tm-register-{group}"' in register
    assert 'href="../guest-checkout/#CHK-001"' in register
    owners = example.page("threat-models/owners/")
    for owner in ("team-checkout", "team-fulfillment", "team-support-ai"):
        assert f'id="owner-{owner}"' in owners
    risk = example.page("threat-models/risk/")
    assert 'class="tm-table tm-risk-trend"' in risk and risk.count('<th scope="row">') == 12
    assert 'href="../risk/"' in mitigations  # in the nav
    stale = example.page("threat-models/staleness/")
    assert "TM503" in stale and "superseded" in stale
    assert re.search(r'data-state="stale".*?Shipping webhook ingress', stale, re.S)
    assert 'class="tm-command">Fix: <code>threatmodel review' in stale


def test_example_adr_pages_list_the_models_resting_on_them(example):
    adr = example.page("adr/0008-shipping-webhook-hmac/")
    assert "Threat models resting on this decision" in adr
    assert 'href="../../threat-models/guest-checkout/"' in adr
    assert 'href="../../threat-models/shipping-webhook/"' in adr
    cited = example.page("adr/0007-guest-checkout/")
    assert re.search(r'<span class="tm-cite"><a class="tm-cite-id" '
                     r'href="../../threat-models/guest-checkout/#CHK-001" title="[^"]+">'
                     r'CHK-001</a> <span class="tm-badge tm-status-mitigated">', cited)
    assert "Threat models resting" not in example.page("adr/")


def test_example_stale_findings_are_logged_but_shown_only(example):
    assert any("TM503" in line and "shipping-webhook.md:" in line
               for line in example.lines("INFO")), example.log
    assert not example.lines("WARNING")


def test_example_site_with_mkdocs_theme(tmp_path, cache):
    result = build(example_config(tmp_path, theme="mkdocs"), tmp_path / "site", "--strict",
                   cache=cache)
    assert result.code == 0, result.log
    page = result.page("threat-models/guest-checkout/")
    assert 'data-tm-render="self"' in page
    assert 'class="tm-header' in page and '<tr id="CHK-001"' in page
    assert not SLOT.search(page)


# -- fixture sites -------------------------------------------------------------------------
def clean_site(root, theme="material", options=None, extra=""):
    site = FixtureSite(root)
    site.write("docs/index.md", "# Home\n\nSee [[threat:CO-1]] and `[[threat:CO-1]]`.\n")
    site.write("docs/models/checkout.md", model_file(CHECKOUT))
    site.write("docs/adr/0001-checkout.md", ADR)
    site.write("docs/notes.md",
               "# Notes\n\n<!-- threatmodel:diagram checkout -->\n\n"
               "```markdown\n<!-- threatmodel:threats -->\n[[threat:NOPE-1]]\n```\n")
    site.configure(theme, options, extra)
    return site


@pytest.mark.slow
def test_clean_site_material_strict(tmp_path, cache):
    site = clean_site(tmp_path, options={"ticket_url": "https://jira.example.test/{ticket}"})
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    assert not result.lines("WARNING"), result.log
    page = result.page("models/checkout/")
    # header, in the default order after the first heading, then the sections
    assert page.index("Checkout threat model") < page.index('class="tm-header')
    order = [page.index(f'id="{anchor}"') for anchor in
             ("scope-and-assets", "data-flow-diagram", "stride-threats", "stride-coverage",
              "risk-heatmap", "residual-risk")]
    assert order == sorted(order)
    assert "<title>Checkout - Fixture</title>" in page
    assert 'href="https://jira.example.test/HC-1"' in page
    assert 'href="https://tracker.example.test/HC-5"' in page
    assert '<a href="#element-api">checkout-api</a>' in page
    assert 'class="tm-cov-gap"' in page  # api has no S, T or E threat
    # default generated pages
    assert "CO-1" in result.page("threat-register/")
    assert "team-payments" in result.page("threat-owners/")
    assert "Checkout" in result.page("threat-staleness/")
    # the placeholder naming a model on another page, and code left alone
    notes = result.page("notes/")
    assert '<pre class="mermaid">' in notes
    assert "&lt;!-- threatmodel:threats --&gt;" in notes and "[[threat:NOPE-1]]" in notes
    home = result.page("")
    assert 'href="models/checkout/#CO-1"' in home and "<code>[[threat:CO-1]]</code>" in home
    adr = result.page("adr/0001-checkout/")
    assert 'href="../../models/checkout/"' in adr


def test_clean_site_mkdocs_theme_without_directory_urls(tmp_path, cache):
    mermaid = tmp_path / "vendor" / "mermaid.min.js"
    mermaid.parent.mkdir(parents=True)
    mermaid.write_text("/* a stand-in for mermaid */\n")
    site = clean_site(tmp_path / "site", theme="mkdocs",
                      options={"mermaid": str(mermaid), "sections": ["header", "threats"]},
                      extra="use_directory_urls: false\n")
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    page = result.page("models/checkout.html")
    assert '<script src="../assets/threatmodel/mermaid.min.js"></script>' not in page
    assert 'id="stride-threats"' in page and 'id="data-flow-diagram"' not in page
    assert '<a href="#element-api">' not in page  # no diagram on the page: plain names
    assert (result.site / "assets/threatmodel/mermaid.min.js").read_text() == \
        mermaid.read_text()
    notes = result.page("notes.html")
    assert '<script src="assets/threatmodel/mermaid.min.js"></script>' in notes
    assert 'src="assets/threatmodel/mermaid-init.js" data-tm-render="self"' in notes
    assert 'href="models/checkout.html#CO-1"' in result.page("index.html")
    assert 'href="models/checkout.html#CO-1"' in result.page("threat-register.html")


def bad_site(root):
    site = FixtureSite(root)
    bad = model(CHECKOUT, id="bad")
    bad["threats"] = [dict(CHECKOUT["threats"][0], id="B-1", likelihood="hihg")]
    site.write("docs/models/bad.md", model_file(bad))
    site.write("docs/models/broken.md", "---\nthreatmodel: 1\nid: [unclosed\n---\n# Broken\n")
    site.write("docs/adr/0001-checkout.md", ADR)
    site.write("docs/index.md", "# Home\n\nText.\n\nCites [[threat:NOPE-9]].\n\n"
                                "<!-- threatmodel:bogus -->\n")
    site.configure("mkdocs")
    return site


@pytest.mark.slow
def test_bad_site_fails_strict_with_path_line_warnings(tmp_path, cache):
    result = bad_site(tmp_path).build("--strict", cache=cache)
    assert result.code == 1
    warnings = result.lines("WARNING")
    assert any(re.search(r"docs/models/bad\.md:\d+: TM103 .*'hihg'", w) for w in warnings), \
        result.log
    assert any(re.search(r"docs/models/broken\.md:\d+: TM001 ", w) for w in warnings)
    assert any("docs/index.md:5: unknown threat id 'NOPE-9'" in w for w in warnings)
    assert any("docs/index.md:7: unknown threatmodel placeholder 'bogus'" in w
               for w in warnings)


def test_bad_site_plain_build_still_renders(tmp_path, cache):
    result = bad_site(tmp_path).build(cache=cache)
    assert result.code == 0, result.log
    page = result.page("models/bad/")
    assert '<tr id="B-1"' in page and "unrated" in page
    broken = result.page("models/broken/")
    assert "could not be read" in broken and "TM001" in broken
    assert "[unclosed" not in broken
    assert "[[threat:NOPE-9]]" in result.page("")


@pytest.mark.slow
def test_fail_on_chooses_the_severity_that_fails(tmp_path, cache):
    expiring = model(CHECKOUT)
    expiring["threats"] = [dict(t) for t in CHECKOUT["threats"]]
    expiring["threats"][2]["acceptance"] = {"by": "CFO", "date": "2026-11-20",
                                            "expires": "2026-12-10", "rationale": "Low."}
    site = FixtureSite(tmp_path)
    site.write("docs/models/checkout.md", model_file(expiring))
    site.write("docs/adr/0001-checkout.md", ADR)
    site.configure("mkdocs", {"fail_on": "error"})
    lenient = site.build("--strict", cache=cache)
    assert lenient.code == 0, lenient.log
    assert any("TM405" in line for line in lenient.lines("INFO"))
    site.configure("mkdocs", {"fail_on": "warning"})
    assert site.build("--strict", cache=cache).code == 1


@pytest.mark.slow
def test_redact_open_leaves_out_unmitigated_details(tmp_path, cache):
    site = clean_site(tmp_path, options={"redact": "open"})
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    everything = "".join(p.read_text("utf-8") for p in result.site.rglob("*.html"))
    everything += (result.site / "search/search_index.json").read_text("utf-8")
    for secret in ("Guessable order id exposes labels", "I enumerate order ids",
                   "Signed lookup tokens", "Card testing floods the API"):
        assert secret not in everything
    for public in ("Price tampering in the checkout request", "Server-side pricing",
                   "Nobody can prove who placed an order"):
        assert public in everything
    page = result.page("models/checkout/")
    assert '<tr id="CO-1"' in page and "Details withheld until mitigated" in page
    assert "tm-status-considered" in page
    assert " tmHot\n" not in page  # no open high-risk marker in the diagram


@pytest.mark.slow
def test_option_errors_stop_the_build(tmp_path, cache):
    site = clean_site(tmp_path, options={"ticket_pattern": "(["})
    result = site.build(cache=cache)
    assert result.code != 0 and "ticket_pattern" in result.log
    site.configure("material", {"mermaid": "no/such/mermaid.js"})
    result = site.build(cache=cache)
    assert result.code != 0 and "mermaid" in result.log


def test_search_index_holds_view_text_not_markup(tmp_path, cache):
    site = clean_site(tmp_path, theme="mkdocs")
    result = site.build(cache=cache)
    assert result.code == 0, result.log
    index = json.loads((result.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(
        "models/checkout/"))
    assert "I enumerate order ids and download labels." in text
    assert "Guest checkout API" in text


@pytest.mark.slow
def test_a_site_without_models_and_a_disabled_plugin(tmp_path, cache):
    site = FixtureSite(tmp_path)
    site.write("docs/index.md", "# Home\n\nNo models here.\n")
    site.configure("mkdocs")
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    assert "No threats recorded yet." in result.page("threat-register/")
    assert "tm-header" not in result.page("")
    site.write("docs/models/checkout.md", model_file(CHECKOUT))
    site.write("docs/adr/0001-checkout.md", ADR)
    site.configure("mkdocs", {"enabled": False})
    off = site.build("--strict", cache=cache)
    assert off.code == 0, off.log
    assert not (off.site / "threat-register").exists()
    assert "tm-header" not in off.page("models/checkout/")


# -- a model using every field of the format's depth ---------------------------------------
@pytest.mark.slow
def test_rich_model_builds_strictly_with_every_new_section(tmp_path, cache):
    site = rich_site(tmp_path, options={"ticket_url": "https://jira.example.test/{ticket}"})
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    assert not result.lines("WARNING"), result.log
    page = result.page("models/payments/")
    order = [page.index(f'id="{anchor}"') for anchor in
             ("insights", "scope-and-assets", "data-flow-diagram", "stride-threats",
              "candidates-to-triage", "mitigations", "assumptions", "stride-coverage",
              "risk-heatmap", "residual-risk")]
    assert order == sorted(order)
    assert page.index('class="tm-header') < page.index('class="tm-insights"')
    assert '<tr id="mitigation-M-TLS"' in page and '<tr id="assumption-A-CDN"' in page
    assert '<a class="tm-mid" href="#mitigation-M-TLS">M-TLS</a>' in page
    assert 'href="https://jira.example.test/PAY-3"' in page  # a mitigation's ticket
    threats = page[page.index('id="stride-threats"'):page.index('id="candidates-to-triage"')]
    assert '<tr id="PAY-5"' not in threats and '<tr id="PAY-1"' in threats
    assert "CVSS 3.1 7.5" in page and "Severity set to critical" in page
    assert "tm-class-restricted" in page and "internet-facing" in page
    assert "tmOutOfScope" in page and "(8 when counted per target)" in page
    assert not SLOT.search(page)
    mitigations = result.page("threat-mitigations/")
    assert "<title>Mitigations - Fixture</title>" in mitigations
    assert 'href="../models/payments/#mitigation-M-SIG"' in mitigations
    assert 'href="../models/payments/#PAY-2"' in mitigations
    register = result.page("threat-register/")
    assert 'id="tm-register-untriaged"' in register and "1 candidate to triage" in register
    assert "12 threats</strong> (14 when counted per target) in 2 models" in register
    home = result.page("")
    assert 'href="models/payments/#PAY-5"' in home and "tm-status-untriaged" in home


def test_rich_model_redacted_keeps_withheld_threats_out_of_the_new_sections(tmp_path, cache):
    result = rich_site(tmp_path, options={"redact": "open"}).build("--strict", cache=cache)
    assert result.code == 0, result.log
    everything = "".join(p.read_text("utf-8") for p in result.site.rglob("*.html"))
    everything += (result.site / "search/search_index.json").read_text("utf-8")
    for secret in ("Card data read on the wire", "Replayed payment request",
                   "HMAC signature on webhooks", "TLS 1.2 or later on every external flow",
                   "The webhook is plain HTTP", "Direct money loss"):
        assert secret not in everything, secret
    for public in ("Rate limits per card", "The CDN absorbs volumetric attacks.",
                   "Scorer leaks card data"):
        assert public in everything, public


def test_example_adr_status_is_ours_not_materials(example):
    """Material reads MADR's ``status`` as its page status: a nav icon whose class holds the
    whole value. The plugin shows the status itself and keeps it from the theme."""
    for url in ("adr/0005-shipping-webhook-ip-allowlist/", "threat-models/register/", "adr/"):
        page = example.page(url)
        assert not re.search(r'md-status--[^"]*\s', page), url  # no class with spaces
        assert "md-status--superseded" not in page and "md-status--accepted" not in page
    superseded = example.page("adr/0005-shipping-webhook-ip-allowlist/")
    assert re.search(r'<span class="tm-adr-status">Status: <span class="tm-badge '
                     r'tm-adr-superseded">superseded</span> by <a href="'
                     r'\.\./0008-shipping-webhook-hmac/">', superseded)
    accepted = example.page("adr/0008-shipping-webhook-hmac/")
    assert '<span class="tm-badge tm-adr-accepted">accepted</span>' in accepted
    assert accepted.index("<h1") < accepted.index("tm-adr-status")


def test_adr_status_left_to_material_where_it_is_materials(tmp_path, cache):
    """A page no model cites keeps Material's own statuses ("new", keys of extra.status);
    a MADR status on an uncited ADR is still ours."""
    site = clean_site(tmp_path, extra="extra:\n  status:\n    beta: Beta feature\n")
    site.write("docs/guide.md", "---\nstatus: new\n---\n# Guide\n")
    site.write("docs/beta.md", "---\nstatus: beta\n---\n# Beta\n")
    site.write("docs/adr/0002-other.md", "---\nstatus: proposed\n---\n# Other\n")
    result = site.build("--strict", cache=cache)
    assert result.code == 0, result.log
    home = result.page("")
    assert 'class="md-status md-status--new"' in home
    assert 'class="md-status md-status--beta"' in home
    assert "md-status--proposed" not in home and "md-status--accepted" not in home
    assert "tm-adr-status" not in result.page("guide/")
    assert '<span class="tm-badge tm-adr-proposed">proposed</span>' in result.page(
        "adr/0002-other/")
    cited = result.page("adr/0001-checkout/")
    assert '<span class="tm-badge tm-adr-accepted">accepted</span>' in cited
