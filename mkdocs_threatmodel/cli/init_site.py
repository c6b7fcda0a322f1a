"""``threatmodel init-site``: write the short marker pages a site keeps when no plugin
generates them (Zensical, ``render``): register, mitigations, owners, freshness and risk
over time."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError

NAME = "init-site"
EXAMPLE = """examples:
  threatmodel init-site
  threatmodel init-site docs --owners '' --register security/register.md"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("init-site", help="write the register, mitigations, owners, freshness "
                       "and risk marker pages into a docs folder")
    p.add_argument("docs", nargs="?", default="docs", metavar="DOCS_DIR",
                   help="the docs folder (default: docs)")
    for kind, flag in (("register", "--register"), ("mitigation-register", "--mitigations"),
                       ("owners", "--owners"), ("staleness", "--staleness"),
                       ("risk", "--risk")):
        p.add_argument(flag, dest=kind, metavar="PATH",
                       help=f"where the {kind} page goes in DOCS_DIR ('' for none)")


def run(args: argparse.Namespace) -> int:
    from ..render.markers import marker_pages

    docs = Path(args.docs)
    if not docs.is_dir():
        raise UsageError(f"{args.docs}: not a folder")
    chosen = {kind: getattr(args, kind) for kind in
              ("register", "mitigation-register", "owners", "staleness", "risk")
              if getattr(args, kind) is not None}
    for path in chosen.values():
        if path and (Path(path).is_absolute() or ".." in Path(path).parts
                     or not path.endswith(".md")):
            raise UsageError(f"{path}: give a .md path inside {args.docs}")
    for path, text in marker_pages(chosen).items():
        target = docs / path
        if target.exists():
            print(f"kept {target} (it exists)", file=sys.stderr)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(f"wrote {target}", file=sys.stderr)
    return EXIT_OK
