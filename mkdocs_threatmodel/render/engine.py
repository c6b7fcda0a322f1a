"""``threatmodel render``: every page of a docs folder, with its views, written as plain
CommonMark to another folder, plus the kept pages (register, mitigations, owners,
freshness) and the styles and script the views use."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..views import ASSET_FILES, ASSETS
from ..views.escape import md_text
from ..views.markdown import strip_front_matter
from .commonmark import to_commonmark
from .docs import DocsOptions, DocsSite
from .markers import marker_page

ASSET_DIR = "assets/threatmodel"


@dataclass
class Rendered:
    """What ``render`` wrote (paths relative to the output folder) and what it noticed."""

    site: DocsSite
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "path:line: message"


def _page_text(site: DocsSite, docs_path: str) -> tuple[str, str, int | None]:
    """(front matter to keep, Markdown body, file line of the body) of a page."""
    model = site.models.get(docs_path)
    if model is not None:  # the model is data, not page metadata: its front matter goes
        body = model.source.body.replace("\r\n", "\n").replace("\r", "\n")
        return "", body.lstrip("\n"), None
    text = (site.docs_dir / docs_path).read_text("utf-8").replace("\r\n", "\n")
    body = strip_front_matter(text)
    head = text[:len(text) - len(body)]
    first = head.count("\n") + 1
    if docs_path in site.broken:  # a model that could not be read: its front matter goes too
        head = ""
    return head, body, first


def render_site(docs_dir: Path, out_dir: Path, options: DocsOptions | None = None,
                on: dt.date | None = None) -> Rendered:
    """Write every page of ``docs_dir`` with its views to ``out_dir``; links between pages
    are relative links to the written ``.md`` files."""
    options = options or DocsOptions()
    options.urls = "markdown"
    site = DocsSite(docs_dir, options, on=on)
    done = Rendered(site)
    pages: list[tuple[str, str, str, int | None]] = []
    for docs_path in site.pages:
        head, body, first = _page_text(site, docs_path)
        pages.append((docs_path, head, body, first))
    for kind, docs_path in site.generated.items():
        pages.append((docs_path, "", marker_page(kind), 1))
    for docs_path, head, body, first in pages:
        prepared = site.prepare(docs_path, body, first_line=first)
        for line, message in prepared.warnings:
            done.warnings.append(f"{site.where(docs_path, line)}: {message}")
        text = to_commonmark(prepared, site.composer) if prepared.slots else prepared.markdown
        if docs_path in site.broken:
            text = _broken(site, docs_path) + text
        _write(out_dir / docs_path, head + text)
        done.written.append(docs_path)
    for name in ASSET_FILES:
        if name.endswith((".css", ".js")) and name != "mermaid-init.js":
            _write(out_dir / ASSET_DIR / name, (ASSETS / name).read_text("utf-8"))
            done.written.append(f"{ASSET_DIR}/{name}")
    return done


def _broken(site: DocsSite, docs_path: str) -> str:
    lines = [f"- line {f.position.line}: {md_text(f.code)} {md_text(f.message)}"
             for f in site.broken[docs_path][:10]]
    return ("> This threat model could not be read, so its views are missing:\n>\n"
            + "".join(f"> {line}\n" for line in lines) + "\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(tmp, path)
