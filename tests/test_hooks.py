"""End to end: commits refused or let through by the real pre-commit framework and the plain
git hook in ``hooks/``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GIT_ENV
from .models import install, mutate, where

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BAD = mutate("likelihood: high", "likelihood: hihg")


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env["THREATMODEL_TODAY"] = "2026-11-27"  # the acceptances in the models expire later
    env.update(extra)
    return env


def _git(cwd: Path, *args: str, env: dict | None = None, check: bool = True):
    return subprocess.run(["git", *args], cwd=cwd, env=env or _env(), capture_output=True,
                          text=True, check=check)


def _shadow_copy_of_project(dest: Path) -> str:
    """A git repository holding the project's current files, as `pre-commit try-repo` makes."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=PROJECT, capture_output=True, check=True).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = os.fsdecode(raw)
        if not (PROJECT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / rel, dest / rel)
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "shadow")
    return _git(dest, "rev-parse", "HEAD").stdout.strip()


def install_framework_hook(repo, hook_id: str, tmp_path: Path, env: dict) -> None:
    """Configure this project's hook ``hook_id`` in ``repo`` and install it with pre-commit."""
    pre_commit = shutil.which("pre-commit", path=str(BIN))
    assert pre_commit, "pre-commit is a test dependency"
    shadow = tmp_path / "hook-repo"
    shadow.mkdir()
    rev = _shadow_copy_of_project(shadow)
    repo.write(".pre-commit-config.yaml",
               f"repos:\n  - repo: {shadow.as_posix()}\n    rev: {rev}\n    hooks:\n"
               f"      - id: {hook_id}\n")
    subprocess.run([pre_commit, "install"], cwd=repo.root, env=env, check=True,
                   capture_output=True)


@pytest.mark.slow
def test_pre_commit_framework_refuses_a_bad_model(repo, tmp_path):
    env = _env(PRE_COMMIT_HOME=str(PROJECT / ".venv" / "pre-commit-home"))
    install_framework_hook(repo, "threatmodel-validate", tmp_path, env)

    rel = install(repo, BAD)
    _git(repo.root, "add", "-A", env=env)
    refused = _git(repo.root, "commit", "-m", "bad model", env=env, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    line, col = where(BAD, "hihg")
    assert f"{rel}:{line}:{col}: TM103 'threats[0].likelihood' is 'hihg'" in output
    assert _git(repo.root, "rev-list", "--all", env=env).stdout == ""  # nothing was committed

    repo.write(rel, BAD.replace("hihg", "high"))
    _git(repo.root, "add", "-A", env=env)
    accepted = _git(repo.root, "commit", "-m", "good model", env=env, check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "threatmodel validate" in accepted.stdout + accepted.stderr  # the hook did run
    assert "Passed" in accepted.stdout + accepted.stderr


@pytest.fixture
def plain_hook(repo):
    hooks = repo.root / ".githooks"
    hooks.mkdir()
    shutil.copy2(PROJECT / "hooks" / "pre-commit", hooks / "pre-commit")
    _git(repo.root, "config", "core.hooksPath", ".githooks")
    return repo


def test_plain_git_hook_checks_what_is_staged(plain_hook):
    repo = plain_hook
    rel = install(repo, BAD)
    _git(repo.root, "add", "-A")
    repo.write(rel, BAD.replace("hihg", "high"))  # fixed in the work tree only: not staged
    refused = _git(repo.root, "commit", "-m", "bad", check=False)
    assert refused.returncode == 1
    line, col = where(BAD, "hihg")
    assert f"{rel}:{line}:{col}: TM103 " in refused.stdout + refused.stderr
    assert (repo.root / rel).read_text() == BAD.replace("hihg", "high")  # user's file untouched

    _git(repo.root, "add", "-A")
    accepted = _git(repo.root, "commit", "-m", "good", check=False)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _git(repo.root, "log", "--format=%s").stdout.split() == ["good"]


def test_plain_git_hook_skips_commits_without_markdown(plain_hook):
    repo = plain_hook
    repo.write("code.py", "print('hi')\n")
    repo.write("docs/broken.md", BAD)
    _git(repo.root, "add", "code.py")
    assert _git(repo.root, "commit", "-m", "code only", check=False).returncode == 0
