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


@dataclass(frozen=True)
class Html:
    """Finished HTML; placed in the page after Markdown has run."""

    html: str


Block = Heading | Html

