"""``threatmodel diff``: what changed in the models between two git refs."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK
from .options import folder

NAME = "diff"
EXAMPLE = """examples:
  threatmodel diff
  threatmodel diff origin/main HEAD --format json"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("diff", help="what changed in the models between two git refs")
    p.add_argument("base", nargs="?", metavar="BASE",
                   help="default: the merge base of HEAD with main (or master, origin/HEAD)")
    p.add_argument("head", nargs="?", metavar="HEAD", help="default: the working tree")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown",
                   help="a Markdown summary or JSON (default: markdown)")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def run(args: argparse.Namespace) -> int:
    from ..diff.compare import compare, snapshots
    from ..diff.report import to_json, to_markdown

    diff = compare(*snapshots(folder(args.directory), args.base, args.head))
    sys.stdout.write(to_json(diff) if args.format == "json" else to_markdown(diff))
    return EXIT_OK
