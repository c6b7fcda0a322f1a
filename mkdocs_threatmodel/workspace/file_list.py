"""The repository's files, sorted, to ask cheaply whether a glob matches any of them."""

from __future__ import annotations

from bisect import bisect_left

from .globs import (
    _Subtree,
    glob_problem,
    literal_prefix,
    matched_before,
    matcher,
    meaning_changed,
)


class RepositoryFiles:
    """Every file of a repository; :meth:`any_match` tests a glob against them.

    Only the files under the glob's literal prefix are tried (found by bisection in the
    sorted list), so a ``services/checkout/**`` glob costs a lookup, not a scan.
    """

    def __init__(self, paths: list[str]) -> None:
        self.paths = sorted(paths)
        self._answers: dict[str, bool] = {}
        self._changes: dict[str, tuple[list[str], list[str]]] = {}

    def any_match(self, pattern: str) -> bool:
        """Whether ``pattern`` matches at least one file (an unreadable glob counts as
        matching: its own finding says what is wrong with it)."""
        answer = self._answers.get(pattern)
        if answer is None:
            answer = self._answers[pattern] = self._search(pattern)
        return answer

    def _search(self, pattern: str) -> bool:
        if glob_problem(pattern) is not None:
            return True  # TM110 says what is wrong with it
        prefix = literal_prefix(pattern)
        paths, start = self.paths, bisect_left(self.paths, prefix)
        test = matcher(pattern)
        if isinstance(test, _Subtree):  # a path or a folder: two bisections
            exact = bisect_left(paths, test.literal)
            if test.self_ok and exact < len(paths) and paths[exact] == test.literal:
                return True
            at = bisect_left(paths, test.below)
            return test.below_ok and at < len(paths) and paths[at].startswith(test.below)
        for index in range(start, len(paths)):  # no copy of the list's tail
            path = paths[index]
            if not path.startswith(prefix):
                return False
            if test.fullmatch(path):
                return True
        return False

    def changed_matches(self, pattern: str) -> tuple[list[str], list[str]]:
        """The files ``pattern`` matches now and did not before CODEOWNERS semantics, and
        those it matched before and does not now (both empty when nothing changed)."""
        if not meaning_changed(pattern) or glob_problem(pattern) is not None:
            return [], []
        if pattern in self._changes:
            return self._changes[pattern]
        test = matcher(pattern)
        gained, lost = [], []
        for path in self.paths:
            now, before = bool(test.fullmatch(path)), matched_before(pattern, path)
            if now and not before:
                gained.append(path)
            elif before and not now:
                lost.append(path)
        self._changes[pattern] = gained, lost
        return gained, lost
