"""The MkDocs plugin: a thin adapter that places the views' text in MkDocs pages.

Everything shown is made by :mod:`mkdocs_threatmodel.views` (which knows nothing of
MkDocs). Here: typed options (``on_config``), one validation and one staleness
judgement per build, reported as ``path:line: CODE message`` warnings, generated
pages and assets (``on_files``), views placed in the Markdown (``on_page_markdown``)
and their HTML filled in once the page is rendered (``on_post_page``), with the Mermaid
scripts on pages that have a diagram.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..diff.timeline import Timeline, forget_versions
from ..errors import Failure, printable
from ..findings.finding import Finding, Severity
from ..findings.reports.text import display_path
from ..format.model import Model
from ..render.docs import docs_path, reported_by_site
from ..validation.engine import Result, validate
from ..views import ASSET_FILES, ASSETS, backlinks
from ..views.adr_status import is_adr_status
from ..views.adr_status import place as place_adr_status
from ..views.cache import ViewCache, digest_of
from ..views.citations import citing_pages
from ..views.diagram import scripts
from ..views.escape import h
from ..views.markdown import first_heading, line_offset, strip_front_matter
from ..views.page import Composer, generated_page
from ..views.site import Options, Site, relative_url
from ..workspace import git
from ..workspace.cache import cache_dir
from ..workspace.repository import Repository, today
from .config import FAIL_RANK, MERMAID_CDN, ThreatModelConfig
from .held import HeldViews

log = logging.getLogger("mkdocs.plugins.threatmodel")

ASSET_DIR = "assets/threatmodel"
# A view this large (a register of thousands of threats) goes into its page once MkDocs
# has written it, from the file it is held in, instead of through on_post_page's string.
LATE_BYTES = 4 << 20


class ThreatModelPlugin(BasePlugin[ThreatModelConfig]):
    """Model pages, the threat register, the mitigations page, owners and staleness views,
    ADR backlinks and threat citations."""

    _held: HeldViews  # prepared pages' view HTML, until each page is filled (see _reset)

    def __init__(self) -> None:
        self.serving = False
        self.views_cache = ViewCache()  # sections kept between builds (memory while serving)
        self._stale_key: tuple | None = None
        self._assessment: Any = None
        self._history: tuple[tuple, Timeline] | None = None  # kept while HEAD stays
        self._reset()

    def _reset(self) -> None:
        self.site: Site | None = None
        self.composer: Composer | None = None
        self.repo: Repository | None = None
        self.prefix = ""
        self._models: dict[str, Model] = {}  # docs path -> model
        self._broken: dict[str, list[Finding]] = {}  # docs path -> why it could not be read
        held = getattr(self, "_held", None)
        if held is not None:
            held.close()
        self._held = HeldViews()
        self._late: list[tuple[str, Path]] = []  # pages with views to place once written
        self._first_lines: dict[str, int] = {}  # a model page's first body line, once read
        self._bare: tuple[str, str] | None = None  # a page's content while search reads it
        self._mermaid: tuple[str, str] = ("url", MERMAID_CDN)

    # -- configuration -------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance for the whole `mkdocs serve` session,
        # so the staleness judgement can be reused between rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        self._reset()
        try:
            re.compile(self.config.ticket_pattern)
        except re.error as exc:
            raise PluginError(f"threatmodel: ticket_pattern is not a valid regular "
                              f"expression: {exc}") from exc
        url = self.config.ticket_url
        if url is not None and (not re.match(r"^https?://", url) or "{ticket}" not in url):
            raise PluginError("threatmodel: ticket_url must be an http(s) URL containing "
                              "{ticket}, e.g. https://tracker.example/browse/{ticket}")
        self._mermaid = self._resolve_mermaid(self.config.mermaid, config)
        config.extra_css.append(f"{ASSET_DIR}/threatmodel.css")
        config.extra_javascript.append(f"{ASSET_DIR}/threatmodel.js")
        return config

    @staticmethod
    def _resolve_mermaid(value: str, config: MkDocsConfig) -> tuple[str, str]:
        """("url", URL), ("docs", path in docs_dir) or ("copy", file to host)."""
        if re.match(r"^(?:https?:)?//", value):
            return "url", value
        docs = Path(config.docs_dir)
        if not Path(value).is_absolute() and (docs / value).is_file():
            return "docs", Path(value).as_posix()
        base = Path(config.config_file_path or ".").resolve().parent
        local = Path(value) if Path(value).is_absolute() else base / value
        if local.is_file():
            return "copy", str(local.resolve())
        raise PluginError(f"threatmodel: mermaid '{value}' is neither an http(s) URL nor a "
                          "file (looked in docs_dir and beside mkdocs.yml)")

    # -- one validation and one staleness judgement per build ----------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        docs_dir = Path(config.docs_dir).resolve()
        try:
            repo = self.repo = Repository.at(docs_dir)
        except Failure as exc:  # git refused the repository: its reason, not a traceback
            raise PluginError(printable(f"threatmodel: {exc}")) from None
        rel = os.path.relpath(docs_dir, repo.root).replace(os.sep, "/")
        self.prefix = "" if rel == "." else rel + "/"
        on = today()
        # Staleness first: what it reads is freed before the typed models are built, so
        # the build's memory peaks at the larger of the two, not at their sum.
        judged, stale_findings = self._staleness(
            repo, on, sorted({*repo.model_paths(), *repo.problems()}))
        result = validate(repo, keep_models=True, keep_trees=False, on=on)
        models = self._pages_of(result, files)
        self._report_all(result.findings, stale_findings)
        self._add_generated(files, config)
        page_urls = {m.path: file.url for d, m in self._models.items()
                     if (file := files.get_file_from_path(d)) is not None}  # each is a page
        doc_urls, titles = self._adr_pages(models, files)
        options = Options(redact=self.config.redact, ticket_url=self.config.ticket_url,
                          ticket_pattern=self.config.ticket_pattern,
                          direction=self.config.direction, today=on,
                          staleness_available=judged is not None,
                          classifications=repo.config.classifications)
        self.site = Site(models, page_urls, judged, options, titles, doc_urls)
        if repo.in_git and self.config.staleness != "off":
            self.site.history = self._timeline(repo, models)
        self.site.cited_by = citing_pages(self._citing_texts(files))
        # The views read typed models; their keys read digests of the bytes, noted here
        # (and the timeline took the work tree's models by blob id): the bytes can go.
        for model in models:
            self.site.digests[model.path] = digest_of(model.source.raw)
            model.source = replace(model.source, raw=b"")
        cache = self.views_cache
        cache.folder = cache_dir()
        cache.keep = self.serving
        cache.site_id = str(docs_dir)
        cache.begin_build()
        self.composer = Composer(self.site, cache=cache, late_text=True)
        repo.forget_contents()  # read: the views need only the typed models from here
        return files

    def _timeline(self, repo: Repository, models: list[Model]) -> Timeline:
        """The models' git history (read when a view first asks), kept between rebuilds of
        ``mkdocs serve`` while HEAD and the model files stay the same."""
        paths = [m.path for m in models]
        key = (str(repo.root), git.resolve(repo.root, "HEAD"), tuple(paths))
        if self._history is None or self._history[0] != key:
            self._history = (key, Timeline(repo.root, paths, models))
        return self._history[1]

    def _citing_texts(self, files: Files) -> Iterator[tuple[str, str, str]]:
        """(URL, title, Markdown) of the pages that are not models, for who cites what."""
        for file in files.documentation_pages():
            if file.src_uri in self._models or file.src_uri in self._broken:
                continue
            try:
                text = file.content_string
            except (OSError, ValueError):
                continue
            if "[[threat:" in text:
                yield file.url, first_heading(text) or file.src_uri, text

    def _pages_of(self, result: Result, files: Files) -> list[Model]:
        """The models that are pages of the site; checked files that are not models (they
        could not be read) are remembered with their findings, for a notice on the page."""
        models = []
        for model in result.models:
            docs_path = self._docs_path(model.path)
            if not docs_path:
                continue
            file = files.get_file_from_path(docs_path)
            if file is not None and file.is_documentation_page():
                self._models[docs_path] = model
                models.append(model)
        modelled = {m.path for m in models}
        for path in result.checked:
            docs_path = self._docs_path(path)
            if docs_path and path not in modelled:
                self._broken[docs_path] = [f for f in result.findings if f.path == path]
        return models

    def _report_all(self, found: list[Finding], stale_findings: list[Finding]) -> None:
        """Log the findings of files in docs_dir: validation, then staleness as configured."""
        # Open suggestions (TM601) are listed on their model's page, not raised as build
        # warnings: a site build is no place to decide them.
        listed = [f for f in found if f.code == "TM601"]
        for finding in listed:
            if self._ours(finding.path):
                log.info(self._line(finding))
        self._report([f for f in found if self._ours(f.path) and f.code != "TM601"],
                     "validation")
        if self.config.staleness == "report":
            self._report([f for f in stale_findings if self._ours(f.path)], "staleness")
        elif stale_findings:
            for finding in stale_findings:
                if self._ours(finding.path):
                    log.info(self._line(finding))

    def _add_generated(self, files: Files, config: MkDocsConfig) -> None:
        """The assets, a local Mermaid copy, and the generated pages the docs do not have."""
        for name in ASSET_FILES:
            files.append(File.generated(config, f"{ASSET_DIR}/{name}",
                                        abs_src_path=str(ASSETS / name)))
        if self._mermaid[0] == "copy":
            files.append(File.generated(config, f"{ASSET_DIR}/mermaid.min.js",
                                        abs_src_path=self._mermaid[1]))
        for kind, path in (("register", self.config.register_page),
                           ("mitigation-register", self.config.mitigations_page),
                           ("owners", self.config.owners_page),
                           ("staleness", self.config.staleness_page),
                           ("risk", self.config.risk_page)):
            if path and files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=generated_page(kind)))

    def _adr_pages(self, models: list[Model], files: Files
                   ) -> tuple[dict[str, str], dict[str, str]]:
        """The cited ADRs that are pages: repository path -> URL, and URL -> title."""
        doc_urls, titles = {}, {}
        for model in models:
            base = model.path.rsplit("/", 1)[0] + "/" if "/" in model.path else ""
            for adr in model.adrs:
                target = os.path.normpath(base + adr).replace(os.sep, "/")
                docs_path = self._docs_path(target)
                file = files.get_file_from_path(docs_path) if docs_path else None
                if file is None or not file.is_documentation_page() or target in doc_urls:
                    continue
                doc_urls[target] = file.url
                try:
                    title = first_heading(file.content_string)
                except (OSError, ValueError):
                    title = None
                if title:
                    titles[file.url] = title
        return doc_urls, titles

    def _docs_path(self, repo_path: str) -> str | None:
        return docs_path(self.prefix, repo_path)

    def _ours(self, repo_path: str) -> bool:
        """Findings of files in docs_dir, and of the configuration file."""
        return reported_by_site(self.prefix, repo_path)

    def _staleness(self, repo: Repository, on: dt.date,
                   paths: list[str]) -> tuple[dict | None, list[Finding]]:
        """The judgement of every model (reused while HEAD and the model files stay the
        same), and its findings; ``(None, [])`` when git history is not available."""
        if self.config.staleness == "off" or not repo.in_git:
            return None, []
        from ..staleness.judge import Assessment

        key = (str(repo.root), git.resolve(repo.root, "HEAD"), tuple(paths), on,
               repr(repo.config))
        try:
            if key != self._stale_key or self._assessment is None:
                assessment = Assessment(repo, on)
                # the judgement and its findings, not the assessment (it holds every blob)
                self._assessment = (assessment.run(), assessment.findings())
                self._stale_key = key
            judged, found = self._assessment
        except git.GitError as exc:
            log.info(printable(f"threatmodel: staleness not judged: {exc}"))
            self._stale_key = self._assessment = None
            return None, []
        except Exception as exc:  # the docs still build; the log says why freshness is missing
            log.warning(printable(f"threatmodel: staleness could not be judged: "
                                  f"{type(exc).__name__}: {exc}"))
            self._stale_key = self._assessment = None
            return None, []
        return judged, found

    @property
    def _root(self) -> Path:
        """The repository's folder (known from ``on_files`` on, before anything is reported)."""
        if self.repo is None:
            raise PluginError("threatmodel: no repository read yet")
        return self.repo.root

    def _line(self, finding: Finding) -> str:
        where = display_path(self._root, finding.path)
        text = f"{where}:{finding.position.line}: {finding.code} {finding.message}"
        if finding.hint:
            text += f" ({finding.hint})"
        return printable(text.replace("\n", " "))

    def _report(self, findings: list[Finding], what: str) -> None:
        threshold = FAIL_RANK[self.config.fail_on]
        for finding in findings:
            severity = finding.severity if isinstance(finding.severity, Severity) \
                else Severity.ERROR
            (log.warning if severity.rank >= threshold else log.info)(self._line(finding))

    # -- pages ---------------------------------------------------------------------------
    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A model page's source is its body: the front matter was read once already (and
        MkDocs would otherwise turn the whole model into page metadata)."""
        if not self.config.enabled:
            return None
        model = self._models.get(page.file.src_uri)
        if model is None:
            return None
        body = model.source.body
        self._first_lines[page.file.src_uri] = (
            model.source.body_line + len(body) - len(body.lstrip("\r\n")))
        model.source = replace(model.source, body="")  # read once: the page holds it now
        return "---\n{}\n---\n" + body.replace("\r\n", "\n").replace("\r", "\n")

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        if not self.config.enabled or self.composer is None:
            return markdown
        src = page.file.src_uri
        model = self._models.get(src)
        first_line = 0
        if model is not None:
            first_line = self._first_lines.pop(src, 1)
        elif src in self._broken:
            markdown = self._broken_notice(src) + strip_front_matter(markdown)
        else:
            markdown = self._adr_status(markdown, page, config)
        prepared = self.composer.prepare(
            markdown, current=page.file.url, repo_path=self.prefix + src, model=model,
            sections=tuple(self.config.sections), citations=self.config.citations,
            adr_backlinks=self.config.adr_backlinks, first_line=first_line or 1)
        if model is not None:
            page.meta = {"title": prepared.title}
        if prepared.warnings:
            if not first_line:
                try:
                    offset = line_offset(page.file.content_string, markdown)
                except (OSError, ValueError, AssertionError):
                    offset = 0
            for line, message in prepared.warnings:
                number = line + (0 if first_line else offset)
                where = f"{self.prefix}{src}:{number}" if line else f"{self.prefix}{src}"
                log.warning(printable(f"{display_path(self._root, where)}: {message}"))
        if prepared.slots:
            self._held.put(src, prepared)
        return prepared.markdown

    def _adr_status(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        """An ADR page's ``status`` shown by us, and kept from the theme (Material would draw
        "superseded by 0008..." as a page status with a class no style knows)."""
        value = page.meta.get("status") if isinstance(page.meta, dict) else None
        extra: dict[str, Any] = dict(config.extra or {})
        theirs = {"new", "deprecated", *(extra.get("status") or {})}
        cited = bool(self.site and backlinks.citing(self.site, self.prefix + page.file.src_uri))
        if not is_adr_status(value):
            return markdown
        if value in theirs and not cited:
            return markdown
        page.meta = {k: v for k, v in page.meta.items() if k != "status"}
        page.meta["adr_status"] = value
        return place_adr_status(markdown, value)

    # The views' search text is in a page's content only while search plugins read it
    # (they index in on_page_context): MkDocs keeps every page's content to the end of
    # the build, and the texts would double what it holds of a model page.
    @event_priority(50)
    def _search_text_in(self, context: dict, *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict:
        texts = self._held.texts(page.file.src_uri)
        if texts and self.composer is not None and page.content is not None:
            self._bare = (page.file.src_uri, page.content)
            page.content = self.composer.search_text(page.content, texts)
        return context

    @event_priority(-50)
    def _search_text_out(self, context: dict, *, page: Page, config: MkDocsConfig,
                         nav: Any) -> dict:
        if self._bare is not None and self._bare[0] == page.file.src_uri:
            page.content = self._bare[1]
        self._bare = None
        return context

    on_page_context = CombinedEvent(_search_text_in, _search_text_out)

    def _broken_notice(self, src: str) -> str:
        findings = self._broken.get(src, [])
        items = "".join(f"<li>line {f.position.line}: <code>{h(f.code)}</code> {h(f.message)}"
                        "</li>" for f in findings[:10])
        return (f'<div class="tm-note tm-broken"><p>This threat model could not be read, so its '
                f"views are missing:</p><ul>{items}</ul></div>\n\n")

    @event_priority(50)  # before plugins that minify or rewrite the finished page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        prepared = self._held.take(page.file.src_uri, late_from=LATE_BYTES)
        if prepared is None or self.composer is None:
            return output
        if self._held.late(page.file.src_uri):
            self._late.append((page.file.src_uri, Path(page.file.abs_dest_path)))
        extra = self._scripts(page.file.url, config) if prepared.has_diagram else ""
        return self.composer.fill(output, prepared, extra)

    def _scripts(self, current: str, config: MkDocsConfig) -> str:
        kind, value = self._mermaid
        if kind == "url":
            source = value
        else:
            path = value if kind == "docs" else f"{ASSET_DIR}/mermaid.min.js"
            source = relative_url(path, current)
        init = relative_url(f"{ASSET_DIR}/mermaid-init.js", current)
        return scripts(source, init, self_render=config.theme.name != "material")

    @event_priority(100)  # before search plugins write their index, which takes memory
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Every page is written: the typed models and views of this build are let go (a
        served site keeps its view cache and the models' history for the next build)."""
        if not self.config.enabled:
            return
        for src, written in self._late:
            self._held.place_late(src, written)
        self._late = []
        self._held.close()
        self.site = self.composer = None
        self._models, self._broken, self._first_lines = {}, {}, {}
        if not self.serving:
            self._history = None
            forget_versions()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: Callable) -> LiveReloadServer:
        if self.config.enabled and self.repo is not None:
            settings = self.repo.root / ".threatmodel.yaml"
            if settings.is_file():
                server.watch(str(settings))
        return server
