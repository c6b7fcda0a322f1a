"""One validation per build: the :class:`DocsSite` of a docs folder, made again only when a
Markdown file, the repository's ``.threatmodel.yaml`` or git's HEAD changes (so a serving
host's rebuilds see edits), with its findings logged once each time it is made."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from ..render.docs import DocsOptions, DocsSite
from ..workspace.discover import MARKDOWN_SUFFIXES

log = logging.getLogger("mkdocs_threatmodel")
_LOCK = threading.Lock()
_BUILDS: dict[tuple, tuple[tuple, DocsSite]] = {}


def _fingerprint(docs_dir: Path, root: Path | None) -> tuple:
    """What a build's pages depend on, by name, size and modification time."""
    seen = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                stat = os.stat(os.path.join(folder, name))
                seen.append((folder, name, stat.st_mtime_ns, stat.st_size))
    if root is not None:
        for extra in (root / ".threatmodel.yaml", root / ".git" / "HEAD", root / ".git" / "index"):
            try:
                stat = extra.stat()
            except OSError:
                continue
            seen.append((str(extra), "", stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(seen))


def docs_site(docs_dir: Path, options: DocsOptions) -> tuple[DocsSite, bool]:
    """The build's :class:`DocsSite`, and whether it was made just now (then its findings
    were logged)."""
    key = (str(docs_dir), repr(options))
    with _LOCK:
        cached = _BUILDS.get(key)
        root = cached[1].repo.root if cached else None
        print_ = _fingerprint(docs_dir, root)
        if cached is not None and cached[0] == print_:
            return cached[1], False
        site = DocsSite(docs_dir, options)
        _BUILDS[key] = (_fingerprint(docs_dir, site.repo.root), site)
        for line in site.report():
            log.warning(line)
        return site, True
