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

import codecs
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..views.page import Prepared

CHUNK = 1 << 20  # characters or bytes written and read at a time


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
        self._late: dict[str, list[tuple[bytes, int, int]]] = {}  # page -> (marker, at, size)
        self._token = secrets.token_hex(8)  # markers an author cannot write ahead

    def put(self, page: str, prepared: Prepared) -> None:
        """Hold ``prepared``'s slots, search texts and whether it has a diagram."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="threatmodel-views-")
        self._file.seek(self._end)
        slots = [(key, self._write(html)) for key, html in prepared.slots.items()]
        texts = [(key, self._write(text)) for key, text in prepared.texts.items()]
        self._entries[page] = _Entry(self._end, slots, texts, prepared.has_diagram)
        self._end += sum(size for _, size in slots + texts)

    def _write(self, text: str) -> int:
        """Write ``text`` as UTF-8 a piece at a time (a site-wide view can be tens of MB:
        it is not copied whole); its size in bytes."""
        assert self._file is not None
        size = 0
        for start in range(0, len(text), CHUNK):
            size += self._file.write(text[start:start + CHUNK].encode("utf-8"))
        return size

    def texts(self, page: str) -> dict[str, str]:
        """The page's search texts (the page stays held)."""
        entry = self._entries.get(page)
        if entry is None or not entry.texts:
            return {}
        start = entry.offset + sum(size for _, size in entry.slots)
        return self._read(start, entry.texts)

    def take(self, page: str, late_from: int | None = None) -> Prepared | None:
        """The page's slots again (once), or ``None`` when none are held for it.

        With ``late_from``, a slot of at least that many bytes on a page without a diagram
        is not read: it comes back as a marker, and :meth:`place_late` puts it in the
        written page, straight from this file (a register of thousands of threats is
        never a string in memory, let alone the three copies a page's output makes)."""
        entry = self._entries.pop(page, None)
        if entry is None:
            return None
        small, late, offset = [], [], entry.offset
        for key, size in entry.slots:
            if late_from is not None and size >= late_from and not entry.has_diagram:
                late.append((key, offset, size))
            else:
                small.append((key, offset, size))
            offset += size
        slots = {key: self._read(at, [(key, size)])[key] for key, at, size in small}
        for key, at, size in late:
            marker = f"<!--threatmodel-late:{self._token}-{len(self._late)}-{key}-->"
            slots[key] = marker
            self._late.setdefault(page, []).append((marker.encode("ascii"), at, size))
        return Prepared("", slots={key: slots[key] for key, _ in entry.slots},
                        has_diagram=entry.has_diagram)

    def late(self, page: str) -> bool:
        """Whether the page has slots to place once it is written."""
        return page in self._late

    def place_late(self, page: str, written: Path) -> None:
        """Put the page's late slots in its written file, in place of their markers (a
        marker another plugin removed is left out)."""
        late = self._late.pop(page, [])
        if not late or self._file is None:
            return
        try:
            rest = written.read_bytes()  # the page without its large views: small
        except OSError:
            return
        partial = written.with_name(written.name + ".threatmodel-tmp")
        with open(partial, "wb") as out:
            for marker, offset, size in late:
                before, found, rest = rest.partition(marker)
                out.write(before)
                if found:
                    self._copy(out, offset, size)
            out.write(rest)
        os.replace(partial, written)

    def _copy(self, out: IO[bytes], offset: int, size: int) -> None:
        assert self._file is not None
        self._file.seek(offset)
        while size > 0:
            data = self._file.read(min(size, CHUNK))
            if not data:
                break
            out.write(data)
            size -= len(data)

    def _read(self, offset: int, sizes: list[tuple[str, int]]) -> dict[str, str]:
        """Texts written from ``offset``, each decoded a piece at a time."""
        assert self._file is not None
        self._file.seek(offset)
        found = {}
        for key, size in sizes:
            decoder = codecs.getincrementaldecoder("utf-8")()
            parts = []
            while size > 0:
                data = self._file.read(min(size, CHUNK))
                size -= len(data)
                parts.append(decoder.decode(data, final=size <= 0 or not data))
                if not data:
                    break
            found[key] = "".join(parts)
        return found

    def close(self) -> None:
        """Forget every page and remove the file."""
        if self._file is not None:
            self._file.close()
        self._file, self._end, self._entries, self._late = None, 0, {}, {}
