"""Shared fixtures: real git repositories in temporary folders and the CLI run in-process."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mkdocs_threatmodel.cli import main

from .fixtures.browser import (  # noqa: F401 (session fixtures)
    chromium,
    example_site,
    mermaid_js,
    serve,
)
from .self_contained import OutsideReads

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.test",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
# Whoever runs the suite, every git in it (the tests', the product's, pre-commit's and
# MkDocs' own) reads neither their global nor the system's configuration; what a user's
# configuration does to the product is tested on its own (test_hostile_git_config).
os.environ.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
# And "today" is the same day whenever it runs (the day the models' dates were written
# around); a test about another day sets its own.
TODAY = "2026-11-27"
os.environ["THREATMODEL_TODAY"] = TODAY


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives the browser is a browser test, wherever it is."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


class Repo:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    def commit(self, message: str = "change", date: str | None = None,
               author: str | None = None) -> str:
        """Stage everything and commit (at a fixed date); returns the commit id."""
        self.git("add", "-A")
        env = {}
        if date:
            stamp = f"{date}T12:00:00+00:00"
            env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if author:
            env["GIT_AUTHOR_NAME"] = author
        self.git_env(env, "commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def git_env(self, extra: dict, *args: str) -> str:
        env = {**os.environ, **GIT_ENV, **extra}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout


OUTSIDE_READS = OutsideReads().install()


@pytest.fixture(scope="session", autouse=True)
def _temporary_root_is_no_sibling(tmp_path_factory):
    """pytest's temporary root may lie beside the clone (a clone made directly in the system's
    temporary folder, where an earlier run left it): the tests' own files are no escape."""
    base = tmp_path_factory.getbasetemp()
    OUTSIDE_READS.allow(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)
    # Nor is the system's temporary folder (TMPDIR) when it is a folder beside the clone:
    # the product's temporary files (held views, cache spools) go there. When the clone lies
    # inside it, only what the run makes there is allowed (see OutsideReads).
    temporary = Path(tempfile.gettempdir()).resolve()
    if not Path(__file__).resolve().is_relative_to(temporary):
        OUTSIDE_READS.allow(temporary)


@pytest.fixture(autouse=True)
def _stays_inside_the_repository():
    """Fail a test that opens or lists anything beside the repository: a clone has nothing
    there (test data belongs in tests/data)."""
    OUTSIDE_READS.taken()
    yield
    seen = OUTSIDE_READS.taken()
    if seen:
        pytest.fail("read outside the repository: " + ", ".join(sorted(set(seen))[:5]),
                    pytrace=False)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Each test session parses into its own cache, never the user's."""
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


# What CI services and pre-commit set, which change what `stale` does (tests/test_ci.py
# sets them where it means to): a suite run inside CI or a hook starts without them.
RUNNER_ENV = ("CI", "GITHUB_ACTIONS", "GITHUB_BASE_REF", "GITLAB_CI",
              "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "CI_MERGE_REQUEST_DIFF_BASE_SHA",
              "PRE_COMMIT", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF")


@pytest.fixture(autouse=True)
def _no_runner_env(monkeypatch):
    for key in RUNNER_ENV:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    return r


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``threatmodel ARGS`` in-process inside a folder; returns code, stdout, stderr."""

    def run(cwd: Path, *args: str, today: str = "2026-11-27") -> Run:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("THREATMODEL_TODAY", today)
        for key, value in GIT_ENV.items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
