"""The commit being made (``stale --staged``), pushed ranges, and the hooks that run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_stale import MODEL, PATH, history  # noqa: F401  (the fixture)

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_staged_change_to_covered_path_without_review_blocks(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "--", "services/checkout/api.py")
    result = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert result.code == 1
    (line,) = result.lines
    assert line.startswith(f"{PATH}:8:1: TM507 the staged change touches 1 path this model "
                           "covers (services/checkout/api.py) without recording its review; "
                           f"run: threatmodel review {PATH} and stage the model")
    assert result.err.startswith(f"Blocked: 1 model needs a review: {PATH} (TM507 "
                                 "staged-change-without-review). Judged: 0 of 1 model stale")


def test_staged_change_with_the_review_passes(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    assert cli(history.root, "review", PATH, "--by", "Ann", today="2026-07-01").code == 0
    history.git("add", "-A")
    result = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert result.code == 0, result.out
    assert result.out == ""


def test_staged_change_elsewhere_passes(history, cli):  # noqa: F811
    history.write("services/other/api.py", "v2\n")
    history.git("add", "-A")
    assert cli(history.root, "stale", "--staged", today="2026-07-01").code == 0


def test_existing_staleness_is_reported_but_blocks_only_when_configured(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("unreviewed change", "2026-06-10")
    history.write("services/checkout/api.py", "v3\n")
    history.git("add", "-A")
    result = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert result.code == 1
    codes = [(x.split(" ")[1], x.split(" ")[2]) for x in result.lines]
    assert codes == [("TM501", "warning:"), ("TM507", "the")]  # the old one only warns
    history.write(".threatmodel.yaml", "rules: {TM507: warning}\n")
    history.git("add", "-A")
    assert cli(history.root, "stale", "--staged", today="2026-07-01").code == 0
    history.write(".threatmodel.yaml", "rules: {TM507: warning}\nstale_existing: block\n")
    history.git("add", "-A")
    assert cli(history.root, "stale", "--staged", today="2026-07-01").code == 1


def test_staged_review_is_not_nagged_about_what_it_fixes(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("unreviewed change", "2026-06-10")
    history.write("services/checkout/api.py", "v3\n")
    assert cli(history.root, "review", PATH, "--by", "Ann", today="2026-07-01").code == 0
    history.git("add", "-A")
    result = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert result.code == 0 and result.out == ""


def test_range_judges_what_it_brings(history, cli, monkeypatch):  # noqa: F811
    base = history.git("rev-parse", "HEAD").strip()
    history.write("services/other/api.py", "v2\n")
    clean = history.commit("elsewhere", "2026-06-10")
    assert cli(history.root, "stale", "--from-ref", base, "--to-ref", clean,
               today="2026-07-01").code == 0
    history.write("services/checkout/api.py", "v2\n")
    dirty = history.commit("covered", "2026-06-11")
    result = cli(history.root, "stale", "--from-ref", base, "--to-ref", dirty,
                 today="2026-07-01")
    assert result.code == 1 and " TM501 1 commit changed covered paths" in result.out
    # the same range from pre-commit's pre-push environment
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", base)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", dirty)
    assert cli(history.root, "stale", "--staged", today="2026-07-01").code == 1
    # a range after the unreviewed change: the staleness is old, so it only warns
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", dirty)
    history.write("services/other/api.py", "v3\n")
    later = history.commit("later", "2026-06-12")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", later)
    result = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert result.code == 0 and " TM501 warning:" in result.out


def test_range_usage_errors(history, cli):  # noqa: F811
    assert cli(history.root, "stale", "--to-ref", "HEAD").code == 2
    assert cli(history.root, "stale", "--from-ref", "nope", "--to-ref", "HEAD").code == 2
    assert cli(history.root, "stale", "--from-ref=--all", "--to-ref", "HEAD").code == 2
    assert cli(history.root, "stale", "--from-ref").code == 2


def _env() -> dict[str, str]:
    from .conftest import GIT_ENV

    env = {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "THREATMODEL_TODAY": "2026-07-01"}
    env.pop("PRE_COMMIT_FROM_REF", None)
    env.pop("PRE_COMMIT_TO_REF", None)
    return env


def test_plain_git_hook_refuses_then_accepts_after_review(history):  # noqa: F811
    hooks = history.root / ".githooks"
    hooks.mkdir()
    shutil.copy2(PROJECT / "hooks" / "pre-commit", hooks / "pre-commit")
    history.git("config", "core.hooksPath", ".githooks")
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "--", "services/checkout/api.py")
    refused = subprocess.run(["git", "commit", "-m", "change"], cwd=history.root, env=_env(),
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert f"{PATH}:8:1: TM507 " in refused.stderr + refused.stdout
    subprocess.run([str(BIN / "threatmodel"), "review", PATH, "--by", "Ann"], cwd=history.root,
                   env=_env(), check=True, capture_output=True)
    history.git("add", "--", PATH)
    accepted = subprocess.run(["git", "commit", "-m", "change with review"], cwd=history.root,
                              env=_env(), capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


@pytest.mark.slow
def test_pre_commit_framework_stale_hook(history, tmp_path):  # noqa: F811
    from .test_hooks import install_framework_hook

    env = {**_env(), "PRE_COMMIT_HOME": str(PROJECT / ".venv" / "pre-commit-home")}
    install_framework_hook(history, "threatmodel-stale", tmp_path, env)
    history.commit("hook config", "2026-06-02")
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "-A")
    refused = subprocess.run(["git", "commit", "-m", "change"], cwd=history.root, env=env,
                             capture_output=True, text=True)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert f"{PATH}:8:1: TM507 the staged change touches 1 path" in output


def test_plain_pre_push_hook_refuses_an_unreviewed_range(history, tmp_path):  # noqa: F811
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    history.git("remote", "add", "origin", str(remote))
    history.git("push", "-q", "origin", "main")
    hooks = history.root / ".githooks"
    hooks.mkdir()
    shutil.copy2(PROJECT / "hooks" / "pre-push", hooks / "pre-push")
    history.git("config", "core.hooksPath", ".githooks")
    history.write("services/checkout/api.py", "v2\n")
    history.commit("unreviewed change", "2026-06-10")
    refused = subprocess.run(["git", "push", "origin", "main"], cwd=history.root, env=_env(),
                             capture_output=True, text=True)
    assert refused.returncode != 0
    assert f"{PATH}:8:1: TM501 1 commit changed covered paths" in refused.stdout + refused.stderr
    subprocess.run([str(BIN / "threatmodel"), "review", PATH, "--by", "Ann"], cwd=history.root,
                   env=_env(), check=True, capture_output=True)
    history.commit("review", "2026-06-11")
    pushed = subprocess.run(["git", "push", "origin", "main"], cwd=history.root, env=_env(),
                            capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_staged_judgement_finds_a_review_older_than_its_window(repo, cli):
    # The review records a date months after its commit: the windowed history misses the
    # review commit, so the judgement reads the whole history instead of trusting the window.
    late = MODEL.replace("2026-06-01", "2026-12-01")
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("docs/adr/0007-checkout.md", "# 7\n")
    repo.write(PATH, MODEL.replace("2026-06-01", "2026-05-01"))
    repo.commit("add", "2026-05-01")
    repo.write(PATH, late)
    repo.commit("review, dated ahead", "2026-06-01")
    repo.write("services/checkout/api.py", "v2\n")
    change = repo.commit("unreviewed change", "2026-06-10")
    repo.write("services/checkout/api.py", "v3\n")
    repo.git("add", "-A")
    result = cli(repo.root, "stale", "--staged", "--format", "json", today="2026-12-02")
    doc = __import__("json").loads(result.out)
    (model,) = doc["models"]
    assert model["review_point"]["subject"] == "review, dated ahead"
    (reason,) = [r for r in model["reasons"] if r["code"] == "TM501"]
    assert [c["sha"] for c in reason["commits"]] == [change]
