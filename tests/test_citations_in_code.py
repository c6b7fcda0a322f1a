"""``[[threat:ID]]`` and placeholders inside code stay as written, wherever markers are
expanded: the MkDocs plugin, the Zensical extension and ``threatmodel render``. Code is what
CommonMark (markdown-it-py) calls code: spans, fenced blocks and indented blocks."""

from __future__ import annotations

import re

import pytest

from mkdocs_threatmodel.views.markdown import code_flags, code_spans, sub_outside_code
from tests.fixtures.generators import zensical_build
from tests.fixtures.sites import ADR, CHECKOUT, FixtureSite, model_file

CITE = "[[threat:CO-1]]"
PAGE = f"""# Code

Live: {CITE}.

Spans: `{CITE}` and ``a `{CITE}` b``.

    indented {CITE}

```text
fenced {CITE}
```

~~~
tilde {CITE}
~~~

!!! note
    In a note: {CITE}.

        code in a note {CITE}
"""
LIVE, IN_CODE = 2, 6  # cited in the paragraph and the note; six times as code


def test_the_page_has_every_form_of_code():
    lines = PAGE.splitlines()
    flags = code_flags(lines)
    coded = [line.strip() for line, flag in zip(lines, flags, strict=True) if flag and CITE in line]
    assert coded == [f"indented {CITE}", f"fenced {CITE}", f"tilde {CITE}",
                     f"code in a note {CITE}"]
    assert not any(flag for line, flag in zip(lines, flags, strict=True)
                   if "Live" in line or "note:" in line)
    assert len(code_spans(lines[4])) == 2


@pytest.mark.parametrize("line,spans", [
    ("no code", []),
    ("`a` and `b`", [(0, 3), (8, 11)]),
    ("``a ` b``", [(0, 9)]),
    ("\\`not code` here", []),  # an escaped backtick opens nothing; the other one is alone
    ("`unclosed", []),
    ('<span title="`x`">', []),  # raw HTML, not a code span
])
def test_code_spans_are_commonmark_s(line, spans):
    assert code_spans(line) == spans


def test_indented_text_in_a_list_or_after_a_paragraph_is_not_code():
    lines = ["- item", "    more of the item " + CITE, "", "Para", "    lazy line " + CITE]
    assert code_flags(lines) == [False] * 5


def test_outside_code_is_replaced_and_code_is_kept():
    pattern = re.compile(r"\[\[threat:([A-Z0-9-]+)\]\]")
    text = sub_outside_code(f"{CITE} `{CITE}` \\`{CITE}`", pattern, lambda m: "LINK")
    assert text == f"LINK `{CITE}` \\`LINK`"


def _site(root) -> FixtureSite:
    site = FixtureSite(root)
    site.write("docs/index.md", "# Home\n")
    site.write("docs/code.md", PAGE)
    site.write("docs/models/checkout.md", model_file(CHECKOUT))
    site.write("docs/adr/0001-checkout.md", ADR)
    return site


def _assert_kept(html: str) -> None:
    assert html.count('class="tm-cite"') == LIVE, html
    assert html.count(CITE) == IN_CODE, html


def test_mkdocs_plugin_leaves_citations_in_code(tmp_path):
    site = _site(tmp_path)
    site.configure("material", {"staleness": "off"}, "markdown_extensions:\n  - admonition\n")
    result = site.build("--strict")
    assert result.code == 0, result.log
    _assert_kept(result.page("code/"))


def test_zensical_extension_leaves_citations_in_code(tmp_path):
    site = _site(tmp_path)
    site.write("mkdocs.yml", "site_name: Z\nmarkdown_extensions:\n  - admonition\n"
               "  - mkdocs_threatmodel.markdown_ext:\n      staleness: 'off'\n")
    result = zensical_build(tmp_path / "mkdocs.yml")
    assert result.code == 0, result.log
    _assert_kept(result.page("code/"))


def test_render_leaves_citations_in_code(tmp_path, cli):
    _site(tmp_path)
    result = cli(tmp_path, "render", "docs", "--out", "out", "--staleness", "off")
    assert result.code == 0, result.err
    _assert_kept((tmp_path / "out/code.md").read_text("utf-8"))
