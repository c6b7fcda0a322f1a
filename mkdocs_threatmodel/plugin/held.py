"""The views' HTML of prepared pages, held on disk until MkDocs has rendered each page.

MkDocs reads and converts every page before it renders the first one into its template,
so the HTML that :meth:`Composer.fill` puts into a finished page would otherwise stay in
memory for the whole site until the end of the build. Here each page's slots go to an
anonymous temporary file as soon as the page is prepared, and come back when the page
is filled; memory holds only their offsets.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import IO

from ..views.page import Prepared


@dataclass
class _Entry:
    offset: int
    slots: list[tuple[str, int]]  # each slot's key and its size in bytes, in order
    has_diagram: bool


class HeldViews:
    """Prepared pages' slots by page, written out until the page is filled."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._entries: dict[str, _Entry] = {}

    def put(self, page: str, prepared: Prepared) -> None:
        """Hold ``prepared``'s slots and whether it has a diagram."""
        chunks = [(key, html.encode("utf-8")) for key, html in prepared.slots.items()]
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="threatmodel-views-")
        self._file.seek(self._end)
        for _, chunk in chunks:
            self._file.write(chunk)
        self._entries[page] = _Entry(self._end, [(k, len(c)) for k, c in chunks],
                                     prepared.has_diagram)
        self._end += sum(len(c) for _, c in chunks)

    def take(self, page: str) -> Prepared | None:
        """The page's slots again (once), or ``None`` when none are held for it."""
        entry = self._entries.pop(page, None)
        if entry is None or self._file is None:
            return None
        self._file.seek(entry.offset)
        data = self._file.read(sum(size for _, size in entry.slots))
        slots, start = {}, 0
        for key, size in entry.slots:
            slots[key] = data[start:start + size].decode("utf-8")
            start += size
        return Prepared("", slots=slots, has_diagram=entry.has_diagram)

    def close(self) -> None:
        """Forget every page and remove the file."""
        if self._file is not None:
            self._file.close()
        self._file, self._end, self._entries = None, 0, {}
