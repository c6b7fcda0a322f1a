"""Reports: findings as text lines, JSON, SARIF, GitHub workflow commands or GitLab code
quality JSON."""

from __future__ import annotations

from collections.abc import Callable

from .github import render_github
from .gitlab import render_gitlab
from .json_report import render_json
from .sarif import render_sarif
from .text import render_text

FORMATS: dict[str, Callable] = {"text": render_text, "json": render_json, "sarif": render_sarif,
                                "github": render_github, "gitlab": render_gitlab}
CHOICES = tuple(FORMATS)


def render(fmt: str, root, findings, checked: int, tool_run: str) -> str:
    """The report of one tool run (``validate`` or ``stale``) in format ``fmt``."""
    if fmt == "sarif":
        return render_sarif(root, findings, checked, tool_run=tool_run)
    return FORMATS[fmt](root, findings, checked)
