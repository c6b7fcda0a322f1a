"""The product reads git the same under whatever global configuration its user has.

Each command runs twice as a separate process, on the same repository: once with no git
configuration at all, once with a global configuration a user may well have (colour always
on, signatures shown, an external diff, full decorations, quoted paths, CRLF conversion,
abbreviated ids, hooks that refuse everything). The outputs, exit statuses and the files a
command writes must be the same, byte for byte.
"""

from __future__ import annotations

import os
import shutil
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
reviewed: {date: 2026-06-01, by: Dana Reyes}   # last review
review_every: 180d
covers: [services/checkout/**, "openapi/check out ü.yaml"]
---

# Checkout
"""
PATH = "docs/tm/checkout.md"

HOSTILE = """\
[init]
    defaultBranch = trunk
[commit]
    gpgsign = true
[gpg]
    program = {fail}
[core]
    autocrlf = true
    quotePath = true
    hooksPath = {hooks}
    pager = {fail}
[color]
    ui = always
    diff = always
[log]
    showSignature = true
    decorate = full
    abbrevCommit = true
    date = relative
    follow = true
[diff]
    external = {fail}
    noprefix = true
    renames = false
    mnemonicPrefix = true
    relative = true
[format]
    pretty = fuller
[status]
    showUntrackedFiles = no
[i18n]
    logOutputEncoding = ISO-8859-1
"""


@pytest.fixture
def history(repo: Repo) -> Repo:
    """A model reviewed, then a covered file changed, renamed and a side branch merged."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("openapi/check out ü.yaml", "openapi: 3.1.0\n")
    add_then_review(repo, PATH, MODEL)
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("Add refund endpoint für Kunden", "2026-06-10", author="Eve Ops")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("openapi/check out ü.yaml", "openapi: 3.1.1\n")
    repo.commit("spec on a branch", "2026-06-12")
    repo.git("checkout", "-q", "main")
    repo.git("mv", "services/checkout/api.py", "services/checkout/routes.py")
    repo.commit("rename the routes", "2026-06-14")
    repo.git_env({"GIT_AUTHOR_DATE": "2026-06-15T12:00:00+00:00",
                  "GIT_COMMITTER_DATE": "2026-06-15T12:00:00+00:00"},
                 "merge", "-q", "--no-ff", "-m", "merge the spec", "side")
    return repo


def _hostile_config(folder: Path) -> Path:
    hooks = folder / "hooks"
    hooks.mkdir()
    for name in ("pre-commit", "commit-msg", "post-checkout", "post-commit"):
        hook = hooks / name
        hook.write_text("#!/bin/sh\necho hostile hook ran >&2\nexit 1\n")
        hook.chmod(0o755)
    fail = shutil.which("false") or "/bin/false"
    config = folder / "gitconfig"
    config.write_text(HOSTILE.format(fail=fail, hooks=hooks), encoding="utf-8")
    return config


def _run(root: Path, config: str, cache: Path, *args: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": config,
           "THREATMODEL_TODAY": "2026-07-01", "THREATMODEL_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", *args], cwd=root,
                          env=env, capture_output=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


COMMANDS = [
    ("stale",),
    ("stale", "--format", "json"),
    ("validate",),
    ("diff", "HEAD~3", "HEAD", "--format", "json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_command_reads_the_same_under_a_hostile_global_config(history, tmp_path, args):
    hostile = _hostile_config(tmp_path)
    clean = _run(history.root, os.devnull, tmp_path / "cache-clean", *args)
    theirs = _run(history.root, str(hostile), tmp_path / "cache-hostile", *args)
    assert clean[0] in (0, 1), clean
    assert theirs == clean


def test_the_stale_model_is_found_with_its_evidence(history, tmp_path):
    """What the comparison above compares is a real judgement, not two empty outputs."""
    code, out, _ = _run(history.root, str(_hostile_config(tmp_path)), tmp_path / "cache",
                        "stale")
    assert code == 1
    text = out.decode()
    assert "docs/tm/checkout.md" in text
    assert "routes.py" in text or "api.py" in text


def test_review_writes_the_same_bytes_under_a_hostile_global_config(history, tmp_path):
    written = []
    for name, config in (("clean", os.devnull), ("hostile", str(_hostile_config(tmp_path)))):
        copy = tmp_path / name
        shutil.copytree(history.root, copy, symlinks=True)
        code, out, err = _run(copy, config, tmp_path / f"cache-{name}", "review", PATH,
                              "--by", "Ana Ortiz")
        assert code == 0, err
        written.append(((copy / PATH).read_bytes(), out, err.replace(str(copy).encode(), b"")))
    assert written[0] == written[1]
    assert b"by: Ana Ortiz" in written[0][0]
    assert b"# last review" in written[0][0]


@pytest.mark.slow
def test_a_program_the_repository_config_names_is_never_started(history, tmp_path):
    """A cloned repository's own configuration may name programs (an fsmonitor hook, an
    external diff, a pager, a gpg): no command starts any of them."""
    marker = tmp_path / "ran"
    program = tmp_path / "program"
    program.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 1\n")
    program.chmod(0o755)
    history.write("services/checkout/routes.py", "v3\n")
    history.git("add", "services/checkout/routes.py")  # a staged change, as a hook sees
    for key in ("core.fsmonitor", "diff.external", "core.pager", "gpg.program",
                "core.sshCommand"):
        history.git("config", key, str(program))
    history.git("config", "log.showSignature", "true")
    for args in COMMANDS + [("stale", "--staged"), ("validate", PATH)]:
        code, _, err = _run(history.root, os.devnull, tmp_path / "cache", *args)
        assert code in (0, 1), (args, err)
    assert not marker.exists(), marker.read_text()
