"""Where the page being converted lives, as the host tells Python-Markdown.

Zensical registers a ``rendering_context`` preprocessor holding the page (its ``path``
in the docs folder and its ``url``) and the configuration (``docs_dir``, ``root_dir``,
``use_directory_urls``). Read by duck typing: nothing here imports the host.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown


@dataclass(frozen=True)
class PageContext:
    """The page being converted and the site it belongs to."""

    docs_path: str  # the page's file, relative to docs_dir, with "/"
    url: str  # the page's site URL, as the host makes it
    docs_dir: Path
    root_dir: Path  # the folder of the configuration file
    directory_urls: bool
    page: Any = None  # the host's page object (its ``meta`` dict is what templates read)


def page_context(md: Markdown) -> PageContext | None:
    """The host's page context, or ``None`` when the host gives none (then the extension
    leaves the page alone: under MkDocs the plugin does this work)."""
    if "rendering_context" not in md.preprocessors:
        return None
    holder = md.preprocessors["rendering_context"]
    page, config = getattr(holder, "page", None), getattr(holder, "config", None)
    path = getattr(page, "path", None)
    if not isinstance(path, str) or not isinstance(config, dict):
        return None
    docs_dir = config.get("docs_dir")
    if not docs_dir:
        return None
    root = Path(config.get("root_dir") or ".").resolve()
    docs = (root / docs_dir).resolve()  # docs_dir may be relative to the configuration
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            path = candidate.resolve().relative_to(docs).as_posix()
        except ValueError:
            return None
    url = getattr(page, "url", None) or ""
    return PageContext(path.replace("\\", "/").lstrip("/"), str(url).lstrip("/"), docs, root,
                       bool(config.get("use_directory_urls", True)), page)


def replace_metadata(context: PageContext, title: str | None) -> None:
    """Make a model page's metadata its (safe) title alone: the host read the model's front
    matter as page metadata, and its templates print metadata such as ``title`` as HTML."""
    meta = getattr(context.page, "meta", None)
    if isinstance(meta, dict):
        meta.clear()
        if title:
            meta["title"] = title
    if title and hasattr(context.page, "rendered_metadata_title"):
        context.page.rendered_metadata_title = title
