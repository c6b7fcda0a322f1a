"""What a view returns: HTML, and headings that belong in the page's table of contents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A heading the page composer writes as Markdown (so the theme's TOC lists it),
    with an HTML anchor of ours just before it for links."""

    level: int
    text: str
    anchor: str | None = None
    toc: bool = True  # False: an HTML heading (search indexes it; the TOC does not list it)


@dataclass(frozen=True)
class Html:
    """Finished HTML; placed in the page after Markdown has run."""

    html: str
    search: str | None = None  # its own search text (else the view's, on its first block)


Block = Heading | Html

