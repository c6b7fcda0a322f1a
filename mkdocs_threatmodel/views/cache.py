"""Views kept between builds of the same site (``mkdocs serve``), keyed by what makes them.

A model section (its HTML blocks and its search text) is a function of the model's
bytes, the page it is placed on, the other sections of that model on the page, the
build's options, the model's staleness verdict and the ADR pages its header links to:
:func:`model_key` is all of that. Site-wide sections (register, owners, staleness,
mitigations, backlinks) read every model, so their key is the whole site's
(:func:`site_key`). A rebuild after one model's edit therefore makes again
only that model's sections and the site-wide ones; :attr:`ViewCache.made` says which
models' sections a build made. Entries a build did not use are dropped by the next one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from hashlib import blake2b
from typing import TypeVar

from ..format.model import Model
from .site import Site

T = TypeVar("T")


def model_key(site: Site, model: Model) -> tuple:
    """Everything a model's own sections read: its bytes, its page, its staleness verdict,
    the ADR pages it links to, and the build's options (once per model and build)."""
    keys = site.__dict__.setdefault("_view_keys", {})
    key = keys.get(model.path)
    if key is None:
        base = model.path.rsplit("/", 1)[0] + "/" if "/" in model.path else ""
        adrs = []
        for adr in model.adrs:
            target = os.path.normpath(base + adr).replace(os.sep, "/")
            url = site.doc_urls.get(target)
            adrs.append((adr, url, site.titles.get(url) if url else None))
        key = keys[model.path] = (
            model.path, blake2b(model.source.raw, digest_size=16).digest(),
            site.page_urls.get(model.path), repr(site.stale(model)), tuple(adrs),
            _options(site))
    return key


def site_key(site: Site) -> tuple:
    """Everything a site-wide section reads: every model's key, in the site's order."""
    key = site.__dict__.get("_view_site_key")
    if key is None:
        key = site.__dict__["_view_site_key"] = (
            tuple(model_key(site, m) for m in site.models), _options(site),
            tuple(sorted(site.doc_urls.items())), tuple(sorted(site.titles.items())))
    return key


def _options(site: Site) -> str:
    return repr(site.options)


class ViewCache:
    """Rendered sections by key, for the builds of one ``mkdocs serve`` session."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, object] = {}
        self._current: dict[Hashable, object] = {}
        self.made: set[str] = set()  # model paths whose sections this build made
        self.made_site = 0  # site-wide sections this build made
        self.reused = 0  # sections this build took from the cache

    def begin_build(self) -> None:
        """Start a build: what the last build used is kept, anything older dropped."""
        if self._current:
            self._previous = self._current
        self._current = {}
        self.made = set()
        self.made_site = 0
        self.reused = 0

    def get(self, key: Hashable, make: Callable[[], T], model_path: str | None) -> T:
        """The section under ``key``, made (and kept) when no build has it."""
        if key in self._current:
            self.reused += 1
            return self._current[key]  # type: ignore[return-value]
        if key in self._previous:
            self.reused += 1
            value = self._current[key] = self._previous.pop(key)
            return value  # type: ignore[return-value]
        value = make()
        self._current[key] = value
        if model_path is None:
            self.made_site += 1
        else:
            self.made.add(model_path)
        return value

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)
