"""``threatmodel stale``: models whose covered paths or ADRs changed since their review."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import UsageError
from .options import date, folder

NAME = "stale"
EXAMPLE = """examples:
  threatmodel stale
  threatmodel stale --staged
  threatmodel stale --from-ref origin/main --to-ref HEAD --format sarif > stale.sarif"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("stale", help="find models whose covered paths or ADRs changed since "
                       "their last review, or whose review is overdue")
    p.add_argument("--format", choices=("text", "json", "sarif", "github", "gitlab"),
                   default="text",
                   help="text lines (default), JSON, SARIF 2.1.0 for code scanning, GitHub "
                   "workflow-command annotations, or GitLab code quality JSON")
    p.add_argument("--staged", action="store_true",
                   help="judge the commit being made (for the pre-commit hook)")
    p.add_argument("--from-ref", metavar="A",
                   help="judge the range A..B (default: PRE_COMMIT_FROM_REF, as pre-commit "
                   "sets it at the pre-push stage; it then takes precedence over --staged)")
    p.add_argument("--to-ref", metavar="B",
                   help="the end of the range (default: PRE_COMMIT_TO_REF, else HEAD). "
                   "Without either ref, in a pull or merge request build the range starts "
                   "at its base: origin/$GITHUB_BASE_REF, $CI_MERGE_REQUEST_DIFF_BASE_SHA "
                   "or origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge review ages as of this date")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor keep history snapshots, model declarations or "
                   "parsed models")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def run(args: argparse.Namespace) -> int:
    from ..staleness.ci import pull_request_base
    from ..staleness.report import run_stale

    start = folder(args.directory)
    if args.to_ref and not args.from_ref:
        raise UsageError("--to-ref needs --from-ref")
    if args.staged and args.from_ref:
        raise UsageError("--staged and --from-ref/--to-ref do not go together")
    base_from = "--from-ref"
    if not args.from_ref and os.environ.get("PRE_COMMIT_FROM_REF"):
        args.from_ref = os.environ["PRE_COMMIT_FROM_REF"]
        args.to_ref = os.environ.get("PRE_COMMIT_TO_REF") or "HEAD"
        args.staged = False  # pre-push: the range, not the index
    elif not args.from_ref and not args.staged:
        args.from_ref, base_from = pull_request_base() or (None, base_from)
    on = date(args.today)
    os.chdir(start)
    return run_stale(Path.cwd(), args.format, staged=args.staged, since=args.from_ref,
                     until=args.to_ref or ("HEAD" if args.from_ref else None), on=on,
                     use_cache=not args.no_cache, base_from=base_from)
