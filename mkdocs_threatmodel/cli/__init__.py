"""The ``threatmodel`` command: validate, new, schema and rules.

Exit status (:mod:`.errors`): 0 when nothing failed, 1 when a check found errors or input
was bad, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import __version__
from ..errors import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Failure,
    InputError,
    UsageError,
    exit_status,
    print_error,
)
from ..workspace.git import MARKDOWN_SUFFIXES
from .interop import INTEROP_COMMANDS, add_interop_commands
from .options import date, folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="threatmodel",
                                     description="Threat models as code: check, scaffold, "
                                     "describe.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("validate", help="check models; with PATHs, only those files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--strict", action="store_true",
                   help="ask for every applicable STRIDE letter of every element (TM303)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge expiry as of this date")
    p.add_argument("--no-cache", action="store_true",
                   help="parse every model again instead of reusing unchanged ones")
    p.add_argument("--staged", action="store_true",
                   help="check the models as staged in git's index (for a plain git hook)")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")

    p = sub.add_parser("stale", help="find models whose covered paths or ADRs changed since "
                       "their last review, or whose review is overdue")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--staged", action="store_true",
                   help="judge the commit being made (for the pre-commit hook)")
    p.add_argument("--from-ref", metavar="A",
                   help="judge the range A..B (default: PRE_COMMIT_FROM_REF, as pre-commit "
                   "sets it at the pre-push stage; it then takes precedence over --staged)")
    p.add_argument("--to-ref", metavar="B", help="(default: PRE_COMMIT_TO_REF)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge review ages as of this date")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor keep history snapshots, model declarations or "
                   "parsed models")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".")

    p = sub.add_parser("review", help="record a review of models (reviewed.date and .by)")
    p.add_argument("models", nargs="+", metavar="MODEL")
    p.add_argument("--by", metavar="NAME", help="who reviewed (default: git's user.name)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="when (default: today)")

    p = sub.add_parser("new", help="write a new model skeleton")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--id", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--adr", action="append", default=[], metavar="ADR")
    p.add_argument("--owner")

    p = sub.add_parser("schema", help="print the format as JSON Schema or a field reference")
    p.add_argument("--format", choices=("json", "markdown"), default="json")

    p = sub.add_parser("rules", help="list every rule code")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    add_interop_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except Failure as exc:
        print_error(exc)
        return exc.exit_code
    except OSError as exc:
        print_error(exc)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def run() -> None:
    """The console script. A run is one short-lived process, so Python's cyclic garbage
    collector is left off: it would rescan the many small objects of a long history again
    and again (a third of a ``stale`` run) to free nearly nothing."""
    import gc

    gc.disable()
    sys.exit(main())


def cmd_validate(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..findings.reports import FORMATS
    from ..findings.reports.text import summary
    from ..format.source import looks_like_model
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
        only = []
        for given in args.paths:
            path = Path(given)
            if not path.exists():
                raise UsageError(f"{given}: no such file")
            if path.is_dir():
                raise UsageError(f"{given}: is a folder; give model files, or no path for all")
            try:
                only.append(repo.relative(path))
            except ValueError:
                raise UsageError(f"{given}: outside the repository at {repo.root}") from None
        only = [p for p in only if looks_like_model(repo.read(p))]
    result = validate(repo, only, on, use_cache=not args.no_cache)
    sys.stdout.write(FORMATS[args.format](repo.root, result.findings, len(result.checked)))
    if args.format == "text":
        print(summary(result.findings, len(result.checked)), file=sys.stderr)
    return exit_status(result.failed)


def cmd_new(args: argparse.Namespace) -> int:
    import re

    from ..format.scaffold import relative_adr, skeleton
    from ..format.spec import ID_PATTERN

    path = Path(args.path)
    if not re.match(ID_PATTERN, args.id):
        raise UsageError(f"--id {args.id!r}: use letters, digits, '.', '_' and '-'")
    if path.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise UsageError(f"{args.path}: a model is a Markdown file (.md)")
    if path.exists():
        raise InputError(f"{args.path} already exists; not overwriting it")
    adrs = []
    for adr in args.adr:
        if not Path(adr).is_file():
            raise UsageError(f"--adr {adr}: no such file")
        adrs.append(relative_adr(path, Path(adr)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(skeleton(args.id, args.title, args.owner, adrs))
    print(f"wrote {args.path}", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from importlib import resources

    from ..format.spec import field_reference

    if args.format == "markdown":
        sys.stdout.write(field_reference())
    else:
        schema = resources.files("mkdocs_threatmodel").joinpath("threatmodel.schema.json")
        sys.stdout.write(schema.read_text("utf-8"))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from ..findings.rules import RULES

    rules = list(RULES.values())
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                           "enabled": r.enabled, "summary": r.summary, "why": r.why,
                           "fix": r.fix} for r in rules], indent=2))
    elif args.format == "markdown":
        print("| code | name | default | what it finds | why | fix |")
        print("|---|---|---|---|---|---|")
        for r in rules:
            default = r.severity.value if r.enabled else f"off ({r.severity.value} when on)"
            print(f"| {r.code} | `{r.name}` | {default} | {r.summary} | {r.why} | {r.fix} |")
    else:
        for r in rules:
            state = r.severity.value if r.enabled else "off"
            print(f"{r.code}  {r.name:<34} {state:<8} {r.summary}")
    return EXIT_OK


def cmd_stale(args: argparse.Namespace) -> int:
    from ..staleness.report import run_stale

    start = folder(args.directory)
    if bool(args.from_ref) != bool(args.to_ref):
        raise UsageError("--from-ref and --to-ref go together")
    if args.staged and args.from_ref:
        raise UsageError("--staged and --from-ref/--to-ref do not go together")
    if not args.from_ref and os.environ.get("PRE_COMMIT_FROM_REF"):
        args.from_ref = os.environ["PRE_COMMIT_FROM_REF"]
        args.to_ref = os.environ.get("PRE_COMMIT_TO_REF") or "HEAD"
        args.staged = False  # pre-push: the range, not the index
    on = date(args.today)
    os.chdir(start)
    return run_stale(Path.cwd(), args.format, staged=args.staged, since=args.from_ref,
                     until=args.to_ref, on=on, use_cache=not args.no_cache)


def cmd_review(args: argparse.Namespace) -> int:
    from ..staleness.review import run_review

    on = date(args.date, "--date")
    return run_review([Path(m) for m in args.models], by=args.by, on=on)


_COMMANDS = {"validate": cmd_validate, "stale": cmd_stale, "review": cmd_review,
             "new": cmd_new, "schema": cmd_schema, "rules": cmd_rules}
_COMMANDS.update(INTEROP_COMMANDS)
