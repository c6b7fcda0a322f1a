"""The one error vocabulary of the package, and the exit status of every command.

Takes nothing; gives the exceptions a command raises and the status each becomes. A
:class:`Failure` is fit for the user: the command line prints it as one
``threatmodel: error:`` line (:func:`print_error`) and exits with its ``exit_code``.
"""

from __future__ import annotations

import sys

EXIT_OK = 0  # nothing failed
EXIT_FAIL = 1  # a check found errors, or the input was bad
EXIT_USAGE = 2  # the command was called wrongly
EXIT_INTERRUPTED = 130  # Ctrl-C


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


def print_error(message: object) -> None:
    """One ``threatmodel: error:`` line on standard error."""
    print(f"threatmodel: error: {message}", file=sys.stderr)
