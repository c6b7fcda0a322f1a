"""Composing a page: which views go where, as Markdown with slot markers.

A view goes where the author puts its placeholder, an HTML comment alone on a line::

    <!-- threatmodel:diagram -->
    <!-- threatmodel:threats guest-checkout -->   (another model's section, on any page)

On a model page, the sections the author did not place are added in the default
order: the header after the page's first heading, the others at the end under
their own headings. Placeholders in code blocks are left alone.

:meth:`Composer.prepare` returns Markdown in which each piece of view HTML is a
slot: a hidden block, named with a per-build nonce, that holds the view's search
text (see :mod:`.digest`). So neither Markdown nor the search plugin parses the
views' HTML; :meth:`Composer.fill` puts it in the finished page. Headings of views
are Markdown, so the theme's table of contents lists them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from ..format.model import Model
from . import (
    assumptions,
    backlinks,
    coverage,
    diagram,
    digest,
    header,
    heatmap,
    insights,
    mitigations,
    owners,
    register,
    residual,
    risk_trend,
    scope,
    threat_panel,
)
from . import staleness as staleness_view
from . import suggestions as suggestions_view
from . import threats as threats_view
from .blocks import Block, Heading, Html
from .cache import ViewCache, model_key, site_key
from .citations import CITATION, cite
from .escape import anchor, h, md_text, page_title
from .markdown import code_flags, h1_line, sub_outside_code
from .site import Site

PLACEHOLDER = re.compile(
    r"^ {0,3}<!--[ \t]*threatmodel:([A-Za-z_-]+)(?:[ \t]+([^\s>]+))?[ \t]*-->[ \t]*$")
# The note a kept marker page shows when no tool of ours ran; removed when one runs.
UNRENDERED = re.compile(r'^ {0,3}<p class="tm-unrendered">.*</p>[ \t]*$')
MODEL_SECTIONS = ("header", "insights", "scope", "diagram", "threats", "triage", "mitigations",
                  "assumptions", "coverage", "heatmap", "residual", "suggestions", "details")
TOP_SECTIONS = ("header", "insights")  # placed after the page's first heading
# Added by default only when the model has something to show in them.
WHEN_PRESENT = {"triage": lambda m: any(t.is_untriaged for t in m.threats),
                "mitigations": lambda m: bool(m.mitigations),
                "assumptions": lambda m: bool(m.assumptions)}
SITE_SECTIONS = ("register", "mitigation-register", "owners", "staleness", "risk")
PAGE_SECTIONS = ("backlinks",)
ALL_SECTIONS = MODEL_SECTIONS + SITE_SECTIONS + PAGE_SECTIONS
TITLES = {"insights": "Insights", "scope": "Scope and assets", "diagram": "Data flow diagram",
          "threats": "STRIDE threats", "triage": "Candidates to triage",
          "mitigations": "Mitigations", "assumptions": "Assumptions",
          "coverage": "STRIDE coverage", "heatmap": "Risk heatmap", "residual": "Residual risk",
          "suggestions": "Suggested threats", "details": "Threat details",
          "backlinks": "Threat models resting on this decision"}
GENERATED_TITLES = {"register": "Threat register", "mitigation-register": "Mitigations",
                    "owners": "Threat owners", "staleness": "Threat model freshness",
                    "risk": "Risk over time"}
GENERATED_INTROS = {
    "register": "Every threat of every threat model, highest risk first.",
    "mitigation-register": "Every mitigation of every threat model: its status, its owner "
                           "and the threats it closes.",
    "owners": "What needs each owner's attention: open threats, expiring risk acceptances, "
              "open threats without a ticket and stale models.",
    "staleness": "Whether each threat model still describes the code it covers.",
    "risk": "Open risk by band per month, the risk acceptances taken and expired, and the "
            "models reviewed, from the models' git history.",
}


def generated_page(kind: str) -> str:
    """The Markdown of a generated page (register, mitigations, owners or staleness)."""
    return (f"# {GENERATED_TITLES[kind]}\n\n{GENERATED_INTROS[kind]}\n\n"
            f"<!-- threatmodel:{kind} -->\n")


@dataclass
class Prepared:
    """A page's Markdown with markers, the HTML for them, and what to report."""

    markdown: str
    slots: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    has_diagram: bool = False
    title: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # slot -> search text, when late


@dataclass
class _Request:
    name: str
    model: Model | None
    auto: bool  # added by default (gets a heading) rather than placed by the author


class Composer:
    """Prepares pages for one build; the nonce keeps authors from faking markers."""

    def __init__(self, site: Site, nonce: str | None = None,
                 cache: ViewCache | None = None, late_text: bool = False) -> None:
        self.site = site
        self.cache = cache  # sections kept between builds (mkdocs serve)
        # With late_text, slots hold no search text in the Markdown (which a host keeps
        # for the whole build): :meth:`search_text` adds it to the page's HTML instead.
        self.late_text = late_text
        self.nonce = nonce or secrets.token_hex(8)
        nonce = re.escape(self.nonce)
        self._marker = re.compile(
            rf'<div class="tm-slot" data-tm-slot="{nonce}-(\d+)" hidden>[^<]*</div>')
        self._filled = re.compile(
            rf'<div class="tm-slot" data-tm-slot="{nonce}-(\d+)" hidden>[^<]*</div>'
            rf'|<div class="tm-slot-start" data-tm-slot="{nonce}-(\d+)" hidden></div>.*?'
            rf'<div class="tm-slot-end" data-tm-slot="{nonce}-\2" hidden></div>', re.S)

    # -- Markdown -----------------------------------------------------------------------
    def prepare(self, markdown: str, *, current: str, repo_path: str | None = None,
                model: Model | None = None, sections: tuple[str, ...] = MODEL_SECTIONS,
                citations: bool = True, adr_backlinks: bool = True,
                first_line: int = 1) -> Prepared:
        """Place the views of a page whose site URL is ``current``.

        ``model`` is the page's own model (a model page); ``repo_path`` the page's file,
        for ADR backlinks; ``first_line`` the file line of the Markdown's first line."""
        if self.cache is None:
            return self._prepare(markdown, current, repo_path, model, sections, citations,
                                 adr_backlinks, first_line)
        self.cache.open_page(current)
        try:
            return self._prepare(markdown, current, repo_path, model, sections, citations,
                                 adr_backlinks, first_line)
        finally:
            self.cache.close_page()

    def _prepare(self, markdown: str, current: str, repo_path: str | None,
                 model: Model | None, sections: tuple[str, ...], citations: bool,
                 adr_backlinks: bool, first_line: int) -> Prepared:
        lines = markdown.splitlines()
        flags = code_flags(lines)
        prepared = Prepared("")
        if model is not None:
            prepared.title = page_title(model.title or model.id)
        placed: dict[int, _Request] = {}
        dropped: set[int] = set()
        for i, line in enumerate(lines):
            if flags[i]:
                continue
            if UNRENDERED.match(line):
                dropped.add(i)
                continue
            match = PLACEHOLDER.match(line)
            if match:
                request = self._placeholder(match[1], match[2], model, repo_path,
                                            first_line + i, prepared)
                if request is not None:
                    placed[i] = request
            elif citations and "[[threat:" in line:
                lines[i] = self._cite_line(line, current, first_line + i, prepared)
        top: list[_Request] = []
        after_h1: list[_Request] = []
        end: list[_Request] = []
        if model is not None:
            own = {r.name for r in placed.values() if r.model is model}
            for name in sections:
                if name in own or name not in MODEL_SECTIONS:
                    continue
                if name in WHEN_PRESENT and not WHEN_PRESENT[name](model):
                    continue
                (after_h1 if name in TOP_SECTIONS else end).append(_Request(name, model, True))
        if adr_backlinks and repo_path is not None and not any(
                r.name == "backlinks" for r in placed.values()):
            if backlinks.citing(self.site, repo_path):
                end.append(_Request("backlinks", None, True))
        everything = list(placed.values()) + after_h1 + end
        present: dict[int, set[str]] = {}
        for r in everything:
            present.setdefault(id(r.model), set()).add(r.name)

        def render(request: _Request) -> list[str]:
            linked = frozenset(present.get(id(request.model), ()))
            return self._render(request, current, repo_path, linked, prepared)

        out: list[str] = []
        h1 = h1_line(lines, flags) if after_h1 else None
        if after_h1 and h1 is None:
            title = md_text(model.title or model.id) if model is not None else ""
            top = after_h1
            after_h1 = []
            out += [f"# {title}", ""] if title else []
            for request in top:
                out += render(request)
        for i, line in enumerate(lines):
            if i in placed:
                out += render(placed[i])
            elif i in dropped:
                continue
            else:
                out.append(line)
            if i == h1:
                for request in after_h1:
                    out += render(request)
        for request in end:
            out += render(request)
        prepared.markdown = "\n".join(out) + "\n"
        return prepared

    def _placeholder(self, name: str, arg: str | None, model: Model | None,
                     repo_path: str | None, line: int, prepared: Prepared) -> _Request | None:
        if name not in ALL_SECTIONS:
            prepared.warnings.append((line, f"unknown threatmodel placeholder '{name}' "
                                            f"(known: {', '.join(ALL_SECTIONS)})"))
            return None
        target = model
        if arg is not None and name in MODEL_SECTIONS:
            target = self.site.by_id.get(arg)
            if target is None:
                prepared.warnings.append((line, f"placeholder 'threatmodel:{name}' names an "
                                                f"unknown model id '{arg}'"))
                return None
        elif arg is not None:
            prepared.warnings.append((line, f"placeholder 'threatmodel:{name}' takes no "
                                            "model id"))
        if name in MODEL_SECTIONS and target is None:
            prepared.warnings.append((line, f"placeholder 'threatmodel:{name}' is not on a "
                                            "model page: name the model, as in "
                                            f"<!-- threatmodel:{name} MODEL-ID -->"))
            return None
        if name == "backlinks" and repo_path is None:
            return None
        return _Request(name, target if name in MODEL_SECTIONS else None, False)

    def _cite_line(self, line: str, current: str, number: int, prepared: Prepared) -> str:
        def repl(match: re.Match) -> str:
            html = cite(self.site, match[1], current)
            if html is None:
                prepared.warnings.append((number, f"unknown threat id '{match[1]}' in "
                                                  f"citation {match[0]}"))
                return match[0]
            return html

        return sub_outside_code(line, CITATION, repl)

    # -- views ----------------------------------------------------------------------------
    def _render(self, request: _Request, current: str, repo_path: str | None,
                linked: frozenset[str], prepared: Prepared) -> list[str]:
        try:
            blocks, text = self._made(request, current, repo_path, linked)
        except Exception as exc:  # a view must never take the build down
            where = request.model.path if request.model is not None else current
            prepared.warnings.append((0, f"could not render the '{request.name}' view of "
                                         f"{where}: {type(exc).__name__}: {exc}"))
            blocks = [Html(f'<p class="tm-note">The {h(request.name)} view could not be '
                           "drawn; see the build log.</p>")]
            text = ""
        if request.name == "diagram":
            prepared.has_diagram = True
        out = [""]
        if request.auto and request.name in TITLES:
            out += [f"## {TITLES[request.name]}", ""]
        if self.late_text:
            return out + self._grouped(blocks, text, prepared)
        for block in blocks:
            if isinstance(block, Heading) and not block.toc:
                out += [_html_head(block), ""]
            elif isinstance(block, Heading):
                out += _md_head(block)
            else:
                key = str(len(prepared.slots))
                prepared.slots[key] = block.html
                said = block.search if block.search is not None else text
                out += [self._slot(key, h(said)), ""]
                text = ""
        return out

    def _grouped(self, blocks: list[Block], text: str, prepared: Prepared) -> list[str]:
        """The Markdown of a view's blocks with late search text: one slot per run of HTML
        blocks and HTML headings (Markdown parses one hidden line for a whole run, not a
        heading and a slot per threat), whose search text (the headings, and each block's
        text) :meth:`search_text` puts in the page's HTML while search plugins read it."""
        out: list[str] = []
        html: list[str] = []
        said: list[str] = []

        def flush() -> None:
            if not html:
                return
            key = str(len(prepared.slots))
            prepared.slots[key] = "".join(html)
            if said:
                prepared.texts[key] = "".join(said)
            out.extend([self._slot(key, ""), ""])
            html.clear()
            said.clear()

        for block in blocks:
            if isinstance(block, Heading) and block.toc:
                flush()
                out.extend(_md_head(block))
            elif isinstance(block, Heading):
                head = _html_head(block)
                html.append(head)
                said.append(head)
            else:
                html.append(block.html)
                words = block.search if block.search is not None else text
                if words:
                    said.append(h(words))  # bare text: taken out again once search read it
                text = ""
        flush()
        return out

    def _slot(self, key: str, text: str) -> str:
        return f'<div class="tm-slot" data-tm-slot="{self.nonce}-{key}" hidden>{text}</div>'

    def _made(self, request: _Request, current: str, repo_path: str | None,
              linked: frozenset[str]) -> tuple[list[Block], str]:
        """The view's blocks and its search text, made once per key while a cache is kept."""
        def make() -> tuple[list[Block], str]:
            blocks = self._blocks(request, current, repo_path, linked)
            model = request.model
            text = digest.model_text(request.name, model, self.site, linked) if model else ""
            return blocks, text

        if self.cache is None:
            return make()
        model = request.model
        scope = (model_key(self.site, model) if model is not None
                 else (site_key(self.site), repo_path))
        return self.cache.get((request.name, current, tuple(sorted(linked)), scope), make,
                              model.path if model is not None else None)

    def _blocks(self, request: _Request, current: str, repo_path: str | None,
                linked: frozenset[str]) -> list[Block]:
        """The view's blocks; ``linked`` names the sections of the same model on the page
        (element, mitigation and assumption anchors are linked only when present)."""
        site, model, name = self.site, request.model, request.name
        anchors = "diagram" in linked
        model_views: dict[str, Callable[..., str]] = {
            "insights": insights.render, "scope": scope.render, "diagram": diagram.render,
            "mitigations": mitigations.render, "assumptions": assumptions.render,
            "coverage": coverage.render, "residual": residual.render,
            "suggestions": suggestions_view.render,
        }
        if model is not None:  # a model section's request has its model (see _placeholder)
            if name == "header":
                return [Html(header.render(model, site, current))]
            if name == "threats":
                return [Html(threats_view.render(model, site, current, anchors, linked))]
            if name == "details":
                return threat_panel.render(model, site, current)
            if name == "triage":
                return [Html(threats_view.render_candidates(model, site, current, anchors,
                                                            linked))]
            if name in model_views:
                return [Html(model_views[name](model, site, current, anchors=anchors))]
            if name == "heatmap":
                return [Html(heatmap.render([(t, model) for t in model.threats], site,
                                            current, anchor("tm-heat-", model.id)))]
        if name == "register":
            return register.render(site, current)
        if name == "mitigation-register":
            return mitigations.render_site(site, current)
        if name == "owners":
            return owners.render(site, current)
        if name == "staleness":
            return staleness_view.render_dashboard(site, current)
        if name == "risk":
            return risk_trend.render(site, current)
        models = backlinks.citing(site, repo_path) if repo_path else []
        if not models:
            return [Html('<p class="tm-muted">No threat model cites this page.</p>')]
        return [Html(backlinks.render(models, site, current))]

    # -- HTML -----------------------------------------------------------------------------
    def search_text(self, html: str, texts: dict[str, str]) -> str:
        """Put the search text of each slot (``Prepared.texts``, made with ``late_text``:
        HTML headings and hidden text) after its marker in the page's HTML, closed by an
        end marker, before search plugins read the page."""
        if not texts:
            return html

        def put(match: re.Match) -> str:
            text = texts.get(match[1])
            if text is None:
                return match[0]
            slot = f'data-tm-slot="{self.nonce}-{match[1]}" hidden></div>'
            return f'<div class="tm-slot-start" {slot}{text}<div class="tm-slot-end" {slot}'

        return self._marker.sub(put, html)

    def fill(self, html: str, prepared: Prepared, scripts: str = "") -> str:
        """Put each view's HTML in its slot of the finished page (in place of its marker,
        or of its search text and the markers around it), and ``scripts`` after the first
        diagram."""
        if not prepared.slots:
            return html
        pending = [scripts]

        def put(match: re.Match) -> str:
            out = prepared.slots.get(match[1] or match[2], "")
            if pending[0] and 'class="mermaid"' in out:
                out, pending[0] = out + pending[0], ""
            return out

        return self._filled.sub(put, html)


def _html_head(block: Heading) -> str:
    """A heading the table of contents does not list (search still splits the page there)."""
    tag = f"h{block.level}"
    ident = f' id="{h(block.anchor)}"' if block.anchor else ""
    return f'<{tag}{ident} class="tm-html-head">{h(block.text)}</{tag}>'


def _md_head(block: Heading) -> list[str]:
    """A Markdown heading (listed in the table of contents), after our anchor for links."""
    out = [f'<div class="tm-anchor" id="{h(block.anchor)}"></div>', ""] if block.anchor else []
    return out + [f"{'#' * block.level} {md_text(block.text)}", ""]
