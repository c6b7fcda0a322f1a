"""Reports: findings as text lines, JSON or SARIF."""

from __future__ import annotations

from collections.abc import Callable

from .json_report import render_json
from .sarif import render_sarif
from .text import render_text

FORMATS: dict[str, Callable] = {"text": render_text, "json": render_json, "sarif": render_sarif}
