"""The parse cache and the parallel reader give exactly what a fresh, serial parse gives."""

from __future__ import annotations

from mkdocs_threatmodel import cache
from mkdocs_threatmodel.engine import Repository, read_models
from mkdocs_threatmodel.source import read_source

from .models import VALID, install, mutate


def test_cached_read_equals_fresh_read_and_keeps_positions(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    text = mutate("targets: [sql]", "targets: [sqll]")  # a reference error, schema-clean
    install(repo, text)
    first = cli(repo.root, "validate")
    entries = list((tmp_path / "c").glob("*.json"))
    assert len(entries) == 1  # the schema-clean read was kept
    second = cli(repo.root, "validate")
    assert second.out == first.out and second.code == first.code == 1
    uncached = cli(repo.root, "validate", "--no-cache")
    assert uncached.out == first.out

    hit = cache.load(tmp_path / "c", "m.md", text.encode())
    fresh = read_source("m.md", text.encode())
    assert hit is not None and hit.data == fresh.data and hit.body == fresh.body
    assert hit.at(("threats", 1, "targets", 0)) == read_source(
        "m.md", text.encode(), positions=True).at(("threats", 1, "targets", 0))
    assert " TM205 " in first.out


def test_schema_errors_are_not_cached(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("likelihood: high", "likelihood: hihg"))
    assert cli(repo.root, "validate").code == 1
    assert list((tmp_path / "c").glob("*.json")) == []
    assert cli(repo.root, "validate").code == 1


def test_edited_file_is_parsed_again(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    rel = install(repo)
    assert cli(repo.root, "validate").code == 0
    repo.write(rel, mutate("likelihood: high", "likelihood: hihg"))
    assert cli(repo.root, "validate").code == 1


def test_parallel_reading_matches_serial(repo, monkeypatch):
    monkeypatch.setenv("THREATMODEL_NO_CACHE", "1")
    paths = []
    for i in range(30):
        paths.append(install(repo, VALID.replace("guest-checkout", f"m{i}"), f"m/{i}.md"))
    paths.append(install(repo, mutate("owner: x", "owner: x\nowner: y",
                                      VALID.replace("owner: team-checkout", "owner: x")),
                         "m/dup.md"))
    r = Repository.at(repo.root)
    parallel = read_models(r, paths, use_cache=False)
    serial = [read_source(p, (repo.root / p).read_bytes()) for p in paths]
    assert [s.data for s in parallel] == [s.data for s in serial]
    assert [s.findings for s in parallel] == [s.findings for s in serial]
    assert parallel[-1].findings[0].code == "TM004"
    assert parallel[3].raw == (repo.root / paths[3]).read_bytes()
