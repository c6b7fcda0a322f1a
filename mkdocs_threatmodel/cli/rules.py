"""``threatmodel rules``: every rule code with its documentation."""

from __future__ import annotations

import argparse
import json

from ..errors import EXIT_OK

NAME = "rules"
EXAMPLE = """examples:
  threatmodel rules | grep TM5
  threatmodel rules --format json"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("rules", help="list every rule code")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="one line per rule, JSON, or a Markdown table (default: text)")


def run(args: argparse.Namespace) -> int:
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
