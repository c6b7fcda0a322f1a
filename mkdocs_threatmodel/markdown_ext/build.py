"""One validation per build: the :class:`DocsSite` of a docs folder, made again only when a
Markdown file, the repository's ``.threatmodel.yaml`` or git's HEAD changes (so a serving
host's rebuilds see edits), with its findings logged once each time it is made."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

from ..render.docs import DocsOptions, DocsSite
from ..workspace.discover import MARKDOWN_SUFFIXES

log = logging.getLogger("mkdocs_threatmodel")
_LOCK = threading.Lock()
STAMP = "mkdocs-threatmodel.models"  # in the host's cache folder
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


def models_digest(site: DocsSite) -> str:
    """A digest of what pages showing other models depend on: the model files and the
    repository's settings."""
    digest = hashlib.sha256()
    for docs_path in sorted({*site.models, *site.broken}):
        digest.update(docs_path.encode() + b"\0")
        try:
            digest.update((site.docs_dir / docs_path).read_bytes())
        except OSError:
            pass
    try:
        digest.update((site.repo.root / ".threatmodel.yaml").read_bytes())
    except OSError:
        pass
    return digest.hexdigest()


def check_page_cache(site: DocsSite, cache_dir: Path | None) -> str | None:
    """Zensical keeps each page's HTML in its cache until the page's own file changes, so a
    register or owners page would go on showing models as they were. The digest of the
    models the cache was filled with is kept beside it (a clean build starts it again);
    returns the warning to log when the models have changed since, else ``None``."""
    if cache_dir is None or not cache_dir.is_dir():
        return None
    stamp = cache_dir / STAMP
    now = models_digest(site)
    try:
        before = stamp.read_text("ascii").strip()
    except OSError:
        try:
            stamp.write_text(now + "\n", "ascii")
        except OSError:
            pass
        return None
    if before == now:
        return None
    return (f"threat models changed since {cache_dir.name} was filled: pages showing other "
            "models (register, mitigations, owners, freshness, citations, ADR backlinks) may "
            "be served from Zensical's cache as they were; build with --clean "
            "(zensical build --clean) to refresh them")


def docs_site(docs_dir: Path, options: DocsOptions,
              cache_dir: Path | None = None) -> tuple[DocsSite, bool]:
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
        stale_cache = check_page_cache(site, cache_dir)
        if stale_cache:
            log.warning(stale_cache)
        return site, True
