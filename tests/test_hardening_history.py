"""Issue 10, history families: staleness verdicts, caches, review and stale reading YAML as
validate does, review of a symlinked model. Black-box: real repositories, the CLI only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GIT_ENV, Repo
from .models import add_then_review

MODEL = """\
---
threatmodel: 1
id: checkout
title: Checkout
owner: team-checkout
reviewed: {date: 2026-06-01, by: Dana Reyes}
review_every: 365d
covers: [services/checkout/**]
---

# Checkout
"""
PATH = "docs/tm/checkout.md"
TODAY = "2026-07-01"


def at(date: str) -> dict:
    stamp = f"{date}T12:00:00+00:00"
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def judged(cli, repo: Repo, *args: str) -> dict:
    """``stale --format json``: each model's state and reason codes, and the exit status."""
    result = cli(repo.root, "stale", "--format", "json", *args, today=TODAY)
    assert "Traceback" not in result.err
    doc = json.loads(result.out)
    return {"code": result.code,
            "models": {m["path"]: (m["state"], sorted(r["code"] for r in m["reasons"]))
                       for m in doc["models"]}}


def evidence(cli, repo: Repo, code: str, path: str = PATH) -> list[str]:
    """The commits a reason of the model names."""
    doc = json.loads(cli(repo.root, "stale", "--format", "json", today=TODAY).out)
    (model,) = [m for m in doc["models"] if m["path"] == path]
    return [c["sha"] for r in model["reasons"] if r["code"] == code for c in r["commits"]]


def verdict(cli, repo: Repo, path: str = PATH) -> tuple[str, list[str]]:
    """The model's state and reason codes, the same with and without the cache."""
    cached = judged(cli, repo)
    assert judged(cli, repo, "--no-cache") == cached
    return cached["models"][path]


@pytest.fixture
def reviewed(repo: Repo) -> Repo:
    """A model added, then reviewed on 2026-06-01; its covered code is older."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("services/other/api.py", "v1\n")
    add_then_review(repo, PATH, MODEL)
    return repo


def test_reviewed_model_is_current(reviewed, cli):
    assert verdict(cli, reviewed) == ("current", [])


# -- 1. merges that change a covered path themselves ------------------------------------------
def merge_no_commit(repo: Repo, branch: str, date: str) -> None:
    repo.git_env(at(date), "merge", "-q", "--no-ff", "--no-commit", branch)


def test_a_merge_that_edits_a_covered_path_makes_the_model_stale(reviewed, cli):
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/other/api.py", "v2\n")
    reviewed.commit("unrelated", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/other/readme.md", "main\n")
    reviewed.commit("main moves on", "2026-06-06")
    merge_no_commit(reviewed, "feature", "2026-06-10")
    reviewed.write("services/checkout/api.py", "changed inside the merge\n")
    reviewed.commit("merge feature", "2026-06-10")
    assert verdict(cli, reviewed) == ("stale", ["TM501"])


def test_a_conflict_resolution_in_a_covered_path_is_evidence(reviewed, cli):
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/checkout/api.py", "feature\n")
    reviewed.commit("feature side", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/checkout/api.py", "main\n")
    reviewed.commit("main side", "2026-06-06")
    with pytest.raises(subprocess.CalledProcessError):
        merge_no_commit(reviewed, "feature", "2026-06-10")
    reviewed.write("services/checkout/api.py", "resolved by hand\n")
    merge = reviewed.commit("merge feature", "2026-06-10")
    assert verdict(cli, reviewed) == ("stale", ["TM501"])
    assert merge in evidence(cli, reviewed, "TM501")


def test_the_staged_judgement_counts_a_merge_edit_too(reviewed, cli):
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/other/api.py", "v2\n")
    reviewed.commit("unrelated", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/other/readme.md", "main\n")
    reviewed.commit("main moves on", "2026-06-06")
    merge_no_commit(reviewed, "feature", "2026-06-10")
    reviewed.write("services/checkout/api.py", "changed inside the merge\n")
    merge = reviewed.commit("merge feature", "2026-06-10")
    reviewed.write("services/checkout/api.py", "staged\n")
    reviewed.git("add", "-A")
    for args in ((), ("--no-cache",)):
        doc = json.loads(cli(reviewed.root, "stale", "--staged", "--format", "json", *args,
                             today=TODAY).out)
        (model,) = doc["models"]
        shas = [c["sha"] for r in model["reasons"] if r["code"] == "TM501" for c in r["commits"]]
        assert shas == [merge], args


def test_an_adr_edited_inside_a_merge_makes_the_model_stale(reviewed, cli):
    reviewed.write("docs/adr/0001-checkout.md", "---\nstatus: accepted\n---\n# 1. Checkout\n")
    reviewed.write(PATH, MODEL.replace("covers:", "adrs: [../adr/0001-checkout.md]\ncovers:"))
    reviewed.commit("cite an ADR, reviewed", "2026-06-02")
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/other/api.py", "v2\n")
    reviewed.commit("unrelated", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/other/readme.md", "main\n")
    reviewed.commit("main moves on", "2026-06-06")
    merge_no_commit(reviewed, "feature", "2026-06-10")
    reviewed.write("docs/adr/0001-checkout.md", "---\nstatus: accepted\n---\n# 1. Changed\n")
    reviewed.commit("merge feature", "2026-06-10")
    assert verdict(cli, reviewed) == ("stale", ["TM502"])


def test_a_review_recorded_inside_a_merge_is_the_review_point(reviewed, cli):
    reviewed.git("checkout", "-q", "-b", "feature")
    reviewed.write("services/checkout/api.py", "feature\n")
    reviewed.commit("feature side", "2026-06-05")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/checkout/api.py", "main\n")
    reviewed.commit("main side", "2026-06-06")
    with pytest.raises(subprocess.CalledProcessError):
        merge_no_commit(reviewed, "feature", "2026-06-10")
    reviewed.write("services/checkout/api.py", "resolved by hand\n")
    reviewed.write(PATH, MODEL.replace("2026-06-01", "2026-06-10"))
    merge = reviewed.commit("merge feature, reviewed", "2026-06-10")
    assert verdict(cli, reviewed) == ("current", [])
    doc = json.loads(cli(reviewed.root, "stale", "--format", "json", today=TODAY).out)
    assert doc["models"][0]["review_point"]["sha"] == merge


# -- 1. the review point follows the reviewed value, not git's rename detection -------------
def test_a_model_added_inside_a_merge_is_judged_from_there(repo, cli):
    repo.write("services/checkout/api.py", "v1\n")
    repo.commit("code", "2026-05-01")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("services/other/api.py", "v1\n")
    repo.commit("unrelated", "2026-05-05")
    repo.git("checkout", "-q", "main")
    repo.write("services/other/readme.md", "main\n")
    repo.commit("main moves on", "2026-05-06")
    merge_no_commit(repo, "feature", "2026-06-01")
    repo.write(PATH, MODEL)
    repo.commit("merge feature, with the model", "2026-06-01")
    assert verdict(cli, repo) == ("current", [])
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("covered change", "2026-06-10")
    assert verdict(cli, repo) == ("stale", ["TM501"])


def test_a_model_restored_by_a_revert_keeps_its_review_point(reviewed, cli):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    reviewed.git("rm", "-q", PATH)
    deletion = reviewed.commit("drop the model", "2026-06-11")
    reviewed.git_env(at("2026-06-12"), "revert", "--no-edit", deletion)
    assert (reviewed.root / PATH).read_text() == MODEL
    assert verdict(cli, reviewed) == ("stale", ["TM501"])


def test_a_move_git_sees_as_delete_and_add_keeps_the_review_point(reviewed, cli):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    reviewed.git("rm", "-q", PATH)
    # The body is rewritten in the same commit: too little is alike for a rename.
    moved = MODEL.replace("# Checkout\n", "# Checkout, rewritten\n\n" + "New text.\n" * 40)
    reviewed.write("docs/models/checkout.md", moved)
    reviewed.commit("move and rewrite the model", "2026-06-12")
    assert verdict(cli, reviewed, "docs/models/checkout.md") == ("stale", ["TM501"])


def test_a_model_moved_over_two_commits_keeps_the_review_point(reviewed, cli):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    reviewed.git("rm", "-q", PATH)
    reviewed.commit("drop the model", "2026-06-11")
    reviewed.write("docs/models/checkout.md", MODEL)
    reviewed.commit("bring it back elsewhere", "2026-06-12")
    assert verdict(cli, reviewed, "docs/models/checkout.md") == ("stale", ["TM501"])


def test_a_model_restored_after_a_later_review_is_judged_from_that_review(reviewed, cli):
    reviewed.git("rm", "-q", PATH)
    reviewed.commit("drop the model", "2026-06-05")
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change while it was gone", "2026-06-06")
    reviewed.write(PATH, MODEL.replace("2026-06-01", "2026-06-07"))
    reviewed.commit("bring it back, reviewed anew", "2026-06-07")
    assert verdict(cli, reviewed) == ("current", [])


def test_a_deleted_model_with_the_same_review_elsewhere_in_history_is_not_taken(reviewed, cli):
    # The review value was deleted on a branch that is not an ancestor of the new model.
    reviewed.git("checkout", "-q", "-b", "side")
    reviewed.git("rm", "-q", PATH)
    reviewed.commit("drop it on a side branch", "2026-06-03")
    reviewed.git("checkout", "-q", "main")
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change", "2026-06-04")
    reviewed.write("docs/models/other.md", MODEL.replace("id: checkout", "id: other"))
    reviewed.commit("a second model with the same review", "2026-06-05")
    judged_models = judged(cli, reviewed)["models"]
    assert judged_models["docs/models/other.md"] == ("current", [])
    assert judged_models[PATH] == ("stale", ["TM501"])


def test_a_model_whose_review_was_removed_is_judged_from_its_addition(reviewed, cli):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    reviewed.write(PATH, MODEL.replace("reviewed: {date: 2026-06-01, by: Dana Reyes}\n", ""))
    reviewed.commit("drop the review", "2026-06-12")
    assert verdict(cli, reviewed) == ("stale", ["TM501"])
    assert len(evidence(cli, reviewed, "TM501")) == 1  # the change after the addition


def test_a_rename_is_still_followed(reviewed, cli):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    (reviewed.root / "docs/models").mkdir()
    reviewed.git("mv", PATH, "docs/models/checkout.md")
    reviewed.commit("move the model", "2026-06-12")
    assert verdict(cli, reviewed, "docs/models/checkout.md") == ("stale", ["TM501"])


# -- 1. a submodule under a folder glob ------------------------------------------------------
@pytest.fixture
def with_submodule(tmp_path, repo: Repo) -> tuple[Repo, Repo]:
    """A repository whose model covers the submodule ``vendor/lib``, reviewed after adding it."""
    lib = Repo(tmp_path / "lib")
    lib.root.mkdir()
    lib.git("init", "-q", "-b", "main")
    lib.write("lib.c", "v1\n")
    lib.commit("lib v1", "2026-04-01")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib.root),
             "vendor/lib")
    repo.write(PATH, MODEL.replace("services/checkout/**", "vendor/lib/**"))
    repo.commit("vendor lib, with a model", "2026-05-01")
    return repo, lib


def bump(repo: Repo, lib: Repo) -> None:
    """A new commit of the library, checked out in the submodule and staged."""
    lib.write("lib.c", "v2\n")
    lib.commit("lib v2", "2026-06-01")
    sub = Repo(repo.root / "vendor/lib")
    sub.git("-c", "protocol.file.allow=always", "pull", "-q", "origin", "main")
    repo.git("add", "vendor/lib")


INSIDE = ["vendor/lib/**", "vendor/lib/**/*", "vendor/*/**", "vendor/lib/*", "vendor/lib/src/**",
          "**/lib/**", "vendor/lib/", "vendor/**", "vendor/lib"]


@pytest.mark.parametrize("glob", INSIDE)
def test_a_submodule_bump_under_a_folder_glob_makes_the_model_stale(with_submodule, cli, glob):
    repo, lib = with_submodule
    repo.write(PATH, MODEL.replace("services/checkout/**", json.dumps(glob)))
    repo.commit("cover it so", "2026-05-02")
    bump(repo, lib)
    repo.commit("bump the library", "2026-06-10")
    assert verdict(cli, repo) == ("stale", ["TM501"])


@pytest.mark.parametrize("glob", INSIDE)
def test_a_staged_submodule_bump_under_a_folder_glob_blocks(with_submodule, cli, glob):
    repo, lib = with_submodule
    repo.write(PATH, MODEL.replace("services/checkout/**", json.dumps(glob)))
    repo.commit("cover it so", "2026-05-02")
    bump(repo, lib)
    result = cli(repo.root, "stale", "--staged", today=TODAY)
    assert result.code == 1 and " TM507 " in result.out and "vendor/lib" in result.out


@pytest.mark.parametrize("glob", ["vendor/other/**", "vendor/lib.c", "vendor/li"])
def test_a_submodule_bump_outside_the_globs_changes_nothing(with_submodule, cli, glob):
    repo, lib = with_submodule
    repo.write(PATH, MODEL.replace("services/checkout/**", json.dumps(glob)))
    repo.commit("cover it so", "2026-05-02")
    bump(repo, lib)
    result = cli(repo.root, "stale", "--staged", today=TODAY)
    assert (result.code, result.out) == (0, "")
    repo.commit("bump the library", "2026-06-10")
    assert verdict(cli, repo) == ("current", [])


# -- 1. a corrupted cache never changes the verdict ------------------------------------------
@pytest.fixture
def cache_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(folder))
    return folder


def corrupt(files: list[Path], old: bytes, new: bytes) -> None:
    """Replace ``old`` with ``new`` (as long) in each file: same size, other bytes."""
    assert len(old) == len(new)
    hit = [file for file in files if old in file.read_bytes()]
    assert hit
    for file in hit:
        file.write_bytes(file.read_bytes().replace(old, new))


def test_a_corrupted_history_snapshot_is_not_trusted(reviewed, cli, cache_folder):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change after the review", "2026-06-10")
    assert verdict(cli, reviewed) == ("stale", ["TM501"])
    corrupt(list(cache_folder.glob("history/*/*.log")), b"services/checkout/api.py",
            b"services/checkouX/api.py")
    assert verdict(cli, reviewed) == ("stale", ["TM501"])


def test_a_corrupted_model_index_is_not_trusted(reviewed, cli, cache_folder):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.git("add", "-A")
    first = cli(reviewed.root, "stale", "--staged", today=TODAY)
    assert first.code == 1 and " TM507 " in first.out
    corrupt(list(cache_folder.glob("models/*.bin")), b"services/checkout/**",
            b"services/checkouX/**")
    assert cli(reviewed.root, "stale", "--staged", today=TODAY) == first


def test_a_corrupted_parse_cache_entry_is_not_trusted_by_stale(reviewed, cli, cache_folder):
    """(stale keeps what each model blob declares in ``facts/``, not in the parse cache)"""
    reviewed.write(PATH, MODEL.replace("365d", "20d"))
    reviewed.commit("review every 20 days", "2026-06-01")
    assert verdict(cli, reviewed) == ("stale", ["TM504"])  # due 2026-06-21
    corrupt([*cache_folder.glob("*.json"), *cache_folder.glob("facts/*.bin")], b"2026-06-01",
            b"2026-06-29")
    assert verdict(cli, reviewed) == ("stale", ["TM504"])


def test_a_corrupted_parse_cache_entry_is_not_trusted_by_validate(repo, cli, cache_folder):
    repo.write("a.md", MODEL.replace("id: checkout", "id: alpha"))
    repo.write("b.md", MODEL.replace("id: checkout", "id: bravo"))
    first = cli(repo.root, "validate")
    assert first.code == 0
    corrupt(list(cache_folder.glob("*.json")), b'"bravo"', b'"alpha"')
    again = cli(repo.root, "validate")
    assert (again.code, again.out) == (first.code, first.out)


@pytest.fixture
def reviewed_after_a_change(reviewed: Repo) -> Repo:
    """A covered change between the model's addition and its review: current, as long as the
    earlier version's review is read right (it is kept by blob id between runs)."""
    reviewed.git("reset", "-q", "--hard", "HEAD~1")
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.commit("covered change before the review", "2026-05-15")
    reviewed.write(PATH, MODEL)
    reviewed.commit("review checkout model", "2026-06-01")
    return reviewed


def test_a_corrupted_review_store_is_not_trusted(reviewed_after_a_change, cli, cache_folder):
    repo = reviewed_after_a_change
    assert verdict(cli, repo) == ("current", [])
    corrupt(list(cache_folder.glob("reviews/*.bin")), b"2026-05-01", b"2026-06-01")
    assert verdict(cli, repo) == ("current", [])
    assert b"2026-05-01" in next(cache_folder.glob("reviews/*.bin")).read_bytes()


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", 1j, {"date": {3}}, [[b"x"]]])
def test_a_review_store_with_wrong_types_is_read_afresh(reviewed_after_a_change, cli,
                                                        cache_folder, value):
    repo = reviewed_after_a_change
    assert verdict(cli, repo) == ("current", [])
    (store,) = cache_folder.glob("reviews/*.bin")
    (version, known), replace = sealed(store)
    replace((version, {sha: value for sha in known}))
    assert verdict(cli, repo) == ("current", [])
    (_, again), _ = sealed(store)  # read afresh, and kept anew
    assert again and all(v is None or isinstance(v, dict) for v in again.values())


# -- 5. cache files of the right format with the wrong types inside --------------------------
def sealed(file: Path, context: bytes = b""):
    """What a cache file holds (as marshal data), and a function that replaces it, sealed
    as the tool seals it: the right format, whatever is put inside."""
    import marshal

    from mkdocs_threatmodel.workspace.cache import seal, unseal

    payload = unseal(file.read_bytes(), context)
    assert payload is not None
    return (list(marshal.loads(payload)),
            lambda fields: file.write_bytes(seal(marshal.dumps(tuple(fields)), context)))


def test_a_history_snapshot_with_wrong_types_is_read_afresh(reviewed, cli, cache_folder):
    reviewed.write("services/checkout/api.py", "v2\n")
    head = reviewed.commit("covered change after the review", "2026-06-10")
    expected = judged(cli, reviewed, "--no-cache")
    assert expected["models"][PATH] == ("stale", ["TM501"])
    judged(cli, reviewed)
    (snapshot,) = cache_folder.glob("history/*/*.log")
    good, replace = sealed(snapshot, head.encode())
    changes = good[8]
    wrong = [(3, [1] * len(good[3])), (3, [None] * len(good[3])), (7, [["x"]] * len(good[7])),
             (8, {path: [(0, 7)] for path in changes}),
             (8, {path: [(99, c) for _, c in entries] for path, entries in changes.items()}),
             (8, {path: [(a, c[:4] + (5,)) for a, c in entries]
                  for path, entries in changes.items()}),
             (8, {7: next(iter(changes.values()))}), (8, [])]
    for field, bad in wrong:
        fields = list(good)
        fields[field] = bad
        replace(fields)
        assert judged(cli, reviewed) == expected, (field, bad)


@pytest.mark.parametrize("known", [5, "x", (1, 2), ((1,), (2,)), (("a",), "b"), ((), (), ())])
def test_a_model_index_with_wrong_types_is_read_afresh(reviewed, cli, cache_folder, known):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.git("add", "-A")
    first = cli(reviewed.root, "stale", "--staged", today=TODAY)
    (index,) = cache_folder.glob("models/*.bin")
    (version, entries), replace = sealed(index)
    replace((version, {sha: known for sha in entries}))
    again = cli(reviewed.root, "stale", "--staged", today=TODAY)
    assert (again.code, again.out) == (first.code, first.out)


@pytest.mark.parametrize("entry", [
    {"data": [1, 2], "body": "", "body_line": 1, "newline": "\n"},
    {"data": {"threatmodel": 1}, "body": 5, "body_line": "x", "newline": None},
    {"data": "text", "body": [], "body_line": None, "newline": 7},
    [1, 2, 3],
])
def test_parse_cache_entries_with_wrong_types_are_read_afresh(reviewed, cli, cache_folder,
                                                               entry):
    expected = judged(cli, reviewed, "--no-cache")
    valid = cli(reviewed.root, "validate")
    entries = list(cache_folder.glob("*.json"))
    assert entries
    for file in entries:
        file.write_text(json.dumps(entry))
    assert judged(cli, reviewed) == expected
    again = cli(reviewed.root, "validate")
    assert (again.code, again.out) == (valid.code, valid.out)


# -- 4. YAML aliases in a committed model's review: no hang ------------------------------------
def run_cli(cwd: Path, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """``threatmodel ARGS`` in a process of its own, killed (and failing) if it hangs."""
    env = {**os.environ, **GIT_ENV, "THREATMODEL_TODAY": TODAY}
    result = subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", *args], cwd=cwd,
                            env=env, capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def bomb(date: str, levels: int = 12) -> str:
    """A ``reviewed`` value whose aliases expand to 10**levels items."""
    lines = ["reviewed:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 10)}]" for k in range(1, levels)]
    return "\n".join(lines + [f"  date: {date}", "  by: Dana Reyes"])


def test_aliases_in_a_committed_review_do_not_hang_stale(repo):
    text = MODEL.replace("reviewed: {date: 2026-06-01, by: Dana Reyes}", "{bomb}")
    repo.write("services/checkout/api.py", "v1\n")
    repo.write(PATH, text.replace("{bomb}", bomb("2026-05-01")))
    repo.commit("a model with aliases", "2026-05-01")
    repo.write(PATH, text.replace("{bomb}", bomb("2026-06-01")))
    repo.commit("review it", "2026-06-01")
    repo.write("services/checkout/api.py", "v2\n")
    repo.git("add", "-A")
    for command in (["stale"], ["stale", "--no-cache"], ["stale", "--staged"], ["validate"]):
        result = run_cli(repo.root, *command, timeout=30)
        assert result.returncode in (0, 1), result.stderr
    assert " TM006 " in run_cli(repo.root, "validate").stdout


# -- 5. one way of reading YAML for validate, stale and review ---------------------------------
VARIANTS = {
    "tab after the colon": "reviewed:\t{date: 2026-01-01, by: Dana Reyes}",
    "tab inside the mapping": "reviewed: {date:\t2026-01-01, by: Dana Reyes}",
    "tab in block style": "reviewed:\n  date:\t2026-01-01\n  by: Dana Reyes",
    "tab before the colon": "reviewed\t: {date: 2026-01-01, by: Dana Reyes}",
    "quoted key": '"reviewed": {date: 2026-01-01, by: Dana Reyes}',
    "explicit key": "? reviewed\n: {date: 2026-01-01, by: Dana Reyes}",
    "value on the next line": "reviewed:\n  {date: 2026-01-01, by: Dana Reyes}",
    "flow over lines": "reviewed: {date: 2026-01-01,\n  by: Dana Reyes}",
    "next line break (NEL)": "reviewed: {date: 2026-01-01, by: Dana Reyes}\x85",
    "line separator": "reviewed: {date: 2026-01-01, by: Dana Reyes}\u2028",
    "block scalar date": "reviewed:\n  date: |-\n    2026-01-01\n  by: Dana Reyes",
    "folded reviewer": "reviewed:\n  date: 2026-01-01\n  by: >-\n    Dana Reyes",
    "reviewer over two lines": "reviewed:\n  date: 2026-01-01\n  by: Dana\n    Reyes",
    "no review yet": "",
    "date only": "reviewed: {date: 2026-01-01}",
}


def variant_model(reviewed: str) -> str:
    return MODEL.replace("reviewed: {date: 2026-06-01, by: Dana Reyes}", reviewed)


@pytest.mark.parametrize("name", VARIANTS)
def test_review_rewrites_what_validate_accepts_and_stale_reads_it(repo, cli, name):
    repo.write("services/checkout/api.py", "v1\n")
    repo.write(PATH, variant_model(VARIANTS[name]))
    repo.commit("add", "2026-05-01")
    assert cli(repo.root, "validate", PATH).code == 0
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("covered change", "2026-05-10")
    assert verdict(cli, repo) == ("stale", ["TM501"])
    result = cli(repo.root, "review", PATH, "--by", "Ann", "--date", "2026-06-01")
    assert (result.code, result.out) == (0, ""), result.err
    once = (repo.root / PATH).read_bytes()
    assert cli(repo.root, "review", PATH, "--by", "Ann", "--date", "2026-06-01").code == 0
    assert (repo.root / PATH).read_bytes() == once
    assert cli(repo.root, "validate", PATH).code == 0
    repo.commit("review", "2026-06-01")
    assert verdict(cli, repo) == ("current", [])
    doc = json.loads(cli(repo.root, "stale", "--format", "json", today=TODAY).out)
    (model,) = doc["models"]
    assert (model["reviewed"], model["reviewed_by"]) == ("2026-06-01", "Ann")
    assert model["review_point"]["subject"] == "review"


def test_review_inserts_into_an_indented_mapping_in_its_indentation(repo, cli):
    text = "---\n  threatmodel: 1\n  id: a\n  title: A\n  owner: o\n---\n"
    repo.write("m.md", text)
    assert cli(repo.root, "validate", "m.md").code == 0
    assert cli(repo.root, "review", "m.md", "--by", "Ann", "--date", "2026-11-30").code == 0
    assert (repo.root / "m.md").read_text() == text.replace(
        "  owner: o\n", "  owner: o\n  reviewed: {date: 2026-11-30, by: Ann}\n")
    assert cli(repo.root, "validate", "m.md").code == 0


def test_review_keeps_a_missing_final_line_break_and_crlf(repo, cli):
    text = "---\r\nthreatmodel: 1\r\nid: a\r\ntitle: A\r\nowner: o\r\n---"
    repo.write("m.md", text)
    assert cli(repo.root, "review", "m.md", "--by", "Ann", "--date", "2026-11-30").code == 0
    assert (repo.root / "m.md").read_bytes() == text.replace(
        "owner: o\r\n", "owner: o\r\nreviewed: {date: 2026-11-30, by: Ann}\r\n").encode()


@pytest.mark.parametrize("staged", [
    MODEL.replace("reviewed: {date: 2026-06-01, by: Dana Reyes}\n", ""),
    MODEL.replace("reviewed: {date: 2026-06-01, by: Dana Reyes}",
                  "reviewed: {date: 2026-06-20, by: Dana Reyes}\nowner: twice"),
])
def test_a_staged_model_that_loses_or_breaks_its_review_does_not_unblock(reviewed, cli, staged):
    reviewed.write("services/checkout/api.py", "v2\n")
    reviewed.write(PATH, staged)
    reviewed.git("add", "-A")
    result = cli(reviewed.root, "stale", "--staged", today=TODAY)
    assert result.code == 1 and " TM507 " in result.out


BOM = b"\xef\xbb\xbf"


def test_a_review_in_a_model_with_a_byte_order_mark_counts(repo, cli):
    repo.write("services/checkout/api.py", "v1\n")
    repo.write(PATH, BOM + MODEL.replace("2026-06-01", "2026-05-01").encode())
    repo.commit("add", "2026-05-01")
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("covered change", "2026-05-10")
    assert verdict(cli, repo) == ("stale", ["TM501"])
    assert cli(repo.root, "review", PATH, "--by", "Dana Reyes", "--date", "2026-06-01").code == 0
    assert (repo.root / PATH).read_bytes() == BOM + MODEL.encode()
    repo.commit("review", "2026-06-01")
    assert verdict(cli, repo) == ("current", [])


def test_a_staged_review_in_a_model_with_a_byte_order_mark_unblocks(repo, cli):
    repo.write("services/checkout/api.py", "v1\n")
    repo.write(PATH, BOM + MODEL.replace("2026-06-01", "2026-05-01").encode())
    repo.commit("add", "2026-05-01")
    repo.write("services/checkout/api.py", "v2\n")
    repo.git("add", "-A")
    blocked = cli(repo.root, "stale", "--staged", today=TODAY)
    assert blocked.code == 1 and " TM507 " in blocked.out
    assert cli(repo.root, "review", PATH, "--by", "Dana Reyes", "--date", "2026-06-01").code == 0
    repo.git("add", "-A")
    result = cli(repo.root, "stale", "--staged", today=TODAY)
    assert (result.code, result.out) == (0, "")


# -- 8. review of a symlinked model ----------------------------------------------------------
def test_review_of_a_symlinked_model_writes_through_to_its_target(repo, cli):
    # The target is no Markdown file, so validate sees one model, not two with one id.
    repo.write("docs/linked/checkout.txt", MODEL)
    (repo.root / "docs/tm").mkdir(parents=True)
    (repo.root / PATH).symlink_to("../linked/checkout.txt")
    result = cli(repo.root, "review", PATH, "--by", "Ann", "--date", "2026-11-30")
    assert result.code == 0, result.err
    assert (repo.root / PATH).is_symlink()
    assert os.readlink(repo.root / PATH) == "../linked/checkout.txt"
    assert (repo.root / "docs/linked/checkout.txt").read_text() == MODEL.replace(
        "{date: 2026-06-01, by: Dana Reyes}", "{date: 2026-11-30, by: Ann}")
    assert list((repo.root / "docs/linked").iterdir()) == [repo.root / "docs/linked/checkout.txt"]


def test_review_of_a_model_linked_outside_the_repository_is_refused(repo, cli, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(MODEL)
    (repo.root / "docs/tm").mkdir(parents=True)
    (repo.root / PATH).symlink_to(outside)
    result = cli(repo.root, "review", PATH, "--by", "Ann", "--date", "2026-11-30")
    assert result.code == 1
    assert len(result.err.splitlines()) == 1 and "symbolic link" in result.err
    assert (repo.root / PATH).is_symlink() and outside.read_text() == MODEL


# -- also: random mutations of the example models, fed to review and stale -------------------
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "example-site/docs/threat-models")
                  .glob("*.md"))
TOKENS = ["\t", "\n", "\r\n", "\r", " ", ":", ": ", "- ", "&a ", "*a", "!!str ", "{", "}", "[",
          "]", ",", "'", '"', "#", "---\n", "...\n", "\ufeff", "\x85", "\u2028", "\x1b",
          "reviewed:", "reviewed: {date: 2026-01-01, by: X}\n", "date: ", "by: ", "? ",
          "threatmodel: 1\n", "covers: [services/**]\n", "  ", "|\n", ">\n", "\\", "%YAML 1.1\n"]


def mutate_text(data, text: str) -> str:
    """Some insertions of YAML-significant tokens, deletions and repeated lines."""
    from hypothesis import strategies as st

    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        kind = data.draw(st.sampled_from(["insert", "delete", "repeat"]), label="kind")
        near = max(text.find("reviewed"), 0)  # most often near the review, which review edits
        at = data.draw(st.one_of(st.integers(near, min(near + 60, len(text))),
                                 st.integers(0, len(text))), label="at")
        if kind == "insert":
            text = text[:at] + data.draw(st.sampled_from(TOKENS), label="token") + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40), label="len"):]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at) + 1 or len(text)
            text = text[:end] + text[start:end] + text[end:]
    return text


@pytest.mark.slow
def test_random_mutations_of_the_examples_never_crash_hang_or_drift(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    assert EXAMPLES
    texts = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES}

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(sorted(texts)), st.data())
    def check(name, data):
        root = tmp_path_factory.mktemp("mutated")
        repo = Repo(root)
        repo.git("init", "-q", "-b", "main")
        repo.write("services/checkout-api/app.py", "v1\n")
        rel = f"docs/threat-models/{name}"
        repo.write(rel, texts[name])
        repo.commit("examples", "2026-05-01")
        mutated = mutate_text(data, texts[name])
        repo.write(rel, mutated.encode("utf-8", "surrogatepass"))
        repo.write("services/checkout-api/app.py", "v2\n")
        repo.commit("mutated", "2026-06-01")
        checked = run_cli(root, "validate", rel)
        first = run_cli(root, "review", rel, "--by", "Ann", "--date", "2026-11-30")
        assert first.returncode in (0, 1, 2)
        if checked.returncode == 0 and "1 model checked" in checked.stderr:
            assert first.returncode == 0, first.stderr  # what validate accepts, review rewrites
        once = (root / rel).read_bytes()
        if first.returncode == 0:
            assert run_cli(root, "review", rel, "--by", "Ann", "--date", "2026-11-30") \
                .returncode == 0
            assert (root / rel).read_bytes() == once
            assert run_cli(root, "validate", rel).returncode == 0
        else:
            assert once == mutated.encode("utf-8", "surrogatepass")
        repo.git("add", "-A")
        runs = [run_cli(root, *args) for args in (["stale"], ["stale", "--no-cache"],
                                                  ["stale", "--staged"])]
        assert {run.returncode for run in runs} <= {0, 1}
        assert (runs[0].returncode, runs[0].stdout) == (runs[1].returncode, runs[1].stdout)

    check()
