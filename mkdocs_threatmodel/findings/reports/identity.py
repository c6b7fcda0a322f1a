"""A finding's identity across runs, for code scanning and code quality reports.

Line numbers are left out, so that a finding keeps its identity when lines move: the
rule, the file, and the message with line references taken out. A staleness finding
(TM5xx) is one per model and rule whatever its evidence (commit counts grow as a branch
does); a finding about a changed path adds that path.
"""

from __future__ import annotations

import re
from hashlib import sha256

from ..finding import Finding

_LINES = re.compile(r"\b(?:line|lines|column)s? [0-9]+(?:[-:,][0-9]+)*")


def fingerprint(finding: Finding, about: str = "") -> str:
    """A stable 32-hex-digit identity of ``finding`` (``about``: a changed path it concerns)."""
    parts: tuple[str, ...]
    if finding.code.startswith("TM5"):
        parts = (finding.code, finding.path, about)
    else:
        parts = (finding.code, finding.path, _LINES.sub("", finding.message), about)
    return sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
