"""Issue 19: on a long history only the part a verdict needs is read. The verdicts, their
evidence and review points are the same as a reading of the whole history, on histories
with merges (conflict resolutions, edits made while merging, subtree merges), reverts,
moves and models added inside a merge. Real repositories; ``LONG_HISTORY`` is lowered so
that a short history takes the long histories' way."""

from __future__ import annotations

import json
import os
import random
import subprocess

import pytest

from mkdocs_threatmodel.staleness import history, judge
from mkdocs_threatmodel.workspace import git
from mkdocs_threatmodel.workspace.cache import read_sealed

from .conftest import Repo
from .test_hardening_history import (  # noqa: F401  (fixtures, and the cases run bounded)
    MODEL,
    PATH,
    TODAY,
    at,
    cache_folder,
    corrupt,
    reviewed,
    sealed,
    test_a_conflict_resolution_in_a_covered_path_is_evidence,
    test_a_deleted_model_with_the_same_review_elsewhere_in_history_is_not_taken,
    test_a_merge_that_edits_a_covered_path_makes_the_model_stale,
    test_a_model_added_inside_a_merge_is_judged_from_there,
    test_a_model_moved_over_two_commits_keeps_the_review_point,
    test_a_model_restored_after_a_later_review_is_judged_from_that_review,
    test_a_model_restored_by_a_revert_keeps_its_review_point,
    test_a_model_whose_review_was_removed_is_judged_from_its_addition,
    test_a_move_git_sees_as_delete_and_add_keeps_the_review_point,
    test_a_rename_is_still_followed,
    test_a_review_recorded_inside_a_merge_is_the_review_point,
    test_an_adr_edited_inside_a_merge_makes_the_model_stale,
    test_reviewed_model_is_current,
    test_the_staged_judgement_counts_a_merge_edit_too,
)


@pytest.fixture(autouse=True)
def bounded(monkeypatch):
    """Every history here counts as long: the hardening cases above run bounded; and every
    log that may be split between two git processes is (windows and whole reads alike)."""
    monkeypatch.setattr(judge, "LONG_HISTORY", 1)
    monkeypatch.setattr(git.History, "SPLIT_FROM", 2)


def report(cli, repo: Repo, *args: str) -> dict:
    result = cli(repo.root, "stale", "--format", "json", *args, today=TODAY)
    assert "Traceback" not in result.err and result.code in (0, 1), result.err
    doc = json.loads(result.out)
    return {"code": result.code, "models": doc["models"], "findings": doc["findings"]}


def same_either_way(cli, repo: Repo, monkeypatch, *args: str) -> dict:
    """The report of a bounded read (without the cache, and with it: cold, then warm),
    checked equal to the report of a whole read; returns it."""
    bounded_run = report(cli, repo, "--no-cache", *args)
    assert report(cli, repo, *args) == bounded_run
    assert report(cli, repo, *args) == bounded_run
    monkeypatch.setattr(judge, "LONG_HISTORY", 10**9)
    whole = report(cli, repo, "--no-cache", *args)
    monkeypatch.setattr(judge, "LONG_HISTORY", 1)
    assert bounded_run == whole
    return bounded_run


def states(doc: dict) -> dict[str, tuple[str, list[str]]]:
    return {m["path"]: (m["state"], sorted(r["code"] for r in m["reasons"]))
            for m in doc["models"]}


def evidence(doc: dict, path: str) -> list[str]:
    (model,) = [m for m in doc["models"] if m["path"] == path]
    return [c["sha"] for r in model["reasons"] if r["code"] == "TM501" for c in r["commits"]]


def model(covers: str, reviewed_on: str, name: str = "checkout") -> str:
    return MODEL.replace("id: checkout", f"id: {name}").replace(
        "services/checkout/**", covers).replace("2026-06-01", reviewed_on)


# -- subtree merges: the git-gui case ------------------------------------------------------------
@pytest.fixture
def with_subtree(tmp_path, repo: Repo) -> tuple[Repo, Repo]:
    """An application that holds another repository's files under ``gui/`` (added with
    ``git read-tree --prefix``), and a model covering them, reviewed after that."""
    gui = Repo(tmp_path / "gui")
    gui.root.mkdir()
    gui.git("init", "-q", "-b", "main")
    gui.write("lib/option.tcl", "v1\n")
    gui.write("po/de.po", "v1\n")
    gui.commit("gui v1", "2026-04-01")
    repo.write("services/checkout/api.py", "v1\n")
    repo.commit("application", "2026-04-02")
    repo.git("fetch", "-q", str(gui.root), "main:gui")
    repo.git_env(at("2026-04-03"), "merge", "-q", "-s", "ours", "--no-commit",
                 "--allow-unrelated-histories", "gui")
    repo.git("read-tree", "--prefix=gui/", "-u", "gui")
    repo.commit("add the gui as a subtree", "2026-04-03")
    repo.write(PATH, model("gui/**", "2026-05-01"))
    repo.write("docs/tm/po.md", model("gui/po/**", "2026-05-01", "po"))
    repo.commit("models of the gui", "2026-05-01")
    return repo, gui


def subtree_merge(repo: Repo, gui: Repo, date: str) -> str:
    repo.git("fetch", "-q", str(gui.root), "main:gui")
    repo.git_env(at(date), "merge", "-q", "-s", "subtree", "-m", "merge the gui", "gui")
    return repo.git("rev-parse", "HEAD").strip()


def test_changes_a_subtree_merge_brings_make_the_model_stale(with_subtree, cli, monkeypatch):
    repo, gui = with_subtree
    gui.write("lib/option.tcl", "v2\n")
    gui.commit("gui change made before the review, merged after it", "2026-04-20")
    merge = subtree_merge(repo, gui, "2026-06-10")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {PATH: ("stale", ["TM501"]), "docs/tm/po.md": ("current", [])}
    assert evidence(doc, PATH) == [merge]


def test_a_subtree_merge_of_translations_only(with_subtree, cli, monkeypatch):
    repo, gui = with_subtree
    gui.write("po/de.po", "v2\n")
    gui.commit("translation", "2026-06-01")
    gui.write("po/fr.po", "v1\n")
    gui.commit("new translation", "2026-06-02")
    merge = subtree_merge(repo, gui, "2026-06-10")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {PATH: ("stale", ["TM501"]), "docs/tm/po.md": ("stale", ["TM501"])}
    assert evidence(doc, "docs/tm/po.md") == [merge]


def test_a_subtree_merge_reviewed_after_it_is_current(with_subtree, cli, monkeypatch):
    repo, gui = with_subtree
    gui.write("lib/option.tcl", "v2\n")
    gui.commit("gui change", "2026-06-01")
    subtree_merge(repo, gui, "2026-06-10")
    repo.write(PATH, model("gui/**", "2026-06-11"))
    repo.write("docs/tm/po.md", model("gui/po/**", "2026-06-11", "po"))
    repo.commit("review both", "2026-06-11")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {PATH: ("current", []), "docs/tm/po.md": ("current", [])}


# -- a branch forked long ago, merged after the review --------------------------------------------
def test_branch_commits_older_than_the_review_count_once_merged(reviewed, cli,  # noqa: F811
                                                                monkeypatch):
    reviewed.git("checkout", "-q", "-b", "old-topic", "HEAD~1")  # forked before the review
    reviewed.write("services/checkout/api.py", "old topic\n")
    old = reviewed.commit("old topic work", "2026-05-10")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/other/api.py", "v2\n")
    reviewed.commit("main moves on", "2026-06-05")
    reviewed.git_env(at("2026-06-20"), "merge", "-q", "--no-ff", "-m", "merge old topic",
                     "old-topic")
    doc = same_either_way(cli, reviewed, monkeypatch)
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    assert evidence(doc, PATH) == [old]


def test_branch_commits_older_than_the_window_count_once_merged(repo, cli, monkeypatch):
    """The review points are found in a log from a month before the oldest review date; a
    branch's commits older than that, merged after the review, are read all the same."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.commit("application", "2026-01-01")
    repo.git("checkout", "-q", "-b", "old-topic")
    repo.write("services/checkout/api.py", "old topic\n")
    old = repo.commit("old topic work, months before the review", "2026-02-01")
    repo.write("services/other/api.py", "old topic\n")
    older_than_window = repo.commit("more old topic work", "2026-02-02")
    repo.git("checkout", "-q", "main")
    repo.write(PATH, MODEL)
    repo.commit("the model, reviewed", "2026-06-01")
    repo.git_env(at("2026-06-20"), "merge", "-q", "--no-ff", "-m", "merge old topic",
                 "old-topic")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    assert evidence(doc, PATH) == [old]
    assert older_than_window != old


def test_models_with_the_same_review_moved_together_keep_their_review_points(
        repo, cli, monkeypatch):
    """The bounded read finds renames only where a Markdown file is added or deleted: two
    models recording the same review, moved in one commit, are each followed to their own
    earlier path (an addition and a deletion could be paired either way)."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("docs/tm/a.md", model("services/checkout/**", "2026-06-01", "a"))
    repo.write("docs/tm/b.md", model("services/checkout/**", "2026-05-01", "b"))
    repo.commit("models", "2026-05-01")
    repo.write("services/checkout/api.py", "v2\n")
    change = repo.commit("covered change", "2026-05-15")
    repo.write("docs/tm/b.md", model("services/checkout/**", "2026-06-01", "b"))
    repo.commit("review b", "2026-06-01")
    repo.git("mv", "docs/tm", "docs/models")
    repo.write("services/checkout/renamed.py", "v1\n")  # a rename that is no model's move
    repo.git("rm", "-q", "services/checkout/api.py")
    repo.commit("move the models", "2026-06-10")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {"docs/models/a.md": ("stale", ["TM501"]),
                           "docs/models/b.md": ("stale", ["TM501"])}
    assert evidence(doc, "docs/models/a.md")[-1] == change
    assert change not in evidence(doc, "docs/models/b.md")


def test_models_added_on_a_branch_and_partly_reviewed_at_the_merge(repo, cli, monkeypatch):
    repo.write("services/a/api.py", "v1\n")
    repo.write("services/b/api.py", "v1\n")
    repo.commit("code", "2026-01-01")
    fork = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "models")
    for n, name in enumerate("ab"):
        repo.write(f"docs/tm/{name}.md", model(f"services/{name}/**", "2026-01-02", name))
        repo.commit(f"model {name}", f"2026-01-0{2 + n}")
    repo.git("checkout", "-q", "main")
    for day in range(10, 20):
        repo.write(f"services/{'ab'[day % 2]}/api.py", f"v{day}\n")
        repo.commit(f"work {day}", f"2026-02-{day}")
    repo.git_env(at("2026-03-01"), "merge", "-q", "--no-ff", "-m", "merge models", "models")
    repo.write("docs/tm/a.md", model("services/a/**", "2026-03-02", "a"))
    repo.commit("review a", "2026-03-02")
    doc = same_either_way(cli, repo, monkeypatch)
    assert states(doc) == {"docs/tm/a.md": ("current", []), "docs/tm/b.md": ("stale", ["TM501"])}
    assert len(evidence(doc, "docs/tm/b.md")) == 5
    assert fork not in evidence(doc, "docs/tm/b.md")


def test_ranges_and_the_staged_commit_judge_the_same(reviewed, cli, monkeypatch):  # noqa: F811
    base = reviewed.git("rev-parse", "HEAD").strip()
    reviewed.git("checkout", "-q", "-b", "topic")
    reviewed.write("services/checkout/api.py", "topic\n")
    reviewed.commit("topic", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.git_env(at("2026-06-06"), "merge", "-q", "--no-ff", "-m", "merge topic", "topic")
    doc = same_either_way(cli, reviewed, monkeypatch, "--from-ref", base, "--to-ref", "HEAD")
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    reviewed.write("services/checkout/api.py", "staged\n")
    reviewed.git("add", "-A")
    doc = same_either_way(cli, reviewed, monkeypatch, "--staged")
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    assert any(f["code"] == "TM507" for f in doc["findings"])


# -- random histories ------------------------------------------------------------------------------
FILES = ["services/checkout/api.py", "services/checkout/db.py", "services/other/api.py",
         "libs/common/util.py"]
MODELS = {"docs/tm/checkout.md": "services/checkout/**", "docs/tm/common.md": "libs/**"}


def random_history(repo: Repo, seed: int) -> None:
    """Seeded: commits to covered and other files, reviews, branches merged (some with an
    edit made while merging), reverts, model moves and deletions brought back."""
    rng = random.Random(seed)
    day = [1]

    def date() -> str:
        day[0] += 1
        return f"2026-{1 + day[0] // 28:02d}-{1 + day[0] % 28:02d}"

    for rel in FILES:
        repo.write(rel, "v0\n")
    names = dict(MODELS)
    for rel, glob in names.items():
        repo.write(rel, model(glob, "2026-01-01", rel.rsplit("/", 1)[1][:-3]))
    repo.commit("start", date())
    last = "start"
    for step in range(24):
        kind = rng.choice(["edit", "edit", "review", "branch", "revert", "move", "readd"])
        if kind == "edit":
            repo.write(rng.choice(FILES), f"edit {step}\n")
            repo.commit(f"edit {step}", date())
        elif kind == "review":
            rel = rng.choice(sorted(names))
            when = date()
            text = (repo.root / rel).read_text()
            old = text.split("reviewed: {date: ", 1)[1][:10]
            repo.write(rel, text.replace(f"date: {old}", f"date: {when}"))
            repo.commit(f"review {rel}", when)
        elif kind == "branch":
            repo.git("checkout", "-q", "-b", f"topic{step}", f"HEAD~{rng.randint(0, 2)}")
            for k in range(rng.randint(1, 3)):
                repo.write(rng.choice(FILES), f"topic {step}.{k}\n")
                repo.commit(f"topic {step}.{k}", date())
            repo.git("checkout", "-q", "main")
            when = date()
            proc = subprocess.run(["git", "merge", "-q", "--no-ff", "--no-commit",
                                   f"topic{step}"], cwd=repo.root, capture_output=True,
                                  env={**os.environ, **at(when)})
            for rel in FILES:  # resolve any conflict; sometimes edit while merging
                text = (repo.root / rel).read_text()
                if "<<<<<<<" in text or (proc.returncode == 0 and rng.random() < 0.2
                                         and rel == FILES[0]):
                    repo.write(rel, f"merged {step}\n")
            repo.commit(f"merge topic{step}", when)
        elif kind == "revert":
            if last in ("edit", "review"):
                repo.git_env(at(date()), "revert", "--no-edit", "HEAD")
        elif kind == "move":
            rel = rng.choice(sorted(names))
            new = rel.replace("docs/tm/", "docs/models/") if "docs/tm/" in rel \
                else rel.replace("docs/models/", "docs/tm/")
            (repo.root / new).parent.mkdir(parents=True, exist_ok=True)
            repo.git("mv", rel, new)
            repo.commit(f"move {rel}", date())
            names[new] = names.pop(rel)
        else:
            rel = rng.choice(sorted(names))
            text = (repo.root / rel).read_text()
            repo.git("rm", "-q", rel)
            repo.commit(f"drop {rel}", date())
            repo.write(FILES[rng.randrange(len(FILES))], f"while gone {step}\n")
            repo.commit(f"change while gone {step}", date())
            repo.write(rel, text)
            repo.commit(f"bring back {rel}", date())
        last = kind


@pytest.mark.parametrize("few_points", [judge.FEW_POINTS, 0])  # walks, or the bitsets
@pytest.mark.parametrize("seed", range(6))
def test_random_histories_judge_the_same_bounded_and_whole(repo, cli, monkeypatch, seed,
                                                           few_points):
    monkeypatch.setattr(judge, "FEW_POINTS", few_points)
    random_history(repo, seed)
    doc = same_either_way(cli, repo, monkeypatch)
    assert len(doc["models"]) == len(MODELS)


@pytest.mark.parametrize("seed", range(3))
def test_a_window_split_between_two_git_processes_is_the_same_log(repo, seed):
    """A window read in two slices lists what one git process lists, in its order, with
    its changes; also after a merge of a commit dated before the window (git's walk in
    topological order then lists fewer commits than a count by date finds)."""
    random_history(repo, seed)

    def same_logs(after: str) -> int:
        head = repo.git("rev-parse", "HEAD").strip()
        one = git.History(repo.root, head, after=after, first_parent=True, jobs=1).log()
        window = history.Bounds(after=after, first_parent=True)
        for total in (None, 3, len(one) + 1, 10**6):  # counted, or an estimate off either way
            assert window.read(repo.root, head, total=total).rows() == one.rows()
        return len(one)

    assert all(same_logs(after) > 2 for after in ("2026-01-05", "2026-01-20"))
    repo.git("checkout", "-q", "-b", "skewed", "HEAD~1")
    repo.write(FILES[0], "skewed\n")
    repo.git_env(at("2025-01-01"), "commit", "-q", "-am", "dated before the window")
    repo.git("checkout", "-q", "main")
    repo.git_env(at("2026-12-01"), "merge", "-q", "--no-ff", "-X", "theirs", "skewed")
    counted = int(repo.git("rev-list", "--count", "--since=2026-01-05", "HEAD"))
    assert same_logs("2026-01-05") < counted


@pytest.mark.parametrize("merges", ["-c", "--diff-merges=first-parent"])
def test_a_logs_changes_read_without_objects_are_what_parse_raw_reads(repo, merges):
    """``git._changes`` reads a commit's own entries itself, for speed, and leaves a merge's
    combined entries to ``parse_raw``: on a history with merges, renames, moves, deletions
    and a submodule, both readings of every record are the same."""
    random_history(repo, 4)
    repo.git("-c", "protocol.file.allow=always", "update-index", "--add", "--cacheinfo",
             f"160000,{repo.git('rev-parse', 'HEAD').strip()},vendor/lib")
    repo.git("commit", "-q", "-m", "a submodule")
    out = subprocess.run(["git", "log", "--topo-order", "-z", "--raw", merges, "-M",
                          "--no-abbrev", "--format=%x1e%H", "HEAD"], cwd=repo.root,
                         capture_output=True, check=True).stdout
    records = [record.partition(b"\0")[2] for record in out.split(b"\x1e")[1:]]
    assert len(records) > 20 and any(git._changes(r, False)[1] for r in records)
    for record in records:
        for keep in (False, True):
            assert git._changes(record, keep) == git._parsed_changes(record.lstrip(b"\n"),
                                                                      keep)


def test_the_earliest_review_points_are_those_no_other_one_is_behind(repo):
    """The range starts below the review points that descend from no other one: on a
    history with a side branch, the points on the branch and the oldest on main."""
    repo.write("a.txt", "0\n")
    base = repo.commit("base", "2026-01-01")
    repo.write("a.txt", "1\n")
    older = repo.commit("older point", "2026-01-02")
    repo.write("a.txt", "2\n")
    newer = repo.commit("newer point, after the older", "2026-01-03")
    repo.git("checkout", "-q", "-b", "side", base)
    repo.write("b.txt", "side\n")
    side = repo.commit("a point on a side branch", "2026-01-04")
    repo.write("b.txt", "side 2\n")
    after_side = repo.commit("after it on the side", "2026-01-05")
    repo.git("checkout", "-q", "main")
    repo.git_env(at("2026-01-06"), "merge", "-q", "--no-ff", "-m", "merge side", "side")
    history = judge._History(git.History(repo.root, "HEAD", jobs=1).log())
    assert set(judge._earliest(history, {older, newer, side, after_side})) == {older, side}
    assert judge._earliest(history, {newer}) == [newer]
    assert set(judge._earliest(history, {base, newer, side})) == {base}


@pytest.mark.parametrize("seed", range(4))
def test_a_hook_run_after_a_whole_run_finds_its_reads_kept(repo, cli, monkeypatch, tmp_path,
                                                           seed):
    """The models were reviewed at different commits: a hook run judging one of them, a few
    commits after a whole run, asks git only for those commits (its reads are bounded by
    every reviewed model, as the whole run's are), and reports what it does without the
    cache, and without bounds."""
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    random_history(repo, seed)
    assert report(cli, repo)["models"]  # the whole run, which keeps its reads
    kept = repo.git("rev-parse", "HEAD").strip()
    for n in range(3):
        repo.write("README.md", f"elsewhere {n}\n")
        repo.commit(f"elsewhere {n}", "2026-05-01")
    asked = record_reads(monkeypatch)
    repo.write(FILES[0], "staged\n")
    repo.git("add", "-A")
    staged = report(cli, repo, "--staged")
    assert any(f["code"] == "TM507" for f in staged["findings"])
    assert asked and set(asked) == {kept}  # the commits since the whole run, and no more
    assert staged == same_either_way(cli, repo, monkeypatch, "--staged")


def record_reads(monkeypatch) -> list[str | None]:
    """What each bounded read asks git for, in order: the commit of the kept read it adds
    the newer commits to, or ``None`` for a read from nothing."""
    asked: list[str | None] = []
    real = history.Bounds.read

    def read(self, root, head, since=None, total=None):
        asked.append(since)
        return real(self, root, head, since, total)

    monkeypatch.setattr(history.Bounds, "read", read)
    return asked


# -- what is read ----------------------------------------------------------------------------------
def test_commits_older_than_every_review_are_not_read(repo, cli, monkeypatch):
    """The oldest commits' objects are removed: reading the whole history fails, the
    bounded read never needs them."""
    for n in range(1, 29):
        repo.write("services/checkout/api.py", f"old {n}\n")
        repo.commit(f"old {n}", f"2025-01-{n:02d}")
    gone = repo.git("rev-parse", "HEAD~20").strip()
    for n in range(1, 10):
        repo.write("services/other/api.py", f"recent {n}\n")
        repo.commit(f"recent {n}", f"2026-04-{n:02d}")
    repo.write(PATH, MODEL.replace("2026-06-01", "2026-05-01"))
    repo.commit("the model", "2026-05-01")
    repo.write("services/checkout/api.py", "after the review\n")
    after = repo.commit("covered change", "2026-06-02")
    (repo.root / ".git/objects" / gone[:2] / gone[2:]).unlink()
    doc = report(cli, repo, "--no-cache")
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    assert evidence(doc, PATH) == [after]
    monkeypatch.setattr(judge, "LONG_HISTORY", 10**9)
    whole = cli(repo.root, "stale", "--no-cache", today=TODAY)
    assert whole.code != 0 and "threatmodel: error:" in whole.err


def test_a_shallow_clone_that_stops_before_the_review_is_unknown(reviewed, cli,  # noqa: F811
                                                                  monkeypatch, tmp_path):
    for day in range(10, 13):
        reviewed.write("services/other/api.py", f"v{day}\n")
        reviewed.commit(f"other {day}", f"2026-06-{day}")
    clone = Repo(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{reviewed.root}",
                    str(clone.root)], check=True, capture_output=True)
    doc = same_either_way(cli, clone, monkeypatch)
    assert states(doc) == {PATH: ("unknown", ["TM505"])}


def test_what_merges_made_is_kept_and_a_changed_store_is_read_afresh(reviewed, cli,  # noqa: F811
                                                                     monkeypatch, tmp_path):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/checkout/api.py", "feature\n")
    reviewed.commit("feature side", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/other/api.py", "main\n")
    reviewed.commit("main side", "2026-06-06")
    reviewed.git_env(at("2026-06-10"), "merge", "-q", "--no-ff", "-m", "merge", "feature")
    first = report(cli, reviewed)
    (store,) = (tmp_path / "cache" / "merges").glob("*.bin")
    assert b"services/checkout/api.py" in store.read_bytes()
    data = store.read_bytes()
    store.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit of an answer flipped
    assert report(cli, reviewed) == first
    assert len(evidence(first, PATH)) == 1  # the branch's commit; the merge only brought it


# -- the kept bounded reads ------------------------------------------------------------------------
def test_a_commit_after_a_warm_run_is_read_and_changes_the_verdict(reviewed, cli,  # noqa: F811
                                                                     monkeypatch, tmp_path):
    """A warm run takes both reads from the cache; a new commit is asked of git alone
    (the range's older part is kept), and makes the model stale; a rewritten branch is read
    afresh. Every report is the one of a run without the cache."""
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    reads: list[tuple[str, str | None]] = []
    real = history.Bounds.read

    def read(self, root, head, since=None, total=None):
        reads.append(("window" if self.after else "range", since))
        return real(self, root, head, since, total)

    monkeypatch.setattr(history.Bounds, "read", read)
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/other/api.py", "feature\n")
    reviewed.commit("feature side", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.git_env(at("2026-06-10"), "merge", "-q", "--no-ff", "-m", "merge", "feature")
    first = report(cli, reviewed)
    assert states(first) == {PATH: ("current", [])}
    assert len(list((tmp_path / "cache" / "ranges").glob("*/*.log"))) == 2
    reads.clear()
    assert report(cli, reviewed) == first
    assert reads == []  # both reads kept
    before = reviewed.git("rev-parse", "HEAD").strip()
    reviewed.write("services/checkout/api.py", "after the warm run\n")
    after = reviewed.commit("covered change", "2026-06-20")
    reads.clear()
    doc = report(cli, reviewed)
    assert states(doc) == {PATH: ("stale", ["TM501"])}
    assert evidence(doc, PATH) == [after]
    assert reads == [("window", before), ("range", before)]  # only the new commit
    assert doc == report(cli, reviewed, "--no-cache")
    reviewed.git("reset", "-q", "--hard", before)  # the branch rewritten: read afresh
    reviewed.write("services/other/api.py", "elsewhere\n")
    reviewed.commit("another change", "2026-06-21")
    reads.clear()
    doc = report(cli, reviewed)
    assert states(doc) == {PATH: ("current", [])}
    assert reads == [("window", None)]  # the range taken from it
    assert doc == report(cli, reviewed, "--no-cache")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_kept_reads_followed_commit_by_commit_judge_as_fresh_ones(repo, cli, monkeypatch,
                                                                 tmp_path, seed):
    """A random history judged at each of its last first-parent commits in turn, with the
    cache (each run adds the commits since the kept reads to them), reports what a run
    without the cache does."""
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    asked = record_reads(monkeypatch)
    random_history(repo, seed)
    steps = repo.git("rev-list", "--first-parent", "--max-count=8", "HEAD").split()[::-1]
    repo.git("checkout", "-q", "--detach")
    for sha in steps:
        repo.git("checkout", "-q", sha)
        assert report(cli, repo) == report(cli, repo, "--no-cache"), sha
    assert any(asked)  # some runs read only the commits since the kept ones


def test_a_new_review_after_a_warm_run_is_the_review_point(reviewed, cli,  # noqa: F811
                                                           monkeypatch, tmp_path):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change", "2026-06-05")
    assert states(report(cli, reviewed)) == {PATH: ("stale", ["TM501"])}
    reviewed.write(PATH, MODEL.replace("2026-06-01", "2026-06-10"))
    review = reviewed.commit("review again", "2026-06-10")
    doc = report(cli, reviewed)
    assert states(doc) == {PATH: ("current", [])}
    (model,) = doc["models"]
    assert model["review_point"]["sha"] == review
    assert doc == report(cli, reviewed, "--no-cache")


def test_a_changed_kept_read_is_read_afresh(reviewed, cli, monkeypatch,  # noqa: F811
                                            tmp_path):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change", "2026-06-05")
    first = report(cli, reviewed)
    kept = sorted((tmp_path / "cache" / "ranges").glob("*/*.log"))
    assert len(kept) == 2
    for path in kept:
        data = path.read_bytes()
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert report(cli, reviewed) == first
    assert all(read_sealed(path, path.stem.encode()) is not None for path in kept)  # kept anew


# -- what each model blob declares, kept -----------------------------------------------------------
def test_what_a_model_declares_is_kept_and_a_changed_store_is_read_afresh(
        reviewed, cli, cache_folder):  # noqa: F811
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change", "2026-06-05")
    first = report(cli, reviewed)
    assert states(first) == {PATH: ("stale", ["TM501"])}
    (store,) = cache_folder.glob("facts/*.bin")
    assert b"services/checkout/**" in store.read_bytes()
    corrupt([store], b"services/checkout/**", b"services/elsewher/**")
    assert report(cli, reviewed) == first
    assert b"services/checkout/**" in store.read_bytes()  # kept anew
    reviewed.write(PATH, MODEL.replace("services/checkout/**", "services/other/**"))
    reviewed.commit("the model covers another folder", "2026-06-06")  # a new blob: read
    assert states(report(cli, reviewed)) == {PATH: ("current", [])}


@pytest.mark.parametrize("value", [
    ("x",), (None, {"covers": "a"}), (None, {"covers": [], "adrs": [], "reviewed": {3}}),
    ({1}, {"covers": [], "adrs": []})])
def test_a_facts_store_with_wrong_types_is_read_afresh(reviewed, cli, cache_folder,  # noqa: F811
                                                       value):
    first = report(cli, reviewed)
    (store,) = cache_folder.glob("facts/*.bin")
    (version, known), replace = sealed(store)
    replace((version, {sha: value for sha in known}))
    assert report(cli, reviewed) == first
    (_, again), _ = sealed(store)
    assert again and all(type(v) is tuple and len(v) == 2 for v in again.values())


def test_a_long_history_without_a_commit_graph_gets_a_hint(reviewed, cli,  # noqa: F811
                                                           monkeypatch):
    from mkdocs_threatmodel.staleness.report import COMMIT_GRAPH_HINT

    assert "commit-graph" not in cli(reviewed.root, "stale", today=TODAY).err  # read: a few
    monkeypatch.setattr(judge, "HINT_FROM", 1)  # commits, which git reads fast enough (the
    # bounded read here holds one commit: the one since the review)
    first = cli(reviewed.root, "stale", today=TODAY)
    assert first.code == 0 and COMMIT_GRAPH_HINT in first.err
    assert COMMIT_GRAPH_HINT not in cli(reviewed.root, "stale", "--format", "json",
                                        today=TODAY).err  # machine formats say nothing
    monkeypatch.setattr(judge, "LONG_HISTORY", 10**9)  # a short history: read whole, fast
    assert "commit-graph" not in cli(reviewed.root, "stale", today=TODAY).err
    monkeypatch.setattr(judge, "LONG_HISTORY", 1)
    reviewed.git("commit-graph", "write", "--reachable", "--changed-paths")
    again = cli(reviewed.root, "stale", today=TODAY)
    assert again.code == 0 and "commit-graph" not in again.err
    assert again.out == first.out
