"""CVSS 3.x and 4.0 vectors of threats, read with the well-kept ``cvss`` library.

The library is imported only when a model has a vector, so the hook's start-up does not pay
for it when no model uses one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CvssScore:
    """A parsed vector: its version, base score (0.0-10.0) and qualitative severity."""

    version: str
    base_score: float
    severity: str  # None, Low, Medium, High, Critical (the specification's words)


def score(vector: str) -> CvssScore:
    """The base score of a CVSS 3.0/3.1 or 4.0 vector; ``ValueError`` says what is wrong."""
    from cvss import CVSS3, CVSS4
    from cvss.exceptions import CVSSError

    text = vector.strip()
    try:
        if text.startswith("CVSS:4.0/"):
            parsed4 = CVSS4(text)
            return CvssScore("4.0", float(parsed4.base_score), str(parsed4.severity))
        if text.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            parsed3 = CVSS3(text)
            return CvssScore(text[5:8], float(parsed3.base_score), parsed3.severities()[0])
    except CVSSError as exc:
        raise ValueError(str(exc) or "malformed vector") from None
    raise ValueError("a CVSS vector starts with 'CVSS:3.1/', 'CVSS:3.0/' or 'CVSS:4.0/'")
