"""Errors every command shares."""


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""
