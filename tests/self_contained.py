"""Guards that keep the test suite and the benches inside the repository.

A user's or contributor's clone has nothing beside it, so nothing here may reach for a sibling
folder. Two guards share this module:

* ``escapes`` reads a Python file's syntax and reports every path built from ``__file__`` that
  climbs out of the repository (``parents[k]``, ``.parent`` chains, ``os.path.dirname`` and
  ``/ ".."`` joins, followed through module-level names);
* ``OutsideReads`` is an audit hook that records every file or folder a test opens beside the
  repository (in a folder that was in its parent folder before the run, but not inside it)
  while the suite runs.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]


class _Paths(ast.NodeVisitor):
    """Follow path expressions rooted at ``__file__`` as lists of parts relative to ROOT."""

    def __init__(self, relative: PurePosixPath) -> None:
        self.start = list(relative.parts)
        self.names: dict[str, list[str] | None] = {}
        self.found: list[tuple[int, str]] = []

    def _up(self, parts: list[str], count: int, node: ast.AST) -> list[str] | None:
        if count > len(parts):
            self.found.append((node.lineno, ast.unparse(node)))
            return None
        return parts[: len(parts) - count]

    def _join(self, parts: list[str], text: str, node: ast.AST) -> list[str] | None:
        result: list[str] | None = list(parts)
        for piece in PurePosixPath(text.replace("\\", "/")).parts:
            if result is None:
                return None
            if piece == "..":
                result = self._up(result, 1, node)
            elif piece not in (".", "/"):
                result.append(piece)
        return result

    def value(self, node: ast.AST) -> list[str] | None:  # noqa: C901 - one case per shape
        """The parts of ``node`` relative to ROOT, or None when it is no such path."""
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return list(self.start)
            return self.names.get(node.id)
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            wrappers = ("Path", "pathlib.Path", "os.path.abspath", "os.path.realpath")
            if func in wrappers and node.args:
                return self.value(node.args[0])
            if func in ("os.path.dirname",) and node.args:
                inner = self.value(node.args[0])
                return None if inner is None else self._up(inner, 1, node)
            if func == "os.path.join" and node.args:
                base = self.value(node.args[0])
                for arg in node.args[1:]:
                    if base is None or not isinstance(arg, ast.Constant):
                        return None
                    base = self._join(base, str(arg.value), node)
                return base
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute"):
                return self.value(node.func.value)
            return None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            inner = self.value(node.value)
            return None if inner is None else self._up(inner, 1, node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "parents" and isinstance(node.slice, ast.Constant):
            inner = self.value(node.value.value)
            if inner is None or not isinstance(node.slice.value, int):
                return None
            return self._up(inner, node.slice.value + 1, node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            base = self.value(node.left)
            if base is not None and isinstance(node.right, ast.Constant) \
                    and isinstance(node.right.value, str):
                return self._join(base, node.right.value, node)
            return base if base is not None and not isinstance(node.right, ast.Constant) else None
        return None

    def visit_Assign(self, node: ast.Assign) -> None:
        parts = self.value(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names[target.id] = parts
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        self.value(node.value)
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Call, ast.BinOp, ast.Attribute, ast.Subscript)):
                self.value(child)
            self.visit(child)


def escapes(source: str, relative: str) -> list[tuple[int, str]]:
    """(line, expression) of every path in ``source`` that leaves the repository.

    ``relative`` is the file's path inside the repository, such as ``tests/helpers.py``.
    """
    walker = _Paths(PurePosixPath(relative))
    walker.visit(ast.parse(source))
    return sorted(set(walker.found))


class OutsideReads:
    """An audit hook recording opens and folder listings beside the repository.

    *Beside* means in a folder that was already in the repository's parent folder when the
    guard was made (a sibling checkout or folder), or a listing of the parent folder
    itself. What is made there later is a temporary file or folder, the tests' own (pytest's
    ``tmp_path`` when the clone lies directly in the system's temporary folder) or the
    product's (a view spool, an anonymous ``O_TMPFILE``): those are not reads of the clone's
    surroundings, so they are not recorded. Folders named in ``allowed`` (pytest's temporary
    root, which earlier runs may have made) are never recorded either.

    Audit hooks cannot be removed, so one instance is installed per test session and
    ``taken()`` hands over (and forgets) what was recorded since the last call.
    """

    EVENTS = frozenset({"open", "os.listdir", "os.scandir"})

    def __init__(self, root: Path = ROOT, allowed: tuple[Path, ...] = ()) -> None:
        self.root = os.path.normpath(os.path.abspath(root))
        self.parent = os.path.dirname(self.root)
        self.siblings = self._siblings()
        self.allowed = [os.path.normpath(os.path.abspath(path)) for path in allowed]
        self.seen: list[str] = []

    def _siblings(self) -> frozenset[str] | None:
        """The names in the parent folder now; None when it cannot be listed (then every
        name there counts as a sibling)."""
        try:
            return frozenset(os.listdir(self.parent))
        except OSError:
            return None

    def allow(self, path: Path) -> None:
        """Never record ``path`` or anything in it (a temporary root made by the tests)."""
        self.allowed.append(os.path.normpath(os.path.abspath(path)))

    @staticmethod
    def _within(full: str, folder: str) -> bool:
        return full == folder or full.startswith(folder.rstrip(os.sep) + os.sep)

    @staticmethod
    def _makes_a_temporary_file(mode: object, flags: object) -> bool:
        """Whether an open of a folder makes an anonymous temporary file in it, as
        ``tempfile.TemporaryFile`` does: ``open(folder, "w+", opener=...)`` and then
        ``os.open(folder, O_TMPFILE)``. (A folder cannot be opened for writing otherwise.)"""
        if isinstance(mode, str) and any(letter in mode for letter in "wax+"):
            return True
        tmpfile = getattr(os, "O_TMPFILE", 0)
        return bool(tmpfile) and isinstance(flags, int) and flags & tmpfile == tmpfile

    def outside(self, path: object, flags: object = None, mode: object = None) -> str | None:
        """The path, when it lies beside the repository rather than in it; else None.
        ``mode`` and ``flags`` are an open's, for an open of the parent folder itself."""
        if isinstance(path, int) or path is None:
            return None
        try:
            text = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
        except TypeError:
            return None
        full = os.path.normpath(os.path.abspath(text))
        if self.parent == self.root or self._within(full, self.root):
            return None  # a repository at the file system's root has nothing beside it
        if any(self._within(full, folder) for folder in self.allowed):
            return None
        if full == self.parent:  # a listing of the parent, but an anonymous temporary file
            return None if self._makes_a_temporary_file(mode, flags) else full
        if not self._within(full, self.parent):
            return None
        name = full[len(self.parent.rstrip(os.sep)) + 1:].split(os.sep, 1)[0]
        return full if self.siblings is None or name in self.siblings else None

    def __call__(self, event: str, args: tuple) -> None:
        if event in self.EVENTS and args:
            opened = event == "open" and len(args) > 2
            found = self.outside(args[0], args[2] if opened else None,
                                 args[1] if opened else None)
            if found is not None:
                self.seen.append(found)

    def install(self) -> OutsideReads:
        sys.addaudithook(self)
        return self

    def taken(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen
