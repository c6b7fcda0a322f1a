"""What ``stale`` does differently in CI: the base of a pull request, and shallow clones.

CI services set ``CI=true`` (GitHub Actions, GitLab CI and most others). There a model
whose verdict is unknown because the clone is shallow (TM505) is an error, with the fix,
unless ``.threatmodel.yaml`` sets TM505's severity itself: a check that cannot see the
history must not pass as if the models were fresh.
"""

from __future__ import annotations

import os
from dataclasses import replace

from ..findings.finding import Finding, Severity

SHALLOW_FIX = ("in CI, check out the whole history: actions/checkout with 'fetch-depth: 0', "
               "GitLab with 'GIT_DEPTH: 0' (or run git fetch --unshallow before this step)")


def in_ci() -> bool:
    """Whether this runs in CI (``CI`` set to ``true`` or ``1``, as CI services do)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pull_request_base() -> tuple[str, str] | None:
    """(the base ref of the pull or merge request being built, the variable it came from).

    GitHub's ``GITHUB_BASE_REF`` (set on pull request events only) is the target branch,
    read as ``origin/BRANCH``; GitLab's ``CI_MERGE_REQUEST_DIFF_BASE_SHA`` (the merge base),
    else ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME`` as ``origin/BRANCH``.
    """
    github = os.environ.get("GITHUB_BASE_REF", "").strip()
    if github:
        return f"origin/{github}", "GITHUB_BASE_REF"
    gitlab = os.environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", "").strip()
    if gitlab:
        return gitlab, "CI_MERGE_REQUEST_DIFF_BASE_SHA"
    target = os.environ.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "").strip()
    if target:
        return f"origin/{target}", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    return None


def unknown_blocks(findings: list[Finding], configured: bool) -> list[Finding]:
    """In CI, TM505 (unknown verdict) as an error that says how to fetch the history;
    unchanged elsewhere, or when the configuration sets TM505's severity."""
    if configured or not in_ci():
        return findings
    return [replace(f, severity=Severity.ERROR, message=f"{f.message}; {SHALLOW_FIX}")
            if f.code == "TM505" else f for f in findings]
