"""Git-style globs over repository paths, and an index that matches many of them fast.

``**`` spans folders, ``*`` and ``?`` stay inside one, ``[abc]`` is a class
(``[!abc]`` its complement, ``[a-z]`` a range), a trailing ``/`` means a folder.
As in git, a pattern that matches a folder matches everything below it.

Why the matcher is what it is: a glob made into a regular expression turns each
``*`` or ``**`` into a quantifier, and Python's backtracking ``re`` then tries
every way to split the path between them: with k of them, about len(path)**k
steps (``**a`` twelve times against a 160-character path never finishes). So a
glob takes the fastest road that is safe for it:

* no wildcard (or only a final ``/**``): a string comparison (``_Subtree``), 0.1 us;
* one unbounded wildcard, or two against a path of at most ``REGEX_MAX_PATH``
  characters: the regular expression, whose work is then at most linear or
  ``REGEX_MAX_PATH``**2 steps: 0.3 us for ``src/**/*.py`` on a usual path;
* anything else: ``_Automaton``, which reads the path once, keeping the set of
  glob positions it can be at as one integer's bits: linear in the path whatever
  the glob, about 0.5 us per character (5 us for ``a/**/b/**/c/*.py`` on a
  16-character path; 80 us for the twelve-``**`` glob above).

Every ``fullmatch`` ends; none raises. A class with a reversed range such as
``[z-a]`` matches nothing here (as in git) and :func:`glob_problem` names it so
that ``validate`` can report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WILD = re.compile(r"[*?\[]")
REGEX_MAX_PATH = 256  # two unbounded wildcards use the regex only up to this path length


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


# Tokens: ("lit", c), ("one",), ("class", _Class), ("star",) (no "/"), ("any",) (anything),
# ("dirs",) for "**/" (empty, or anything that ends in "/").
def _tokens(pattern: str) -> list[tuple]:
    out, i = [], 0
    pattern = pattern.lstrip("/").rstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(("dirs",))
            i += 3
        elif pattern.startswith("**", i):
            out.append(("any",))
            i += 2
        elif pattern[i] == "*":
            out.append(("star",))
            i += 1
        elif pattern[i] == "?":
            out.append(("one",))
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            out.append(("class", _parse_class(pattern[i + 1:end])))
            i = end + 1
        else:
            out.append(("lit", pattern[i]))
            i += 1
    return out


def glob_problem(pattern: str) -> str | None:
    """Why a glob cannot be what its author meant (a reversed range), or ``None``."""
    if "[" not in pattern:
        return None  # only a class can be wrong
    for token in _tokens(pattern):
        if token[0] == "class" and token[1].reversed_ranges:
            return f"the range {token[1].reversed_ranges[0]} is reversed, so it matches nothing"
    return None


_REGEX = {"dirs": "(?:.*/)?", "any": ".*", "star": "[^/]*", "one": "[^/]"}


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern:
    """The regular expression of a glob (anchored at the repository root).

    Use it only through :func:`matcher`, which falls back to a linear automaton
    where the expression could backtrack for long.
    """
    out = []
    for token in _tokens(pattern):
        kind = token[0]
        if kind == "lit":
            out.append(re.escape(token[1]))
        elif kind == "class":
            out.append(token[1].regex())
        else:
            out.append(_REGEX[kind])
    return re.compile("".join(out) + "(?:/.*)?", re.DOTALL)


class _Automaton:
    """A glob as a bit-parallel automaton: reads a path once, in linear time.

    Bit ``i`` set means "the first ``i`` tokens matched the path read so far".
    """

    def __init__(self, tokens: list[tuple]) -> None:
        self.tokens = tokens
        self.final = 1 << len(tokens)
        self.skip = 0  # tokens that may match nothing: "*", "**" and "**/"
        for i, token in enumerate(tokens):
            if token[0] in ("star", "any", "dirs"):
                self.skip |= 1 << i
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

    def fullmatch(self, path: str) -> bool:
        states = self._closure(1)
        final = self.final
        for c in path:
            if c == "/" and states & final:
                return True  # a match of a folder matches everything below it
            move, stay, close = self._step(c)
            states = ((states & move) << 1) | (states & stay) | ((states & close) << 1)
            if not states:
                return False
            states = self._closure(states)
        return bool(states & final)


class _Subtree:
    """A glob without wildcards (or ending in ``/**``): a path or everything below it."""

    def __init__(self, literal: str) -> None:
        self.literal = literal
        self.below = literal + "/"

    def fullmatch(self, path: str) -> bool:
        return path == self.literal or path.startswith(self.below)


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


@lru_cache(maxsize=4096)
def matcher(pattern: str) -> _Subtree | _Guarded | _Automaton:
    """Something with ``fullmatch(path)`` that always ends quickly (see the module's doc)."""
    body = pattern.strip("/")
    if body.endswith("/**"):
        body = body[:-3]
    if body and not _WILD.search(body):
        return _Subtree(body)
    tokens = _tokens(pattern)
    unbounded = sum(t[0] in ("star", "any", "dirs") for t in tokens)
    if unbounded <= 1:
        return compile_glob(pattern)
    if unbounded == 2:
        return _Guarded(compile_glob(pattern), _Automaton(tokens))
    return _Automaton(tokens)


def glob_match(pattern: str, path: str) -> bool:
    """Whether ``path`` (repository-relative, with ``/``) matches ``pattern``."""
    return bool(matcher(pattern).fullmatch(path))


def literal_prefix(pattern: str) -> str:
    """The part of a glob before its first wildcard."""
    pattern = pattern.lstrip("/")
    match = _WILD.search(pattern)
    return pattern[:match.start()] if match else pattern.rstrip("/")


class GlobIndex:
    """Many globs, each with an owner; finds the owners whose globs match a path.

    Globs are filed under their literal prefix, so a path is only tried against
    the globs whose prefix it starts with; answers are remembered per path.
    """

    def __init__(self) -> None:
        self._by_prefix: dict[str, list[tuple[str, int]]] = {}
        self._matchers: dict[str, _Subtree | re.Pattern] = {}
        self._lengths: list[int] = []
        self._memo: dict[str, frozenset[int]] = {}

    def add(self, pattern: str, owner: int) -> None:
        prefix = literal_prefix(pattern)
        self._by_prefix.setdefault(prefix, []).append((pattern, owner))
        self._lengths = []  # worked out again on the next lookup
        self._memo.clear()

    def owners(self, path: str) -> frozenset[int]:
        """Owners of every glob that matches ``path``."""
        found = self._memo.get(path)
        if found is not None:
            return found
        if not self._lengths:
            self._lengths = sorted({len(p) for p in self._by_prefix})
        hits = set()
        for length in self._lengths:
            if length > len(path):
                break
            for pattern, owner in self._by_prefix.get(path[:length], ()):
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
    parts, names = pattern.strip("/").split("/"), folder.strip("/").split("/")
    seen: dict[tuple[int, int], bool] = {}

    def walk(i: int, j: int) -> bool:
        if j == len(names) or i == len(parts):  # inside the folder, or a folder above it
            return True
        if (i, j) not in seen:
            part = parts[i]
            if part == "**":
                seen[i, j] = walk(i + 1, j) or walk(i, j + 1)
            elif "**" in part:  # spans folders from inside a name: anything may follow
                seen[i, j] = glob_match(part.split("**")[0] + "*", names[j])
            else:
                seen[i, j] = glob_match(part, names[j]) and walk(i + 1, j + 1)
        return seen[i, j]

    return walk(0, 0)
