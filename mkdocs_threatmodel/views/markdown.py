"""Reading Markdown just enough: which lines are code, placeholders, headings, front matter."""

from __future__ import annotations

import re

from ..format.frontmatter import OPENING, closing_index, opens

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def code_flags(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (fences included)."""
    flags = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            if match and not (match[1][0] == "`" and "`" in line[match.end():]):
                fence = match[1]
                flags.append(True)
            else:
                flags.append(False)
        else:
            flags.append(True)
            if (match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
                    and not line[match.end():].strip()):
                fence = None
    return flags


def sub_outside_code(text: str, pattern: re.Pattern, repl) -> str:
    """``pattern.sub(repl, text)`` on the parts of a paragraph outside inline code spans."""
    out, pos = [], 0
    for span in _INLINE_CODE.finditer(text):
        out.append(pattern.sub(repl, text[pos:span.start()]))
        out.append(span.group(0))
        pos = span.end()
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
