"""``threatmodel export``: a model as OTM, Threat Dragon, Threat Composer, CSV or JSON."""

from __future__ import annotations

import argparse
import sys

from ..errors import EXIT_OK, InputError, UsageError
from .output import write_output

EXPORT_FORMATS = ("otm", "threat-dragon", "threat-composer", "csv", "json")
NAME = "export"
EXAMPLE = """examples:
  threatmodel export docs/threat-models/checkout.md --to otm -o checkout.otm.json
  threatmodel export docs/threat-models/*.md --to csv --site-url https://docs.example.com/"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("export", help="write a model as OTM, Threat Dragon, Threat Composer, "
                       "CSV or JSON")
    p.add_argument("models", nargs="+", metavar="MODEL",
                   help="model file (csv takes several and skips files that are not models)")
    p.add_argument("--to", required=True, choices=EXPORT_FORMATS, dest="to",
                   help="the format to write")
    p.add_argument("-o", dest="output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--site-url", metavar="URL",
                   help="csv: link each threat to its model's page under this site URL")
    p.add_argument("--docs-dir", metavar="DIR",
                   help="csv: the MkDocs docs folder (default: the nearest 'docs' above "
                   "each model)")


def run(args: argparse.Namespace) -> int:
    import json

    from ..findings.reports.text import line
    from ..interop.loading import load_models

    if args.to != "csv" and len(args.models) != 1:
        raise UsageError(f"--to {args.to} exports one model; csv takes several")
    if args.to != "csv" and (args.site_url or args.docs_dir):
        raise UsageError("--site-url and --docs-dir are for --to csv")
    repo, models, stops = load_models(args.models, skip_others=args.to == "csv")
    if stops:
        for finding in stops:
            print(line(repo.root, finding), file=sys.stderr)
        raise InputError(f"{len(stops)} error(s) in the model; an export would carry them "
                         "over: fix them first (threatmodel validate)")
    if args.to == "csv":
        from ..interop.csv_export import docs_dir_of, to_csv

        docs_dirs: dict[str, str] = {}
        if args.site_url:
            for model in models:
                docs: str | None
                if args.docs_dir:
                    try:
                        docs = repo.relative(args.docs_dir)
                    except ValueError:
                        raise UsageError(f"--docs-dir {args.docs_dir}: outside the "
                                         "repository") from None
                else:
                    docs = docs_dir_of(model.path)
                if docs is None:
                    raise UsageError(f"{model.path} is not under a 'docs' folder; pass "
                                     "--docs-dir")
                docs_dirs[model.path] = docs
        text = to_csv(models, args.site_url, docs_dirs)
    else:
        if args.to == "otm":
            from ..interop.otm import to_otm as convert
        elif args.to == "threat-dragon":
            from ..interop.threat_dragon import to_threat_dragon as convert
        elif args.to == "threat-composer":
            from ..interop.threat_composer import to_threat_composer as convert
        else:
            from ..interop.json_export import model_to_json as convert
        text = json.dumps(convert(models[0]), indent=2, ensure_ascii=False) + "\n"
    write_output(args.output, text, args.force)
    return EXIT_OK
