"""``threatmodel stale``: run a judgement (HEAD, the staged commit, or a range) and report it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import UsageError, exit_status, printable
from ..findings.finding import Finding, Position, Severity
from ..findings.reports import render
from ..findings.reports.json_report import dump_json, finding_dict
from ..findings.reports.text import display_path
from ..findings.rules import RULES
from ..workspace import git
from ..workspace.repository import Repository
from .ci import unknown_blocks
from .judge import Assessment, ModelStaleness
from .staged import staged_blocks, staged_finding

if TYPE_CHECKING:
    import datetime as dt


def run_stale(start: Path, fmt: str, *, staged: bool = False, since: str | None = None,
              until: str | None = None, on: dt.date | None = None, use_cache: bool = True,
              base_from: str = "--from-ref") -> int:
    """Judge, print the report, and return the exit status (1 when an error remains)."""
    repo = Repository.at(start)
    if not repo.in_git:
        raise git.GitError(f"{repo.root} is not in a git repository: staleness comes from "
                           "git history")
    cap = None if repo.config.stale_existing == "block" else Severity.WARNING
    findings: list[Finding] = []
    mode = "head"
    if staged:
        mode = "staged"
        # The blocks read the index; the judgement below reads HEAD and the work tree.
        touched = staged_blocks(repo, use_cache)
        for block in touched:
            if not block.reviewed:
                finding = staged_finding(repo, block)
                finding.related = [(p, Position()) for p in block.paths]
                findings.append(finding)
        # Staleness already there is judged for the models this change touches (and does
        # not review) only: the hook stays fast, and speaks of what the commit is about.
        only = {b.path for b in touched if not b.reviewed}
        assessment = Assessment(repo, on, use_cache, only=only)
        if only:
            assessment.run()
        findings += assessment.findings(existing=cap)
    elif since:
        mode = "range"
        head = git.resolve(repo.root, until or "HEAD")
        if head is None:
            raise UsageError(f"--to-ref {until}: no such commit")
        base = git.resolve(repo.root, since) if since.strip("0") else None
        if base is None and since.strip("0"):
            if base_from != "--from-ref":  # the pull request's base, which CI did not fetch
                raise git.GitError(
                    f"{since} (the base of this pull request, from {base_from}): no such "
                    "commit in this clone; fetch it: actions/checkout with 'fetch-depth: 0' "
                    f"(GitLab: 'GIT_DEPTH: 0'), or git fetch origin {since.split('/', 1)[-1]}")
            raise UsageError(f"--from-ref {since}: no such commit")
        assessment = Assessment(repo, on, use_cache, rev=head, since=base)
        assessment.run()
        findings += assessment.findings(existing=cap if base else Severity.WARNING)
    else:
        assessment = Assessment(repo, on, use_cache)
        assessment.run()
        findings += assessment.findings()
    findings = unknown_blocks(findings, configured="TM505" in repo.config.severities)
    findings += _config_findings(repo)
    results = assessment.results
    _relate_changed_paths(findings, results)
    findings.sort(key=Finding.sort_key)
    if fmt == "json":
        sys.stdout.write(render_stale_json(mode, results, findings))
    else:
        sys.stdout.write(render(fmt, repo.root, findings, len(results), "stale"))
    if fmt in ("text", "github"):
        print(_summary(repo, results, findings, mode), file=sys.stderr)
        if assessment.wants_commit_graph():
            print(COMMIT_GRAPH_HINT, file=sys.stderr)
    return exit_status(any(f.severity is Severity.ERROR for f in findings))


def _config_findings(repo: Repository) -> list[Finding]:
    """What is wrong with ``.threatmodel.yaml`` (TM901), as ``validate`` says it: a setting
    that cannot be read is never dropped in silence."""
    out = []
    for finding in repo.config.findings:
        severity = repo.config.severity(finding.code)
        if severity is not None:
            finding.severity = severity
            out.append(finding)
    return out


def _relate_changed_paths(findings: list[Finding], results: dict[str, ModelStaleness]) -> None:
    """Give each TM501/TM502 finding the changed paths of its evidence as related places
    (SARIF puts them on the code that changed)."""
    for f in findings:
        if f.code in ("TM501", "TM502") and f.path in results and not f.related:
            for reason in results[f.path].reasons:
                if reason.code == f.code:
                    f.related = [(p, Position()) for p in reason.paths]


COMMIT_GRAPH_HINT = (
    "Hint: this history is long and the repository has no commit-graph; git reads it much "
    "faster with one: git commit-graph write --reachable --changed-paths (git maintenance "
    "start keeps it up to date).")


def _summary(repo: Repository, results: dict[str, ModelStaleness], findings: list[Finding],
             mode: str) -> str:
    """What blocks and why, first; then how many models are stale."""
    stale = sum(r.state == "stale" for r in results.values())
    unknown = sum(r.state == "unknown" for r in results.values())
    why: dict[str, set[str]] = {}
    config = []
    for f in findings:
        if f.severity is Severity.ERROR and f.code == "TM901":
            config.append(f)
        elif f.severity is Severity.ERROR:
            why.setdefault(display_path(repo.root, f.path), set()).add(f.code)
    judged = f"{stale} of {len(results)} model{'s' if len(results) != 1 else ''} stale"
    if unknown:
        judged += f", {unknown} unknown"
    if config:
        where = display_path(repo.root, config[0].path)
        count = f"{len(config)} problem{'s' if len(config) != 1 else ''}"
        judged = f"Blocked: {where} has {count} (TM901 bad-config). {judged[0].upper()}" \
                 + judged[1:]
    if mode == "head" and not why:
        return printable(judged + ".")
    where = {"head": "", "staged": " in the history before this commit",
             "range": ""}[mode]
    if not why:
        return printable(f"{judged}{where}." if config else f"Nothing blocks; {judged}{where}.")
    reasons = "; ".join(
        f"{path} ({', '.join(f'{c} {RULES[c].name}' if c in RULES else c for c in sorted(codes))})"
        for path, codes in sorted(why.items()))
    plural = "s need" if len(why) != 1 else " needs"
    return printable(f"Blocked: {len(why)} model{plural} a review: {reasons}. "
                     f"Judged: {judged}{where}.")


def _commit(c: git.Commit) -> dict:
    return {"sha": c.sha, "short": c.short, "date": c.date, "author": c.author,
            "subject": c.subject}


def render_stale_json(mode: str, results: dict[str, ModelStaleness],
                      findings: list[Finding]) -> str:
    """The stale report as JSON (format version 1, documented in the README)."""
    models = []
    for path, r in sorted(results.items()):
        models.append({
            "path": path, "state": r.state,
            "reviewed": r.reviewed.isoformat() if r.reviewed else None,
            "reviewed_by": r.reviewed_by,
            "due": r.due.isoformat() if r.due else None,
            "review_point": _commit(r.review_point) if r.review_point else None,
            "reasons": [{"code": x.code, "message": x.message, "introduced": x.introduced,
                         "command": x.command, "paths": x.paths, "count": len(x.commits),
                         "commits": [_commit(c) for c in x.commits]} for x in r.reasons],
        })
    doc = {
        "version": 1, "tool": {"name": "threatmodel", "version": __version__}, "mode": mode,
        "summary": {"models": len(results),
                    "stale": sum(r.state == "stale" for r in results.values()),
                    "unknown": sum(r.state == "unknown" for r in results.values()),
                    "errors": sum(f.severity is Severity.ERROR for f in findings),
                    "warnings": sum(f.severity is Severity.WARNING for f in findings)},
        "models": models,
        "findings": [finding_dict(f) for f in findings],
    }
    return dump_json(doc)
