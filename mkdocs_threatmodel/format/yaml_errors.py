"""PyYAML's syntax errors said in the words of the mistake people make (TM001).

PyYAML reports where its scanner gave up, in its own terms ("while scanning a simple key:
could not find expected ':'"), often a line after the mistake. The usual mistakes are a tab
in the indentation, a key without a space after its colon (``status:mitigated``) and a
value holding ``': '`` (``title: Attacker: steals``); each is pointed at its own line, with
the fix as the hint. Anything else keeps PyYAML's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

# ``key:value`` with no space: a plain word, a colon, then no space (a URL's "//" excluded).
_NO_SPACE = re.compile(r"^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w.-]*):(?!//)(\S.*?)[ \t]*$")
# ``key: value`` where the value holds ``: `` itself.
_COLON_IN_VALUE = re.compile(r"^([ \t]*(?:-[ \t]+)?)([^\s:#'\"][^:#]*?):[ \t]+(\S.*?)"
                             r"(?:[ \t]+#.*)?$")


@dataclass(frozen=True)
class Explained:
    """A syntax error as said to the user: 0-based line and column in the YAML text."""

    line: int
    column: int
    message: str
    hint: str | None = None


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explained:
    """What went wrong in ``text`` (the YAML that raised ``exc``), and where."""
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    first = exc.context_mark.line if exc.context_mark else line
    span = range(min(first, line), min(max(first, line), len(lines) - 1) + 1)
    problem = exc.problem or "invalid YAML"
    for explained in (_tab(lines, span, problem), _no_space(lines, span, problem),
                      _colon_in_value(lines, line, column, problem)):
        if explained is not None:
            return explained
    if exc.context:
        problem = f"{exc.context}: {problem}"
    return Explained(line, column, f"YAML syntax error: {problem}")


def _tab(lines: list[str], span: range, problem: str) -> Explained | None:
    if "tab" not in problem and "cannot start any token" not in problem:
        return None
    for i in reversed(span):
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip(" \t"))]
        if "\t" in indent:
            return Explained(i, indent.index("\t"), "YAML syntax error: a tab indents this "
                             "line, and YAML indents with spaces only",
                             "replace the tab with spaces")
    return None


def _no_space(lines: list[str], span: range, problem: str) -> Explained | None:
    if "expected ':'" not in problem:
        return None
    for i in span:
        found = _NO_SPACE.match(lines[i])
        if found:
            lead, key, value = found.groups()
            return Explained(i, len(lead), f"YAML syntax error: '{key}:{value}' has no space "
                             f"after the colon, so YAML reads it as text, not as the key "
                             f"'{key}'", f"add a space: '{key}: {value}'")
    return None


def _colon_in_value(lines: list[str], line: int, column: int,
                    problem: str) -> Explained | None:
    if "mapping values are not allowed" not in problem or line >= len(lines):
        return None
    found = _COLON_IN_VALUE.match(lines[line])
    if not found:
        return None
    if column < found.start(3):  # the colon is the line's own key: an indentation mistake
        return _over_indented(lines, line, found[2].strip())
    lead, key, value = found.groups()
    return Explained(line, found.start(3), f"YAML syntax error: the value of '{key}' holds "
                     "': ', which YAML reads as the start of another key",
                     f"quote the value: {key}: {quote(value)}")


def _over_indented(lines: list[str], line: int, key: str) -> Explained | None:
    """A key indented under a key above it that already has a value."""
    above = next((i for i in range(line - 1, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if above is None:
        return None
    parent = _COLON_IN_VALUE.match(lines[above])
    if not parent or _indent(lines[line]) <= _indent(lines[above]):
        return None
    name = parent[2].strip()
    return Explained(line, _indent(lines[line]), f"YAML syntax error: '{key}' is indented "
                     f"more than '{name}' above it, which already has a value",
                     f"indent '{key}' as '{name}' is, or move the value of '{name}' under it")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def quote(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    return json.dumps(value, ensure_ascii=False)


def key_without_space(text: str) -> str | None:
    """For a text value that was meant as ``key: value`` (``status:mitigated``), the fix."""
    found = _NO_SPACE.match(text)
    if not found or "\n" in text:
        return None
    _, key, value = found.groups()
    return f"add a space after the colon: '{key}: {value}'"
