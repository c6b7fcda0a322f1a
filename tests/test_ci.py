"""The CI recipes of docs/ci.md, run as written on real repositories and clones (shallow
ones made with ``git clone --depth 1 file://...``), and what ``stale`` does in CI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import GIT_ENV
from .test_stale import ADR, MODEL, PATH

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SARIF_SCHEMA = json.loads((PROJECT / "tests" / "data" / "sarif" /
                           "sarif-schema-2.1.0.json").read_text("utf-8"))
MKDOCS = "site_name: Harbor\nplugins:\n  - threatmodel\n"


def recipe(name: str) -> str:
    """The code block of docs/ci.md marked ``<!-- recipe: NAME -->``."""
    text = (PROJECT / "docs" / "ci.md").read_text("utf-8")
    match = re.search(rf"<!-- recipe: {name} -->\n```\w+\n(.*?)```", text, re.S)
    assert match, name
    return match[1]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "THREATMODEL_TODAY": "2026-07-01", "CI": "true"}
    env.update(extra)
    return env


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=_env(), check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture
def upstream(repo):
    """A project on its way to a pull request: main has a reviewed model and a site;
    branch ``feature`` changes covered code without reviewing the model."""
    repo.write("services/checkout/api.py", "v1\n")
    repo.write("openapi/check out.yaml", "openapi: 3.1.0\n")
    repo.write("docs/adr/0007-checkout.md", ADR)
    repo.write(PATH, MODEL)
    repo.write("docs/index.md", "# Harbor\n")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write(".gitignore", "site/\n*.sarif\nthreatmodel-*.json\n")
    repo.commit("model, reviewed", "2026-06-01")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("services/checkout/api.py", "v2\n")
    repo.commit("refunds", "2026-06-10")
    repo.git("checkout", "-q", "main")
    return repo


def _clone(upstream, dest: Path, depth: int | None, branch: str = "feature") -> Path:
    args = ["clone", "-q", "--branch", branch]
    if depth:
        args += ["--depth", str(depth)]
    _git(dest.parent, *args, upstream.root.as_uri(), str(dest))
    return dest


def _review_on_feature(upstream) -> None:
    upstream.git("checkout", "-q", "feature")
    subprocess.run([str(BIN / "threatmodel"), "review", PATH, "--by", "Ann"],
                   cwd=upstream.root, env=_env(), check=True, capture_output=True)
    upstream.commit("review the checkout model", "2026-06-11")
    upstream.git("checkout", "-q", "main")


# -- GitHub Actions ---------------------------------------------------------------------

def run_workflow(upstream, tmp_path: Path, env: dict, fetch_depth: int | None = None
                 ) -> dict[str, subprocess.CompletedProcess | str]:
    """The recipe's job, step by step, as the runner would: checkout, then each ``run``
    (bash -e) in order; after a failure only ``if: always()`` steps; an upload step checks
    its SARIF file. Returns each step's outcome by name."""
    (job,) = yaml.safe_load(recipe("github"))["jobs"].values()
    outcomes: dict = {}
    failed = False
    work = tmp_path / "work"
    uploads = set()
    for step in job["steps"]:
        uses, name = step.get("uses", ""), step.get("name", step.get("uses"))
        if failed and step.get("if") != "always()":
            outcomes[name] = "skipped"
            continue
        if uses.startswith("actions/checkout@"):
            depth = (step.get("with") or {}).get("fetch-depth", 1)
            depth = fetch_depth if fetch_depth is not None else depth
            _clone(upstream, work, depth or None)
        elif uses.startswith("actions/setup-python@") or name == "Install":
            continue  # the test's own environment has Python and the package
        elif uses.startswith("github/codeql-action/upload-sarif@"):
            uploads.add(step["with"]["category"])
            try:  # what the upload refuses: no file, or no SARIF in it
                sarif = json.loads((work / step["with"]["sarif_file"]).read_text("utf-8"))
                jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
            except (OSError, ValueError, jsonschema.ValidationError):
                sarif, failed = "failed", True
            outcomes[f"upload {step['with']['category']}"] = sarif
        else:
            done = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail",
                                   "-c", step["run"]], cwd=work, env=env,
                                  capture_output=True, text=True)
            outcomes[name] = done
            failed = failed or done.returncode != 0
    assert len(uploads) in (0, 2), uploads  # one category per tool run
    return outcomes


def _github_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return _env(GITHUB_ACTIONS="true", GITHUB_ENV=str(tmp_path / "github_env"), **extra)


@pytest.mark.slow
def test_github_workflow_on_a_pull_request(upstream, tmp_path):
    env = _github_env(tmp_path, GITHUB_BASE_REF="main")
    steps = run_workflow(upstream, tmp_path, env)
    assert steps["Validate"].returncode == 0, steps["Validate"].stderr
    stale = steps["Stale"]
    assert stale.returncode == 1
    (line,) = stale.stdout.splitlines()
    assert line.startswith(f"::error file={PATH},line=8,col=1,title=TM501 "
                           "covered-paths-changed::1 commit changed covered paths")
    assert "Blocked: 1 model needs a review" in stale.stderr
    assert steps["SARIF"].returncode == 0, steps["SARIF"].stderr  # findings still uploaded
    results = steps["upload threatmodel-stale"]["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results} == {PATH, "services/checkout/api.py"}
    assert steps["upload threatmodel-validate"]["runs"][0]["results"] == []
    assert steps["Docs"] == "skipped"

    _review_on_feature(upstream)
    (tmp_path / "again").mkdir()
    steps = run_workflow(upstream, tmp_path / "again", env)
    for name in ("Validate", "Stale", "SARIF", "Docs"):
        assert steps[name].returncode == 0, (name, steps[name].stdout, steps[name].stderr)
    assert (tmp_path / "again" / "work" / "site" / "index.html").is_file()


@pytest.mark.slow
def test_github_workflow_with_checkouts_default_depth(upstream, tmp_path):
    _review_on_feature(upstream)
    # a pull request: its base is not in a depth-1 clone
    steps = run_workflow(upstream, tmp_path, _github_env(tmp_path, GITHUB_BASE_REF="main"),
                         fetch_depth=1)
    assert steps["Stale"].returncode == 1
    assert "the base of this pull request, from GITHUB_BASE_REF" in steps["Stale"].stderr
    assert "'fetch-depth: 0'" in steps["Stale"].stderr
    assert steps["upload threatmodel-stale"] == "failed"  # and the job fails loudly
    # a push: the history stops before the review, and in CI that does not pass
    push = tmp_path / "push"
    push.mkdir()
    steps = run_workflow(upstream, push, _github_env(push), fetch_depth=1)
    assert steps["Stale"].returncode == 1
    (line,) = steps["Stale"].stdout.splitlines()
    assert line.startswith(f"::error file={PATH},") and "title=TM505 " in line
    assert "actions/checkout with 'fetch-depth: 0'" in line


# -- GitLab CI --------------------------------------------------------------------------

@pytest.mark.slow
def test_gitlab_job_on_a_merge_request(upstream, tmp_path):
    (job,) = yaml.safe_load(recipe("gitlab")).values()
    assert job["variables"]["GIT_DEPTH"] == 0
    work = _clone(upstream, tmp_path / "work", None)
    base = _git(work, "merge-base", "origin/main", "HEAD")
    env = _env(GITLAB_CI="true", CI_PIPELINE_SOURCE="merge_request_event",
               CI_MERGE_REQUEST_DIFF_BASE_SHA=base, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")

    def script() -> list[subprocess.CompletedProcess]:
        done = []
        for line in job["script"]:
            if line.startswith("pip install"):
                continue
            done.append(subprocess.run(["sh", "-e", "-c", line], cwd=work, env=env,
                                       capture_output=True, text=True))
            if done[-1].returncode:
                break
        return done

    first = script()
    assert [d.returncode for d in first] == [0, 0, 0, 1]  # the job fails on `stale`
    assert " TM501 1 commit changed covered paths" in first[-1].stdout
    reports = job["artifacts"]["reports"]["codequality"]
    validate_report, stale_report = (json.loads((work / r).read_text()) for r in reports)
    assert validate_report == []
    (issue,) = stale_report
    assert issue["check_name"] == "TM501 covered-paths-changed"
    assert issue["location"] == {"path": PATH, "lines": {"begin": 8}}

    _review_on_feature(upstream)
    _git(work, "pull", "-q", "--ff-only")
    assert [d.returncode for d in script()] == [0, 0, 0, 0]
    assert json.loads((work / reports[1]).read_text()) == []


# -- the plain script -------------------------------------------------------------------

def test_plain_script_deepens_a_shallow_clone(upstream, tmp_path):
    work = _clone(upstream, tmp_path / "work", 1)
    assert _git(work, "rev-parse", "--is-shallow-repository") == "true"
    (work / "ci").mkdir()
    (work / "ci" / "threat-models.sh").write_text(recipe("script"))
    refused = subprocess.run(["sh", "ci/threat-models.sh"], cwd=work, env=_env(),
                             capture_output=True, text=True)
    assert refused.returncode == 1, refused.stderr
    assert _git(work, "rev-parse", "--is-shallow-repository") == "false"
    assert " TM501 1 commit changed covered paths" in refused.stdout
    assert "TM505" not in refused.stdout

    _review_on_feature(upstream)
    _git(work, "pull", "-q", "--ff-only", "origin", "feature")
    passed = subprocess.run(["sh", "ci/threat-models.sh"], cwd=work, env=_env(),
                            capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr


# -- stale in CI, by itself ---------------------------------------------------------------

def test_from_ref_alone_ends_at_head(upstream, cli):
    upstream.git("checkout", "-q", "feature")
    result = cli(upstream.root, "stale", "--from-ref", "main", today="2026-07-01")
    assert result.code == 1 and " TM501 1 commit changed covered paths" in result.out
    assert cli(upstream.root, "stale", "--from-ref", "feature", today="2026-07-01").code == 0


def test_shallow_clone_outside_ci_warns_and_inside_fails(upstream, tmp_path, cli,
                                                         monkeypatch):
    _review_on_feature(upstream)
    work = _clone(upstream, tmp_path / "work", 1)
    outside = cli(work, "stale", today="2026-07-01")
    assert outside.code == 0 and " TM505 warning: the git history stops" in outside.out
    monkeypatch.setenv("CI", "true")
    inside = cli(work, "stale", today="2026-07-01")
    assert inside.code == 1
    (line,) = inside.lines
    assert f"{PATH}:6:1: TM505 the git history stops" in line  # an error: no "warning:"
    assert "GitLab with 'GIT_DEPTH: 0'" in line
    # a configured severity is the repository's choice, in CI too
    (work / ".threatmodel.yaml").write_text("rules: {TM505: warning}\n")
    assert cli(work, "stale", today="2026-07-01").code == 0


def test_pull_request_base_from_the_environment(upstream, cli, monkeypatch):
    upstream.git("checkout", "-q", "feature")
    upstream.git("update-ref", "refs/remotes/origin/main", "main")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    result = cli(upstream.root, "stale", "--format", "json", today="2026-07-01")
    assert result.code == 1 and json.loads(result.out)["mode"] == "range"
    monkeypatch.delenv("GITHUB_BASE_REF")
    monkeypatch.setenv("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "nope")
    missing = cli(upstream.root, "stale", today="2026-07-01")
    assert missing.code == 1
    assert "origin/nope (the base of this pull request, from " \
           "CI_MERGE_REQUEST_TARGET_BRANCH_NAME): no such commit" in missing.err
    # the pre-commit hook judges the staged change, whatever CI says
    upstream.write("services/checkout/api.py", "v3\n")
    upstream.git("add", "-A")
    staged = cli(upstream.root, "stale", "--staged", "--format", "json", today="2026-07-01")
    assert json.loads(staged.out)["mode"] == "staged"
