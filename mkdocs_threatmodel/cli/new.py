"""``threatmodel new``: write a new model skeleton."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, InputError, UsageError, printable
from ..workspace.git import MARKDOWN_SUFFIXES

NAME = "new"
EXAMPLE = """example:
  threatmodel new docs/threat-models/checkout.md --id checkout --title "Guest checkout" \\
      --adr docs/adr/0007-guest-checkout.md --owner team-checkout"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("new", help="write a new model skeleton")
    p.add_argument("path", metavar="PATH", help="the model file to write (.md); never overwritten")
    p.add_argument("--id", required=True, help="the model's id (letters, digits, '.', '_', '-')")
    p.add_argument("--title", required=True, help="the model's title")
    p.add_argument("--adr", action="append", default=[], metavar="ADR",
                   help="an ADR file the model rests on (repeat for several)")
    p.add_argument("--owner", help="the default owner of its threats")


def run(args: argparse.Namespace) -> int:
    from ..format.scaffold import relative_adr, skeleton
    from ..format.spec import is_id
    from ..workspace.files import write_whole

    path = Path(args.path)
    if not is_id(args.id):
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
    write_whole(path, skeleton(args.id, args.title, args.owner, adrs).encode("utf-8"))
    print(printable(f"wrote {args.path}"), file=sys.stderr)
    return EXIT_OK
