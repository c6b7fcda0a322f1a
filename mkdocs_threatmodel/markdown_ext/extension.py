"""The extension: a preprocessor places the views (as hidden slots) in a page's Markdown, a
postprocessor puts their HTML in the slots, with the styles, the sorting script and, on
pages with a diagram, Mermaid."""

from __future__ import annotations

import logging
import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from ..render.docs import DocsOptions
from ..views import ASSETS
from ..views.escape import h
from ..views.markdown import strip_front_matter
from ..views.page import MODEL_SECTIONS, Prepared
from ..views.site import DEFAULT_TICKET_PATTERN, REDACT_CHOICES, relative_url
from .build import docs_site
from .context import PageContext, page_context, replace_metadata
from .plugin_listed import notice, plugin_listed

log = logging.getLogger("mkdocs_threatmodel")
MERMAID_CDN = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
CHOICES = {"redact": REDACT_CHOICES, "direction": ("TB", "LR", "BT", "RL"),
           "staleness": ("report", "show", "off"), "draw": ("theme", "self")}
_failures: set[str] = set()


def _asset(name: str) -> str:
    return (ASSETS / name).read_text("utf-8")


class ThreatModelExtension(Extension):
    """``markdown_extensions: [mkdocs_threatmodel.markdown_ext: {...}]``."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "sections": [list(MODEL_SECTIONS), "The sections of a model page, in order"],
            "redact": ["none", "Withhold threat details: none, open, unmitigated or all"],
            "ticket_url": ["", "Tracker URL with {ticket}"],
            "ticket_pattern": [DEFAULT_TICKET_PATTERN, "What a ticket id looks like"],
            "direction": ["TB", "Diagram direction: TB, LR, BT or RL"],
            "staleness": ["report", "Staleness findings: report (log), show or off"],
            "citations": [True, "Replace [[threat:ID]] with links"],
            "adr_backlinks": [True, "List the models citing an ADR on its page"],
            "mermaid": [MERMAID_CDN, "Mermaid: an http(s) URL, or a path in the site"],
            "draw": ["theme", "Who draws diagrams: the theme (Zensical, Material) or self"],
        }
        if kwargs.get("staleness") is False:  # YAML 1.1 reads a bare off as false
            kwargs["staleness"] = "off"
        super().__init__(**kwargs)
        for name, allowed in CHOICES.items():
            if self.getConfig(name) not in allowed:
                raise ValueError(f"mkdocs_threatmodel.markdown_ext: {name} must be one of "
                                 f"{', '.join(allowed)}, not {self.getConfig(name)!r}")
        unknown = set(self.getConfig("sections")) - set(MODEL_SECTIONS)
        if unknown:
            raise ValueError(f"mkdocs_threatmodel.markdown_ext: unknown sections "
                             f"{', '.join(sorted(unknown))} (known: {', '.join(MODEL_SECTIONS)})")
        if self.getConfig("ticket_url") and (
                not re.match(r"^https?://", self.getConfig("ticket_url"))
                or "{ticket}" not in self.getConfig("ticket_url")):
            raise ValueError("mkdocs_threatmodel.markdown_ext: ticket_url must be an http(s) "
                             "URL containing {ticket}")

    def options(self, context: PageContext) -> DocsOptions:
        return DocsOptions(
            sections=tuple(self.getConfig("sections")), redact=self.getConfig("redact"),
            ticket_url=self.getConfig("ticket_url") or None,
            ticket_pattern=self.getConfig("ticket_pattern"),
            direction=self.getConfig("direction"), staleness=self.getConfig("staleness"),
            citations=bool(self.getConfig("citations")),
            adr_backlinks=bool(self.getConfig("adr_backlinks")),
            urls="markdown", generate=False)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        state = _PageState()
        # Before fenced code and raw HTML are stashed (25, 20).
        md.preprocessors.register(_Place(md, self, state), "threatmodel", 27)
        # After the raw HTML is put back (30) and the entities are restored (20, 10).
        md.postprocessors.register(_Fill(md, state), "threatmodel", 5)


class _PageState:
    prepared: Prepared | None = None
    composer: Any = None
    scripts: str = ""


class _Place(Preprocessor):
    def __init__(self, md: Markdown, extension: ThreatModelExtension, state: _PageState):
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        self.state.prepared = None
        context = page_context(self.md)
        if context is None:
            return lines
        try:
            site, _ = docs_site(context.docs_dir, self.extension.options(context),
                                cache_dir=context.root_dir / ".cache")
        except Exception as exc:  # the build goes on; the log says why the views are missing
            failure = f"threatmodel: the docs could not be read: {type(exc).__name__}: {exc}"
            if failure not in _failures:
                _failures.add(failure)
                log.warning(failure)
            return lines
        text = "\n".join(lines)
        prepared = site.prepare(context.docs_path, text,
                                first_line=self._first_line(site, context, text))
        if context.docs_path in site.models or context.docs_path in site.broken:
            replace_metadata(context, prepared.title)
        listed = plugin_listed(context.root_dir)
        note = ""
        if listed and (prepared.slots or context.docs_path in site.models):
            note = f'<div class="tm-note tm-plugin-ignored"><p>{h(notice(listed))}</p></div>'
            if listed not in site.said:  # once per build
                site.said.add(listed)
                log.warning(f"{listed}: {notice(listed)}")
        for line, message in prepared.warnings:
            log.warning(f"{site.where(context.docs_path, line)}: {message}")
        if context.docs_path in site.broken:
            note += _broken(site.broken[context.docs_path])
        if not prepared.slots and not note:
            return prepared.markdown.split("\n")
        self.state.prepared = prepared
        self.state.composer = site.composer
        self.state.scripts = self._scripts(context.docs_path) if prepared.has_diagram else ""
        markdown = prepared.markdown
        if note:
            key = str(len(prepared.slots))
            prepared.slots[key] = note
            slot = (f'<div class="tm-slot" data-tm-slot="{site.composer.nonce}-{key}" '
                    "hidden></div>")
            markdown = slot + "\n\n" + markdown
        return markdown.split("\n")

    @staticmethod
    def _first_line(site: Any, context: PageContext, text: str) -> int | None:
        """The file line of the text's first line: the host cut the front matter."""
        if context.docs_path in site.models:
            return None  # the model knows where its body starts
        try:
            content = (context.docs_dir / context.docs_path).read_text("utf-8")
        except (OSError, ValueError):
            return 1
        body = strip_front_matter(content)
        skipped = content.count("\n") - body.count("\n")
        blank = len(body) - len(body.lstrip("\r\n"))
        return skipped + body[:blank].count("\n") + 1 if text else 1

    def _scripts(self, current: str) -> str:
        source = self.extension.getConfig("mermaid")
        if not re.match(r"^(?:https?:)?//", source):
            source = relative_url(source.lstrip("/"), current)
        mode = self.extension.getConfig("draw")
        return (f'<script src="{h(source)}"></script>'
                f'<script data-tm-render="{mode}">{_asset("mermaid-init.js")}</script>')


def _broken(findings: list) -> str:
    items = "".join(f"<li>line {f.position.line}: <code>{h(f.code)}</code> {h(f.message)}"
                    "</li>" for f in findings[:10])
    return (f'<div class="tm-note tm-broken"><p>This threat model could not be read, so its '
            f"views are missing:</p><ul>{items}</ul></div>")


class _Fill(Postprocessor):
    def __init__(self, md: Markdown, state: _PageState):
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        # Extensions such as toc run the postprocessors on bits of a page (a heading's
        # text) too: only the page holding the slots is filled, and only once.
        prepared, composer = self.state.prepared, self.state.composer
        if prepared is None or f'data-tm-slot="{composer.nonce}-' not in text:
            return text
        self.state.prepared = None
        html = composer.fill(text, prepared, self.state.scripts)
        return (html + f"\n<style>{_asset('threatmodel.css')}</style>"
                f"<script>{_asset('threatmodel.js')}</script>")


def makeExtension(**kwargs: Any) -> ThreatModelExtension:  # noqa: N802 (Python-Markdown's name)
    """Python-Markdown's entry point."""
    return ThreatModelExtension(**kwargs)
