"""``threatmodel validate``: check models; with paths, only those files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError, exit_status
from .options import date, folder

if TYPE_CHECKING:
    from ..workspace.repository import Repository

NAME = "validate"
EXAMPLE = """examples:
  threatmodel validate
  threatmodel validate docs/threat-models/checkout.md --format sarif > validate.sarif
  threatmodel validate --staged -C services/api"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("validate", help="check models; with PATHs, only those files")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="model files to check (default: every model of the repository)")
    p.add_argument("--format", choices=("text", "json", "sarif", "github", "gitlab"),
                   default="text",
                   help="text lines (default), JSON, SARIF 2.1.0 for code scanning, GitHub "
                   "workflow-command annotations, or GitLab code quality JSON")
    p.add_argument("--strict", action="store_true",
                   help="ask for every applicable STRIDE letter of every element (TM303)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge expiry as of this date")
    p.add_argument("--no-cache", action="store_true",
                   help="parse every model again instead of reusing unchanged ones")
    p.add_argument("--staged", action="store_true",
                   help="check the models as staged in git's index (for a plain git hook)")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..findings.reports import render
    from ..findings.reports.text import summary
    from ..validation.engine import validate
    from ..workspace.repository import Repository

    start = folder(args.directory)
    on = date(args.today)
    os.chdir(start)
    repo = Repository.at(Path.cwd())
    if args.staged:
        if not repo.in_git:
            raise UsageError("--staged needs a git repository")
        repo = repo.as_staged()
    if args.strict:
        repo = repo.with_config(replace(repo.config, strict=True))
    only = None
    if args.paths:
        only = [_named(repo, given) for given in args.paths]
        only = [p for p in only if repo.named_model(p)]
    result = validate(repo, only, on, use_cache=not args.no_cache)
    sys.stdout.write(render(args.format, repo.root, result.findings, len(result.checked),
                            "validate"))
    if args.format in ("text", "github"):
        print(summary(result.findings, len(result.checked)), file=sys.stderr)
    return exit_status(result.failed)


def _named(repo: Repository, given: str) -> str:
    """The repository path of a file the user named; a symbolic link stands for its target,
    and one that leaves the repository is refused (said as TM009, never read)."""
    from ..workspace.files import Unreadable

    path = Path(given)
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{given}: no such file")
    if path.is_dir():
        raise UsageError(f"{given}: is a folder; give model files, or no path for all")
    try:
        rel = repo.relative(path)
    except ValueError:
        raise UsageError(f"{given}: outside the repository at {repo.root}") from None
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return rel
    try:
        return repo.relative(real)
    except ValueError:
        repo.refuse(rel, Unreadable(given, "symlink", "is a symbolic link that leaves the "
                                    "repository"))
        return rel
