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


def moment(value: str, flag: str = "--date") -> str:
    """A ``YYYY-MM-DDTHH:MM`` option (a review's date and time), checked and kept as text."""
    import re

    from ..format.spec import MOMENT_FORM

    if re.fullmatch(MOMENT_FORM, value):
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    raise UsageError(f"{flag} {value!r} is not a YYYY-MM-DD date or YYYY-MM-DDTHH:MM time")
