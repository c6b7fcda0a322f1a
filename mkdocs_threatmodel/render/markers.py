"""The short pages a site keeps when no plugin generates them: a title, a line, one marker.

Under a generator that runs neither the MkDocs plugin nor the Markdown extension, the
marker stays an invisible comment; the note after it is then what the reader sees. The
plugin and the extension take that note away with the marker (see
:func:`mkdocs_threatmodel.views.page.generated_page`).
"""

from __future__ import annotations

from ..views.page import GENERATED_TITLES, generated_page
from .docs import GENERATED_PAGES

UNRENDERED = ('<p class="tm-unrendered">The {title} is made by mkdocs-threatmodel, which did '
              "not run for this build: list <code>mkdocs_threatmodel.markdown_ext</code> under "
              "<code>markdown_extensions</code> (Zensical), the <code>threatmodel</code> "
              "plugin (MkDocs, ProperDocs), or run <code>threatmodel render</code>.</p>")


def marker_page(kind: str) -> str:
    """The Markdown of the kept page for ``kind`` (register, mitigation-register, owners,
    staleness)."""
    title = GENERATED_TITLES[kind].lower()
    if kind == "staleness":
        title = "freshness page"
    elif kind != "register":
        title = f"{title} page"
    return generated_page(kind) + "\n" + UNRENDERED.format(title=title) + "\n"


def marker_pages(paths: dict[str, str] | None = None) -> dict[str, str]:
    """docs path -> Markdown for every kept page (``paths`` overrides where each goes)."""
    where = {**GENERATED_PAGES, **(paths or {})}
    return {path: marker_page(kind) for kind, path in where.items() if path}
