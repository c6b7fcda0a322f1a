"""Review dates and review periods as the format writes them (``2026-11-30``, ``180d``).

Apart from :mod:`.model` so that staleness, which needs only these, starts without
importing the typed model.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T[0-9:+Z-]*)?")
_DURATION = re.compile(r"([1-9]\d*)([dw])")


def parse_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` text as a date, or ``None``; a time after it (a review's
    ``2026-11-30T14:05``, which the schema allows there only) is left aside."""
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def parse_duration(value: Any) -> int | None:
    """``180d`` or ``26w`` as a number of days, or ``None``."""
    if isinstance(value, str):
        match = _DURATION.fullmatch(value)
        if match:
            return int(match[1]) * (7 if match[2] == "w" else 1)
    return None
