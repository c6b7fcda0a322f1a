"""The page composer and the views, on real typed models (no MkDocs involved)."""

from __future__ import annotations

import datetime as dt
import re

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.views import coverage, heatmap, owners, register, residual, threats
from mkdocs_threatmodel.views.blocks import Heading, Html
from mkdocs_threatmodel.views.page import Composer
from mkdocs_threatmodel.views.site import Options, Site, relative_url
from tests.fixtures.sites import CHECKOUT, model, model_file

TODAY = dt.date(2026, 11, 27)
URL = "models/checkout/"


def typed(data: dict, path: str = "docs/models/checkout.md"):
    src = read_source(path, model_file(data).encode())
    assert src.ok, src.findings
    return build_model(src)


def site_of(*models, **options) -> Site:
    opts = Options(today=TODAY, **options)
    urls = {m.path: f"models/{m.id}/" for m in models}
    return Site(list(models), urls, options=opts)


def test_relative_urls():
    assert relative_url("models/checkout/#CO-1", "") == "models/checkout/#CO-1"
    assert relative_url("models/checkout/", "adr/x/") == "../../models/checkout/"
    assert relative_url("models/a.html#x", "adr/b.html") == "../models/a.html#x"
    assert relative_url("./", "models/checkout/") == "../../"
    assert relative_url("models/checkout/", "models/checkout/") == "./"


def test_default_order_after_the_first_heading():
    m = typed(CHECKOUT)
    composer = Composer(site_of(m), nonce="n0")
    prepared = composer.prepare("Intro\n\n# Title\n\nProse.\n", current=URL, model=m)
    text = prepared.markdown
    assert text.index("# Title") < text.index('data-tm-slot="n0-0"') < text.index("Prose.")
    headings = re.findall(r"^## (.+)$", text, re.M)
    # triage, mitigations and assumptions are added only when the model has some
    assert headings == ["Insights", "Scope and assets", "Data flow diagram", "STRIDE threats",
                        "STRIDE coverage", "Risk heatmap", "Residual risk", "Suggested threats",
                        "Threat details"]
    assert text.index("## Insights") < text.index("Prose.")
    assert prepared.has_diagram and prepared.title == "Checkout"
    html = composer.fill(f"<p>x</p>{text}", prepared, scripts="<script src=m.js></script>")
    assert "tm-slot" not in html and html.count("<script src=m.js>") == 1
    assert html.index('class="tm-diagram"') < html.index("<script src=m.js>")


def test_a_page_without_heading_gets_one_and_hostile_titles_stay_text():
    m = typed(model(CHECKOUT, title="<b>*x*</b> [y](javascript:z)"))
    prepared = Composer(site_of(m)).prepare("Body only.\n", current=URL, model=m)
    first = prepared.markdown.splitlines()[0]
    assert first.startswith("# ") and "<" not in first and "*" not in first and "[" not in first
    assert "<" not in prepared.title and "&lt;" not in prepared.title


def test_placeholders_place_sections_and_code_is_left_alone():
    m = typed(CHECKOUT)
    body = ("# T\n\n<!-- threatmodel:diagram -->\n\n```md\n<!-- threatmodel:threats -->\n```\n\n"
            "    <!-- threatmodel:coverage -->\n\n<!-- threatmodel:bogus -->\n\n"
            "<!--threatmodel:heatmap   -->\n")
    prepared = Composer(site_of(m), nonce="n").prepare(
        body, current=URL, model=m, sections=("header", "diagram", "threats", "heatmap"),
        first_line=10)
    text = prepared.markdown
    assert "## Data flow diagram" not in text  # placed: the author's heading rules
    assert "## STRIDE threats" in text  # not placed: appended with its heading
    assert "## Risk heatmap" not in text
    assert "```md\n<!-- threatmodel:threats -->\n```" in text
    assert "    <!-- threatmodel:coverage -->" in text
    assert prepared.warnings == [(20, "unknown threatmodel placeholder 'bogus' (known: header, "
                                      "insights, scope, diagram, threats, triage, mitigations, "
                                      "assumptions, coverage, heatmap, residual, suggestions, "
                                      "details, register, mitigation-register, owners, staleness, "
                                      "risk, backlinks)")]


def test_placeholders_on_other_pages_name_their_model():
    m = typed(CHECKOUT)
    composer = Composer(site_of(m))
    prepared = composer.prepare(
        "# N\n\n<!-- threatmodel:threats checkout -->\n\n<!-- threatmodel:threats nope -->\n\n"
        "<!-- threatmodel:coverage -->\n\n<!-- threatmodel:register -->\n", current="notes/")
    assert len(prepared.slots) >= 3
    messages = [m for _, m in prepared.warnings]
    assert any("unknown model id 'nope'" in x for x in messages)
    assert any("not on a model page" in x for x in messages)
    html = composer.fill(prepared.markdown, prepared)
    assert 'href="../models/checkout/#CO-1"' in html  # the register links back


def test_citations_link_with_status_and_unknown_ids_warn():
    m = typed(CHECKOUT)
    composer = Composer(site_of(m))
    prepared = composer.prepare("A [[threat:CO-1]] and `[[threat:CO-1]]` and [[threat:XX-1]].\n"
                                "```\n[[threat:CO-2]]\n```\n", current="adr/a/", first_line=3)
    text = prepared.markdown
    assert ('<span class="tm-cite"><a class="tm-cite-id" href="../../models/checkout/#CO-1" '
            'title="Guessable order id exposes labels (Checkout)">CO-1</a> '
            '<span class="tm-badge tm-status-open">open</span></span>') in text
    assert "`[[threat:CO-1]]`" in text and "[[threat:XX-1]]" in text
    assert "\n[[threat:CO-2]]\n" in text
    assert prepared.warnings == [(3, "unknown threat id 'XX-1' in citation [[threat:XX-1]]")]


def test_authors_cannot_fake_a_slot():
    m = typed(CHECKOUT)
    composer = Composer(site_of(m), nonce="real")
    fake = '<div class="tm-slot" data-tm-slot="other-0" hidden>x</div>'
    prepared = composer.prepare(f"# T\n\n{fake}\n", current=URL, model=m)
    assert fake in composer.fill(prepared.markdown, prepared)


def test_threat_rows_keep_pipes_and_newlines_inside_their_cell():
    data = model(CHECKOUT)
    data["threats"] = [dict(CHECKOUT["threats"][0], story="a | b |\n\n| c |\n---",
                            ticket="javascript:alert(1)",
                            mitigation="<script>x</script>")]
    m = typed(data)
    html = threats.render(m, site_of(m), URL)
    assert "a | b |\n\n| c |\n---" in html
    assert "javascript:" not in html.split("javascript:alert(1)")[0][-20:]
    assert 'href="javascript' not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert html.count("<tr") == 2  # the header row and the threat


def test_ticket_links():
    m = typed(CHECKOUT)
    html = threats.render(m, site_of(m, ticket_url="https://t.example/b/{ticket}"), URL)
    link = '<a class="tm-ticket-link" href="{}" rel="noopener">'
    assert link.format("https://t.example/b/HC-1") + "HC-1</a>" in html
    assert link.format("https://tracker.example.test/HC-5") in html
    plain = threats.render(m, site_of(m), URL)
    assert ">HC-1<" in plain and "t.example" not in plain


def test_coverage_states():
    m = typed(CHECKOUT)
    html = coverage.render(m, site_of(m), URL)
    row = html[html.index("checkout-api"):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<td class="tm-cov-([\w-]+)"', row)
    assert cells == ["gap", "gap", "accepted", "open",
                     "mitigating", "gap"]
    flow = html[html.index(">SQL<"):]
    flow = flow[:flow.index("</tr>")]
    assert re.findall(r'<td class="tm-cov-([\w-]+)"', flow) == ["none", "na", "none", "na",
                                                                "gap", "none"]


def test_heatmap_counts_and_links():
    m = typed(CHECKOUT)
    html = heatmap.render([(t, m) for t in m.threats], site_of(m), URL, "h")
    assert '<a href="#h-high-high"><span class="tm-heat-count">1</span>' in html
    assert '<li id="h-high-high">' in html and 'href="#CO-1"' in html
    assert html.count('class="tm-heat-count"') == 5  # not-applicable CO-4 left out


def test_residual_expiry_states():
    data = model(CHECKOUT)
    base = CHECKOUT["threats"][2]
    data["threats"] = [
        dict(base, id="A-1", acceptance=dict(base["acceptance"], expires="2026-11-01")),
        dict(base, id="A-2", acceptance=dict(base["acceptance"], expires="2026-12-10")),
        dict(base, id="A-3"),
    ]
    m = typed(data)
    html = residual.render(m, site_of(m), URL)
    assert "tm-expired" in html and "in 13 days" in html and "in 174 days" in html


def test_register_groups_by_risk_then_status():
    m = typed(CHECKOUT)
    blocks = register.render(site_of(m), "threat-register/")
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["All threats"]
    whole = [b for b in blocks if isinstance(b, Html)][1].html
    assert re.findall(r'data-band="(\w+)"', whole) == ["high"] * 3 + ["medium", "low",
                                                                     "unrated"]
    assert whole.index(">CO-1<") < whole.index(">CO-5<") < whole.index(">CO-2<")  # by status
    # the filters offer what the rows hold
    assert '<select data-tm-filter="band">' in whole and '<option value="high">' in whole
    assert '<option value="team-payments">' in whole and '<option value="R">' in whole
    assert 'data-owner="team-payments"' in whole and 'data-stride="T I"' in whole


def test_owners_view():
    data = model(CHECKOUT)
    data["threats"] = [dict(t) for t in CHECKOUT["threats"]]
    data["threats"][0].pop("ticket")
    data["threats"][0]["likelihood"] = "low"  # a low-risk open threat needs no ticket
    m = typed(data)
    found = {o.name: o for o in owners.collect(site_of(m))}
    assert [t.id for t, _ in found["team-checkout"].open] == ["CO-1"]
    assert [t.id for t, _ in found["team-checkout"].no_ticket] == ["CO-1"]
    assert [t.id for t, _ in found["team-payments"].open] == ["CO-5"]
    blocks = owners.render(site_of(m), "threat-owners/")
    assert [b.anchor for b in blocks if isinstance(b, Heading)] == [
        "owner-team-checkout", "owner-team-payments"]


def test_redaction_modes():
    m = typed(CHECKOUT)
    by_id = {t.id: t for t in m.threats}
    expected = {"none": set(), "open": {"CO-1", "CO-5"},
                "unmitigated": {"CO-1", "CO-3", "CO-5", "CO-6"},
                "all": set(by_id)}
    for mode, withheld in expected.items():
        opts = Options(redact=mode)
        assert {i for i, t in by_id.items() if opts.withheld(t)} == withheld, mode


def test_views_never_import_mkdocs_or_markdown():
    import subprocess
    import sys

    code = ("import sys, pkgutil, importlib, mkdocs_threatmodel.views as v\n"
            "for m in pkgutil.iter_modules(v.__path__):\n"
            "    importlib.import_module('mkdocs_threatmodel.views.' + m.name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('mkdocs', 'markdown', 'material', 'pymdownx', 'jinja2')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
