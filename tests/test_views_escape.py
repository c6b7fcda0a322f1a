"""Model text is untrusted: the escaping helpers and the Mermaid source they make."""

from __future__ import annotations

import re

import pytest

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.views.diagram import mermaid_source
from mkdocs_threatmodel.views.escape import h, md_text, mermaid_label, page_title, safe_url
from mkdocs_threatmodel.views.site import Options, Site
from tests.fixtures.sites import CHECKOUT, model, model_file

HOSTILE = [
    '<script>window.pwned=1</script>',
    '<img src=x onerror="window.pwned=2">',
    'a | b | c',
    'line one\nline two\r\nline three',
    '%%{init: {"securityLevel": "loose"}}%%',
    'click n0 call alert()',
    'x:::tmHot',
    '`code` and ``more``',
    'end"] --> n1["owned',
    'A --> B',
    '"]\nend\nsubgraph evil["x',
    '#lt;script#gt;',
    '\x00\x1b[31m',
]


# Every line our Mermaid source may hold: our statements, with labels of letters, digits,
# spaces and entity codes only.
STATEMENT = re.compile(
    r'(?:---|config:|  flowchart:|    \w+: \d+|flowchart TB'
    r'| *subgraph b\d+\["(?:[^\W_]| |#\d+;)+"\]| *end'
    r'| *n\d+(?:\["|\(\["|\[\(")(?:[^\W_]| |#\d+;)+(?:"\]|"\]\)|"\)\])'
    r'| *n\d+ (?:-->|==>)\|"(?:[^\W_]| |#\d+;)+"\| n\d+'
    r'| *classDef tm\w+ [\w:#.,% -]+| *class [nb\d,]+ tm\w+| *linkStyle [\d,]+ [\w:#.,-]+)')


def typed(data: dict):
    src = read_source("docs/models/m.md", model_file(data).encode())
    assert src.ok, src.findings
    return build_model(src)


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_labels_hold_only_letters_digits_spaces_and_entity_codes(text):
    label = mermaid_label(text, limit=1000)
    assert re.fullmatch(r"(?:[^\W_]|[ ]|#\d+;)+", label), label
    assert "\n" not in label and '"' not in label and "%" not in label
    assert "--" not in label and "|" not in label and ":" not in label


def test_mermaid_label_is_cut_and_never_empty():
    assert mermaid_label("x" * 100, limit=10) == "x" * 9 + "#8230;"
    assert mermaid_label("") == "#160;"
    assert mermaid_label("café 北京") == "café 北京"


def test_html_escape_and_urls():
    assert h('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert h(None) == ""
    assert safe_url("https://tracker.example/HC-1") == "https://tracker.example/HC-1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                "//evil.example", "https://x.example/\"onmouseover=", "vbscript:x", None, 3):
        assert safe_url(bad) is None


def test_page_titles_have_no_angle_brackets_and_markdown_text_is_inert():
    title = page_title('</title><script>alert(1)</script> & "x"')
    assert "<" not in title and ">" not in title
    assert "&amp;" in title and "&quot;" in title
    text = md_text("*bold* [link](javascript:x) <b> :smile: # | `c`\nnext")
    assert re.fullmatch(r"(?:[^\W_]|[ ]|&#\d+;)+", text), text


def test_mermaid_source_of_a_hostile_model_is_only_our_statements():
    data = model(CHECKOUT, title=HOSTILE[0])
    data["boundaries"] = [dict(b, name=HOSTILE[i]) for i, b in enumerate(data["boundaries"])]
    data["elements"] = [dict(e, name=HOSTILE[i + 3]) for i, e in enumerate(data["elements"])]
    data["flows"] = [dict(f, label=HOSTILE[i + 6]) for i, f in enumerate(data["flows"])]
    source = mermaid_source(typed(data), Site([], {}, options=Options()))
    for line in source.splitlines():
        assert STATEMENT.fullmatch(line), line
    assert "%%" not in source and ":::" not in source
    assert not any(line.lstrip().startswith(("click", "style", "%%")) for line in
                   source.splitlines())


def test_mermaid_uses_generated_ids_and_nests_boundaries():
    source = mermaid_source(typed(CHECKOUT), Site([], {}, options=Options()))
    assert not re.search(r"\b(?:browser|api|orders|internet|vpc|db)\b *[\[(]", source)
    lines = source.splitlines()
    outer = next(i for i, line in enumerate(lines) if 'subgraph b1["API VPC"]' in line)
    inner = next(i for i, line in enumerate(lines) if 'subgraph b2["DB subnet"]' in line)
    assert outer < inner and lines[inner].startswith("    subgraph")
    assert '  n0 ==>|"POST #47;checkout"| n1' in lines  # crosses internet -> vpc
    assert "  linkStyle 0,1 " in source.replace("linkStyle 0,1 stroke", "linkStyle 0,1 ")
    assert "  class n1 tmHot" in lines  # CO-1: open, high x high
    assert '(["#9888; checkout#45;api"])' in source
    assert "  class b0,b1,b2 tmBoundary" in lines


def test_boundary_cycles_and_unknown_references_do_not_break_the_diagram():
    data = model(CHECKOUT)
    data["boundaries"] = [{"id": "a", "name": "A", "inside": "b"},
                          {"id": "b", "name": "B", "inside": "a"},
                          {"id": "c", "name": "C", "inside": "ghost"}]
    data["elements"] = [dict(data["elements"][0], boundary="a"),
                        dict(data["elements"][1], boundary="nowhere"),
                        dict(data["elements"][2], boundary="c")]
    data["flows"] = data["flows"] + [{"id": "f-x", "from": "api", "to": "ghost"}]
    source = mermaid_source(typed(data), Site([], {}, options=Options()))
    assert source.count("subgraph") == 3 and source.count("\n  end") == 3
    assert "ghost" not in source
