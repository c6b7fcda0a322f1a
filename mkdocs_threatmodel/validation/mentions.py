"""Whether a test file's text cites an id (TM408, TM412).

An id is cited where it stands alone: not preceded by a letter, digit, ``_`` or ``-``, and
not followed by a letter, digit or ``_`` (``CHK-001`` in ``test_chk`` comments, not in
``XCHK-0012``). Plain ``str.find`` with the two neighbours tested by hand: a regular
expression per mitigation cost a compile each (1.4 s of a 200-model site build, measured
with cProfile), and the ``re`` module's cache holds only 512 of them.
"""

from __future__ import annotations

from string import ascii_letters, digits

_BEFORE = frozenset(ascii_letters + digits + "_-")
_AFTER = frozenset(ascii_letters + digits + "_")


def mentions(text: str, ids: list[str]) -> bool:
    """Whether ``text`` cites any of ``ids`` as a whole id."""
    for ident in ids:
        if not ident:
            continue
        at = text.find(ident)
        while at >= 0:
            end = at + len(ident)
            if (at == 0 or text[at - 1] not in _BEFORE) and (
                    end == len(text) or text[end] not in _AFTER):
                return True
            at = text.find(ident, at + 1)
    return False
