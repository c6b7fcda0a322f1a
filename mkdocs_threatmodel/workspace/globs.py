"""Git-style globs over repository paths, and an index that matches many of them fast.

``**`` spans folders, ``*`` and ``?`` stay inside one, ``[abc]`` is a class, a
trailing ``/`` means a folder. As in git, a pattern that matches a folder
matches everything below it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WILD = re.compile(r"[*?\[]")


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern:
    """The regular expression of a glob (anchored at the repository root)."""
    out, i = "", 0
    pattern = pattern.lstrip("/").rstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end].replace("\\", "\\\\")
            out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
            i = end + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + "(?:/.*)?", re.DOTALL)


class _Subtree:
    """A glob without wildcards (or ending in ``/**``): a path or everything below it."""

    def __init__(self, literal: str) -> None:
        self.literal = literal
        self.below = literal + "/"

    def fullmatch(self, path: str) -> bool:
        return path == self.literal or path.startswith(self.below)


def matcher(pattern: str) -> _Subtree | re.Pattern:
    """Something with ``fullmatch(path)``: a plain prefix test when the glob allows it."""
    body = pattern.strip("/")
    if body.endswith("/**"):
        body = body[:-3]
    if body and not _WILD.search(body):
        return _Subtree(body)
    return compile_glob(pattern)


def glob_match(pattern: str, path: str) -> bool:
    """Whether ``path`` (repository-relative, with ``/``) matches ``pattern``."""
    return compile_glob(pattern).fullmatch(path) is not None


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
