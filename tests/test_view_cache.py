"""Rebuilds as ``mkdocs serve`` makes them: one plugin instance, a fresh configuration per
build. After one model is edited, only that model's views (and the site-wide pages) are
made again, and every page shows the edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_threatmodel.views.cache import ViewCache

from .fixtures.sites import ADR, CHECKOUT, RICH, RICH_TESTS, TODAY, FixtureSite, model, model_file

SERVE_URL = "http://127.0.0.1:8000/"


@pytest.fixture
def plugin_instances():
    """MkDocs keeps a plugin that has ``on_startup`` for the whole process, as ``serve``
    does; each test starts and ends without one."""
    cache = dict(MkDocsConfig._schema)["plugins"].plugin_cache
    cache.clear()
    yield
    cache.clear()


class Serve:
    """A site built the way ``mkdocs serve`` builds it, in this process."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root, self.site_dir = root, site_dir
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["threatmodel"]
        mkdocs_build(config, serve_url=SERVE_URL, dirty=False)

    def _config(self) -> MkDocsConfig:
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> None:
        config = self._config()
        assert config.plugins["threatmodel"] is self.plugin  # kept between builds
        mkdocs_build(config, serve_url=SERVE_URL, dirty=False)

    def page(self, rel: str) -> str:
        return (self.site_dir / rel / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def site(repo, tmp_path, monkeypatch, plugin_instances):
    monkeypatch.setenv("THREATMODEL_TODAY", TODAY)
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for rel, text in RICH_TESTS.items():
        repo.write(rel, text)
    repo.write("docs/adr/0001-checkout.md", ADR)
    repo.write("docs/models/checkout.md", model_file(model(CHECKOUT)))
    repo.write("docs/models/payments.md", model_file(
        model(RICH), body="# Payments threat model\n\nNotes on [[threat:CO-1]].\n"))
    repo.write("docs/notes.md", "# Notes\n\nSee [[threat:CO-2]].\n")
    FixtureSite(repo.root).configure("material", {"staleness": "show"})
    repo.commit("site")
    return Serve(repo.root, tmp_path / "site")


def test_a_rebuild_after_one_edit_makes_only_that_models_views_again(site, repo):
    cache = site.plugin.views_cache
    assert cache.made == {"docs/models/checkout.md", "docs/models/payments.md"}
    first_site_wide = cache.made_site
    assert first_site_wide >= 4  # register, mitigations, owners, staleness
    site.rebuild()  # nothing changed: every view comes from the cache
    assert cache.made == set() and cache.made_site == 0 and cache.reused > 0
    path = repo.root / "docs/models/checkout.md"
    path.write_text(path.read_text().replace("Price tampering in the checkout request",
                                             "Price tampering, edited"), encoding="utf-8")
    site.rebuild()
    assert cache.made == {"docs/models/checkout.md"}
    assert cache.made_site == first_site_wide  # the site-wide pages read every model
    assert "Price tampering, edited" in site.page("models/checkout")
    assert "Price tampering, edited" in site.page("threat-register")
    assert "Price tampering, edited" in site.page("notes")  # a citation follows the edit
    assert "Price tampering, edited" not in site.page("models/payments")
    assert "Card data read on the wire" in site.page("models/payments")


def test_pages_made_from_the_cache_are_the_pages_made_without_it(site, repo, tmp_path):
    site.rebuild()
    assert site.plugin.views_cache.made == set()
    served = {rel: site.page(rel) for rel in ("models/checkout", "models/payments",
                                              "threat-register", "threat-owners")}
    plain = Serve.__new__(Serve)
    plain.root, plain.site_dir = repo.root, tmp_path / "plain"
    config = plain._config()
    config.plugins["threatmodel"].serving = False  # a plain build: no cache
    mkdocs_build(config, serve_url=SERVE_URL, dirty=False)
    for rel, html in served.items():
        assert plain.page(rel) == html, rel


def test_entries_no_build_used_are_dropped():
    cache = ViewCache()
    cache.begin_build()
    assert cache.get("a", lambda: 1, "m.md") == 1
    assert cache.get("b", lambda: 2, None) == 2
    assert cache.made == {"m.md"} and cache.made_site == 1
    cache.begin_build()
    assert cache.get("a", lambda: 10, "m.md") == 1  # kept from the last build
    assert cache.made == set() and cache.reused == 1
    cache.begin_build()
    assert cache.get("b", lambda: 20, None) == 20  # the build before did not use it
    assert len(cache) == 2  # 'a' waits one more build, then goes
    cache.begin_build()
    assert len(cache) == 1


class Build:
    """``mkdocs build`` in this process (a new plugin each time), as a CI job runs it."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root, self.site_dir = root, site_dir
        self.plugin = None

    def __call__(self):
        dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()  # a new process each time
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        self.plugin = config.plugins["threatmodel"]
        mkdocs_build(config, dirty=False)
        return self.plugin.views_cache

    def page(self, rel: str) -> str:
        return (self.site_dir / rel / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def built(site, tmp_path, monkeypatch):
    """A plain build of the same site, with a cache folder of its own."""
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "build-cache"))
    return Build(site.root, tmp_path / "built")


PAGES = ("models/checkout", "models/payments", "threat-register", "threat-owners", "notes")


@pytest.mark.slow
def test_a_second_build_takes_every_view_from_the_disk_and_makes_the_same_pages(
        built, tmp_path, monkeypatch):
    first = built()
    assert first.made == {"docs/models/checkout.md", "docs/models/payments.md"}
    pages = {rel: built.page(rel) for rel in PAGES}
    second = built()
    assert second.made == set() and second.made_site == 0 and second.reused > 0
    assert {rel: built.page(rel) for rel in PAGES} == pages
    monkeypatch.setenv("THREATMODEL_NO_CACHE", "1")  # and the same as with no cache at all
    assert built().made == {"docs/models/checkout.md", "docs/models/payments.md"}
    assert {rel: built.page(rel) for rel in PAGES} == pages


def test_a_page_citing_a_threat_anew_remakes_that_models_panel(built, repo):
    built()
    assert "Cited in" not in _panel(built.page("models/checkout"), "CO-1")
    repo.write("docs/notes.md", "# Notes\n\nSee [[threat:CO-1]] and [[threat:CO-2]].\n")
    cache = built()
    assert "docs/models/checkout.md" in cache.made
    assert "Notes" in _panel(built.page("models/checkout"), "CO-1")


@pytest.mark.slow
def test_a_new_commit_of_a_model_remakes_its_history(built, repo):
    built()
    path = repo.root / "docs/models/checkout.md"
    path.write_text(path.read_text().replace("status: open", "status: mitigated", 1),
                    encoding="utf-8")
    repo.commit("checkout: CO-1 mitigated")
    cache = built()
    assert "docs/models/checkout.md" in cache.made
    # the same bytes as the work tree had a moment ago, now with a commit in their history
    path.write_text(path.read_text(), encoding="utf-8")
    again = built()
    assert again.made == set()
    assert "checkout: CO-1 mitigated" not in built.page("models/checkout")  # titles not shown
    assert built.page("models/checkout").count("<time datetime=") >= 2


def test_damaged_disk_entries_are_made_again(built, tmp_path):
    built()
    pages = {rel: built.page(rel) for rel in PAGES}
    entries = sorted((tmp_path / "build-cache").glob("views-*.bin"))
    assert entries
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes(data[:-20] + b"x" * 20)
    cache = built()
    assert cache.made == {"docs/models/checkout.md", "docs/models/payments.md"}
    assert {rel: built.page(rel) for rel in PAGES} == pages


def _panel(page: str, threat_id: str) -> str:
    start = page.index(f'id="threat-{threat_id}"')
    end = page.find('<h3 ', start)
    return page[start:end if end > 0 else None]


def test_pages_with_views_placed_after_the_build_are_the_same_pages(built, monkeypatch):
    built()
    pages = {rel: built.page(rel) for rel in PAGES}
    from mkdocs_threatmodel.plugin import adapter

    monkeypatch.setattr(adapter, "LATE_BYTES", 1)  # every view of a page with no diagram
    placed = []
    place = adapter.HeldViews.place_late
    monkeypatch.setattr(adapter.HeldViews, "place_late",
                        lambda self, page, written: (placed.append(page),
                                                     place(self, page, written)))
    built()
    assert "threat-register.md" in placed and "models/checkout.md" not in placed
    for rel, html in pages.items():
        assert built.page(rel) == html, rel
    assert "threatmodel-late" not in built.page("threat-register")
