"""A docs folder as a site, without any site generator: its Markdown pages, their models,
where each page lives, staleness and findings, and a :class:`Composer` for its pages.

What the MkDocs plugin learns from MkDocs (the file list, page URLs) is worked out here
from the folder itself, for the Python-Markdown extension (Zensical) and ``render``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings.finding import Finding
from ..findings.reports.text import display_path
from ..format.model import Model
from ..validation.engine import validate
from ..views.citations import citing_pages
from ..views.markdown import first_heading
from ..views.page import MODEL_SECTIONS, Composer
from ..views.site import DEFAULT_TICKET_PATTERN, Options, Site
from ..workspace import git
from ..workspace.discover import MARKDOWN_SUFFIXES
from ..workspace.repository import Repository, today

if TYPE_CHECKING:
    from collections.abc import Iterator

GENERATED_PAGES = {"register": "threat-register.md",
                   "mitigation-register": "threat-mitigations.md",
                   "owners": "threat-owners.md", "staleness": "threat-staleness.md",
                   "risk": "threat-risk.md"}

_KEPT = re.compile(r"^ {0,3}<!--[ \t]*threatmodel:"
                   r"(register|mitigation-register|owners|staleness|risk)[ \t]*-->", re.M)


@dataclass
class DocsOptions:
    """How pages are made; the same choices as the MkDocs plugin's options."""

    sections: tuple[str, ...] = MODEL_SECTIONS
    redact: str = "none"
    ticket_url: str | None = None
    ticket_pattern: str = DEFAULT_TICKET_PATTERN
    direction: str = "TB"
    staleness: str = "report"  # report, show or off
    citations: bool = True
    adr_backlinks: bool = True
    urls: str = "directory"  # directory (a/b/), html (a/b.html) or markdown (a/b.md)
    extra_pages: dict[str, str] = field(default_factory=dict)  # kind -> docs path
    generate: bool = True  # whether pages the docs lack are made (render) or not (extension)


def page_url(docs_path: str, urls: str) -> str:
    """The site URL of a page, as MkDocs and Zensical make it (or the file itself)."""
    if urls == "markdown":
        return docs_path
    stem, _ = os.path.splitext(docs_path)
    folder, _, name = stem.rpartition("/")
    if name.lower() in ("index", "readme"):
        return folder + "/" if folder else ""
    return stem + "/" if urls == "directory" else stem + ".html"


def markdown_pages(docs_dir: Path) -> list[str]:
    """Every Markdown file under ``docs_dir`` (hidden folders skipped), docs-relative."""
    pages = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith("."):
                rel = os.path.relpath(os.path.join(folder, name), docs_dir)
                pages.append(rel.replace(os.sep, "/"))
    return pages


def docs_path(prefix: str, repo_path: str) -> str | None:
    """A repository path as a path in the docs folder at ``prefix`` (``None`` outside it)."""
    if not prefix:
        return repo_path
    return repo_path[len(prefix):] if repo_path.startswith(prefix) else None


def reported_by_site(prefix: str, repo_path: str) -> bool:
    """Whether a site build reports a file's findings: files in the docs folder, and the
    configuration file at the repository's root."""
    if docs_path(prefix, repo_path) is not None:
        return True
    return "/" not in repo_path and not repo_path.lower().endswith(MARKDOWN_SUFFIXES)

class DocsSite:
    """One build of a docs folder: validated once, then asked for each page."""

    def __init__(self, docs_dir: Path, options: DocsOptions | None = None,
                 on: dt.date | None = None) -> None:
        self.docs_dir = Path(docs_dir).resolve()
        self.options = options or DocsOptions()
        self.on = on or today()
        self.repo = Repository.at(self.docs_dir)
        rel = os.path.relpath(self.docs_dir, self.repo.root).replace(os.sep, "/")
        self.prefix = "" if rel == "." else rel + "/"
        self.pages = markdown_pages(self.docs_dir)
        self.notes: list[str] = []  # what the build log should say besides findings
        self.said: set[str] = set()  # what a host's build log has said once already
        known = set(self.pages)
        result = validate(self.repo, keep_models=True, on=self.on)
        self.models: dict[str, Model] = {}  # docs path -> model
        self.broken: dict[str, list[Finding]] = {}  # docs path -> why it could not be read
        for model in result.models:
            docs_path = self.docs_path(model.path)
            if docs_path in known:
                self.models[docs_path] = model
        modelled = {m.path for m in self.models.values()}
        for path in result.checked:
            docs_path = self.docs_path(path)
            if docs_path in known and path not in modelled:
                self.broken[docs_path] = [f for f in result.findings if f.path == path]
        self.findings = [f for f in result.findings if self.ours(f.path)]
        judged, stale = self._staleness(result.checked)
        self.stale_findings = [f for f in stale if self.ours(f.path)]
        self.generated = self._generated(known) if self.options.generate else {}
        self.urls = {p: page_url(p, self.options.urls)
                     for p in self.pages + list(self.generated.values())}
        models = list(self.models.values())
        page_urls = {m.path: self.urls[d] for d, m in self.models.items()}
        doc_urls, titles = self._adr_pages(models)
        site_options = Options(redact=self.options.redact, ticket_url=self.options.ticket_url,
                               ticket_pattern=self.options.ticket_pattern,
                               direction=self.options.direction, today=self.on,
                               staleness_available=judged is not None)
        self.site = Site(models, page_urls, judged, site_options, titles, doc_urls)
        if self.repo.in_git and self.options.staleness != "off":
            from ..diff.timeline import Timeline

            self.site.history = Timeline(self.repo.root, [m.path for m in models], models)
        self.site.cited_by = citing_pages(self._citing_texts())
        self.composer = Composer(self.site)

    def _citing_texts(self) -> Iterator[tuple[str, str, str]]:
        for page in self.pages:
            if page in self.models or page in self.broken:
                continue
            try:
                text = (self.docs_dir / page).read_text("utf-8")
            except (OSError, ValueError):
                continue
            if "[[threat:" in text:
                yield self.urls[page], first_heading(text) or page, text

    def _generated(self, known: set[str]) -> dict[str, str]:
        """The generated pages (kind -> docs path) the docs neither have at their path nor
        keep elsewhere as a marker page."""
        kept = set()
        for page in self.pages:
            try:
                text = (self.docs_dir / page).read_text("utf-8")
            except (OSError, ValueError):
                continue
            kept |= set(_KEPT.findall(text))
        return {kind: path for kind, path in {**GENERATED_PAGES, **self.options.extra_pages}
                .items() if path and path not in known and kind not in kept}

    def docs_path(self, repo_path: str) -> str | None:
        """A repository path as a path in the docs folder (``None`` when outside it)."""
        return docs_path(self.prefix, repo_path)

    def ours(self, repo_path: str) -> bool:
        """Findings of files in the docs folder, and of the configuration file."""
        return reported_by_site(self.prefix, repo_path)

    def _staleness(self, paths: list[str]) -> tuple[dict | None, list[Finding]]:
        if self.options.staleness == "off" or not self.repo.in_git:
            return None, []
        from ..staleness.judge import Assessment

        try:
            assessment = Assessment(self.repo, self.on)
            return assessment.run(), assessment.findings()
        except git.GitError:
            return None, []
        except Exception as exc:  # the pages are still made; the log says why freshness is not
            self.notes.append(f"threatmodel: staleness could not be judged: "
                              f"{type(exc).__name__}: {exc}")
            return None, []

    def _adr_pages(self, models: list[Model]) -> tuple[dict[str, str], dict[str, str]]:
        doc_urls: dict[str, str] = {}
        titles: dict[str, str] = {}
        for model in models:
            base = model.path.rsplit("/", 1)[0] + "/" if "/" in model.path else ""
            for adr in model.adrs:
                target = os.path.normpath(base + adr).replace(os.sep, "/")
                docs_path = self.docs_path(target)
                if docs_path not in self.urls or target in doc_urls:
                    continue
                doc_urls[target] = self.urls[docs_path]
                try:
                    title = first_heading((self.docs_dir / docs_path).read_text("utf-8"))
                except (OSError, ValueError):
                    title = None
                if title:
                    titles[self.urls[docs_path]] = title
        return doc_urls, titles

    def line(self, finding: Finding) -> str:
        """A finding as the build log shows it: ``path:line: CODE message (hint)``."""
        where = display_path(self.repo.root, finding.path)
        text = f"{where}:{finding.position.line}: {finding.code} {finding.message}"
        if finding.hint:
            text += f" ({finding.hint})"
        return text.replace("\n", " ")

    def report(self) -> list[str]:
        """The lines to log once per build: validation, then staleness when reported."""
        found = list(self.findings)
        if self.options.staleness == "report":
            found += self.stale_findings
        return self.notes + [self.line(f) for f in found]

    def prepare(self, docs_path: str, markdown: str, *, first_line: int | None = None) -> Any:
        """Place the views in a page's Markdown (its body, front matter removed); returns
        the :class:`Prepared` page, whose warnings carry file line numbers."""
        model = self.models.get(docs_path)
        if first_line is None:
            first_line = 1
            if model is not None:
                body = model.source.body
                first_line = model.source.body_line + len(body) - len(body.lstrip("\r\n"))
        return self.composer.prepare(
            markdown, current=self.urls.get(docs_path, page_url(docs_path, self.options.urls)),
            repo_path=self.prefix + docs_path, model=model, sections=self.options.sections,
            citations=self.options.citations, adr_backlinks=self.options.adr_backlinks,
            first_line=first_line)

    def where(self, docs_path: str, line: int) -> str:
        """``path:line`` of a page, as the build log shows it."""
        shown = display_path(self.repo.root, self.prefix + docs_path)
        return f"{shown}:{line}" if line else shown
