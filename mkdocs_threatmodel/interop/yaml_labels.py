"""The file an import reads, YAML anchors allowed: Threagile models use them as labels.

Everything without an anchor or alias is read by :func:`.loading.read_input` (JSON, or YAML
under the model file's rules). YAML with anchors is composed (never constructed, so no tag
builds anything) and walked here with these rules:

* only plain tags (text, numbers, booleans, null, dates); any other tag is refused;
* an alias is expanded, but the nodes that alias expansion produces are counted, and more
  than :data:`MAX_EXPANDED_NODES` in the whole file is refused (an "alias bomb", where a few
  lines expand to billions of nodes, stops within that many steps); an alias inside its own
  anchor (a cycle) is refused;
* a merge key (``<<``) may only name one alias of a mapping, or a list of such aliases;
  the mapping's own keys win, as YAML says; a merge of anything else is refused;
* a key repeated in one mapping is refused.

Any refusal is one line ``path:line:col: message``. The command refuses anchors in every
format but Threagile (:attr:`Loaded.alias`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from .loading import MAX_INPUT_BYTES, read_input

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml's parser when PyYAML was built with it
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_EXPANDED_NODES = 10_000  # nodes alias expansion may produce in one file
_TAG = "tag:yaml.org,2002:"
_SCALARS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE = _TAG + "merge"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Loaded:
    """An import's input: its data, and why it would be refused outside Threagile."""

    data: Any
    alias: str | None = None  # "path:line:col: YAML anchor ... " when it has anchors


def read_labelled(path: str) -> Loaded:
    """The data of an import's input file; YAML anchors and aliases allowed (see above)."""
    file = Path(path)
    if not file.is_file() or file.stat().st_size > MAX_INPUT_BYTES:
        return Loaded(read_input(path))  # raises the usual one-line error
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Loaded(read_input(path))
    first = None if text.lstrip().startswith(("{", "[")) or file.suffix.lower() == ".json" \
        else _first_anchor(text)
    if first is None:
        return Loaded(read_input(path))
    if "\0" in text:
        raise InputError(f"{path}: binary file (contains NUL bytes)")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise InputError(f"{path}:{where}: YAML syntax error: {exc.problem or 'invalid YAML'}") \
            from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without a mark
        raise InputError(f"{path}: YAML error: {exc}") from None
    kind, name, line, column = first
    try:
        data = _Walker(path).value(node) if node is not None else None
    except RecursionError:
        raise InputError(f"{path}: YAML nested too deeply") from None
    return Loaded(data, f"{path}:{line}:{column}: YAML {kind} '{name}': anchors and aliases "
                        "are only read in a Threagile model")


def _first_anchor(text: str) -> tuple[str, str, int, int] | None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                mark = event.start_mark
                assert mark is not None  # both of PyYAML's parsers mark every event
                return kind, anchor, mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        return None  # read_input reports the syntax error with its position
    return None


class _Walker:
    """Composed nodes to plain data, counting what alias expansion produces."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[int] = set()  # collection nodes walked once (their anchor)
        self.stack: set[int] = set()  # collection nodes being walked (a cycle guard)
        self.expanding = 0  # > 0 while walking a node reached again through an alias
        self.expanded = 0

    def fail(self, node: Any, message: str) -> None:
        mark = node.start_mark
        raise InputError(f"{self.path}:{mark.line + 1}:{mark.column + 1}: {message}")

    def value(self, node: Any) -> Any:
        if self.expanding:
            self.expanded += 1
            if self.expanded > MAX_EXPANDED_NODES:
                self.fail(node, f"YAML aliases expand to more than {MAX_EXPANDED_NODES} "
                                "nodes; refused (an alias bomb?)")
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALARS:
                self.fail(node, f"YAML tag '{node.tag}' is not allowed")
            if node.tag in (_TAG + "str", _TAG + "timestamp"):
                return node.value
            try:
                return getattr(_constructor, f"construct_yaml_{node.tag[len(_TAG):]}")(node)
            except (ValueError, yaml.YAMLError):
                return node.value
        if node.tag not in (_TAG + "map", _TAG + "seq"):
            self.fail(node, f"YAML tag '{node.tag}' is not allowed")
        ident = id(node)
        if ident in self.stack:
            self.fail(node, "YAML alias inside its own anchor (a cycle); refused")
        again = ident in self.seen
        self.seen.add(ident)
        self.stack.add(ident)
        self.expanding += again
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.value(item) for item in node.value]
            return self._mapping(node)
        finally:
            self.expanding -= again
            self.stack.discard(ident)

    def _mapping(self, node: Any) -> dict:
        own: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for knode, vnode in node.value:
            if knode.tag == _MERGE:
                for source in self._merge_sources(vnode):
                    for key, value in self.value(source).items():
                        merged.setdefault(key, value)
                continue
            if not isinstance(knode, yaml.ScalarNode) or knode.tag not in _SCALARS:
                self.fail(knode, "a key must be plain text")
            if knode.value in own:
                self.fail(knode, f"duplicate key '{knode.value}'")
            own[knode.value] = self.value(vnode)
        return {**merged, **own} if merged else own

    def _merge_sources(self, vnode: Any) -> list[Any]:
        sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
        for source in sources:
            if not isinstance(source, yaml.MappingNode) or id(source) not in self.seen:
                self.fail(vnode, "a merge key ('<<') may only name aliases of mappings")
        return sources
