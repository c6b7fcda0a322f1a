"""Reading Markdown just enough: which lines are code, placeholders, headings, front matter."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..format.frontmatter import OPENING, closing_index, opens

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
# A line that may start code: indented (a tab, or four spaces) or a fence.
_MAYBE_CODE = re.compile(r"^(?: {0,3}(?:`{3,}|~{3,})|(?: {0,3}\t| {4}))", re.MULTILINE)
# Python-Markdown blocks whose body is indented by four spaces without being code: an
# admonition (``!!!``, ``???``, ``???+``), a content tab (``===``), a definition (``:``)
# and a footnote (``[^1]:``). CommonMark has none of them, so each opener is read as a
# list item whose content starts four columns in, which nests the same way.
_INDENTING_OPENER = re.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?|===|:|\[\^[^\]]+\]:)(?=[ \t]|$).*$",
                               re.MULTILINE)


@lru_cache(maxsize=1)
def _markdown_it() -> tuple[MarkdownIt, MarkdownIt]:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline.backticks import backtick

    def recorded_backtick(state: StateInline, silent: bool) -> bool:
        """CommonMark's code span rule, noting where each span starts and ends."""
        start = state.pos
        if not backtick(state, silent):
            return False
        if not silent and state.tokens and state.tokens[-1].type == "code_inline":
            state.env.setdefault("code_spans", []).append((start, state.pos))
        return True

    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline"])  # block structure only: which lines are code
    spans = MarkdownIt("commonmark")
    spans.inline.ruler.at("backticks", recorded_backtick)
    return md, spans


def code_flags(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a code block, fenced (fences included) or
    indented, as CommonMark (markdown-it-py) reads the page, with the indented bodies of
    Python-Markdown's admonitions, content tabs, definitions and footnotes read as such."""
    flags = [False] * len(lines)
    text = "\n".join(lines)
    if not _MAYBE_CODE.search(text):
        return flags  # no indented line and no fence: no code block (the common page)
    text = _INDENTING_OPENER.sub(lambda m: m[1] + "-   x", text)
    md, _ = _markdown_it()
    for token in md.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            start, end = token.map
            flags[start:end] = [True] * (min(end, len(lines)) - start)
    return flags


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the inline code spans of one line of Markdown start and end, as CommonMark
    (markdown-it-py) finds them: backslash escapes, unmatched runs and raw HTML count."""
    if "`" not in text:
        return []
    _, spans = _markdown_it()
    env: dict = {}
    spans.parseInline(text, env)
    return env.get("code_spans", [])


def sub_outside_code(text: str, pattern: re.Pattern[str],
                     repl: str | Callable[[re.Match[str]], str]) -> str:
    """``pattern.sub(repl, text)`` on the parts of a line outside inline code spans."""
    out, pos = [], 0
    for start, end in code_spans(text):
        out.append(pattern.sub(repl, text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(pattern.sub(repl, text[pos:]))
    return "".join(out)


def h1_line(lines: list[str], flags: list[bool]) -> int | None:
    """The index of the line that ends the first level-1 heading, or ``None``."""
    for i, line in enumerate(lines):
        if flags[i]:
            continue
        if _ATX_H1.match(line.rstrip("\r\n")):
            return i
        if (i > 0 and _SETEXT_H1.match(line.rstrip("\r\n")) and lines[i - 1].strip()
                and not flags[i - 1]):
            return i
    return None


def first_heading(text: str) -> str | None:
    """The text of a Markdown file's first level-1 heading (front matter skipped)."""
    lines = strip_front_matter(text).splitlines()
    flags = code_flags(lines)
    i = h1_line(lines, flags)
    if i is None:
        return None
    match = _ATX_H1.match(lines[i])
    title = match[1] if match else lines[i - 1]
    return (title or "").strip() or None


def strip_front_matter(text: str) -> str:
    """The text without a leading YAML front matter block (kept when it never closes)."""
    if not text.startswith(OPENING):
        return text
    lines = text.splitlines(keepends=True)
    end = closing_index(lines) if opens(lines[0]) else None
    return text if end is None else "".join(lines[end + 1:])


def line_offset(content: str, markdown: str) -> int:
    """How many lines of ``content`` (a file) come before ``markdown`` (its body), when
    ``markdown`` is what is left of it once the front matter is cut; else 0."""
    if markdown and content.endswith(markdown):
        return content.count("\n", 0, len(content) - len(markdown))
    return 0
