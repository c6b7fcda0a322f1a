"""Read a model file: split the front matter and load its YAML safely, keeping positions.

The YAML is composed (never constructed into objects), so no tag can build
anything; anchors and aliases are refused before the tree is walked, so no
alias can blow up; a key repeated in a mapping is a finding, not an
overwrite. Every value keeps the line and column of its key and of itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..findings.finding import Finding, Position
from .frontmatter import CLOSING_LINE_BYTES, closing_index, opens

if TYPE_CHECKING:  # both loaders offer the same interface
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser when PyYAML was built with it
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAGS: dict[tuple[str, tuple[bool, bool]], str] = {}  # (scalar text, implicit) -> its tag
_TAGS_KEPT = 4096
_TAGS_LONGEST = 40  # characters: names, words, dates, numbers; longer texts are not kept


class _Loader(_SafeLoader):
    """The safe loader, remembering the tag each short scalar text resolves to.

    Resolving is PyYAML's Python code, run for every scalar even with libyaml's parser;
    its answer depends on the text alone (this loader has no path resolvers), and front
    matter repeats the same few words (``id``, ``status``, ``medium``). Measured on 200
    small models: composing one takes 68 us instead of 79.
    """

    def resolve(self, kind: type[yaml.Node], value: str,
                implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or len(value) > _TAGS_LONGEST:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            if len(_TAGS) >= _TAGS_KEPT:
                _TAGS.clear()
            tag = _TAGS[key] = super().resolve(kind, value, implicit)
        return tag

KeyPath = tuple  # a path into the front matter: keys (str) and list indexes (int)

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq"}
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\]}]")
_MODEL_KEY = re.compile(rb"^[ \t-]*threatmodel[ \t]*:", re.MULTILINE)
_constructor = yaml.constructor.SafeConstructor()
MAX_DEPTH = 64  # levels of nested mappings and lists; a model needs five, a YAML import ten
HEAD_BYTES = 65536  # a model's front matter opens within this many bytes of the file


@dataclass
class Spot:
    """Where a value (and the key naming it, for mapping entries) stands in the file."""

    line: int
    column: int
    key_line: int
    key_column: int

    @property
    def value(self) -> Position:
        return Position(self.line, self.column)

    @property
    def key(self) -> Position:
        return Position(self.key_line, self.key_column)


@dataclass
class SourceFile:
    """A model file as read: its front matter data and, on demand, where each value is.

    Positions are worked out lazily (a second, recording parse of ``raw``) the
    first time a finding needs one, so that clean files cost a single parse.
    """

    path: str
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    newline: str = "\n"
    raw: bytes = field(default=b"", repr=False)
    schema_findings: list[Finding] | None = field(default=None, repr=False)
    _spots: dict[KeyPath, Spot] | None = field(default=None, repr=False)

    @property
    def spots(self) -> dict[KeyPath, Spot]:
        if self._spots is None:
            self._spots = read_source(self.path, self.raw, positions=True)._spots or {}
        return self._spots

    def spot(self, path: KeyPath) -> Spot:
        """The spot of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.spots:
            path = path[:-1]
        return self.spots.get(path) or Spot(1, 1, 1, 1)

    def at(self, path: KeyPath, *, key: bool = False) -> Position:
        """The position of the value at ``path`` (or of its key)."""
        spot = self.spot(path)
        return spot.key if key else spot.value

    @property
    def ok(self) -> bool:
        """Whether the front matter was read (it may still break the schema)."""
        return isinstance(self.data, dict)


def looks_like_model(raw: bytes) -> bool:
    """Whether a file's bytes (its first :data:`HEAD_BYTES`) are a model: front matter with
    a top-level ``threatmodel`` key, in any YAML spelling and any Unicode encoding (a model
    that is not UTF-8 is still one, and is then reported as such)."""
    head = _as_utf8(raw[:HEAD_BYTES])
    if head.startswith(b"<<<<<<<"):  # a conflict from the first line: is either side one?
        return any(looks_like_model(side) for side in _sides(head))
    first, newline, _ = head.partition(b"\n")
    if not newline or first.rstrip() != b"---":
        return False
    start = len(first) + 1
    key = _MODEL_KEY.search(head, start)  # usually the first line: then no closing before it
    if key is not None and CLOSING_LINE_BYTES.search(head, start, key.start()) is None:
        return True
    closing = CLOSING_LINE_BYTES.search(head, start)
    front = head[start:closing.start() if closing else len(head)]
    if _MODEL_KEY.search(front):
        return True
    return b"threatmodel" in front and _has_model_key(front)


def _has_model_key(front: bytes) -> bool:
    """The slow test, for a key the fast one misses (quoted, in flow style, explicit): does
    YAML read a top-level ``threatmodel`` key?"""
    try:
        node = yaml.compose(front.decode("utf-8", "replace"), Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return False
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(key, yaml.ScalarNode) and key.value == "threatmodel" for key, _ in node.value)


def _sides(text: bytes) -> tuple[bytes, bytes]:
    """The two versions of a text in conflict: ours and theirs (markers and base left out)."""
    ours, theirs, part = [], [], None
    for line in text.splitlines(keepends=True):
        marker, bare = line[:7], line.rstrip()
        if marker == b"<<<<<<<" and part is None:
            part = "ours"
        elif marker == b"|||||||" and part == "ours":
            part = "base"
        elif bare == b"=======" and part in ("ours", "base"):
            part = "theirs"
        elif marker == b">>>>>>>" and part == "theirs":
            part = None
        else:
            if part in (None, "ours"):
                ours.append(line)
            if part in (None, "theirs"):
                theirs.append(line)
    return b"".join(ours), b"".join(theirs)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


def encoding(raw: bytes) -> str | None:
    """The Unicode encoding other than UTF-8 that ``raw`` is written in, told by its byte
    order mark or by the NUL bytes of its first ``---`` line; ``None`` for anything else."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return None if name == "utf-8" else name
    if raw.startswith(b"-\0\0\0-\0\0\0"):
        return "utf-32-le"
    if raw.startswith(b"\0\0\0-\0\0\0-"):
        return "utf-32-be"
    if raw.startswith(b"-\0-\0"):
        return "utf-16-le"
    if raw.startswith(b"\0-\0-"):
        return "utf-16-be"
    return None


def _as_utf8(head: bytes) -> bytes:
    """``head`` as UTF-8 bytes without a byte order mark (other encodings transcoded)."""
    name = encoding(head)
    if name is not None:
        width = 4 if "32" in name else 2
        head = head[:len(head) - len(head) % width]
        head = head.decode(name, "replace").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


_CONFLICT = re.compile(r"^<{7}(?:[ \t][^\n]*)?\r?\n(?:.*\n)*?>{7}(?:[ \t]|\r?$)",
                       re.MULTILINE)


def conflict_line(text: str) -> int | None:
    """The line of the first git conflict (a ``<<<<<<<`` line closed by a ``>>>>>>>``
    line), or ``None``. A ``=======`` line alone is a Markdown heading, not a conflict."""
    if "<<<<<<<" not in text:
        return None
    match = _CONFLICT.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_source(path: str, raw: bytes, positions: bool = False) -> SourceFile:
    """Split and load the front matter of ``raw`` (the bytes of ``path``).

    With ``positions``, every value's spot is recorded while loading.
    """
    src = SourceFile(path, raw=raw, _spots={} if positions else None)
    other = encoding(raw)
    if other is not None:
        src.findings.append(Finding(path, Position(1, 1), "TM007",
                                    f"file is {other.upper()}, not UTF-8",
                                    hint="save the file as UTF-8"))
        return src
    if b"\0" in raw:
        src.findings.append(Finding(path, Position(1, 1), "TM008",
                                    "file is binary (contains NUL bytes)"))
        return src
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        src.findings.append(Finding(path, Position(line, column), "TM007",
                                    f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    hint="save the file as UTF-8"))
        return src
    if text.startswith("\ufeff"):
        text = text[1:]
    conflict = conflict_line(text)
    if conflict is not None:
        src.findings.append(Finding(path, Position(conflict, 1), "TM010",
                                    "unresolved merge conflict (conflict markers)",
                                    hint="resolve the conflict and remove the markers"))
        return src
    src.newline = "\r\n" if "\r\n" in text[:2000] else "\n"
    lines = text.splitlines(keepends=True)
    if not lines or not opens(lines[0]):
        src.findings.append(Finding(path, Position(1, 1), "TM003",
                                    "file has no YAML front matter (it must start with '---')"))
        return src
    end = closing_index(lines)
    if end is None:
        src.findings.append(Finding(path, Position(1, 1), "TM002",
                                    "front matter opened on line 1 never closes",
                                    hint="add a line with only '---' after the front matter"))
        return src
    yaml_text = "".join(lines[1:end])
    src.body = "".join(lines[end + 1:])
    src.body_line = end + 2
    _load(src, yaml_text, line_offset=1)
    return src


def front_matter_tree(raw: bytes) -> tuple[str, int, int, Any]:
    """For an edit in place (``review``): the text of ``raw`` (byte order mark removed),
    where its front matter's YAML starts and ends in that text, and the YAML's node tree
    (marks count characters from the start), split and composed as :func:`read_source`
    reads them (``ValueError`` when they cannot be)."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not UTF-8") from exc
    lines = text.splitlines(keepends=True)
    end = closing_index(lines) if lines and opens(lines[0]) else None
    if end is None:
        raise ValueError("the file has no closed front matter")
    front = "".join(lines[1:end])
    start = len(lines[0])
    try:  # composing never expands an alias: an alias is one shared node
        return text, start, start + len(front), yaml.compose(front, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ValueError("the front matter is not valid YAML") from exc


def read_yaml(path: str, raw: bytes) -> SourceFile:
    """Load a whole YAML file (such as the configuration) with the same safety rules."""
    src = SourceFile(path, raw=raw, _spots={})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        src.findings.append(Finding(path, Position(1, 1), "TM007", "file is not UTF-8"))
        return src
    _load(src, text, line_offset=0, mapping_only=False)
    return src


def _load(src: SourceFile, text: str, line_offset: int, mapping_only: bool = True) -> None:
    if _ANCHOR_OR_ALIAS.search(text) and _report_anchors(src, text, line_offset):
        return
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        from .yaml_errors import explain  # only a file with an error pays for it

        said = explain(text, exc)
        src.findings.append(Finding(src.path, Position(said.line + 1 + line_offset,
                                                       said.column + 1), "TM001",
                                    said.message, hint=said.hint))
        return
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without a mark
        src.findings.append(Finding(src.path, Position(2, 1), "TM001", f"YAML error: {exc}"))
        return
    except RecursionError:  # the pure-Python composer, without libyaml's own depth limit
        src.findings.append(_too_deep(src.path, Position(1 + line_offset, 1)))
        return
    if node is None or (mapping_only and not isinstance(node, yaml.MappingNode)):
        where = _pos(node, line_offset) if node is not None else Position(2, 1)
        src.findings.append(Finding(src.path, where, "TM003",
                                    "front matter is not a mapping of keys to values"))
        return
    try:
        src.data = _Walker(src, line_offset).value(node, (), node)
    except _TooDeep as exc:
        src.findings.append(_too_deep(src.path, _pos(exc.node, line_offset)))


class _TooDeep(Exception):
    """A collection nested deeper than :data:`MAX_DEPTH`: the file is not read further."""

    def __init__(self, node: Any) -> None:
        super().__init__()
        self.node = node


def _too_deep(path: str, where: Position) -> Finding:
    return Finding(path, where, "TM109", f"YAML nested deeper than {MAX_DEPTH} levels",
                   hint="flatten the structure; nothing in the format nests that deep")


def _report_anchors(src: SourceFile, text: str, line_offset: int) -> bool:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                src.findings.append(Finding(
                    src.path, _pos(event, line_offset), "TM006",
                    f"YAML {kind} '{anchor}' is not allowed in a threat model",
                    hint="write the value out where it is used"))
                return True
    except yaml.YAMLError:
        return False  # compose reports the syntax error with its position
    return False


def _pos(node: Any, line_offset: int) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1 + line_offset, mark.column + 1)


class _Walker:
    """Turns composed nodes into plain data, recording spots and refusing tags."""

    def __init__(self, src: SourceFile, line_offset: int) -> None:
        self.src = src
        self.offset = line_offset
        self.spots = src._spots  # None: positions are not recorded

    def value(self, node: Any, path: KeyPath, key_node: Any, depth: int = 0) -> Any:
        if self.spots is not None:
            mark, kmark = node.start_mark, key_node.start_mark
            self.spots[path] = Spot(mark.line + 1 + self.offset, mark.column + 1,
                                    kmark.line + 1 + self.offset, kmark.column + 1)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag not in _PLAIN_TAGS:
                return self._bad_tag(node, tag)
            return self._scalar(node)
        if tag not in _COLLECTION_TAGS:
            return self._bad_tag(node, tag)
        if depth >= MAX_DEPTH:
            raise _TooDeep(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, path + (i,), item, depth + 1)
                    for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        key_nodes: dict[str, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode) or knode.tag not in _PLAIN_TAGS:
                self.src.findings.append(Finding(self.src.path, _pos(knode, self.offset), "TM102",
                                                 "a key must be plain text",
                                                 hint="write keys as plain words"))
                continue
            key = knode.value
            if key in key_nodes:
                first = _pos(key_nodes[key], self.offset)
                self.src.findings.append(Finding(
                    self.src.path, _pos(knode, self.offset), "TM004",
                    f"duplicate key '{key}' (first on line {first.line})",
                    hint="remove or rename one of the two keys"))
                continue
            key_nodes[key] = knode
            result[key] = self.value(vnode, path + (key,), knode, depth + 1)
        return result

    def _scalar(self, node: Any) -> Any:
        tag = node.tag[len(_TAG):]
        if tag in ("str", "timestamp"):  # dates stay text: the schema checks them
            return node.value
        try:
            return getattr(_constructor, f"construct_yaml_{tag}")(node)
        except (ValueError, yaml.YAMLError):
            return node.value

    def _bad_tag(self, node: Any, tag: str) -> None:
        shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
        self.src.findings.append(Finding(self.src.path, _pos(node, self.offset), "TM005",
                                         f"YAML tag '{shown}' is not allowed in a threat model",
                                         hint="remove the tag and write plain data"))
        return None


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")


def locate(raw: bytes, path: tuple, *, key: bool = False) -> Position:
    """Where a value (or its key) under a top-level key stands, reading only that key's lines.

    A cheap stand-in for a full positions parse when a few positions of a large
    file are wanted; falls back to the nearest position it can find.
    """
    lines = raw.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    end = closing_index(lines) or len(lines)
    start = next((i for i in range(1, end) if (m := _TOP_KEY.match(lines[i]))
                  and m[1] == path[0]), None) if path else None
    if start is None:
        return Position(1, 1)
    stop = next((i for i in range(start + 1, end) if _TOP_KEY.match(lines[i])), end)
    snippet = "\n".join(lines[start:stop]) + "\n"
    try:
        node = yaml.compose(snippet, Loader=_Loader)
    except yaml.YAMLError:
        return Position(start + 1, 1)
    if node is None:  # the snippet holds a key, so it is a document
        return Position(start + 1, 1)
    knode, node = node.value[0]
    for part in path[1:]:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            found = (node.value[part], node.value[part])
        else:
            found = None
        if found is None:
            break
        knode, node = found
    mark = (knode if key else node).start_mark
    return Position(start + 1 + mark.line, mark.column + 1)
