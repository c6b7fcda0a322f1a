"""Reports: findings as text lines, JSON, SARIF, GitHub workflow commands or GitLab code
quality JSON.

Each format's module is imported only when a report is written in it: a hook run, which
writes text, does not pay for the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from ..finding import Finding

# format -> (module of this package, its render function)
_RENDERERS = {"text": ("text", "render_text"), "json": ("json_report", "render_json"),
              "sarif": ("sarif", "render_sarif"), "github": ("github", "render_github"),
              "gitlab": ("gitlab", "render_gitlab")}
CHOICES = tuple(_RENDERERS)


def render(fmt: str, root: Path, findings: list[Finding], checked: int, tool_run: str) -> str:
    """The report of one tool run (``validate`` or ``stale``) in format ``fmt``."""
    module, name = _RENDERERS[fmt]
    function = getattr(import_module(f".{module}", __name__), name)
    if fmt == "sarif":
        return function(root, findings, checked, tool_run=tool_run)
    return function(root, findings, checked)
