"""The command a stale finding tells its reader to run, in the context it runs in.

Under the pre-commit framework (which sets ``PRE_COMMIT=1`` in its hooks' environment)
``threatmodel`` lives in pre-commit's own environment, not on the user's PATH: the
command is then the manual-stage hook ``threatmodel-review`` of ``.pre-commit-hooks.yaml``.
"""

from __future__ import annotations

import os
import re

REVIEW_HOOK = "threatmodel-review"


def under_pre_commit() -> bool:
    """Whether this process runs as a hook of the pre-commit framework."""
    return os.environ.get("PRE_COMMIT") == "1"


def shell_word(text: str) -> str:
    """``text`` as one POSIX shell word (quoted only when it needs it)."""
    return text if re.fullmatch(r"[\w./-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def review_command(path: str) -> str:
    """The command that records a review of the model at ``path``."""
    if under_pre_commit():
        return (f"pre-commit run {REVIEW_HOOK} --hook-stage manual "
                f"--files {shell_word(path)}")
    return f"threatmodel review {shell_word(path)}"
