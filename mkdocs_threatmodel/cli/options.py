"""Checks of option values that several commands share: ``-C DIR`` and dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import UsageError


def folder(value: str) -> Path:
    """The folder ``-C`` names; a usage error when it is not one."""
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"-C {value}: not a folder")
    return path


def date(value: str | None, flag: str = "--today") -> dt.date | None:
    """A ``YYYY-MM-DD`` option as a date (``None`` when not given)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value!r} is not a YYYY-MM-DD date") from None
