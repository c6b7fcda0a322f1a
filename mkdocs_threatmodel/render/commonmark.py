"""A prepared page as plain CommonMark: each view an HTML block, each diagram a Mermaid
fence, so Hugo, Docusaurus, Sphinx with MyST or Zensical can take it as it is."""

from __future__ import annotations

import html
import re

from ..views.page import Composer, Prepared

_DIAGRAM = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)
_BLANK = re.compile(r"\n[ \t]*(?=\n)")
# Tags that open a CommonMark HTML block (type 6) whatever follows them on the line.
_BLOCK_START = re.compile(r"^<(?:div|table|p|ul|ol|section|details|figure|nav|h[1-6])[\s>]",
                          re.IGNORECASE)


def mermaid_fence(source: str) -> str:
    """A fenced ``mermaid`` block, its fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}mermaid\n{source.strip(chr(10))}\n{fence}"


def html_block(markup: str) -> str:
    """View HTML that CommonMark keeps as one HTML block (no blank line ends it early),
    with each diagram taken out as a Mermaid fence between two blocks."""
    markup = _BLANK.sub("", markup.strip())
    if not _BLOCK_START.match(markup):
        markup = f'<div class="tm-view">{markup}</div>'

    def fence(match: re.Match) -> str:
        return "\n\n" + mermaid_fence(html.unescape(match[1])) + "\n\n"

    return "\n\n" + _DIAGRAM.sub(fence, markup) + "\n\n"


def to_commonmark(prepared: Prepared, composer: Composer) -> str:
    """The page's Markdown with every slot replaced by its view as CommonMark."""
    blocks = Prepared(prepared.markdown, {k: html_block(v) for k, v in prepared.slots.items()})
    text = composer.fill(prepared.markdown, blocks)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
