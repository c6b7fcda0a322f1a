"""Views kept between builds of the same site, keyed by what makes them.

A model section (its HTML blocks and its search text) is a function of the model's
bytes, the page it is placed on, the other sections of that model on the page, the
build's options, the model's staleness verdict, the ADR pages its header links to, the
pages citing its threats and the model file's versions in git: :func:`model_key` is all
of that. Site-wide sections (register, owners, staleness, mitigations, risk, backlinks)
read every model, so their key is the whole site's (:func:`site_key`). A build after one
model's edit therefore makes again only that model's sections and the site-wide ones;
:attr:`ViewCache.made` says which models' sections a build made.

Sections are kept in memory for the builds of one ``mkdocs serve`` session (entries a
build did not use are dropped by the next one), and on disk in the cache folder, one
sealed ``marshal`` entry per page (a site-wide view can be tens of MB: marshal reads
and writes it with one copy, where JSON takes three), so a later ``mkdocs build`` makes
only what changed. A disk entry
is named by the site and the page, and holds each section under a hash of its whole key
and of the views' code (sizes and times of its source files): a changed input is a
miss, never a wrong page, and a page's entry is replaced, not joined by another.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from ..format.model import Model
from ..workspace.cache import blake2b, code_stamp, key, read_keyed, write_sealed
from .blocks import Block, Heading, Html
from .site import Site

T = TypeVar("T")

# The packages whose code decides what a view shows.
VIEW_CODE = ("views", "format", "diff", "suggest")
ENTRY_FORMAT = 1  # of a page's entry: (format, {section hash: [blocks, search text]})
HISTORY_SHOWN = 13  # versions a model's sections read: a panel's 12, and whether more exist


def model_key(site: Site, model: Model) -> str:
    """A digest of everything a model's own sections read: its bytes, its page, its
    staleness verdict, the ADR pages it links to, the pages citing its threats, its versions
    in git history and the build's options (once per model and build, so a section's key
    is short to compare and to name)."""
    keys = site.__dict__.setdefault("_view_keys", {})
    found = keys.get(model.path)
    if found is None:
        base = model.path.rsplit("/", 1)[0] + "/" if "/" in model.path else ""
        adrs = []
        for adr in model.adrs:
            target = os.path.normpath(base + adr).replace(os.sep, "/")
            url = site.doc_urls.get(target)
            adrs.append((adr, url, site.titles.get(url) if url else None))
        cited = tuple((t.id, tuple(site.cited_by[t.id])) for t in model.threats
                      if t.id in site.cited_by)
        found = keys[model.path] = _digest((
            model.path, content_digest(site, model), site.page_urls.get(model.path),
            repr(site.stale(model)), tuple(adrs), cited,
            _history(site, model.path, HISTORY_SHOWN), _options(site)))
    return found


def site_key(site: Site) -> str:
    """A digest of everything a site-wide section reads: every model's key and whole
    history, in the site's order."""
    found = site.__dict__.get("_view_site_key")
    if found is None:
        found = site.__dict__["_view_site_key"] = _digest((
            tuple(model_key(site, m) for m in site.models),
            tuple(_history(site, m.path, None) for m in site.models), _options(site),
            tuple(sorted(site.doc_urls.items())), tuple(sorted(site.titles.items()))))
    return found


def _digest(parts: tuple) -> str:
    return blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def content_digest(site: Site, model: Model) -> bytes:
    """A digest of the model file's bytes: the one the host noted before dropping them
    (``Site.digests``), else one of ``model.source.raw``."""
    noted = site.digests.get(model.path)
    return noted if noted is not None else digest_of(model.source.raw)


def digest_of(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


def _history(site: Site, path: str, limit: int | None) -> tuple | None:
    timeline = site.history
    if timeline is None:
        return None
    rows = timeline.entries(path)
    return (tuple(rows[:limit]), len(rows), timeline.complete(path))


def _options(site: Site) -> str:
    return repr(site.options)


def _encode(value: tuple[list[Block], str]) -> list:
    blocks, text = value
    return [[["h", b.level, b.text, b.anchor, b.toc] if isinstance(b, Heading)
             else ["x", b.html, b.search] for b in blocks], text]


def _decode(item: Any) -> tuple[list[Block], str]:
    """A section from its disk form; ``TypeError``/``ValueError`` when it is not one."""
    raw_blocks, text = item
    if not isinstance(text, str):
        raise TypeError("not a section")
    blocks: list[Block] = []
    for block in raw_blocks:
        if block[0] == "h" and type(block[1]) is int and isinstance(block[2], str):
            blocks.append(Heading(block[1], block[2], block[3], bool(block[4])))
        elif block[0] == "x" and isinstance(block[1], str):
            blocks.append(Html(block[1], block[2]))
        else:
            raise ValueError("not a block")
    return blocks, text


class ViewCache:
    """Rendered sections by key: in memory for the builds of one ``mkdocs serve``
    session (``keep``), and on disk in ``folder`` (one entry per page) when given."""

    def __init__(self, folder: Path | None = None, keep: bool = True, site_id: str = "") -> None:
        self.folder = folder
        self.keep = keep
        self.site_id = site_id  # the site's identity (its docs folder) in disk entry names
        self._previous: dict[Hashable, object] = {}
        self._current: dict[Hashable, object] = {}
        self._page: str | None = None  # the disk entry of the page being prepared
        self._stored: dict[str, list] = {}  # its sections on disk, by key hash
        self._used: dict[str, list] = {}  # the sections this page used, by key hash
        self._page_made = False
        self.made: set[str] = set()  # model paths whose sections this build made
        self.made_site = 0  # site-wide sections this build made
        self.reused = 0  # sections this build took from the cache (memory or disk)

    def begin_build(self) -> None:
        """Start a build: what the last build used is kept, anything older dropped."""
        if self._current:
            self._previous = self._current
        self._current = {}
        self.made = set()
        self.made_site = 0
        self.reused = 0

    def open_page(self, current: str) -> None:
        """Sections asked for next belong to the page at site URL ``current``."""
        self._page = None
        self._used, self._page_made = {}, False
        if self.folder is None:
            return
        self._page = "views-" + key(f"{self.site_id}\0{current}".encode())
        self._stored = read_keyed(self.folder / f"{self._page}.bin", ENTRY_FORMAT) or {}

    def close_page(self) -> None:
        """The page is prepared: its disk entry is written when it changed."""
        # (a page is open only with a folder: open_page sets _page after checking it)
        if self._page is not None and self.folder is not None and (
                self._page_made or self._used.keys() != self._stored.keys()):
            import marshal

            write_sealed(self.folder / f"{self._page}.bin",
                         marshal.dumps((ENTRY_FORMAT, self._used)))
        self._page, self._stored, self._used = None, {}, {}

    def get(self, section: Hashable, make: Callable[[], T], model_path: str | None) -> T:
        """The section under key ``section``, made (and kept) when no build has it."""
        if section in self._current:
            self.reused += 1
            return self._current[section]  # type: ignore[return-value]
        if section in self._previous:
            self.reused += 1
            value = self._current[section] = self._previous.pop(section)
            self._note(section, value, made=False)
            return value  # type: ignore[return-value]
        value = self._from_disk(section)
        if value is not None:
            self.reused += 1
        else:
            value = make()
            self._note(section, value, made=True)
            if model_path is None:
                self.made_site += 1
            else:
                self.made.add(model_path)
        if self.keep:
            self._current[section] = value
        return value

    def _hash(self, section: Hashable) -> str:
        """A section's name in its page's entry: its key and the views' code."""
        digest = blake2b(code_stamp(VIEW_CODE), digest_size=16)
        digest.update(repr(section).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _from_disk(self, section: Hashable) -> Any:
        if self._page is None:
            return None
        name = self._hash(section)
        item = self._stored.get(name)
        if item is None:
            return None
        try:
            value = _decode(item)
        except (TypeError, ValueError, IndexError):  # not an entry this code wrote
            return None
        self._used[name] = item
        return value

    def _note(self, section: Hashable, value: Any, made: bool) -> None:
        """Note a section used by the page, for its disk entry."""
        if self._page is None:
            return
        self._used[self._hash(section)] = _encode(value)
        self._page_made = self._page_made or made

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)
