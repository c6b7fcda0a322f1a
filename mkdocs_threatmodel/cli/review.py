"""``threatmodel review``: record a review of models."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .options import date, folder, moment

NAME = "review"
EXAMPLE = """examples:
  threatmodel review docs/threat-models/checkout.md
  threatmodel review docs/threat-models/*.md --by "Ann Lee" --date 2026-11-30"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("review", help="record a review of models (reviewed.date and .by)")
    p.add_argument("models", nargs="+", metavar="MODEL", help="model files reviewed")
    p.add_argument("--by", metavar="NAME", help="who reviewed (default: git's user.name)")
    p.add_argument("--date", metavar="YYYY-MM-DD[THH:MM]",
                   help="when (default: today; the time of day is added when the model "
                   "already records a review by the same person that day)")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def run(args: argparse.Namespace) -> int:
    from ..staleness.review import run_review

    on = moment(args.date) if args.date and len(args.date) > 10 else date(args.date, "--date")
    os.chdir(folder(args.directory))
    return run_review([Path(m) for m in args.models], by=args.by, on=on)
