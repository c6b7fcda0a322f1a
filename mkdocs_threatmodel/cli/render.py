"""``threatmodel render``: write every page of a docs folder, views included, as plain
CommonMark for any site generator."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError, exit_status

NAME = "render"
EXAMPLE = """examples:
  threatmodel render docs --out build/docs
  threatmodel render --out public --redact open --staleness show"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("render", help="write every page with its views as plain Markdown "
                       "(Zensical, Hugo, Docusaurus, Sphinx with MyST)")
    p.add_argument("docs", nargs="?", default="docs", metavar="DOCS_DIR",
                   help="the docs folder (default: docs)")
    p.add_argument("--out", required=True, metavar="DIR", help="where the pages go")
    p.add_argument("--redact", choices=("none", "open", "unmitigated", "all"), default="none",
                   help="leave out the details of these threats, for a public site "
                   "(default: none)")
    p.add_argument("--ticket-url", metavar="URL", help="tracker URL containing {ticket}")
    p.add_argument("--staleness", choices=("report", "show", "off"), default="report",
                   help="report: stale findings are printed; show: they are on the pages; "
                   "off: no git, freshness from review dates only (default: report)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="judge expiry as of this date")


def run(args: argparse.Namespace) -> int:
    import re

    from ..findings.finding import Severity
    from ..findings.reports.text import line
    from ..render.docs import DocsOptions
    from ..render.engine import render_site
    from .options import date

    docs = Path(args.docs)
    if not docs.is_dir():
        raise UsageError(f"{args.docs}: not a folder")
    out = Path(args.out)
    inside = docs.resolve() in (out.resolve(), *out.resolve().parents)
    if inside or out.resolve() in docs.resolve().parents:
        raise UsageError(f"--out {args.out}: must be outside the docs folder {args.docs} "
                         "(and not hold it)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: not a folder")
    if args.ticket_url and (not re.match(r"^https?://", args.ticket_url)
                            or "{ticket}" not in args.ticket_url):
        raise UsageError("--ticket-url must be an http(s) URL containing {ticket}")
    options = DocsOptions(redact=args.redact, ticket_url=args.ticket_url,
                          staleness=args.staleness)
    on = date(args.today)
    rendered = render_site(docs, out, options, on=on)
    site = rendered.site
    findings = site.findings + (site.stale_findings if args.staleness == "report" else [])
    for finding in findings:
        print(line(site.repo.root, finding), file=sys.stderr)
    for note in site.notes:
        print(note, file=sys.stderr)
    for warning in rendered.warnings:
        print(warning, file=sys.stderr)
    pages = sum(p.endswith(".md") for p in rendered.written)
    print(f"wrote {pages} pages to {args.out}", file=sys.stderr)
    return exit_status(any(f.severity is Severity.ERROR for f in findings))
