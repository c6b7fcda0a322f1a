"""The outcome cache: a warm ``validate`` says exactly what a fresh one says, whatever
changed around an unchanged model (files, test texts, globs, the date, the settings)."""

from __future__ import annotations

from mkdocs_threatmodel.validation import outcome_cache

from .models import TEST_FILE, install, mutate


def _outcomes(folder):
    return sorted(folder.glob("outcome-*.json"))


def _agree(repo, cli, *args):
    """Run validate warm and with --no-cache; they must agree; return the warm result."""
    warm = cli(repo.root, "validate", *args)
    fresh = cli(repo.root, "validate", "--no-cache", *args)
    assert (warm.code, warm.out) == (fresh.code, fresh.out)
    return warm


def test_an_unchanged_model_is_not_checked_again(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    first = cli(repo.root, "validate")
    kept = _outcomes(tmp_path / "c")
    assert len(kept) == 1
    stamp = kept[0].stat().st_mtime_ns
    assert cli(repo.root, "validate").out == first.out
    assert kept[0].stat().st_mtime_ns == stamp  # read, not written again


def test_a_deleted_test_file_is_seen_through_the_cache(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    assert " TM208 " not in _agree(repo, cli).out
    (repo.root / "services/checkout-api/tests/test_order_access.py").unlink()
    assert " TM208 " in _agree(repo, cli).out


def test_a_test_text_that_stops_citing_the_threat_is_seen(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    assert " TM408 " not in _agree(repo, cli).out
    repo.write("services/checkout-api/tests/test_order_access.py",
               TEST_FILE.replace("CHK-001", "something else"))
    assert " TM408 " in _agree(repo, cli).out


def test_a_glob_that_starts_matching_is_seen(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("covers: [services/checkout-api/**]",
                         "covers: [services/checkout-api/**, services/payments/**]"))
    assert " TM216 " in _agree(repo, cli).out
    repo.write("services/payments/app.py", "print('pay')\n")
    assert " TM216 " not in _agree(repo, cli).out


def test_another_day_is_another_verdict_on_expiry(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    assert " TM404 " not in _agree(repo, cli, "--today", "2026-12-01").out
    assert " TM404 " in _agree(repo, cli, "--today", "2027-06-01").out
    assert " TM404 " not in _agree(repo, cli, "--today", "2026-12-01").out


def test_settings_are_part_of_the_key(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("  - {rule: TS010, target: checkout-api, rationale: Guests are "
                         "anonymous by design.}\n", ""))
    on = _agree(repo, cli)
    repo.write(".threatmodel.yaml", "rules:\n  TM601: off\n")
    off = _agree(repo, cli)
    assert " TM601 " in on.out and " TM601 " not in off.out
    repo.write(".threatmodel.yaml", "strict: true\n")
    _agree(repo, cli)


def test_a_changed_byte_in_an_entry_means_a_fresh_check(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("targets: [sql]", "targets: [sqll]"))
    first = cli(repo.root, "validate")
    assert " TM205 " in first.out
    (entry,) = _outcomes(tmp_path / "c")
    data = bytearray(entry.read_bytes())
    at = data.index(b"TM205")
    data[at:at + 5] = b"TM999"  # same size, other bytes
    entry.write_bytes(bytes(data))
    again = cli(repo.root, "validate")
    assert again.out == first.out and " TM999 " not in again.out


def test_answers_that_no_longer_hold_are_refused(repo, tmp_path):
    import datetime as dt

    from mkdocs_threatmodel.validation.context import Context

    repo.write("a.py", "x = 1\n")
    ctx = Context(repo.root, dt.date(2026, 11, 30), exists=lambda p: (repo.root / p).is_file())
    noting = ctx.recording()
    assert noting.has("a.py") and noting.text("a.py") == "x = 1\n"
    noting.date()
    assert ctx.still(noting.answers)
    assert not Context(repo.root, dt.date(2026, 12, 1), exists=ctx.exists).still(noting.answers)
    repo.write("a.py", "x = 2\n")
    assert not Context(repo.root, ctx.today, exists=ctx.exists).still(noting.answers)
    assert not ctx.still([["unknown", "", None]])
    assert not ctx.still([["exists"]])  # not an answer this code wrote


def test_the_key_changes_with_path_bytes_and_settings():
    a = outcome_cache.outcome_key("m.md", b"x", (("public",), False, True))
    assert a != outcome_cache.outcome_key("m.md", b"y", (("public",), False, True))
    assert a != outcome_cache.outcome_key("m.md", b"x", (("public",), True, True))
    assert a != outcome_cache.outcome_key("docs/m.md", b"x", (("public",), False, True))
    assert a == outcome_cache.outcome_key("m.md", b"x", (("public",), False, True))


def test_the_same_model_elsewhere_resolves_its_adrs_from_there(repo, cli, tmp_path,
                                                                monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    assert " TM207 " not in _agree(repo, cli).out
    (repo.root / "docs/models/checkout.md").rename(repo.root / "docs/checkout.md")
    moved = _agree(repo, cli)
    assert " TM207 " in moved.out and "looked for 'adr/0007-guest-checkout.md'" in moved.out


def test_suggest_warm_says_what_suggest_fresh_says(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    first = cli(repo.root, "suggest", "--format", "json")
    kept = sorted((tmp_path / "c").glob("suggest-*.json"))
    assert len(kept) == 1 and '"suggestions": [' in first.out
    assert cli(repo.root, "suggest", "--format", "json").out == first.out
    assert cli(repo.root, "suggest", "--format", "json", "--no-cache").out == first.out
    repo.write(".threatmodel.yaml", "classifications: [open, secret]\n")
    cli(repo.root, "suggest", "--format", "json")
    assert len(sorted((tmp_path / "c").glob("suggest-*.json"))) == 2  # another key


def test_a_changed_suggestion_entry_is_read_afresh(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo)
    first = cli(repo.root, "suggest", "--format", "json")
    (entry,) = sorted((tmp_path / "c").glob("suggest-*.json"))
    data = entry.read_bytes()
    entry.write_bytes(data.replace(b'"stride":"', b'"stride":"X', 1)[:len(data)])
    assert cli(repo.root, "suggest", "--format", "json").out == first.out


def test_a_glob_whose_meaning_changed_on_more_files_is_seen(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("covers: [services/checkout-api/**]",
                         "covers: [services/checkout-api/**, '*.py']"))
    repo.write("setup.py", "print('root')\n")
    first = _agree(repo, cli)
    assert " TM112 " in first.out and "1 more file " in first.out
    repo.write("services/checkout-api/app.py", "print('app')\n")
    second = _agree(repo, cli)
    assert " TM112 " in second.out and "2 more files" in second.out


def test_the_site_build_keeps_its_models_and_reuses_kept_findings(repo, tmp_path, monkeypatch):
    from mkdocs_threatmodel.validation.engine import validate
    from mkdocs_threatmodel.workspace.repository import Repository

    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("targets: [sql]", "targets: [sqll]"))
    first = validate(Repository.at(repo.root), keep_models=True)
    (entry,) = _outcomes(tmp_path / "c")
    stamp = entry.stat().st_mtime_ns
    second = validate(Repository.at(repo.root), keep_models=True)
    assert entry.stat().st_mtime_ns == stamp  # read, not checked and written again
    assert [m.id for m in second.models] == [m.id for m in first.models] == ["guest-checkout"]
    assert [(f.code, f.position) for f in second.findings] == [
        (f.code, f.position) for f in first.findings]
    assert any(f.code == "TM205" for f in second.findings)


def test_suggestions_of_a_moved_model_name_its_new_path(repo, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    install(repo, mutate("  - {rule: TS010, target: checkout-api, rationale: Guests are "
                         "anonymous by design.}\n", ""))
    assert '"path": "docs/models/checkout.md"' in cli(repo.root, "suggest", "--format",
                                                      "json").out
    (repo.root / "docs/models/checkout.md").rename(repo.root / "docs/checkout.md")
    moved = cli(repo.root, "suggest", "--format", "json").out
    assert '"path": "docs/checkout.md"' in moved and "docs/models/" not in moved
    assert moved == cli(repo.root, "suggest", "--format", "json", "--no-cache").out


def test_a_sealed_suggestion_entry_of_wrong_types_is_read_afresh(repo, cli, tmp_path,
                                                                  monkeypatch):
    from mkdocs_threatmodel.suggest import cached
    from mkdocs_threatmodel.workspace.cache import load_derived, store_derived

    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "c"))
    rel = install(repo, mutate("  - {rule: TS010, target: checkout-api, rationale: Guests are "
                               "anonymous by design.}\n", ""))
    first = cli(repo.root, "suggest", "--format", "json").out
    name = cached._key(rel, (repo.root / rel).read_bytes(), ("public", "internal",
                                                             "confidential", "restricted"))
    entry = load_derived(tmp_path / "c", name)
    assert entry and entry[0]["dismissed"] is False  # the key is the one suggest used
    for field, wrong in (("dismissed", "no"), ("references", "CWE-1"), ("title", 7)):
        store_derived(tmp_path / "c", name, [{**entry[0], field: wrong}, *entry[1:]])
        assert cli(repo.root, "suggest", "--format", "json").out == first, field
