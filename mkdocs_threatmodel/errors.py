"""The one error vocabulary of the package, and the exit status of every command.

Takes nothing; gives the exceptions a command raises and the status each becomes. A
:class:`Failure` is fit for the user: the command line prints it as one
``threatmodel: error:`` line (:func:`print_error`) and exits with its ``exit_code``.
"""

from __future__ import annotations

import re
import sys

EXIT_OK = 0  # nothing failed
EXIT_FAIL = 1  # a check found errors, or the input was bad
EXIT_USAGE = 2  # the command was called wrongly
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_BROKEN_PIPE = 141  # the reader closed standard output early (128 + SIGPIPE, as `yes | head`)


class Failure(Exception):
    """A problem the user can act on; the command stops with exit status 1."""

    exit_code = EXIT_FAIL


class UsageError(Failure):
    """A mistake in how the command was called (exit 2)."""

    exit_code = EXIT_USAGE


class InputError(Failure):
    """A file given to a command cannot be used: missing, unreadable or of another format."""


class GitError(Failure):
    """Git failed, or is not there."""


def exit_status(failed: bool) -> int:
    """:data:`EXIT_FAIL` when something failed, else :data:`EXIT_OK`."""
    return EXIT_FAIL if failed else EXIT_OK


# Characters that act on a terminal or a log viewer instead of showing: C0 controls but the
# line break and tab, DEL, C1 controls, Unicode line separators and bidirectional overrides.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` fit for a terminal or a CI log: every control character written as an
    escape (ESC as ``\\x1b``), so that model text, file names and commit subjects cannot
    move the cursor, recolour, retitle or rewrite what the user reads. Line breaks and
    tabs stay."""
    return _CONTROLS.sub(_escaped, text)


def print_error(message: object) -> None:
    """One ``threatmodel: error:`` line on standard error."""
    print(printable(f"threatmodel: error: {message}".replace("\n", " ")), file=sys.stderr)
