"""The ``export``, ``import`` and ``diff`` subcommands.

:mod:`mkdocs_threatmodel.cli` calls :func:`add_interop_commands` and merges
:data:`INTEROP_COMMANDS` into its table. This module imports only the standard library at
start-up; each handler imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import EXIT_OK, InputError, UsageError, exit_status
from ..workspace.git import MARKDOWN_SUFFIXES
from .options import folder

EXPORT_FORMATS = ("otm", "threat-dragon", "csv", "json")
IMPORT_FORMATS = ("otm", "threat-dragon")
_TOOL_NAMES = {"otm": "an Open Threat Model file", "threat-dragon": "a Threat Dragon model"}


def add_interop_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``export``, ``import`` and ``diff`` on the main parser's subcommands."""
    p = sub.add_parser("export", help="write a model as OTM, Threat Dragon, CSV or JSON")
    p.add_argument("models", nargs="+", metavar="MODEL",
                   help="model file (csv takes several and skips files that are not models)")
    p.add_argument("--to", required=True, choices=EXPORT_FORMATS, dest="to")
    p.add_argument("-o", dest="output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--site-url", metavar="URL",
                   help="csv: link each threat to its model's page under this site URL")
    p.add_argument("--docs-dir", metavar="DIR",
                   help="csv: the MkDocs docs folder (default: the nearest 'docs' above "
                   "each model)")

    p = sub.add_parser("import", help="write a Markdown model from an OTM or Threat Dragon "
                       "file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--from", dest="source", choices=IMPORT_FORMATS,
                   help="the file's format (default: recognised from its content)")
    p.add_argument("-o", dest="output", metavar="MODEL.md",
                   help="write the model here and validate it (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite MODEL.md if it exists")
    p.add_argument("--id", dest="model_id", metavar="ID", help="the model's id")
    p.add_argument("--owner", help="the model's owner, when the source names none")

    p = sub.add_parser("diff", help="what changed in the models between two git refs")
    p.add_argument("base", nargs="?", metavar="BASE",
                   help="default: the merge base of HEAD with main (or master, origin/HEAD)")
    p.add_argument("head", nargs="?", metavar="HEAD", help="default: the working tree")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def _write(output: str | None, text: str, force: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    if path.exists() and not force:
        raise InputError(f"{output} already exists; pass --force to overwrite it")
    if path.is_dir():
        raise InputError(f"{output} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w" if force else "x", encoding="utf-8", newline="") as handle:
        handle.write(text)
    print(f"wrote {output}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
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

        docs_dirs = {}
        if args.site_url:
            for model in models:
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
        else:
            from ..interop.json_export import model_to_json as convert
        text = json.dumps(convert(models[0]), indent=2, ensure_ascii=False) + "\n"
    _write(args.output, text, args.force)
    return EXIT_OK


def _detect(data: object) -> str | None:
    from ..interop import otm_import, threat_dragon_import

    if otm_import.detect(data):
        return "otm"
    if threat_dragon_import.detect(data):
        return "threat-dragon"
    return None


def cmd_import(args: argparse.Namespace) -> int:
    import re

    from ..findings.reports.text import line, summary
    from ..format.spec import ID_PATTERN
    from ..interop.importer import build
    from ..interop.loading import read_input
    from ..validation.engine import validate
    from ..workspace.repository import Repository, today

    if args.model_id is not None and not re.match(ID_PATTERN, args.model_id):
        raise UsageError(f"--id {args.model_id!r}: use letters, digits, '.', '_' and '-'")
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise UsageError(f"{args.output}: a model is a Markdown file (.md)")
    if output is not None and output.exists() and not args.force:
        raise InputError(f"{args.output} already exists; pass --force to overwrite it")
    data = read_input(args.file)
    found = _detect(data)
    source = args.source or found
    if source is None:
        raise InputError(f"{args.file}: neither an Open Threat Model file nor a Threat Dragon "
                         "model; pass --from if it is one")
    if found is not None and found != source:
        raise InputError(f"{args.file} is {_TOOL_NAMES[found]}, not "
                         f"{_TOOL_NAMES[source]}: use --from {found}")
    if source == "otm":
        from ..interop.otm_import import from_otm as read
    else:
        from ..interop.threat_dragon_import import from_threat_dragon as read
    draft = read(data, args.file)

    repo, rel, taken_models, taken_threats = None, None, {}, set()
    if output is not None:
        folder = output.resolve().parent
        while not folder.exists():
            folder = folder.parent
        repo = Repository.at(folder)
        try:
            rel = output.resolve().relative_to(repo.root).as_posix()
        except ValueError:
            rel = None
        taken_models, taken_threats = _taken_ids(repo, rel)
    imported = build(draft, source_name=Path(args.file).name, model_id=args.model_id,
                     owner=args.owner, taken_threats=taken_threats, today=today())
    if imported.model_id in taken_models:
        raise InputError(f"model id '{imported.model_id}' is already used by "
                         f"{taken_models[imported.model_id]}; pass --id")
    _write(args.output, imported.text, args.force)
    if repo is None or rel is None:
        return EXIT_OK
    result = validate(repo, only=[rel])
    for finding in result.findings:
        print(line(repo.root, finding))
    print(summary(result.findings, 1), file=sys.stderr)
    return exit_status(result.failed)


def _taken_ids(repo, skip: str | None) -> tuple[dict[str, str], set[str]]:
    """Model ids (-> path) and threat ids of the repository's other models."""
    from ..format.source import read_source
    from ..validation.engine import model_ids

    models: dict[str, str] = {}
    threats: set[str] = set()
    for rel in repo.model_paths():
        if rel == skip:
            continue
        src = read_source(rel, repo.read(rel))
        if not src.ok:
            continue
        ids = model_ids(src)
        if ids.id:
            models.setdefault(ids.id, rel)
        threats.update(tid for tid, _path in ids.threats)
    return models, threats


def cmd_diff(args: argparse.Namespace) -> int:
    from ..diff.compare import compare, snapshots
    from ..diff.report import to_json, to_markdown

    diff = compare(*snapshots(folder(args.directory), args.base, args.head))
    sys.stdout.write(to_json(diff) if args.format == "json" else to_markdown(diff))
    return EXIT_OK


INTEROP_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "export": cmd_export, "import": cmd_import, "diff": cmd_diff}
