"""``suggest --write``: append open suggestions to a model as untriaged threats.

The edit inserts text after the last threat (or adds a ``threats`` key at the end of the front
matter); every other byte of the file stays as it was: comments, key order, quoting, the byte
order mark and line endings. It works on source positions, never by dumping YAML again.
"""

from __future__ import annotations

import json

import yaml

from ..format.frontmatter import closing_index, opens
from .engine import Suggestion


def threat_id(model_id: str, s: Suggestion, taken: set[str]) -> str:
    """A repository-unique, stable id for a suggestion's threat: model, rule and target."""
    base = f"{model_id}-{s.rule.lower()}-{s.target}"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found)
    return found


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _fields(tid: str, s: Suggestion) -> list[tuple[str, str]]:
    story = (f"Suggested by {s.rule} ({s.name}): {s.reason}. Proposed rating, {s.rating}.")
    return [("id", tid), ("title", _q(s.title)), ("stride", f"[{s.stride}]"),
            ("targets", f"[{s.target}]"), ("status", "untriaged"),
            ("likelihood", s.likelihood), ("impact", s.impact), ("story", _q(story)),
            ("references", "[" + ", ".join(_q(r) for r in s.references) + "]"),
            ("tags", f"[suggested, {s.rule}]")]


def _block(items: list[tuple[str, Suggestion]], dash: int, newline: str) -> str:
    pad = " " * dash
    out = []
    for tid, s in items:
        for i, (key, value) in enumerate(_fields(tid, s)):
            out.append(f"{pad}{'- ' if i == 0 else '  '}{key}: {value}{newline}")
    return "".join(out)


def _flow(items: list[tuple[str, Suggestion]]) -> str:
    return ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in _fields(tid, s)) + "}"
                     for tid, s in items)


def _line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding ``index``."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    return node


def plan_append(text: str, items: list[tuple[str, Suggestion]]) -> str:
    """The model text with ``items`` (threat id, suggestion) appended to ``threats``.

    The front matter is split where ``validate`` splits it (``ValueError`` when it has none
    that closes)."""
    lines = text.splitlines(keepends=True)
    end = closing_index(lines) if lines and opens(lines[0]) else None
    if end is None:
        raise ValueError("the file has no closed front matter")
    first = len(lines[0])
    last = first + sum(map(len, lines[1:end]))  # where the closing line starts
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    front = text[first:last]
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    entries = {k.value: v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    node = entries.get("threats")
    if node is None:
        lead = "" if not front or front.endswith("\n") else newline
        new = front + lead + "threats:" + newline + _block(items, 2, newline)
    elif isinstance(node, yaml.SequenceNode) and node.flow_style and node.value:
        at = node.end_mark.index - 1  # the closing bracket
        new = front[:at] + ", " + _flow(items) + front[at:]
    elif isinstance(node, yaml.SequenceNode) and node.flow_style:
        new = (front[:node.start_mark.index] + "[" + _flow(items) + "]"
               + front[node.end_mark.index:])
    elif isinstance(node, yaml.SequenceNode):
        at = _line_end(front, _last_scalar(node).end_mark.index)
        lead = "" if front[:at].endswith("\n") else newline
        new = front[:at] + lead + _block(items, node.start_mark.column, newline) + front[at:]
    elif isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith("null"):
        at = _line_end(front, node.end_mark.index)
        lead = "" if front[:at].endswith("\n") else newline
        new = front[:at] + lead + _block(items, 2, newline) + front[at:]
    else:
        raise ValueError("'threats' is not a list")
    return text[:first] + new + text[last:]
