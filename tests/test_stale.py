"""``threatmodel stale`` on real repositories built in temporary folders, with fixed dates."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from .conftest import GIT_ENV, Repo
from .models import add_then_review

MODEL = """\
---
threatmodel: 1
id: checkout
title: Checkout
owner: team-checkout
reviewed: {date: 2026-06-01, by: Dana Reyes}   # last review
review_every: 180d
covers: [services/checkout/**, "openapi/check out.yaml"]
adrs: [../adr/0007-checkout.md]
---

# Checkout
"""
ADR = "---\nstatus: accepted\n---\n# 7. Checkout\n"
PATH = "docs/tm/checkout.md"


@pytest.fixture
def history(repo):
    """A repository whose model was added, then reviewed, on fixed dates."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("services/other/api.py", "v1\n")
    repo.write("docs/adr/0007-checkout.md", ADR)
    add_then_review(repo, PATH, MODEL)
    return repo


def stale(cli, repo, *args, today="2026-07-01"):
    return cli(repo.root, "stale", *args, today=today)


def test_fresh_model_is_current(history, cli):
    result = stale(cli, history)
    assert result.code == 0, result.out
    assert result.out == ""
    assert "0 of 1 model stale" in result.err


def test_covered_change_after_review_is_stale_with_evidence(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    sha = history.commit("Add refund endpoint", "2026-06-10", author="Eve Ops")
    history.write("services/other/api.py", "v2\n")  # not covered
    history.commit("other service", "2026-06-11")
    result = stale(cli, history)
    assert result.code == 1
    (line,) = result.lines
    assert line.startswith(f"{PATH}:8:1: TM501 1 commit changed covered paths (1 path)")
    assert f"{sha[:8]} 2026-06-10 Eve Ops: Add refund endpoint (services/checkout/api.py)" in line
    assert line.endswith(f"record a review: threatmodel review {PATH}")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (model,) = doc["models"]
    assert model["state"] == "stale"
    assert model["review_point"]["subject"] == "review checkout model"
    (reason,) = model["reasons"]
    assert reason["code"] == "TM501" and reason["count"] == 1
    assert reason["commits"][0]["sha"] == sha
    assert reason["paths"] == ["services/checkout/api.py"]


def test_edit_that_keeps_reviewed_is_not_a_review(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    history.write(PATH, MODEL + "More notes.\n")
    history.commit("notes only", "2026-06-12")
    assert stale(cli, history).code == 1


def test_review_command_then_commit_makes_it_current(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    before = (history.root / PATH).read_bytes()
    result = cli(history.root, "review", PATH, "--by", "Ann Lee", today="2026-06-20")
    assert result.code == 0, result.err
    after = (history.root / PATH).read_bytes()
    assert after == before.replace(b"{date: 2026-06-01, by: Dana Reyes}",
                                   b"{date: 2026-06-20, by: Ann Lee}")
    history.commit("review", "2026-06-20")
    assert stale(cli, history).code == 0


def test_model_file_inside_its_own_covers_is_excepted(repo, cli):
    repo.write("docs/adr/0007-checkout.md", ADR)
    repo.write(PATH, MODEL.replace("services/checkout/**", "docs/**"))
    repo.commit("add", "2026-06-01")
    repo.write(PATH, MODEL.replace("services/checkout/**", "docs/**") + "notes\n")
    repo.commit("notes", "2026-06-02")
    assert stale(cli, repo).code == 0


def test_adr_change_and_supersession(history, cli):
    history.write("docs/adr/0007-checkout.md", ADR + "\nMore context.\n")
    history.commit("amend ADR", "2026-06-05")
    result = stale(cli, history)
    assert [x.split(" ")[1] for x in result.lines] == ["TM502"]
    assert f"{PATH}:9:" in result.lines[0]
    history.write("docs/adr/0007-checkout.md",
                  "---\nstatus: superseded by [ADR-0009](0009-accounts.md)\n---\n# 7\n")
    history.commit("supersede", "2026-06-06")
    result = stale(cli, history)
    assert any(" TM503 " in x and "superseded by ADR-0009 (0009-accounts.md)" in x
               for x in result.lines)


@pytest.mark.parametrize("text,expected", [
    ("# 7. Checkout\n\nDate: 2026\n\n## Status\n\nSuperceded by [9. Accounts](0009-a.md)\n",
     "9. Accounts (0009-a.md)"),
    ("# Checkout\n\n- Status: superseded by [ADR-0009](0009-a.md)\n- Date: 2026-01-01\n",
     "ADR-0009 (0009-a.md)"),
    ("# Checkout\n\n* Status: superseded by 0009-accounts\n", "0009-accounts"),
])
def test_adr_styles(history, cli, text, expected):
    history.write("docs/adr/0007-checkout.md", text)
    history.commit("supersede", "2026-06-06")
    result = stale(cli, history)
    assert any(" TM503 " in x and f"superseded by {expected};" in x for x in result.lines), \
        result.out


def test_review_overdue_by_age(history, cli):
    assert stale(cli, history, today="2026-11-28").code == 0  # due 2026-11-28
    result = stale(cli, history, today="2026-11-29")
    assert result.code == 1
    assert result.lines[0].startswith(f"{PATH}:6:18: TM504 review overdue: last reviewed "
                                      "2026-06-01, due every 180 days, so by 2026-11-28")


def test_config_can_lower_a_reason_to_a_warning(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    history.write(".threatmodel.yaml", "rules: {TM501: warning}\n")
    result = stale(cli, history)
    assert result.code == 0 and " TM501 warning: " in result.out


def test_not_a_git_repository(tmp_path, cli):
    folder = Repo(tmp_path / "plain")
    folder.write(PATH, MODEL)
    result = cli(folder.root, "stale")
    assert result.code == 1
    assert "is not in a git repository: staleness comes from git history" in result.err
    assert "Traceback" not in result.err


def test_repository_without_commits(repo, cli):
    repo.write(PATH, MODEL)
    result = stale(cli, repo)
    assert result.code == 0
    assert result.lines == [f"{PATH}:1:1: TM506 note: model is not committed yet: staleness is "
                            f"measured once it is (git add -- {PATH})"] or \
        " TM506 note: " in result.out


def test_uncommitted_model_beside_committed_ones(history, cli):
    history.write("docs/tm/new.md", MODEL.replace("id: checkout", "id: new"))
    result = stale(cli, history)
    assert result.code == 0
    assert any(x.startswith("docs/tm/new.md:1:1: TM506 note:") for x in result.lines)


def test_detached_head(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    history.git("checkout", "-q", "--detach", "HEAD")
    assert stale(cli, history).code == 1
    history.git("checkout", "-q", "--detach", "HEAD~1")
    assert stale(cli, history).code == 0


def test_renames_and_deletions_of_covered_paths(history, cli):
    history.git("mv", "--", "services/checkout/api.py", "services/api-moved.py")
    history.commit("move out", "2026-06-10")
    history.write("services/checkout/gone.py", "x\n")
    history.commit("add", "2026-06-11")
    history.git("rm", "-q", "--", "services/checkout/gone.py")
    sha = history.commit("delete", "2026-06-12")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (reason,) = doc["models"][0]["reasons"]
    assert reason["count"] == 3
    assert reason["paths"] == ["services/checkout/api.py", "services/checkout/gone.py"]
    assert reason["commits"][0]["sha"] == sha


def test_merge_brings_older_branch_commits(history, cli):
    base = history.git("rev-parse", "HEAD").strip()
    history.git("checkout", "-q", "-b", "feature", base + "~1")  # before the review
    history.write("services/checkout/feature.py", "x\n")
    side = history.commit("feature work", "2026-05-15")
    history.git("checkout", "-q", "main")
    history.git_env({"GIT_AUTHOR_DATE": "2026-06-20T12:00:00+00:00",
                     "GIT_COMMITTER_DATE": "2026-06-20T12:00:00+00:00"},
                    "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (reason,) = doc["models"][0]["reasons"]
    assert [c["sha"] for c in reason["commits"]] == [side]


def test_merged_branch_holding_the_review(history, cli):
    history.git("checkout", "-q", "-b", "side")
    history.write(PATH, MODEL.replace("2026-06-01", "2026-06-15"))
    history.commit("review on a branch", "2026-06-15")
    history.git("checkout", "-q", "main")
    history.write("services/checkout/api.py", "v2\n")
    change = history.commit("change on main", "2026-06-10")
    history.git_env({"GIT_AUTHOR_DATE": "2026-06-20T12:00:00+00:00",
                     "GIT_COMMITTER_DATE": "2026-06-20T12:00:00+00:00"},
                    "merge", "-q", "--no-ff", "-m", "merge", "side")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (reason,) = doc["models"][0]["reasons"]  # the main-line change is not behind the review
    assert [c["sha"] for c in reason["commits"]] == [change]


@pytest.mark.parametrize("name", ["services/checkout/with space.py",
                                  "services/checkout/ünïcødé.py",
                                  "services/checkout/-leading-dash.py",
                                  "openapi/check out.yaml"])
def test_unusual_path_names(history, cli, name):
    history.write(name, "x\n")
    history.commit("odd name", "2026-06-10")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (reason,) = doc["models"][0]["reasons"]
    assert reason["paths"] == [name]


def test_model_moved_to_another_folder_keeps_its_review_point(history, cli):
    (history.root / "security").mkdir()
    history.git("mv", "--", PATH, "security/checkout.md")
    text = (history.root / "security/checkout.md").read_text()
    (history.root / "security/checkout.md").write_text(text.replace("../adr/", "../docs/adr/"))
    history.commit("move the model", "2026-06-15")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    (model,) = doc["models"]
    assert model["path"] == "security/checkout.md"
    assert model["state"] == "current"
    assert model["review_point"]["subject"] == "review checkout model"


def test_shallow_clone_that_stops_before_the_review(history, cli, tmp_path):
    for day in range(10, 13):
        history.write("services/other/api.py", f"v{day}\n")
        history.commit(f"other {day}", f"2026-06-{day}")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{history.root}",
                    str(clone)], check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})
    result = cli(clone, "stale", today="2026-07-01")
    assert result.code == 0  # unknown is a warning, not a failure
    (line,) = result.lines
    assert " TM505 warning: the git history stops before this model's last review" in line
    assert "git fetch --unshallow" in line
    doc = json.loads(cli(clone, "stale", "--format", "json", today="2026-07-01").out)
    assert doc["models"][0]["state"] == "unknown"
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True,
                   capture_output=True, env={**os.environ, **GIT_ENV})
    assert cli(clone, "stale", today="2026-07-01").out == ""


def test_sarif_output(history, cli):
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    doc = json.loads(stale(cli, history, "--format", "sarif").out)
    result, on_change = doc["runs"][0]["results"]  # the model, then the changed path
    assert result["ruleId"] == on_change["ruleId"] == "TM501"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    changed = on_change["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert changed == "services/checkout/api.py"


def test_two_identical_model_files_are_both_judged(history, cli):
    history.write("docs/tm/copy.md", (history.root / PATH).read_text())
    history.commit("copy the model", "2026-06-02")
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    doc = json.loads(stale(cli, history, "--format", "json").out)
    assert {m["path"]: m["state"] for m in doc["models"]} == {
        PATH: "stale", "docs/tm/copy.md": "stale"}
    copy = next(m for m in doc["models"] if m["path"] == "docs/tm/copy.md")
    assert copy["review_point"]["subject"] == "copy the model"  # added there, never reviewed
