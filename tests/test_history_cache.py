"""The persisted history snapshot: same judgement as a fresh read, whatever git did since."""

from __future__ import annotations

import json
import marshal
import os
import shutil
from pathlib import Path

import pytest

from mkdocs_threatmodel.staleness import history as history_cache
from mkdocs_threatmodel.workspace.cache import seal, unseal

from .test_stale import PATH, history, stale  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _cache_of_this_test(tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))


def snapshots(cache: Path) -> list[Path]:
    return sorted(cache.glob("history/*/*.log"))


def read_snapshot(snap: Path) -> list:
    """A snapshot's fields (its file is sealed with the commit it was read at)."""
    return list(marshal.loads(unseal(snap.read_bytes(), _head_of(snap))))


def write_snapshot(snap: Path, fields: list) -> None:
    """Replace a snapshot's fields, sealed as the tool seals them."""
    snap.write_bytes(seal(marshal.dumps(tuple(fields)), _head_of(snap)))


def _head_of(snap: Path) -> bytes:
    return snap.name.rsplit("-", 1)[1][:-4].encode()


def cache_folder() -> Path:
    return Path(os.environ["THREATMODEL_CACHE_DIR"])


def judged(cli, repo, *args) -> dict:
    """The JSON report, with the parts that name the mode left out."""
    doc = json.loads(stale(cli, repo, "--format", "json", *args).out)
    return {"models": doc["models"], "findings": doc["findings"]}


def review_after_a_covered_change(repo) -> None:
    """A covered change, an unrelated commit, then a review: the change is behind it."""
    repo.write("services/checkout/old.py", "before the review\n")
    repo.commit("before", "2026-05-20")
    repo.write("services/other/api.py", "unrelated\n")
    repo.commit("unrelated", "2026-05-22")
    repo.write(PATH, (repo.root / PATH).read_text().replace("2026-06-01", "2026-05-25"))
    repo.commit("review again", "2026-05-25")


def grow(repo) -> None:
    """Covered changes before and after the review, a merged branch and a rename."""
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("services/checkout/feature.py", "x\n")
    repo.commit("feature work", "2026-06-05")
    repo.git("checkout", "-q", "main")
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("Add refund endpoint", "2026-06-10", author="Eve Ops")
    repo.git_env({"GIT_AUTHOR_DATE": "2026-06-12T12:00:00+00:00",
                  "GIT_COMMITTER_DATE": "2026-06-12T12:00:00+00:00"},
                 "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    repo.git("mv", "services/checkout/feature.py", "services/checkout/feature2.py")
    repo.commit("rename", "2026-06-14")


def test_snapshot_then_new_commits_judge_as_a_fresh_read(history, cli):  # noqa: F811
    review_after_a_covered_change(history)
    first = judged(cli, history)  # reads the whole history and keeps it
    assert judged(cli, history, "--no-cache") == first
    (snap,) = snapshots(cache_folder())
    head = history.git("rev-parse", "HEAD").strip()
    assert snap.name.endswith(f"-{head}.log")
    grow(history)
    grown = judged(cli, history)  # the snapshot, then only the commits since
    assert grown == judged(cli, history, "--no-cache")
    (reason,) = grown["models"][0]["reasons"]
    assert reason["code"] == "TM501"
    assert sorted(c["subject"] for c in reason["commits"]) == [
        "Add refund endpoint", "feature work", "rename"]
    assert "services/checkout/old.py" not in reason["paths"]  # it came before the review
    (kept,) = snapshots(cache_folder())
    assert kept == snap  # a few new commits are read from git, not written out again


def test_snapshot_is_written_again_once_far_behind(history, cli, monkeypatch):  # noqa: F811
    first = judged(cli, history)
    (snap,) = snapshots(cache_folder())
    monkeypatch.setattr(history_cache, "RESAVE_AFTER", 3)
    grow(history)  # four commits, a merge among them
    grown = judged(cli, history)
    (again,) = snapshots(cache_folder())
    assert again != snap
    assert again.name.endswith("-" + history.git("rev-parse", "HEAD").strip() + ".log")
    assert judged(cli, history) == grown == judged(cli, history, "--no-cache") != first


def test_snapshot_is_what_the_next_run_reads(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    stale(cli, history)
    (snap,) = snapshots(cache_folder())
    data = read_snapshot(snap)
    data[6] = [s.replace("Add refund endpoint", "Subject from the snapshot") for s in data[6]]
    write_snapshot(snap, data)
    assert "Subject from the snapshot" in stale(cli, history).out
    assert "Subject from the snapshot" not in stale(cli, history, "--no-cache").out


def test_rewritten_history_is_read_again(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    assert stale(cli, history).code == 1
    history.git("reset", "-q", "--hard", "HEAD~1")  # the snapshot's head is gone from main
    history.write("README.md", "docs\n")
    history.commit("docs only", "2026-06-11")
    result = stale(cli, history)
    assert result.code == 0, result.out
    assert judged(cli, history) == judged(cli, history, "--no-cache")


def test_branches_keep_their_own_snapshots(history, cli):  # noqa: F811
    history.git("checkout", "-q", "-b", "topic")
    history.write("services/checkout/topic.py", "x\n")
    history.commit("topic change", "2026-06-10")
    on_topic = stale(cli, history)
    assert "topic change" in on_topic.out
    history.git("checkout", "-q", "main")
    on_main = stale(cli, history)
    assert on_main.code == 0 and on_main.out == ""
    heads = {p.name.rsplit("-", 1)[1][:-4] for p in snapshots(cache_folder())}
    assert heads == {history.git("rev-parse", "topic").strip(),
                     history.git("rev-parse", "main").strip()}
    history.git("checkout", "-q", "topic")
    assert stale(cli, history).out == on_topic.out


def test_unreadable_snapshot_is_replaced(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    expected = judged(cli, history)
    (snap,) = snapshots(cache_folder())
    snap.write_bytes(b"\x00not a snapshot")
    assert judged(cli, history) == expected
    assert read_snapshot(snap)[1] == history.git("rev-parse", "HEAD").strip()


def test_staged_judgement_matches_the_whole_history(history, cli):  # noqa: F811
    """What --staged says of the staleness already there equals what stale at HEAD says."""
    review_after_a_covered_change(history)
    grow(history)
    at_head = {r["code"]: r["commits"] for r in judged(cli, history)["models"][0]["reasons"]}
    history.write("services/checkout/api.py", "v3\n")
    history.git("add", "-A")
    for args in ((), ("--no-cache",)):
        doc = judged(cli, history, "--staged", *args)
        staged = {r["code"]: r["commits"] for r in doc["models"][0]["reasons"]}
        assert staged == at_head, args


def test_no_cache_neither_reads_nor_writes(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    history.write("services/checkout/api.py", "v3\n")
    history.git("add", "-A")
    for args in (("--no-cache",), ("--staged", "--no-cache")):
        assert stale(cli, history, *args).code == 1
    assert not cache_folder().exists()


def test_rebased_branch_keeps_what_it_shares_with_its_snapshot(history, cli):  # noqa: F811
    history.git("checkout", "-q", "-b", "topic")
    history.write("services/checkout/topic.py", "x\n")
    history.commit("topic change", "2026-06-10")
    stale(cli, history)  # the snapshot of topic
    (snap,) = snapshots(cache_folder())
    data = read_snapshot(snap)
    data[6] = [s.replace("review checkout model", "Review, as the snapshot has it")
               for s in data[6]]
    write_snapshot(snap, data)
    history.git("checkout", "-q", "main")
    history.write("services/checkout/api.py", "v2\n")
    history.commit("main moves on", "2026-06-11")
    history.git("checkout", "-q", "topic")
    history.git_env({"GIT_COMMITTER_DATE": "2026-06-12T12:00:00+00:00"},
                    "rebase", "-q", "main")
    doc = judged(cli, history)
    (reason,) = doc["models"][0]["reasons"]
    assert sorted(c["subject"] for c in reason["commits"]) == ["main moves on", "topic change"]
    # the shared part came from the snapshot: the review point's subject as it was kept
    assert doc["models"][0]["review_point"]["subject"] == "Review, as the snapshot has it"
    (rewritten,) = [p for p in snapshots(cache_folder()) if p != snap]
    assert rewritten.name.endswith("-" + history.git("rev-parse", "HEAD").strip() + ".log")
    fresh = judged(cli, history, "--no-cache")
    assert fresh["models"][0]["review_point"]["subject"] == "review checkout model"
    assert fresh["models"][0]["reasons"] == doc["models"][0]["reasons"]


def test_staged_judgement_of_a_moved_model_follows_it(history, cli):  # noqa: F811
    (history.root / "security").mkdir()
    history.git("mv", "--", PATH, "security/checkout.md")
    text = (history.root / "security/checkout.md").read_text()
    (history.root / "security/checkout.md").write_text(text.replace("../adr/", "../docs/adr/"))
    history.commit("move the model", "2026-06-15")
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-20")
    at_head = judged(cli, history)["models"][0]
    assert at_head["review_point"]["subject"] == "review checkout model"
    history.write("services/checkout/api.py", "v3\n")
    history.git("add", "-A")
    for args in ((), ("--no-cache",)):
        staged = judged(cli, history, "--staged", *args)["models"][0]
        assert staged["review_point"] == at_head["review_point"], args
        assert [r["code"] for r in staged["reasons"]] == ["TM501"]


def test_a_new_repository_at_the_same_place_is_read_afresh(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    assert stale(cli, history).code == 1  # keeps a snapshot of this history
    shutil.rmtree(history.root / ".git")  # cloned again, say, with another history
    history.git("init", "-q", "-b", "main")
    history.commit("everything at once", "2026-06-01")
    result = stale(cli, history)
    assert (result.code, result.out) == (0, "")
    assert judged(cli, history) == judged(cli, history, "--no-cache")


def test_an_unusable_cache_folder_changes_nothing(history, cli, tmp_path,  # noqa: F811
                                                  monkeypatch):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("Add refund endpoint", "2026-06-10")
    expected = judged(cli, history, "--no-cache")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(blocker))
    assert judged(cli, history) == expected
    history.write("services/checkout/api.py", "v3\n")
    history.git("add", "-A")
    result = stale(cli, history, "--staged")
    assert result.code == 1 and "TM507" in result.out
    assert blocker.read_text() == "a file where the cache folder should be\n"


def test_ranges_judge_as_a_fresh_read(history, cli):  # noqa: F811
    """A pushed range (pre-push) judged with snapshots of HEAD and of an older commit."""
    base = history.git("rev-parse", "HEAD").strip()
    stale(cli, history)  # a snapshot at the range's base
    grow(history)
    tip = history.git("rev-parse", "HEAD").strip()
    history.write("services/other/api.py", "v9\n")
    history.commit("after the range", "2026-06-20")
    stale(cli, history)  # and one past the range's end
    for to_ref in (tip, "HEAD"):
        args = ("--from-ref", base, "--to-ref", to_ref)
        cached = judged(cli, history, *args)
        assert cached == judged(cli, history, *args, "--no-cache"), to_ref
        (reason,) = cached["models"][0]["reasons"]
        assert reason["introduced"] and reason["code"] == "TM501"
