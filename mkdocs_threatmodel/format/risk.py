"""Risk: likelihood x impact on the four-step scale, and its bands.

Each level scores low=1, medium=2, high=3, critical=4; risk is the product
(1 to 16), banded as low (1-2), medium (3-4), high (6-9) and critical (12-16).
So high x high is high, critical x high is critical, critical x low is medium.
"""

from __future__ import annotations

from dataclasses import dataclass

from .spec import LEVELS

SCORE = {level: i for i, level in enumerate(LEVELS, start=1)}
BANDS = (("critical", 12), ("high", 6), ("medium", 3), ("low", 1))


@dataclass(frozen=True)
class Risk:
    """A rated risk: its score (1-16) and band (low, medium, high, critical)."""

    score: int
    band: str

    @property
    def rank(self) -> int:
        """0 (low) to 3 (critical), for sorting."""
        return LEVELS.index(self.band)


# An explicit severity (for when likelihood x impact is unknown or wrong) ranks with the top
# score of its band.
SEVERITY_SCORE = {"low": 2, "medium": 4, "high": 9, "critical": 16}


def severity_risk(level: str | None) -> Risk | None:
    """The risk of an explicit severity, or ``None`` for an unknown level."""
    if level not in SEVERITY_SCORE:
        return None
    return Risk(SEVERITY_SCORE[level], level)


def rate(likelihood: str | None, impact: str | None) -> Risk | None:
    """The risk of a likelihood and an impact, or ``None`` when either is missing."""
    if likelihood not in SCORE or impact not in SCORE:
        return None
    score = SCORE[likelihood] * SCORE[impact]
    band = next(name for name, floor in BANDS if score >= floor)
    return Risk(score, band)
