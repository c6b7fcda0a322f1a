"""Real Zensical builds with the Python-Markdown extension (``mkdocs_threatmodel.markdown_ext``):
the example site from its ``zensical.toml``, and small sites for findings, citations and our
MkDocs plugin listed where Zensical does not run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown import Markdown

from mkdocs_threatmodel.markdown_ext.build import docs_site
from mkdocs_threatmodel.render.docs import DocsOptions
from mkdocs_threatmodel.render.markers import marker_pages
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.generators import example_copy, zensical_build
from tests.fixtures.sites import (
    ADR,
    CHECKOUT,
    EXAMPLE,
    HOSTILE,
    FixtureSite,
    build,
    hostile_site,
    model,
    model_file,
)

SLOT = re.compile(r'class="tm-slot"')
EXTENSION = "mkdocs_threatmodel.markdown_ext"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = example_copy(tmp_path_factory.mktemp("zensical-example"))
    result = zensical_build(folder / "zensical.toml", cache=folder.parent / "cache")
    assert result.code == 0, result.log
    result.folder = folder
    return result


@pytest.mark.slow
def test_every_model_page_shows_every_section(example):
    models = validate(Repository.at(example.folder / "docs"), keep_models=True).models
    assert len(models) == 3
    for m in models:
        page = example.page("threat-models/" + m.path.rsplit("/", 1)[1][:-3] + "/")
        assert 'class="tm-header' in page and m.owner in page
        assert 'class="tm-scope' in page
        assert page.count('<pre class="mermaid"><code>') == 1 and "flowchart TB" in page
        for threat in m.threats:
            assert f'<tr id="{threat.id}"' in page, threat.id
        for view in ('class="tm-table tm-coverage"', 'class="tm-heatmap"', "tm-residual"):
            assert view in page, (m.path, view)
        assert not SLOT.search(page) and "<!-- threatmodel:" not in page
        assert "<style>" in page and "tm-sortable" in page  # the styles and the sort script
        # Mermaid from the CDN by default, then ours, which keeps it strict; Zensical draws
        assert '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>' in page
        assert '<script data-tm-render="theme">' in page


def test_sections_placed_by_the_author_stay_in_place_and_headings_reach_the_toc(example):
    page = example.page("threat-models/guest-checkout/")
    assert page.index('class="tm-scope"') < page.index('id="diagram"') \
        < page.index('class="tm-diagram"') < page.index('id="stride-pass"') \
        < page.index("tm-coverage") < page.index('id="rank-and-assign"') \
        < page.index('class="tm-heatmap"') < page.index('id="validate"') \
        < page.index("tm-residual") < page.index('id="stride-threats"')
    toc = page.split('class="md-nav md-nav--secondary"')[1]
    assert 'href="#stride-threats"' in toc and 'href="#insights"' in toc
    assert 'class="tm-cite"' in page and "[[threat:" not in page
    assert 'href="https://tracker.harbor.example/browse/HC-142"' in page


def test_the_kept_pages_show_register_mitigations_owners_and_freshness(example):
    register = example.page("threat-models/register/")
    assert register.count('<a class="tm-tid"') >= 77
    assert "77 threats</strong> (78 when counted per target) in 3 models" in register
    assert 'href="../guest-checkout/#CHK-001"' in register
    assert "tm-unrendered" not in register  # the note for builds without us is gone
    risk = example.page("threat-models/risk/")
    assert "tm-unrendered" not in risk and "Risk over time" in risk
    checkout = example.page("threat-models/guest-checkout/")
    assert '<h3 id="threat-CHK-003" class="tm-html-head">CHK-003 ' in checkout
    owners = example.page("threat-models/owners/")
    for owner in ("team-checkout", "team-fulfillment", "team-support-ai"):
        assert f'id="owner-{owner}"' in owners
    stale = example.page("threat-models/staleness/")
    assert "TM503" in stale and re.search(r'data-state="stale".*?Shipping webhook ingress',
                                          stale, re.S)
    mitigations = example.page("threat-models/mitigations/")
    assert 'class="tm-muted"' in mitigations and not SLOT.search(mitigations)  # none yet
    adr = example.page("adr/0008-shipping-webhook-hmac/")
    assert "Threat models resting on this decision" in adr
    assert 'href="../../threat-models/shipping-webhook/"' in adr
    assert "mermaid.min.js" not in example.page("adr/0007-guest-checkout/")


def test_the_example_keeps_a_page_for_every_generated_one():
    """The example's kept pages are exactly what init-site writes."""
    example = EXAMPLE / "docs"
    paths = {"register": "threat-models/register.md",
             "mitigation-register": "threat-models/mitigations.md",
             "owners": "threat-models/owners.md", "staleness": "threat-models/staleness.md",
             "risk": "threat-models/risk.md"}
    for path, text in marker_pages(paths).items():
        assert (example / path).read_text("utf-8") == text


def _site(root: Path, config: str, body: str = "# Checkout threat model\n\nSee "
          "[[threat:CO-1]] and [[threat:NOPE-1]].\n") -> FixtureSite:
    site = FixtureSite(root)
    site.write("docs/index.md", "# Home\n\nThe risk: [[threat:CO-2]].\n")
    site.write("docs/models/checkout.md", model_file(CHECKOUT, body))
    site.write("docs/adr/0001-checkout.md", ADR)
    site.write("mkdocs.yml", config)
    return site


def test_findings_and_page_warnings_are_logged_with_path_and_line(tmp_path):
    bad = model(threats=CHECKOUT["threats"] + [
        {"id": "CO-9", "title": "Ghost", "stride": ["S"], "targets": ["nowhere"],
         "likelihood": "low", "impact": "low", "status": "open", "ticket": "HC-9"}])
    site = _site(tmp_path, f"site_name: Z\nmarkdown_extensions:\n  - {EXTENSION}\n")
    site.write("docs/models/checkout.md", model_file(bad, "# Checkout\n\nSee [[threat:NOPE-1]]."
                                                          "\n"))
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    text = (tmp_path / "docs/models/checkout.md").read_text("utf-8").splitlines()
    ghost = next(i for i, line in enumerate(text, 1) if "nowhere" in line)
    cited = next(i for i, line in enumerate(text, 1) if "NOPE-1" in line)
    assert re.search(rf"^docs/models/checkout\.md:{ghost}: TM2\d\d .*nowhere", result.log,
                     re.M), result.log
    assert f"docs/models/checkout.md:{cited}: unknown threat id 'NOPE-1'" in result.log
    assert result.log.count("nowhere") == 1  # once per build, not once per page
    home = result.page("")
    assert 'href="models/checkout/#CO-2"' in home  # a citation on another page


def test_plugin_listed_where_zensical_builds_is_said_on_the_page_and_in_the_log(tmp_path):
    config = (f"site_name: Z\nplugins:\n  - search\n  - threatmodel\n"
              f"markdown_extensions:\n  - {EXTENSION}:\n      staleness: off\n")
    _site(tmp_path, config)
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    said = "The threatmodel MkDocs plugin listed under plugins in mkdocs.yml did not run"
    assert result.log.count(said) == 1, result.log
    page = result.page("models/checkout/")
    assert 'class="tm-note tm-plugin-ignored"' in page and said in page
    assert '<tr id="CO-1"' in page  # and the extension made the views


def test_plugin_alone_where_zensical_builds_leaves_a_visible_note_on_kept_pages(tmp_path):
    site = _site(tmp_path, "site_name: Z\nplugins:\n  - threatmodel\n", "# Checkout\n")
    for path, text in marker_pages().items():
        site.write("docs/" + path, text)
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    register = result.page("threat-register/")
    assert 'class="tm-unrendered"' in register and "did not run" in register
    assert EXTENSION in register
    # MkDocs with the plugin fills the same kept page and drops the note
    mkdocs = build(tmp_path / "mkdocs.yml", tmp_path / "site-mkdocs", "--strict")
    assert mkdocs.code == 0, mkdocs.log
    page = mkdocs.page("threat-register/")
    assert "tm-unrendered" not in page and '<a class="tm-tid"' in page


def test_mkdocs_with_plugin_and_extension_listed_renders_each_view_once(tmp_path):
    config = (f"site_name: Z\nplugins:\n  - threatmodel\n"
              f"markdown_extensions:\n  - {EXTENSION}\n")
    _site(tmp_path, config)
    result = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.code == 0, result.log
    page = result.page("models/checkout/")
    assert page.count('<tr id="CO-1"') == 1 and "tm-plugin-ignored" not in page
    assert page.count("<style>") == 0  # the extension stood aside: no context from MkDocs


def test_without_a_page_context_the_extension_leaves_markdown_alone():
    md = Markdown(extensions=[EXTENSION])
    text = "# Page\n\n<!-- threatmodel:register -->\n\n[[threat:CO-1]]\n"
    assert md.convert(text) == Markdown().convert(text)


@pytest.mark.parametrize("option", [{"redact": "some"}, {"sections": ["header", "nope"]},
                                    {"ticket_url": "ftp://x/{ticket}"}])
def test_bad_options_are_refused(option):
    with pytest.raises(ValueError, match="mkdocs_threatmodel.markdown_ext"):
        Markdown(extensions=[EXTENSION], extension_configs={EXTENSION: option})


def test_a_changed_model_is_read_again_on_the_next_build(tmp_path):
    site = _site(tmp_path, "site_name: Z\n")
    options = DocsOptions(staleness="off")
    first, made = docs_site(tmp_path / "docs", options)
    again, made_again = docs_site(tmp_path / "docs", options)
    assert made and not made_again and again is first
    site.write("docs/models/checkout.md", model_file(model(title="Checkout renamed")))
    third, made_third = docs_site(tmp_path / "docs", options)
    assert made_third and third.models["models/checkout.md"].title == "Checkout renamed"


def test_a_hostile_model_title_and_metadata_never_reach_the_templates_raw(tmp_path):
    """Zensical reads a page's front matter as its metadata and prints the title as HTML:
    on a model page the extension leaves only the model's safe title there."""
    hostile_site(tmp_path, "material")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Hostile\nmarkdown_extensions:\n  - {EXTENSION}\n", "utf-8")
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    page = result.page("models/hostile/")
    assert "window.pwned" in page  # the payloads are there, as text
    for html in [page, result.page("")]:
        assert "<script>window.pwned" not in html and "<img src=x" not in html
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    assert "<" not in title and HOSTILE["title"].split("<", 1)[0].strip() in title


@pytest.mark.slow
def test_a_cached_register_after_a_model_change_is_said_until_a_clean_build(tmp_path):
    site = _site(tmp_path, f"site_name: Z\nmarkdown_extensions:\n  - {EXTENSION}\n",
                 "# Checkout\n")
    site.write("docs/threat-register.md", marker_pages()["threat-register.md"])
    first = zensical_build(tmp_path / "mkdocs.yml")
    assert first.code == 0 and "--clean" not in first.log, first.log
    threats = [dict(CHECKOUT["threats"][0], title="Renamed in the model")] + \
        CHECKOUT["threats"][1:]
    site.write("docs/models/checkout.md", model_file(model(threats=threats), "# Checkout\n"))
    cached = zensical_build(tmp_path / "mkdocs.yml", clean=False)
    assert cached.code == 0
    assert "Renamed in the model" not in cached.page("threat-register/")  # Zensical's cache
    assert "build with --clean (zensical build --clean)" in cached.log, cached.log
    clean = zensical_build(tmp_path / "mkdocs.yml")
    assert "Renamed in the model" in clean.page("threat-register/")
    assert "--clean" not in clean.log


@pytest.mark.slow
def test_an_unreadable_model_page_says_why_its_views_are_missing(tmp_path):
    site = FixtureSite(tmp_path)
    # YAML Zensical reads, but no model: aliases are refused (front matter that is not YAML
    # at all stops Zensical itself, naming the file, before any extension runs)
    site.write("docs/models/bad.md", "---\nthreatmodel: 1\nid: bad\ntitle: &t <b>x</b>\n"
                                     "owner: *t\n---\n# Bad model\n\nNotes.\n")
    site.write("mkdocs.yml", f"site_name: Z\nmarkdown_extensions:\n  - {EXTENSION}\n")
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    assert "docs/models/bad.md:4: TM006 YAML anchor 't' is not allowed" in result.log
    page = result.page("models/bad/")
    assert 'class="tm-note tm-broken"' in page and "could not be read" in page
    assert "Notes." in page and "<b>x</b>" not in page  # the front matter is not metadata
    assert "<title>Bad model - Z</title>" in page
