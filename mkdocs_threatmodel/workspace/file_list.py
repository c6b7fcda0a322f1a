"""The repository's files, sorted, to ask cheaply whether a glob matches any of them."""

from __future__ import annotations

from bisect import bisect_left

from .globs import glob_problem, literal_prefix, matcher


class RepositoryFiles:
    """Every file of a repository; :meth:`any_match` tests a glob against them.

    Only the files under the glob's literal prefix are tried (found by bisection in the
    sorted list), so a ``services/checkout/**`` glob costs a lookup, not a scan.
    """

    def __init__(self, paths: list[str]) -> None:
        self.paths = sorted(paths)
        self._answers: dict[str, bool] = {}

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
        body = pattern.strip("/")
        if body.endswith("/**"):
            body = body[:-3]
        if body and body == prefix.rstrip("/"):  # a path or a folder: two bisections
            exact = bisect_left(paths, body)
            if exact < len(paths) and paths[exact] == body:
                return True
            below = body + "/"
            at = bisect_left(paths, below)
            return at < len(paths) and paths[at].startswith(below)
        test = matcher(pattern)
        for index in range(start, len(paths)):  # no copy of the list's tail
            path = paths[index]
            if not path.startswith(prefix):
                return False
            if test.fullmatch(path):
                return True
        return False
