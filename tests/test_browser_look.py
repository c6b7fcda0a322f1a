"""The example site as readers see it, in real headless Chromium at 1400 px and 390 px, in
Material's light (``default``) and dark (``slate``) schemes, and printed to an A4 PDF.

Contrast is computed in the page from computed styles (WCAG 2 relative luminance; AA: 4.5:1,
3:1 for large text), against the nearest backgrounds composited under the text; a diagram
node's label is read against its shape's fill. Served and sandboxed as in ``test_browser``.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ElementTree

import pytest

from mkdocs_threatmodel.validation.engine import validate
from mkdocs_threatmodel.workspace.repository import Repository
from tests.fixtures.sites import EXAMPLE, build, example_config
from tests.test_browser import Tab

WIDTHS = (1400, 390)
MODEL = "guest-checkout"

# Every piece of text in the diagrams, the legends, the heatmaps and the muted sub-labels
# ("L medium × I high", "on checkout-api"), with its colour, the
# colour under it and whether it is large text; a node's label is read on its shape's fill.
CONTRAST = """() => {
  const parse = c => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (!a) return [0, 0, 0, 0];
    const mix = i => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const up = el => el.parentElement || (el.getRootNode() && el.getRootNode().host) || null;
  const backdrop = el => {
    const layers = [];
    for (let e = el; e; e = up(e)) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const lum = c => {
    const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const own = el => Array.from(el.childNodes).some(
    n => n.nodeType === 3 && n.textContent.trim());
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const results = [];
  const check = (el, where) => {
    if (!own(el) || !visible(el)) return;
    const style = getComputedStyle(el);
    let under;
    const node = el.closest('g.node');
    if (node) {
      const shape = node.querySelector('.label-container path, .label-container');
      under = over(parse(getComputedStyle(shape).fill), backdrop(node.ownerSVGElement));
    } else {
      under = backdrop(el);
    }
    const svgText = el instanceof SVGElement;
    const fg = over(parse(svgText ? style.fill : style.color), under);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    results.push({where, text: el.textContent.trim().slice(0, 40),
                  ratio: Math.round(ratio(fg, under) * 100) / 100,
                  large: size >= 24 || (bold && size >= 18.66)});
  };
  document.querySelectorAll('div.mermaid, div.tm-mermaid').forEach(host => {
    const svg = (host.shadowRoot || host).querySelector('svg');
    if (svg) svg.querySelectorAll('*').forEach(el => check(el, 'diagram'));
  });
  document.querySelectorAll('.tm-legend *, .tm-heatmap *').forEach(el =>
    check(el, el.closest('.tm-legend') ? 'legend' : 'heatmap'));
  document.querySelectorAll('article .tm-li, article .tm-muted, article .tm-targets')
    .forEach(el => check(el, 'muted'));
  return results;
}"""

# Each node's label against its shape: the label's box inside the shape's box, its text whole.
LABELS = """() => Array.from(document.querySelectorAll('div.mermaid, div.tm-mermaid'))
  .map(host => (host.shadowRoot || host).querySelector('svg')).filter(Boolean)
  .flatMap(svg => Array.from(svg.querySelectorAll('g.node')).map(node => {
      const outline = node.querySelector('.label-container path, .label-container');
      const shape = node.querySelector('.label-container').getBoundingClientRect();
      const label = node.querySelector('.nodeLabel');
      const text = label.getBoundingClientRect();
      return {text: label.textContent.trim(), inside: text.left >= shape.left - 1 &&
              text.right <= shape.right + 1 && text.top >= shape.top - 1 &&
              text.bottom <= shape.bottom + 1,
              fits: label.scrollWidth <= Math.ceil(text.width) + 1,
              fill: getComputedStyle(outline).fill};
  }))"""

EDGE_LABELS = """() => Array.from(document.querySelectorAll('div.mermaid, div.tm-mermaid'))
  .map(host => (host.shadowRoot || host).querySelector('svg')).filter(Boolean)
  .flatMap(svg => Array.from(svg.querySelectorAll('g.edgeLabel .edgeLabel'))
      .map(label => label.textContent.trim()).filter(Boolean))"""

# The text of every table on the page: each header, and the longest cell of each column.
COLUMNS = """() => Array.from(document.querySelectorAll('article table')).flatMap(table => {
  const rows = Array.from(table.rows);
  const head = rows.length ? Array.from(rows[0].cells).map(c => c.textContent.trim()) : [];
  const longest = [];
  rows.slice(1).forEach(row => Array.from(row.cells).forEach((cell, i) => {
    const text = cell.textContent.replace(/\\s+/g, ' ').trim();
    if (text.length > (longest[i] || '').length) longest[i] = text;
  }));
  const where = table.closest('.tm-table, .tm-heatmap');
  return head.map((h, i) => ({table: where ? where.className : '', column: h,
                              sample: (longest[i] || '').slice(0, 60)}));
})"""


def _model():
    result = validate(Repository.at(EXAMPLE / "docs"), keep_models=True)
    return next(m for m in result.models if m.path.endswith(f"/{MODEL}.md"))


class Reader(Tab):
    """A tab at one width (900 px high) that refuses every request not for 127.0.0.1."""

    def __init__(self, browser, base: str, width: int) -> None:
        super().__init__(browser, base, width, 900)

    def scheme(self) -> str:
        return self.page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    def toggle(self) -> str:
        """Click Material's palette toggle, as a reader does; the scheme it switched to."""
        before = self.scheme()
        self.page.locator("form[data-md-component='palette'] label:visible").first.click()
        self.page.wait_for_function(
            f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")
        return self.scheme()



def _unreadable(results: list[dict]) -> list[dict]:
    return [r for r in results if r["ratio"] < (3 if r["large"] else 4.5)]


@pytest.mark.parametrize("width", WIDTHS)
def test_diagram_and_heatmap_text_reads_in_both_schemes_and_labels_are_whole(
        chromium, example_site, width):
    model = _model()
    names = {e.name for e in model.elements}
    flows = {f.label or f.id for f in model.flows if f.source and f.target}
    reader = Reader(chromium, example_site, width)
    try:
        reader.open(f"threat-models/{MODEL}/", diagrams=1)
        fills = {}
        for expected in ("default", "slate"):
            if reader.scheme() != expected:
                assert reader.toggle() == expected
            results = reader.page.evaluate(CONTRAST)
            kinds = {r["where"] for r in results}
            assert kinds == {"diagram", "legend", "heatmap", "muted"}, kinds
            assert len([r for r in results if r["where"] == "diagram"]) >= len(names)
            assert _unreadable(results) == [], (expected, width)
            labels = reader.page.evaluate(LABELS)
            assert {label["text"].removeprefix("\u26a0 ") for label in labels} == names
            assert [label for label in labels if not (label["inside"] and label["fits"])] == []
            edges = reader.page.evaluate(EDGE_LABELS)
            assert {e.removeprefix("\u26a0 ") for e in edges} == flows  # wrapped, none cut
            fills[expected] = sorted({label["fill"] for label in labels})
        # the toggle repainted the nodes without a reload
        assert set(fills["default"]).isdisjoint(fills["slate"]), fills
        assert reader.errors == [] and reader.outside == []
    finally:
        reader.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_diagram_enlarges_and_downloads_as_svg(chromium, example_site, width, tmp_path):
    model = _model()
    reader = Reader(chromium, example_site, width)
    page = reader.page
    try:
        reader.open(f"threat-models/{MODEL}/", diagrams=1)
        shown, column = page.evaluate("""() => {
            const figure = document.querySelector('.tm-diagram');
            const svg = figure.querySelector('.mermaid').shadowRoot.querySelector('svg');
            return [svg.getBoundingClientRect().width,
                    figure.closest('article').getBoundingClientRect().width];
        }""")
        assert shown >= column * 0.9  # the diagram takes the content's width
        page.click(".tm-diagram-tools .tm-diagram-enlarge")
        dialog = page.locator("dialog.tm-zoom")
        assert dialog.evaluate("d => d.open")
        nodes = dialog.evaluate("d => d.querySelectorAll('svg g.node').length")
        assert nodes == len(model.elements)
        width_of = "d => d.querySelector('svg').getBoundingClientRect().width"
        natural = dialog.evaluate(width_of)
        assert natural > shown  # larger than the page's copy: each label at its own size
        page.click("dialog.tm-zoom [data-tm-zoom='in']")
        assert dialog.evaluate(width_of) > natural * 1.3
        page.click("dialog.tm-zoom [data-tm-zoom='close']")
        assert not dialog.evaluate("d => d.open")
        reader.toggle()
        with page.expect_download() as download:
            page.click(".tm-diagram-tools .tm-diagram-download")
        saved = tmp_path / "diagram.svg"
        download.value.save_as(saved)
        assert download.value.suggested_filename == f"{MODEL}-data-flow.svg"
        root = ElementTree.fromstring(saved.read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        text = "".join(root.itertext())
        assert all(e.name in text for e in model.elements)
        # standalone: the palette's colours resolved into the file, here the dark scheme's
        style = root.get("style", "")
        assert "--tm-dfd-process-bg:#14304d" in style.replace(" ", ""), style
        assert re.search(r"background:rgb\(\d+, \d+, \d+\)", style), style
        assert reader.errors == [] and reader.outside == []
    finally:
        reader.close()


def _alnum(text: str) -> str:
    """Letters and digits only, lower case: what survives a PDF's line breaks and glyphs."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@pytest.mark.parametrize("path", [f"threat-models/{MODEL}/", "threat-models/register/"])
def test_printed_to_an_a4_pdf_every_column_is_there(chromium, example_site, path):
    from pypdf import PdfReader

    reader = Reader(chromium, example_site, 1400)
    page = reader.page
    try:
        reader.open(path, diagrams=1 if MODEL in path else 0)
        columns = page.evaluate(COLUMNS)
        assert len(columns) >= 8
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        printed = _alnum(" ".join(p.extract_text() or "" for p in pdf.pages))
        missing = [c for c in columns
                   if _alnum(c["column"]) not in printed or _alnum(c["sample"]) not in printed]
        assert missing == [], missing
        headers = {c["column"] for c in columns}
        if MODEL in path:
            assert {"Mitigation and tests", "Why"} <= headers
        else:
            assert "Ticket" in headers
        # ticket links print their targets
        assert _alnum("(https://tracker.harbor.example/browse/") in printed
        assert reader.errors == [] and reader.outside == []
    finally:
        reader.close()


def test_zensical_build_reads_in_both_schemes_too(chromium, tmp_path, mermaid_js, serve):
    from tests.fixtures.generators import example_copy, zensical_build

    folder = example_copy(tmp_path, mermaid=mermaid_js)
    result = zensical_build(folder / "zensical.toml", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    names = {e.name for e in _model().elements}
    reader = Reader(chromium, serve(result.site), 1400)
    try:
        reader.open(f"threat-models/{MODEL}/", diagrams=1)
        for expected in ("default", "slate"):
            if reader.scheme() != expected:
                assert reader.toggle() == expected
            results = reader.page.evaluate(CONTRAST)
            assert {r["where"] for r in results} == {"diagram", "legend", "heatmap", "muted"}
            assert _unreadable(results) == [], expected
            labels = reader.page.evaluate(LABELS)
            assert {label["text"].removeprefix("\u26a0 ") for label in labels} == names
        assert reader.page.locator(".tm-diagram-tools .tm-diagram-download").count() == 1
        assert reader.errors == [] and reader.outside == []
    finally:
        reader.close()


SELF_DRAWN = """() => {
  const svg = document.querySelector('.tm-diagram .tm-mermaid svg');
  return svg && {id: svg.id, style: svg.querySelector('style').textContent.split(svg.id).join(''),
                 nodes: svg.querySelectorAll('g.node').length,
                 svgs: document.querySelectorAll('.tm-diagram svg').length,
                 blocks: document.querySelectorAll('pre.mermaid').length};
}"""


def test_diagrams_the_plugin_draws_itself_are_drawn_again_when_the_scheme_changes(
        chromium, tmp_path, mermaid_js, serve):
    config = example_config(tmp_path, theme="mkdocs", options=f"      mermaid: {mermaid_js}\n")
    result = build(config, tmp_path / "site", "--strict", cache=tmp_path / "cache")
    assert result.code == 0, result.log
    reader = Reader(chromium, serve(tmp_path / "site"), 1400)
    page = reader.page
    try:
        reader.open(f"threat-models/{MODEL}/", diagrams=1)
        light = page.evaluate(SELF_DRAWN)
        assert light["nodes"] == len(_model().elements)
        # a theme with Material's scheme attribute switches it on <body>, as Material does
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        page.wait_for_function(f"({SELF_DRAWN})().id !== '{light['id']}'")
        dark = page.evaluate(SELF_DRAWN)
        assert dark["style"] != light["style"]  # Mermaid's dark theme
        assert (dark["nodes"], dark["svgs"], dark["blocks"]) == (light["nodes"], 1, 0)
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
        page.wait_for_function(f"({SELF_DRAWN})().id !== '{dark['id']}'")
        assert page.evaluate(SELF_DRAWN)["style"] == light["style"]
        page.click(".tm-diagram-tools .tm-diagram-enlarge")
        assert page.evaluate("document.querySelectorAll('dialog.tm-zoom svg g.node').length") \
            == light["nodes"]
        assert reader.errors == [] and reader.outside == []
    finally:
        reader.close()
