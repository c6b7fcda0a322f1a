"""``threatmodel schema``: the format as JSON Schema or a field reference."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK

NAME = "schema"
EXAMPLE = """examples:
  threatmodel schema > threatmodel.schema.json
  threatmodel schema --format markdown"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("schema", help="print the format as JSON Schema or a field reference")
    p.add_argument("--format", choices=("json", "markdown"), default="json",
                   help="JSON Schema (draft-07) or the field reference in Markdown (default: json)")


def run(args: argparse.Namespace) -> int:
    from importlib import resources

    from ..format.spec import field_reference

    if args.format == "markdown":
        sys.stdout.write(field_reference())
    else:
        schema = resources.files("mkdocs_threatmodel").joinpath("threatmodel.schema.json")
        sys.stdout.write(schema.read_text("utf-8"))
    return EXIT_OK
