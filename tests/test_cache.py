"""The parse cache and the parallel reader give exactly what a fresh, serial parse gives."""

from __future__ import annotations

from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.validation import engine
from mkdocs_threatmodel.workspace import cache
from mkdocs_threatmodel.workspace.repository import Repository

from .models import VALID, install, mutate


def test_cached_read_equals_fresh_read_and_keeps_positions(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    text = mutate("targets: [sql]", "targets: [sqll]")  # a reference error, schema-clean
    install(repo, text)
    first = cli(repo.root, "validate")
    entries = [e for e in (tmp_path / "c").glob("*.json") if not e.name.startswith("outcome-")]
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
    assert [e for e in (tmp_path / "c").glob("*.json") if not e.name.startswith("outcome-")] == []
    assert cli(repo.root, "validate").code == 1


def test_edited_file_is_parsed_again(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    rel = install(repo)
    assert cli(repo.root, "validate").code == 0
    repo.write(rel, mutate("likelihood: high", "likelihood: hihg"))
    assert cli(repo.root, "validate").code == 1


def test_parallel_checking_matches_serial(repo, monkeypatch):
    monkeypatch.setenv("THREATMODEL_NO_CACHE", "1")
    for i in range(30):
        install(repo, VALID.replace("guest-checkout", f"m{i}").replace("CHK-00", f"M{i}-"),
                f"m/{i:02}.md")
    install(repo, mutate("targets: [sql]", "targets: [sqll]"), "m/broken-ref.md")
    install(repo, mutate("owner: team-checkout\n", "owner: x\nowner: y\n"), "m/dup-key.md")
    install(repo, mutate("likelihood: high", "likelihood: hihg"), "m/schema.md")
    r = Repository.at(repo.root)
    monkeypatch.setattr(engine, "PARALLEL_MIN", 10**9)
    serial = engine.validate(r)
    monkeypatch.setattr(engine, "PARALLEL_MIN", 1)  # any amount of work goes to workers
    parallel = engine.validate(r)
    assert parallel.findings == serial.findings
    codes = {f.code for f in serial.findings}
    assert {"TM205", "TM004", "TM103", "TM210", "TM211"} <= codes
    kept = engine.validate(r, keep_models=True)
    assert kept.findings == serial.findings and len(kept.models) == 33
