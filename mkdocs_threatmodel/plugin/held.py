"""The views' HTML and search text of prepared pages, held on disk until MkDocs renders
each page.

MkDocs reads and converts every page before it renders the first one into its template,
so the HTML that :meth:`Composer.fill` puts into a finished page, and the search text
put in for search plugins, would otherwise stay in memory for the whole site until the
end of the build. Here each page's slots and texts go to an anonymous temporary file as
soon as the page is prepared, and come back when the page is rendered; memory holds
only their offsets.
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
    texts: list[tuple[str, int]]  # then each search text's key and size
    has_diagram: bool


class HeldViews:
    """Prepared pages' slots and search texts by page, written out until the page is
    rendered."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._entries: dict[str, _Entry] = {}

    def put(self, page: str, prepared: Prepared) -> None:
        """Hold ``prepared``'s slots, search texts and whether it has a diagram."""
        slots = [(key, html.encode("utf-8")) for key, html in prepared.slots.items()]
        texts = [(key, text.encode("utf-8")) for key, text in prepared.texts.items()]
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="threatmodel-views-")
        self._file.seek(self._end)
        for _, chunk in slots + texts:
            self._file.write(chunk)
        self._entries[page] = _Entry(self._end, [(k, len(c)) for k, c in slots],
                                     [(k, len(c)) for k, c in texts], prepared.has_diagram)
        self._end += sum(len(c) for _, c in slots + texts)

    def texts(self, page: str) -> dict[str, str]:
        """The page's search texts (the page stays held)."""
        entry = self._entries.get(page)
        if entry is None or not entry.texts:
            return {}
        start = entry.offset + sum(size for _, size in entry.slots)
        return self._read(start, entry.texts)

    def take(self, page: str) -> Prepared | None:
        """The page's slots again (once), or ``None`` when none are held for it."""
        entry = self._entries.pop(page, None)
        if entry is None:
            return None
        return Prepared("", slots=self._read(entry.offset, entry.slots),
                        has_diagram=entry.has_diagram)

    def _read(self, offset: int, sizes: list[tuple[str, int]]) -> dict[str, str]:
        assert self._file is not None
        self._file.seek(offset)
        data = self._file.read(sum(size for _, size in sizes))
        found, start = {}, 0
        for key, size in sizes:
            found[key] = data[start:start + size].decode("utf-8")
            start += size
        return found

    def close(self) -> None:
        """Forget every page and remove the file."""
        if self._file is not None:
            self._file.close()
        self._file, self._end, self._entries = None, 0, {}
