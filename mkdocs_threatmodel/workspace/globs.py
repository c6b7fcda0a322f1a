"""``covers`` globs as CODEOWNERS reads them, and an index that matches many of them fast.

The meaning (``docs/covers.md`` has the table of examples, which a test checks):

* a pattern with a ``/`` at its start or in its middle is anchored at the repository root;
  one without (``*.py``, ``Makefile``, ``build/``) matches at any depth;
* ``*`` matches within one name, ``?`` one character but ``/``, ``[abc]`` a class
  (``[!abc]`` or ``[^abc]`` its complement, ``[a-z]`` a range), ``\\`` makes the next
  character literal (``\\[``, ``\\*``);
* ``**/`` at the start, ``/**/`` inside and ``/**`` at the end span any number of folders;
  ``**`` within a name is ``*``;
* a pattern that matches a folder matches everything below it, and a trailing ``/`` matches
  only folders; but a final bare ``*`` (``docs/*``) matches only the entries directly in the
  folder, not the files of its subfolders, as GitHub documents for CODEOWNERS.

These are gitignore's rules as ``git check-ignore`` applies them, but for that final ``*``
(git's ``docs/*`` ignores ``docs/x/c.py`` too); CODEOWNERS has neither classes nor escapes,
which are taken from gitignore.

Why the matcher is what it is: a glob made into a regular expression turns each
``*`` or ``**`` into a quantifier, and Python's backtracking ``re`` then tries
every way to split the path between them: with k of them, about len(path)**k
steps (``**a`` twelve times against a 160-character path never finishes). So a
glob takes the fastest road that is safe for it:

* no wildcard, or only a leading ``*`` at any depth (``*.py``): a string comparison
  (``_Subtree``; ``_AnyDepth`` and ``_Suffix`` for a name matched at any depth), 0.1 us;
* one unbounded wildcard, or two against a path of at most ``REGEX_MAX_PATH``
  characters: the regular expression, whose work is then at most linear or
  ``REGEX_MAX_PATH``**2 steps: 0.3 us for ``src/**/*.py`` on a usual path;
* anything else: ``_Automaton``, which reads the path once, keeping the set of
  glob positions it can be at as one integer's bits: linear in the path whatever
  the glob, about 0.5 us per character.

Every ``fullmatch`` ends; none raises. A class with a reversed range such as
``[z-a]`` matches nothing here (as in git) and :func:`glob_problem` names it so
that ``validate`` can report it. :func:`meaning_changed` compares a pattern with what
releases before this one made of it (every pattern anchored, a final ``*`` reaching into
subfolders, ``**`` spanning folders inside a name, no escapes), for TM112.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

REGEX_MAX_PATH = 256  # two unbounded wildcards use the regex only up to this path length

# What may follow the end of a match: the path ends (SELF), the path goes on into the
# matched folder (BELOW), or either (SELF_OR_BELOW).
SELF, BELOW, SELF_OR_BELOW = "self", "below", "self-or-below"
_UNBOUNDED = ("star", "any", "dirs")


@dataclass(frozen=True)
class _Class:
    """A ``[...]`` class: its single characters and ranges, complemented or not."""

    chars: str
    ranges: tuple[tuple[str, str], ...]
    negated: bool
    reversed_ranges: tuple[str, ...]

    def accepts(self, c: str) -> bool:
        if c == "/":
            return False
        inside = c in self.chars or any(lo <= c <= hi for lo, hi in self.ranges)
        return inside != self.negated

    def regex(self) -> str:
        body = "".join(re.escape(c) for c in self.chars)
        body += "".join(f"{re.escape(lo)}-{re.escape(hi)}" for lo, hi in self.ranges)
        if self.negated:
            return f"[^/{body}]"
        return f"(?!/)[{body}]" if body else "(?!)"


def _parse_class(body: str) -> _Class:
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    chars, ranges, bad, i = [], [], [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            lo, hi = body[i], body[i + 2]
            if lo <= hi:
                ranges.append((lo, hi))
            else:
                bad.append(f"{lo}-{hi}")
            i += 3
        else:
            chars.append(body[i])
            i += 1
    return _Class("".join(chars), tuple(ranges), negated, tuple(bad))


def _class_end(pattern: str, i: int, escapes: bool) -> int:
    """The index of the ``]`` closing the class opened at ``pattern[i]``, or -1."""
    if not escapes:  # as releases before escapes read it
        return pattern.find("]", i + 2)
    j = i + 1
    if j < len(pattern) and pattern[j] in "!^":
        j += 1
    j += 1  # a "]" first in the class is one of its characters
    while j < len(pattern):
        if escapes and pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "]":
            return j
        j += 1
    return -1


def _class_body(text: str) -> str:
    """A class body with its escapes resolved."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


# Tokens: ("lit", c), ("one",), ("class", _Class), ("star",) (no "/"), ("any",) (anything),
# ("dirs",) for "**/" (empty, or anything that ends in "/").
@dataclass(frozen=True)
class Glob:
    """A pattern read: its tokens, anchored at the root; what may follow a match; and the
    literal text every matching path starts with."""

    tokens: tuple[tuple, ...]
    tail: str
    prefix: str


def _items(pattern: str, escapes: bool) -> list[tuple]:
    """The pattern as items: tokens, ("stars", n) for a run of ``*`` and ("sep",)."""
    out: list[tuple] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if escapes and c == "\\" and i + 1 < len(pattern):
            out.append(("lit", pattern[i + 1]))
            i += 2
        elif c == "/":
            out.append(("sep",))
            i += 1
        elif c == "*":
            j = i
            while j < len(pattern) and pattern[j] == "*":
                j += 1
            out.append(("stars", j - i))
            i = j
        elif c == "?":
            out.append(("one",))
            i += 1
        elif c == "[" and (end := _class_end(pattern, i, escapes)) != -1:
            body = pattern[i + 1:end]
            out.append(("class", _parse_class(_class_body(body) if escapes else body)))
            i = end + 1
        else:
            out.append(("lit", c))
            i += 1
    return out


def _segments(items: list[tuple]) -> list[list[tuple]]:
    segments: list[list[tuple]] = [[]]
    for item in items:
        if item[0] == "sep":
            segments.append([])
        else:
            segments[-1].append(item)
    return segments


def _prefix(tokens: list[tuple]) -> str:
    out = []
    for token in tokens:
        if token[0] != "lit":
            break
        out.append(token[1])
    return "".join(out)


@lru_cache(maxsize=4096)
def parse(pattern: str) -> Glob:
    """A ``covers`` pattern as CODEOWNERS reads it (see the module's doc)."""
    segments = _segments(_items(pattern, escapes=True))
    anchored = len(segments) > 1 and not segments[0]
    folder_only = len(segments) > 1 and not segments[-1]
    segments = [s for s in segments if s]
    if not segments:
        return Glob((("class", _Class("", (), False, ())),), SELF, "\0")  # matches nothing
    anchored = anchored or len(segments) > 1
    double = [len(s) == 1 and s[0][0] == "stars" and s[0][1] >= 2 for s in segments]
    tokens: list[tuple] = [] if anchored or double[0] else [("dirs",)]
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        if double[i]:
            if i == last:
                tokens.append(("any",))
            else:
                tokens.append(("dirs",))
            continue
        for item in segment:
            tokens += [("star",)] if item[0] == "stars" else [item]
        if i < last:
            tokens.append(("lit", "/"))
    bare_star = segments[-1] == [("stars", 1)] and len(segments) > 1
    tail = BELOW if folder_only else SELF if bare_star or double[-1] else SELF_OR_BELOW
    return Glob(tuple(tokens), tail, _prefix(tokens) if tokens[0][0] == "lit" else "")


@lru_cache(maxsize=4096)
def _legacy(pattern: str) -> Glob:
    """What releases before CODEOWNERS semantics made of ``pattern``: anchored at the root,
    ``**`` spanning folders even inside a name, no escapes, a folder's match reaching
    everything below it, a final ``/`` ignored."""
    out: list[tuple] = []
    for item in _items(pattern.strip("/"), escapes=False):
        if item[0] == "stars":
            out.append(("star",) if item[1] == 1 else ("any",))
        elif item[0] == "sep":
            out.append(("lit", "/"))
        else:
            out.append(item)
    tokens: list[tuple] = []
    for token in out:  # "**" then "/" is "**/": empty, or anything ending in "/"
        if token == ("lit", "/") and tokens and tokens[-1] == ("any",):
            tokens[-1] = ("dirs",)
        else:
            tokens.append(token)
    return Glob(tuple(tokens), SELF_OR_BELOW, _prefix(tokens))


def glob_problem(pattern: str) -> str | None:
    """Why a glob cannot be what its author meant (a reversed range), or ``None``."""
    if "[" not in pattern:
        return None  # only a class can be wrong
    for token in parse(pattern).tokens:
        if token[0] == "class" and token[1].reversed_ranges:
            return f"the range {token[1].reversed_ranges[0]} is reversed, so it matches nothing"
    return None


_REGEX = {"dirs": "(?:.*/)?", "any": ".*", "star": "[^/]*", "one": "[^/]"}
_TAIL_REGEX = {SELF: "", BELOW: "/.*", SELF_OR_BELOW: "(?:/.*)?"}


def _regex(glob: Glob) -> re.Pattern:
    out = []
    for token in glob.tokens:
        kind = token[0]
        if kind == "lit":
            out.append(re.escape(token[1]))
        elif kind == "class":
            out.append(token[1].regex())
        else:
            out.append(_REGEX[kind])
    return re.compile("".join(out) + _TAIL_REGEX[glob.tail], re.DOTALL)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern:
    """The regular expression of a glob (anchored at the repository root).

    Use it only through :func:`matcher`, which falls back to a linear automaton
    where the expression could backtrack for long.
    """
    return _regex(parse(pattern))


class _Automaton:
    """A glob as a bit-parallel automaton: reads a path once, in linear time.

    Bit ``i`` set means "the first ``i`` tokens matched the path read so far".
    """

    def __init__(self, tokens: tuple[tuple, ...] | list[tuple], tail: str = SELF_OR_BELOW
                 ) -> None:
        self.tokens = tokens
        self.tail = tail
        self.final = 1 << len(tokens)
        self.skip = 0  # tokens that may match nothing: "*", "**" and "**/"
        self.dirs = 0  # "**/" tokens: passed over only where they start or after a "/"
        for i, token in enumerate(tokens):
            if token[0] in _UNBOUNDED:
                self.skip |= 1 << i
            if token[0] == "dirs":
                self.dirs |= 1 << i
        self._steps: dict[str, tuple[int, int, int]] = {}

    def _step(self, c: str) -> tuple[int, int, int]:
        """For character ``c``: tokens that consume it and move on, that consume it and
        stay, and "**/" tokens that end with it."""
        found = self._steps.get(c)
        if found is None:
            move = stay = close = 0
            for i, token in enumerate(self.tokens):
                kind, bit = token[0], 1 << i
                if (kind == "lit" and token[1] == c) or (kind == "one" and c != "/") or (
                        kind == "class" and token[1].accepts(c)):
                    move |= bit
                elif kind == "any" or (kind == "star" and c != "/"):
                    stay |= bit
                elif kind == "dirs":
                    stay |= bit
                    if c == "/":
                        close |= bit
            found = self._steps[c] = (move, stay, close)
        return found

    def _closure(self, states: int) -> int:
        while True:
            more = states | ((states & self.skip) << 1)
            if more == states:
                return states
            states = more

    def _run(self, path: str) -> tuple[bool, int]:
        """(whether a match of a folder above decided it, the states after ``path``)."""
        states = self._closure(1)
        final, below, dirs = self.final, self.tail != SELF, self.dirs
        for c in path:
            if c == "/" and below and states & final:
                return True, states  # a match of a folder matches everything below it
            move, stay, close = self._step(c)
            stayed = states & stay
            states = self._closure(((states & move) << 1) | ((states & close) << 1)
                                   | (stayed & ~dirs)) | (stayed & dirs)
            if not states:
                return False, 0
        return False, states

    def fullmatch(self, path: str) -> bool:
        decided, states = self._run(path)
        return decided or (self.tail != BELOW and bool(states & self.final))

    def reaches_into(self, folder: str) -> bool:
        """Whether the glob matches ``folder``, a folder above it, or could match a path
        inside it."""
        if self.fullmatch(folder):
            return True
        decided, states = self._run(folder + "/")
        return decided or bool(states)


class _Subtree:
    """An anchored glob without wildcards: a path, everything below it, or both."""

    def __init__(self, literal: str, tail: str = SELF_OR_BELOW) -> None:
        self.literal = literal
        self.below = literal + "/"
        self.self_ok, self.below_ok = tail != BELOW, tail != SELF
        self.fullmatch = {SELF: self._self, BELOW: self._below}.get(tail, self._either)

    def _self(self, path: str) -> bool:
        return path == self.literal

    def _below(self, path: str) -> bool:
        return path.startswith(self.below)

    def _either(self, path: str) -> bool:
        return path == self.literal or path.startswith(self.below)


class _AnyDepth:
    """A name (or names) without wildcards matched at any depth: ``Makefile``, ``build/``."""

    def __init__(self, literal: str, tail: str) -> None:
        self.literal, self.tail = literal, tail
        self.end, self.inner = "/" + literal, "/" + literal + "/"
        self.start = literal + "/"
        self.fullmatch: Callable[[str], bool] = \
            self._either if tail == SELF_OR_BELOW else self._match

    def _either(self, path: str) -> bool:
        return path.endswith(self.end) or self.inner in path or path.startswith(self.start) \
            or path == self.literal

    def _match(self, path: str) -> bool:
        if self.tail != BELOW and (path == self.literal or path.endswith(self.end)):
            return True
        return self.tail != SELF and (path.startswith(self.start) or self.inner in path)


class _Suffix:
    """``*`` and a literal ending, at any depth (``*.proto``, ``*.tf``): some name of the
    path ends so."""

    def __init__(self, suffix: str, tail: str) -> None:
        self.suffix, self.inner, self.last = suffix, suffix + "/", tail != BELOW

    def fullmatch(self, path: str) -> bool:
        return (self.last and path.endswith(self.suffix)) or self.inner in path


class _Guarded:
    """The regex for paths short enough that it cannot backtrack for long, else the
    automaton."""

    def __init__(self, regex: re.Pattern, automaton: _Automaton) -> None:
        self.regex = regex
        self.automaton = automaton

    def fullmatch(self, path: str) -> bool:
        if len(path) <= REGEX_MAX_PATH:
            return self.regex.fullmatch(path) is not None
        return self.automaton.fullmatch(path)


if TYPE_CHECKING:
    # Something with ``fullmatch(path)``, truthy when the path matches.
    Matcher: TypeAlias = "_Subtree | _AnyDepth | _Suffix | _Guarded | _Automaton | re.Pattern[str]"


def _matcher_of(glob: Glob) -> Matcher:
    tokens = glob.tokens
    literal = all(t[0] == "lit" for t in tokens)
    if literal:
        return _Subtree("".join(t[1] for t in tokens), glob.tail)
    if tokens[0] == ("dirs",) and all(t[0] == "lit" for t in tokens[1:]):
        return _AnyDepth("".join(t[1] for t in tokens[1:]), glob.tail)
    if tokens[-1] == ("any",) and glob.tail == SELF and all(t[0] == "lit" for t in tokens[:-1]) \
            and len(tokens) > 1 and tokens[-2] == ("lit", "/"):
        return _Subtree("".join(t[1] for t in tokens[:-2]), BELOW)  # "a/**"
    if tokens[:2] == (("dirs",), ("star",)) and glob.tail != SELF and len(tokens) > 2 and \
            all(t[0] == "lit" and t[1] != "/" for t in tokens[2:]):
        return _Suffix("".join(t[1] for t in tokens[2:]), glob.tail)
    unbounded = sum(t[0] in _UNBOUNDED for t in tokens)
    if unbounded <= 1:
        return _regex(glob)
    if unbounded == 2:
        return _Guarded(_regex(glob), _Automaton(tokens, glob.tail))
    return _Automaton(tokens, glob.tail)


@lru_cache(maxsize=4096)
def matcher(pattern: str) -> Matcher:
    """Something with ``fullmatch(path)`` that always ends quickly (see the module's doc)."""
    return _matcher_of(parse(pattern))


def glob_match(pattern: str, path: str) -> bool:
    """Whether ``path`` (repository-relative, with ``/``) matches ``pattern``."""
    return bool(matcher(pattern).fullmatch(path))


def literal_prefix(pattern: str) -> str:
    """The text every path that ``pattern`` matches starts with: the anchored pattern's part
    before its first wildcard ("" for a pattern that matches at any depth)."""
    return parse(pattern).prefix


@lru_cache(maxsize=1024)
def _legacy_matcher(pattern: str) -> Matcher:
    return _matcher_of(_legacy(pattern))


def meaning_changed(pattern: str) -> bool:
    """Whether ``pattern`` may match other paths than releases before CODEOWNERS semantics
    matched (TM112 then compares the two on the repository's files)."""
    new, old = parse(pattern), _legacy(pattern)
    return (new.tokens, new.tail) != (old.tokens, old.tail) and not (
        new.tokens == old.tokens and new.tokens and new.tokens[-1] == ("any",))


def matched_before(pattern: str, path: str) -> bool:
    """Whether releases before CODEOWNERS semantics matched ``path`` with ``pattern``."""
    return bool(_legacy_matcher(pattern).fullmatch(path))


def same_meaning_as_before(pattern: str) -> str | None:
    """A spelling that means today what ``pattern`` meant before (``/*.py`` for ``*.py``,
    ``src/**`` for ``src/*``), or ``None`` when there is none (``a**b``, escapes)."""
    body = pattern.strip("/")
    if "\\" in body or re.search(r"[^/]\*\*|\*\*[^/]", body):
        return None
    if body.endswith("/*"):
        body = body[:-1] + "**"  # before, a final "*" reached into subfolders: "**" does now
    return body if "/" in body else "/" + body


def same_meaning_both_ways(pattern: str) -> str | None:
    """A spelling that today and before both read as ``pattern`` reads today (``**/*.py``
    for ``*.py``), or ``None`` when there is none (``src/*``)."""
    body = pattern.strip("/")
    if "/" in body or pattern.startswith("/") or "\\" in body or "**" in body:
        return None
    return "**/" + body


class GlobIndex:
    """Many globs, each with an owner; finds the owners whose globs match a path.

    Globs are filed under their literal prefix, so a path is only tried against
    the globs whose prefix it starts with; answers are remembered per path.
    """

    def __init__(self) -> None:
        self._by_prefix: dict[str, list[tuple[str, int]]] = {}
        self._matchers: dict[str, Matcher] = {}
        self._lengths: list[int] | None = None  # of prefixes other than folders'
        self._memo: dict[str, frozenset[int]] = {}

    def add(self, pattern: str, owner: int) -> None:
        prefix = literal_prefix(pattern)
        self._by_prefix.setdefault(prefix, []).append((pattern, owner))
        self._lengths = None  # worked out again on the next lookup
        self._memo.clear()

    def owners(self, path: str) -> frozenset[int]:
        """Owners of every glob that matches ``path``.

        The prefixes a path can start with are tried: those of folders (ending in ``/``,
        or empty) at each ``/`` of the path, the others (few) by their lengths."""
        found = self._memo.get(path)
        if found is not None:
            return found
        if self._lengths is None:
            self._lengths = sorted({len(p) for p in self._by_prefix
                                    if p and not p.endswith("/")})
        keys = [""]
        at = path.find("/")
        while at >= 0:
            keys.append(path[:at + 1])
            at = path.find("/", at + 1)
        keys += [path[:length] for length in self._lengths if length <= len(path)]
        hits = set()
        for key in keys:
            for pattern, owner in self._by_prefix.get(key, ()):
                if owner in hits:
                    continue
                test = self._matchers.get(pattern)
                if test is None:
                    test = self._matchers[pattern] = matcher(pattern)
                if test.fullmatch(path):
                    hits.add(owner)
        found = self._memo[path] = frozenset(hits)
        return found


def matches_inside(pattern: str, folder: str) -> bool:
    """Whether ``pattern`` matches ``folder``, a folder above it, or could match a path
    inside it: a submodule, whose files this repository's history does not list."""
    glob = parse(pattern)
    return _Automaton(glob.tokens, glob.tail).reaches_into(folder.strip("/"))
