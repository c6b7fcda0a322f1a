"""``threatmodel render`` and ``threatmodel init-site``, run in-process on copies of the example
site and on small sites; the output is parsed with markdown-it-py as plain CommonMark."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from mkdocs_threatmodel.render.markers import marker_pages
from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.generators import example_copy
from tests.fixtures.sites import HOSTILE, HOSTILE_BODY, FixtureSite, model_file


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def slug(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.lower()).strip().replace(" ", "-")


HREF = re.compile(r'href="([^"]*)"')
IDS = re.compile(r'\bid="([^"]*)"')


def parse(text: str):
    return MarkdownIt("commonmark").parse(text)


def html_of(text: str) -> str:
    return MarkdownIt("commonmark").render(text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The example site rendered by the real command line (in a subprocess-free run)."""
    from mkdocs_threatmodel.cli import main

    folder = example_copy(tmp_path_factory.mktemp("render-example"))
    out = folder.parent / "out"
    code = main(["render", str(folder / "docs"), "--out", str(out), "--staleness", "show",
                 "--today", "2026-11-27"])
    assert code == 0
    return folder, out


def test_every_page_is_written_with_the_kept_pages_and_assets(rendered):
    folder, out = rendered
    sources = sorted(p.relative_to(folder / "docs").as_posix()
                     for p in (folder / "docs").rglob("*.md"))
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert written == sources  # the example keeps its own register, owners... pages
    assert (out / "assets/threatmodel/threatmodel.css").is_file()
    assert (out / "assets/threatmodel/threatmodel.js").is_file()


def test_views_are_html_blocks_and_diagrams_mermaid_fences(rendered):
    folder, out = rendered
    models = validate(Repository.at(folder / "docs"), keep_models=True).models
    for m in models:
        page = out / m.path.split("example-site/docs/", 1)[1]
        text = page.read_text("utf-8")
        assert not text.startswith("---")  # the model is data, not the page's front matter
        tokens = parse(text)
        fences = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
        assert len(fences) == 1 and "flowchart TB" in fences[0].content
        assert "<" not in fences[0].content.replace("<-", "")  # Mermaid text, not HTML
        blocks = "".join(t.content for t in tokens if t.type == "html_block")
        for threat in m.threats:
            assert f'<tr id="{threat.id}"' in blocks, threat.id
        for view in ('class="tm-header', 'class="tm-table tm-coverage"', 'class="tm-heatmap"'):
            assert view in blocks
        # no view's HTML spilled into a paragraph, where Markdown would have read it
        for token in tokens:
            if token.type == "inline":
                assert "tm-" not in token.content or "tm-cite" in token.content, token.content
        assert "<!-- threatmodel:" not in text and 'class="tm-slot"' not in text
        headings = [tokens[i + 1].content for i, t in enumerate(tokens)
                    if t.type == "heading_open"]
        assert "STRIDE threats" in headings


def _targets(out: Path):
    """Every relative link of every written page, with the page it is on."""
    for page in sorted(out.rglob("*.md")):
        rel = page.relative_to(out).as_posix()
        html = html_of(page.read_text("utf-8"))
        for href in HREF.findall(html):
            if re.match(r"^[a-z]+:", href) or href.startswith("//"):
                continue
            yield rel, href, html


def test_relative_links_between_pages_land_on_written_files_and_anchors(rendered):
    _, out = rendered
    checked = 0
    anchors: dict[str, set[str]] = {}
    for rel, href, _page in _targets(out):
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if path \
            else rel
        assert (out / target).is_file(), (rel, href)
        if fragment:
            if target not in anchors:
                text = (out / target).read_text("utf-8")
                tokens = parse(text)
                headings = {slug(tokens[i + 1].content) for i, t in enumerate(tokens)
                            if t.type == "heading_open"}  # the generator gives these ids
                anchors[target] = set(IDS.findall(html_of(text))) | headings
            assert fragment in anchors[target], (rel, href)
        checked += 1
    assert checked > 300  # threat links, citations, ADR links, register rows


def test_register_links_to_the_model_files(rendered):
    _, out = rendered
    register = (out / "threat-models/register.md").read_text("utf-8")
    assert 'href="guest-checkout.md#CHK-001"' in register
    assert "tm-unrendered" not in register
    adr = (out / "adr/0007-guest-checkout.md").read_text("utf-8")
    assert 'href="../threat-models/guest-checkout.md#CHK-001"' in adr
    assert "Threat models resting on this decision" in adr


def _hostile(root: Path) -> FixtureSite:
    site = FixtureSite(root)
    site.write("docs/index.md", "# Home\n\nSee [[threat:HX-1]].\n")
    site.write("docs/models/hostile.md", model_file(HOSTILE, HOSTILE_BODY))
    return site


def test_a_hostile_model_stays_text(tmp_path, cli):
    _hostile(tmp_path)
    result = cli(tmp_path, "render", "docs", "--out", "out", "--staleness", "off")
    assert result.code == 0, result.err
    pages = {p.relative_to(tmp_path / "out").as_posix(): p.read_text("utf-8")
             for p in (tmp_path / "out").rglob("*.md")}
    assert {"models/hostile.md", "threat-register.md", "threat-mitigations.md",
            "threat-owners.md", "threat-staleness.md", "index.md"} <= set(pages)
    for name, text in pages.items():
        parser = _Attributes()
        parser.feed(html_of(text))
        assert parser.handlers == [], name
        assert not {"script", "iframe", "img", "svg", "object"} & set(parser.tags), name
        assert not any(h.lower().startswith("javascript") for h in HREF.findall(text)), name
    fence = [t for t in parse(pages["models/hostile.md"]) if t.type == "fence"]
    assert len(fence) == 1  # and no Mermaid directive outside a quoted label
    assert not re.search(r"^\s*(?:click|%%)", fence[0].content, re.M), fence[0].content
    assert "window.pwned" in pages["models/hostile.md"]  # shown, as escaped text


def test_errors_are_reported_as_path_line_col_and_fail(tmp_path, cli):
    site = FixtureSite(tmp_path)
    site.write("docs/models/bad.md", "---\nthreatmodel: 1\nid: bad\ntitle: Bad\n"
                                     "owner: me\nunknown_key: 1\n---\n# Bad\n")
    result = cli(tmp_path, "render", "docs", "--out", "out", "--staleness", "off")
    assert result.code == 1
    assert re.search(r"^docs/models/bad\.md:6:1: TM\d+ ", result.err, re.M), result.err
    assert "Traceback" not in result.err
    assert 'class="tm-header' in (tmp_path / "out/models/bad.md").read_text("utf-8")


def test_an_unreadable_model_is_written_with_a_note_saying_why(tmp_path, cli):
    site = FixtureSite(tmp_path)
    site.write("docs/models/bad.md", "---\nthreatmodel: 1\nid: [bad\n---\n# Bad <b>x</b>\n")
    result = cli(tmp_path, "render", "docs", "--out", "out", "--staleness", "off")
    assert result.code == 1 and re.search(r"^docs/models/bad\.md:\d+:\d+: TM0", result.err,
                                          re.M), result.err
    text = (tmp_path / "out/models/bad.md").read_text("utf-8")
    assert text.startswith("> This threat model could not be read") and "# Bad" in text


@pytest.mark.parametrize("out", ["docs", "docs/out", "."])
def test_render_never_writes_into_the_docs(tmp_path, cli, out):
    _hostile(tmp_path)
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    result = cli(tmp_path, "render", "docs", "--out", out)
    assert result.code == 2 and "outside the docs folder" in result.err
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before


def test_init_site_writes_the_kept_pages_and_keeps_existing_ones(tmp_path, cli):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/threat-owners.md").write_text("# Mine\n", "utf-8")
    result = cli(tmp_path, "init-site", "docs", "--register", "security/register.md")
    assert result.code == 0, result.err
    assert "kept docs/threat-owners.md" in result.err
    assert (tmp_path / "docs/threat-owners.md").read_text("utf-8") == "# Mine\n"
    expected = marker_pages({"register": "security/register.md"})
    for path, text in expected.items():
        if path != "threat-owners.md":
            assert (tmp_path / "docs" / path).read_text("utf-8") == text
    assert "<!-- threatmodel:register -->" in expected["security/register.md"]


@pytest.mark.parametrize("bad", ["../out.md", "/abs.md", "page.txt"])
def test_init_site_refuses_paths_outside_the_docs(tmp_path, cli, bad):
    (tmp_path / "docs").mkdir()
    result = cli(tmp_path, "init-site", "docs", "--owners", bad)
    assert result.code == 2 and list((tmp_path / "docs").iterdir()) == []
