"""Where a Markdown file's YAML front matter starts and ends: one definition for every reader.

The front matter opens with a ``---`` line at the top of the file and closes at the next
``---`` or ``...`` line (trailing blanks allowed).
"""

from __future__ import annotations

import re

OPENING = "---"
CLOSINGS = ("---", "...")
CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
CLOSING_LINE_BYTES = re.compile(rb"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def opens(line: str) -> bool:
    """Whether ``line`` (the file's first) opens a front matter block."""
    return line.rstrip() == OPENING


def closing_index(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened by ``lines[0]``, or ``None``."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in CLOSINGS), None)
