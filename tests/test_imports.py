"""Every module imports, and every import written inside a function resolves.

Ruff checks names at module level only; an import inside a function (kept there so the
hook starts fast) breaks silently when a module moves. This test finds them with ``ast``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import mkdocs_threatmodel

PACKAGE = mkdocs_threatmodel.__name__
MODULES = sorted(m.name for m in pkgutil.walk_packages(mkdocs_threatmodel.__path__,
                                                       PACKAGE + "."))


def _lazy_imports(module_name: str) -> list[tuple[int, str, str | None]]:
    """(line, absolute module, imported name or None) of imports inside function bodies."""
    spec = importlib.util.find_spec(module_name)
    tree = ast.parse(Path(spec.origin).read_text("utf-8"))
    package = module_name if spec.submodule_search_locations else module_name.rpartition(".")[0]
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import):
                found += [(node.lineno, alias.name, None) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = importlib.util.resolve_name("." * node.level + base, package)
                found += [(node.lineno, base, alias.name) for alias in node.names]
    return found


def test_the_package_has_modules():
    assert f"{PACKAGE}.cli" in MODULES or any(m.startswith(f"{PACKAGE}.cli.") for m in MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_imports_and_its_lazy_imports_resolve(name):
    if not name.endswith(".__main__"):  # that one runs the command when imported
        importlib.import_module(name)
    broken = []
    for line, module, attr in _lazy_imports(name):
        if importlib.util.find_spec(module) is None:
            broken.append(f"line {line}: no module {module}")
            continue
        if attr is None:
            continue
        target = importlib.import_module(module)
        if not hasattr(target, attr) and \
                importlib.util.find_spec(f"{module}.{attr}") is None:
            broken.append(f"line {line}: {module} has no {attr}")
    assert not broken, f"{name}: " + "; ".join(broken)
