"""The views of the format's depth (issue 12), on real typed models: mitigations and
assumptions as records, per-target status, triage, classification, security properties,
explicit severity and CVSS, the insights panel, and residual risk that says what is true."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.views import (
    assumptions,
    coverage,
    diagram,
    digest,
    heatmap,
    insights,
    mitigations,
    register,
    residual,
    scope,
    threats,
)
from mkdocs_threatmodel.views.blocks import Heading, Html
from mkdocs_threatmodel.views.page import Composer
from tests.fixtures.sites import CHECKOUT, HOSTILE, RICH, model, model_file
from tests.test_views_escape import STATEMENT
from tests.test_views_page import site_of

URL = "models/payments/"


def typed(data: dict, path: str = "docs/models/payments.md"):
    src = read_source(path, model_file(data).encode())
    assert src.ok, src.findings
    return build_model(src)


def rich(**changes):
    data = copy.deepcopy(RICH)
    data.update(changes)
    return typed(data)


def row_of(html: str, ident: str) -> str:
    start = html.index(f'<tr id="{ident}"')
    return html[start:html.index("</tr>", start)]


# -- residual risk (the bug of item 10) ------------------------------------------------------
def test_residual_risk_of_61_open_threats_says_they_are_open():
    data = model(CHECKOUT)
    data["threats"] = [{"id": f"OP-{i}", "title": f"Open threat {i}", "stride": ["I"],
                        "targets": ["api"], "likelihood": "low", "impact": "low",
                        "status": "open"} for i in range(61)]
    m = typed(data)
    html = residual.render(m, site_of(m), URL)
    assert "every threat is mitigated" not in html and "every one is mitigated" not in html
    assert "<strong>61 threats</strong>" in html
    assert '<span class="tm-count tm-status-open">61 open</span>' in html
    assert "61 threats are still open or being mitigated" in html
    assert "No risk has been accepted." in html


def test_residual_risk_counts_every_status_and_says_all_clear_only_when_true():
    m = typed(CHECKOUT)
    html = residual.render(m, site_of(m), URL)
    assert residual.status_counts(m) == {"open": 1, "mitigating": 1, "accepted": 1,
                                         "transferred": 1, "mitigated": 1,
                                         "not-applicable": 1}
    assert "2 threats are still open or being mitigated" in html
    assert "1 risk is accepted" in html and 'class="tm-table tm-residual"' in html
    settled = model(CHECKOUT)
    settled["threats"] = [t for t in CHECKOUT["threats"]
                          if t["status"] in ("mitigated", "transferred", "not-applicable")]
    m = typed(settled)
    html = residual.render(m, site_of(m), URL)
    assert "every one is mitigated, transferred or not applicable" in html
    assert "still open" not in html


def test_residual_risk_counts_per_target():
    m = rich()
    counts = residual.status_counts(m)
    # PAY-1 counts on each of its three flows: mitigated on two, open on the webhook
    assert counts == {"untriaged": 1, "open": 1, "mitigating": 1, "accepted": 1,
                      "mitigated": 3, "not-applicable": 1}
    html = residual.render(m, site_of(m), URL)
    assert "<strong>6 threats</strong> (8 when counted per target)" in html
    assert "1 candidate is not triaged yet" in html


# -- mitigations -----------------------------------------------------------------------------
def test_mitigation_catalogue():
    m = rich()
    site = site_of(m, ticket_url="https://jira.example.test/browse/{ticket}")
    html = mitigations.render(m, site, URL)
    tls = row_of(html, "mitigation-M-TLS")
    assert 'href="#mitigation-M-TLS"' in tls and "TLS 1.2 or later" in tls
    assert '<span class="tm-badge tm-mit-verified">verified</span>' in tls
    assert "team-platform" in tls
    assert ('<a class="tm-ticket-link" href="https://jira.example.test/browse/PAY-3" '
            'rel="noopener">PAY-3</a>') in tls
    assert 'href="#PAY-1"' in tls and "<code>tests/test_tls.py</code>" in tls
    sig = row_of(html, "mitigation-M-SIG")
    assert '<span class="tm-badge tm-mit-in-progress">in progress</span>' in sig
    assert 'href="https://tracker.example.test/PAY-12"' in sig and 'href="#PAY-2"' in sig
    assert "1 planned" in html and "1 in progress" in html and "1 verified" in html
    assert mitigations.closes(m, m.mitigation("M-RATE"))[0].id == "PAY-3"


def test_threat_rows_link_their_cited_mitigations_when_the_catalogue_is_on_the_page():
    m = rich()
    site = site_of(m)
    linked = threats.render(m, site, URL, linked=frozenset({"mitigations", "assumptions"}))
    pay1 = row_of(linked, "PAY-1")
    assert '<a class="tm-mid" href="#mitigation-M-TLS">M-TLS</a>' in pay1
    assert "tm-mit-verified" in pay1
    assert '<a class="tm-aid" href="#assumption-A-CDN">A-CDN</a>' in row_of(linked, "PAY-3")
    plain = threats.render(m, site, URL)
    assert "#mitigation-M-TLS" not in plain and "M-TLS" in row_of(plain, "PAY-1")
    composer = Composer(site)
    prepared = composer.prepare("# P\n", current=URL, model=m)
    html = composer.fill(prepared.markdown, prepared)
    assert 'href="#mitigation-M-TLS"' in html and 'id="mitigation-M-TLS"' in html


def test_site_mitigations_page():
    checkout, payments = typed(CHECKOUT, "docs/models/checkout.md"), rich()
    blocks = mitigations.render_site(site_of(checkout, payments), "threat-mitigations/")
    html = "".join(b.html for b in blocks if isinstance(b, Html))
    assert "3 mitigations" in html and "in 1 model" in html
    assert 'href="../models/payments/#mitigation-M-TLS"' in html
    assert 'href="../models/payments/#PAY-1"' in html
    assert html.index("M-RATE") < html.index("M-SIG") < html.index("M-TLS")  # by status
    empty = mitigations.render_site(site_of(checkout), "threat-mitigations/")
    assert "No mitigations" in empty[0].html


# -- assumptions -----------------------------------------------------------------------------
def test_assumptions_with_their_threats_and_flags():
    data = copy.deepcopy(RICH)
    data["assumptions"][0]["revisit"] = "2026-11-01"  # passed (today is 2026-11-27)
    data["assumptions"][1]["status"] = "invalid"
    m = typed(data)
    html = assumptions.render(m, site_of(m), URL)
    cdn, audit = row_of(html, "assumption-A-CDN"), row_of(html, "assumption-A-AUDIT")
    assert "The CDN absorbs volumetric attacks." in cdn and 'href="#PAY-3"' in cdn
    assert "revisit overdue" in cdn and "26 days overdue" in cdn and "invalid" not in cdn
    assert "invalid" in audit and "1 threat rest on an invalid assumption" in audit
    assert 'href="#PAY-4"' in audit
    assert "2 needing a look" in html
    clean = rich()
    html = assumptions.render(clean, site_of(clean), URL)
    assert "overdue" not in html and "needing a look" not in html and "in 94 days" in html


# -- per-target status -------------------------------------------------------------------------
def test_coverage_shows_the_status_of_each_target():
    m = rich()
    html = coverage.render(m, site_of(m), URL)

    def cell(label: str) -> str:
        row = html[html.index(f">{label}<"):]
        row = row[:row.index("</tr>")]
        return re.findall(r'<td class="tm-cov-[\w-]+"[^>]*>(.*?)</td>', row)[3]  # I

    assert 'tm-status-mitigated" href="#PAY-1"' in cell("POST /pay")
    assert 'tm-status-mitigated" href="#PAY-1"' in cell("Charge")
    assert 'tm-status-open" href="#PAY-1"' in cell("Webhook")
    assert "here: open" in cell("Webhook")


def test_register_and_heatmap_count_per_target_and_untriaged_apart():
    m = rich()
    blocks = register.render(site_of(m), "threat-register/")
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["All threats"]  # one table: sorted and filtered as a whole
    intro = blocks[0].html
    assert "<strong>6 threats</strong> (8 when counted per target)" in intro
    assert "1 candidate to triage" in intro and "7 threats triaged" in intro
    whole = blocks[-1].html
    bands = re.findall(r'<tr(?: id="tm-register-(\w+)")? data-band="(\w+)"', whole)
    assert [b for _, b in bands] == ["critical", "high", "high", "high", "medium", "low",
                                     "unrated", "untriaged"]
    # a band's first row carries its anchor, with no count in it
    assert [a for a, _ in bands if a] == ["critical", "high", "medium", "low", "unrated",
                                          "untriaged"]
    high = [r for r in whole.split("<tr") if 'data-band="high"' in r]
    assert "".join(high).count(">PAY-1<") == 3 and "on Webhook" in "".join(high)
    assert ">PAY-10<" in "".join(high)
    grid = heatmap.render([(t, m) for t in m.threats], site_of(m), URL, "h")
    assert '<li id="h-high-high">' in grid and "on Webhook" in grid
    assert '<a href="#h-high-medium"><span class="tm-heat-count">2</span>' in grid
    assert "1 untriaged candidate not shown" in grid


# -- triage ----------------------------------------------------------------------------------
def test_untriaged_threats_are_shown_apart():
    m = rich()
    site = site_of(m)
    table = threats.render(m, site, URL)
    assert '<tr id="PAY-5"' not in table and '<tr id="PAY-1"' in table
    candidates = threats.render_candidates(m, site, URL)
    assert '<tr id="PAY-5"' in candidates and "1 candidate found" in candidates
    assert "tm-status-untriaged" in candidates
    prepared = Composer(site).prepare("# P\n", current=URL, model=m)
    headings = re.findall(r"^## (.+)$", prepared.markdown, re.M)
    assert headings == ["Insights", "Scope and assets", "Data flow diagram", "STRIDE threats",
                        "Candidates to triage", "Mitigations", "Assumptions",
                        "STRIDE coverage", "Risk heatmap", "Residual risk", "Suggested threats",
                        "Threat details"]


# -- insights --------------------------------------------------------------------------------
def test_insights_panel():
    data = copy.deepcopy(RICH)
    data["threats"][5].pop("mitigation")  # PAY-6: mitigated, yet says and cites nothing
    data["threats"][2].pop("likelihood")  # PAY-3: unrated (accepted: needs no mitigation)
    m = typed(data)
    assert [t.id for t in insights.without_mitigation(m)] == ["PAY-5", "PAY-6"]
    assert [t.id for t in insights.unrated(m)] == ["PAY-3"]
    assert [t.id for t in insights.untriaged(m)] == ["PAY-5"]
    assert insights.stride_counts(m) == {"S": 1, "T": 2, "R": 0, "I": 2, "D": 1, "E": 0}
    html = insights.render(m, site_of(m), URL)
    card = html[html.index('data-insight="without-mitigation"'):]
    assert card.index('href="#PAY-5"') < card.index('href="#PAY-6"') < card.index("</div>")
    assert '<p class="tm-insight-count">2</p>' in html
    assert 'style="width: 100%"' in html and 'style="width: 0%"' in html


# -- classification, properties, ratings -----------------------------------------------------
def test_classification_badges_on_assets():
    m = rich()
    html = scope.render(m, site_of(m), URL)
    card = row_of(html, "asset-card")
    assert '<span class="tm-badge tm-class tm-class-restricted"' in card
    assert 'title="confidentiality: high">C high</span>' in card
    assert 'title="availability: medium">A medium</span>' in card
    assert "tm-class-internal" in row_of(html, "asset-receipt")


def test_element_and_flow_properties_and_the_out_of_scope_class():
    m = rich()
    site = site_of(m)
    html = diagram.render(m, site, URL)
    gateway = row_of(html, "element-gateway")
    assert "internet-facing" in gateway and "Go 1.22 on Kubernetes" in gateway
    psp = row_of(html, "element-psp")
    assert "third party" in psp and "Acme PSP" in psp
    assert "Retired in Q1" in row_of(html, "element-fax") and "out of scope" in html
    assert "tm-prop-encrypted" in row_of(html, "flow-pay")
    assert "tm-prop-plain" in row_of(html, "flow-callback")
    assert "back:</span>" in row_of(html, "flow-pay")
    assert "crosses execution boundary" in row_of(html, "flow-score")
    assert "authorization:</span> end-user" in row_of(html, "flow-pay")
    source = diagram.mermaid_source(m, site)
    fax = next(i for i, e in enumerate(m.elements) if e.id == "fax")
    assert f"  class n{fax} tmOutOfScope" in source.splitlines()
    assert "Retired" not in source and "Kubernetes" not in source


def test_explicit_severity_and_cvss():
    m = rich()
    html = threats.render(m, site_of(m), URL)
    pay2 = row_of(html, "PAY-2")
    assert '<span class="tm-badge tm-risk-critical" title="risk score 16 of 16">critical 16' \
        in pay2  # the explicit severity, not low x high
    assert "Severity set to critical:</span> Direct money loss" in pay2
    assert "CVSS 3.1 7.5</span> high" in pay2
    assert '<span class="tm-label">Hurts</span> Card data (C)' in row_of(html, "PAY-1")
    linked = threats.render(m, site_of(m), URL, linked=frozenset({"scope"}))
    assert 'Hurts</span> <a href="#asset-card">Card data</a> (C)' in row_of(linked, "PAY-1")


@pytest.mark.parametrize("vector, shown", [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS 3.1 9.8</span> critical"),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
     "CVSS 4.0 9.3</span> critical"),
    ("CVSS:3.1/AV:X/AC:L", "malformed CVSS vector"),
    ("<script>alert(1)</script>", "malformed CVSS vector"),
    ("CVSS:4.0/AV:N", "malformed CVSS vector"),
])
def test_cvss_vectors_show_their_score_or_that_they_are_malformed(vector, shown):
    data = copy.deepcopy(RICH)
    data["threats"][1]["cvss"] = vector
    m = typed(data)
    html = threats.render(m, site_of(m), URL)
    assert shown in row_of(html, "PAY-2")
    assert "<script>alert" not in html


# -- redaction -------------------------------------------------------------------------------
def test_redaction_reaches_the_new_sections():
    m = rich()
    site = site_of(m, redact="open")
    # PAY-1 is open on the webhook, PAY-2 mitigating, PAY-5 untriaged: all withheld
    assert {t.id for t in m.threats if site.options.withheld(t)} == {"PAY-1", "PAY-2", "PAY-5"}
    secrets = ["Card data read on the wire", "Forged webhook marks an order paid",
               "Replayed payment request", "TLS 1.2 or later on every external flow",
               "HMAC signature on webhooks", "Enforced at the ingress", "tests/test_tls.py",
               "The webhook is plain HTTP", "Direct money loss"]
    composer = Composer(site)
    prepared = composer.prepare("# P\n", current=URL, model=m)
    page = composer.fill(prepared.markdown, prepared)
    pages = [page, "".join(b.html for b in mitigations.render_site(site, "m/")
                           if isinstance(b, Html)),
             "".join(b.html for b in register.render(site, "r/") if isinstance(b, Html))]
    pages += [digest.model_text(n, m, site) for n in ("mitigations", "threats", "triage")]
    for text in pages:
        for secret in secrets:
            assert secret not in text, secret
    assert 'id="mitigation-M-TLS"' in page and 'href="#PAY-1"' in page
    assert "Rate limits per card" in page  # closes only an accepted threat: shown
    assert "The CDN absorbs volumetric attacks." in page
    everything = Composer(site_of(m, redact="all"))
    prepared = everything.prepare("# P\n", current=URL, model=m)
    assert "Rate limits per card" not in everything.fill(prepared.markdown, prepared)


# -- escaping --------------------------------------------------------------------------------
class _Tags(HTMLParser):
    """Every tag and attribute name of a piece of HTML, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


RAW = ("<script>window", "<img src=x", "<svg onload", "<iframe", "<b onclick", "<b onmouse")


def test_hostile_text_in_every_new_field_stays_text():
    m = typed(HOSTILE, "docs/models/hostile.md")
    site = site_of(m)
    composer = Composer(site)
    prepared = composer.prepare("# H\n", current="models/hostile/", model=m)
    html = "".join(prepared.slots.values())
    html += "".join(b.html for b in mitigations.render_site(site, "m/") if isinstance(b, Html))
    html += "".join(b.html for b in register.render(site, "r/") if isinstance(b, Html))
    for raw in RAW:
        assert raw not in html, raw
    for escaped in ("&lt;script&gt;window.pwned=24", "&lt;img src=x onerror=&quot;window.pwned"
                    "=27", "&lt;script&gt;window.pwned=18", "&lt;img src=x onerror=window."
                    "pwned=20", "&lt;script&gt;window.pwned=21", "&lt;svg onload=window.pwned"
                    "=22", "&lt;script&gt;window.pwned=29"):
        assert escaped in html, escaped
    assert 'href="javascript' not in html
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags.isdisjoint({"script", "img", "svg", "iframe", "style", "b"})
    assert not [a for a in parsed.attributes if a.startswith("on")]  # no handler at all
    source = diagram.mermaid_source(m, site)
    for line in source.splitlines():
        assert STATEMENT.fullmatch(line), line
    assert "tmOutOfScope" in source and "%%" not in source and ":::" not in source


def test_the_header_counts_a_threat_open_on_one_target_as_open():
    from mkdocs_threatmodel.views import header

    m = rich()
    html = header.render(m, site_of(m), URL)
    assert '<span class="tm-count tm-status-untriaged">1 untriaged</span>' in html
    top = html[html.index("Highest open risks"):]
    assert top.index('href="#PAY-2"') < top.index('href="#PAY-1"')  # critical, then high
    assert top.count('href="#PAY-1"') == 1
    assert '<span class="tm-badge tm-risk-high">1 high</span>' in html  # PAY-1 on the webhook
