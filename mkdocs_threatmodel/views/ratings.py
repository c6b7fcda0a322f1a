"""How a threat is rated, beyond likelihood x impact: an explicit severity with its reason,
and a CVSS vector with its base score (a malformed vector is shown as such)."""

from __future__ import annotations

from functools import lru_cache

from ..format.cvss_vector import CvssScore, score
from ..format.model import Threat
from .escape import h

CVSS_BANDS = {"None": "none", "Low": "low", "Medium": "medium", "High": "high",
              "Critical": "critical"}


@lru_cache(maxsize=1024)
def _score(vector: str) -> CvssScore | str:
    """The vector's score, or what is wrong with it (never an exception)."""
    try:
        return score(vector)
    except ValueError as exc:
        return str(exc) or "malformed vector"
    except Exception as exc:  # the library's own failures on odd input, too
        return f"{type(exc).__name__}: {exc}"


def cvss_html(vector: str | None) -> str:
    """The vector's version, base score and severity; or a note that it is malformed."""
    if not vector:
        return ""
    result = _score(vector)
    if isinstance(result, str):
        return (f'<div class="tm-cvss tm-cvss-bad" title="{h(vector)}">'
                f'<span class="tm-badge tm-risk-none">CVSS?</span> malformed CVSS vector: '
                f"{h(result)}</div>")
    band = CVSS_BANDS.get(result.severity, "none")
    return (f'<div class="tm-cvss" title="{h(vector)}">'
            f'<span class="tm-badge tm-risk-{band}">CVSS {h(result.version)} '
            f"{result.base_score:.1f}</span> {h(result.severity.lower())}</div>")


def severity_html(threat: Threat) -> str:
    """An explicit severity's reason (the badge itself is the risk badge)."""
    if threat.severity is None:
        return ""
    reason = h(threat.severity_reason) if threat.severity_reason \
        else '<span class="tm-overdue">no reason given</span>'
    return (f'<div class="tm-severity"><span class="tm-label">Severity set to '
            f"{h(threat.severity)}:</span> {reason}</div>")
