"""``threatmodel import``: a Markdown model from an OTM, Threat Dragon, pytm, Threagile or
Threat Composer file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import EXIT_OK, InputError, UsageError, exit_status
from ..workspace.git import MARKDOWN_SUFFIXES
from .output import write_output

if TYPE_CHECKING:
    from ..workspace.repository import Repository

IMPORT_FORMATS = ("otm", "threat-dragon", "pytm", "threagile", "threat-composer")
_TOOL_NAMES = {"otm": "an Open Threat Model file",
               "threat-dragon": "a Threat Dragon model",
               "pytm": "a pytm JSON report",
               "threagile": "a Threagile model",
               "threat-composer": "a Threat Composer export"}
# format -> (module in interop, its reader); detect() of each module, in this order
_READERS = {"otm": ("otm_import", "from_otm"),
            "threat-dragon": ("threat_dragon_import", "from_threat_dragon"),
            "pytm": ("pytm_import", "from_pytm"),
            "threat-composer": ("threat_composer_import", "from_threat_composer"),
            "threagile": ("threagile_import", "from_threagile")}
NAME = "import"
EXAMPLE = """examples:
  threatmodel import checkout.otm.json -o docs/threat-models/checkout.md
  threatmodel import dragon.json --from threat-dragon --id checkout --owner team-checkout"""


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("import", help="write a Markdown model from an OTM, Threat Dragon, "
                       "pytm, Threagile or Threat Composer file")
    p.add_argument("file", metavar="FILE", help="the file to import")
    p.add_argument("--from", dest="source", choices=IMPORT_FORMATS,
                   help="the file's format (default: recognised from its content)")
    p.add_argument("-o", dest="output", metavar="MODEL.md",
                   help="write the model here and validate it (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite MODEL.md if it exists")
    p.add_argument("--id", dest="model_id", metavar="ID", help="the model's id")
    p.add_argument("--owner", help="the model's owner, when the source names none")


def _module(fmt: str) -> ModuleType:
    import importlib

    return importlib.import_module(f"..interop.{_READERS[fmt][0]}", __package__)


def _detect(data: object) -> str | None:
    for fmt in _READERS:
        if _module(fmt).detect(data):
            return fmt
    return None


def run(args: argparse.Namespace) -> int:
    from ..findings.reports.text import line, summary
    from ..format.spec import is_id
    from ..interop.importer import build
    from ..interop.yaml_labels import read_labelled
    from ..validation.engine import validate
    from ..workspace.repository import Repository, today

    if args.model_id is not None and not is_id(args.model_id):
        raise UsageError(f"--id {args.model_id!r}: use letters, digits, '.', '_' and '-'")
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise UsageError(f"{args.output}: a model is a Markdown file (.md)")
    if output is not None and output.exists() and not args.force:
        raise InputError(f"{args.output} already exists; pass --force to overwrite it")
    loaded = read_labelled(args.file)
    data = loaded.data
    found = _detect(data)
    source = args.source or found
    if source is None:
        raise InputError(f"{args.file}: not an Open Threat Model file, Threat Dragon model, "
                         "pytm JSON report, Threagile model or Threat Composer export; pass "
                         "--from if it is one")
    if found is not None and found != source:
        raise InputError(f"{args.file} is {_TOOL_NAMES[found]}, not "
                         f"{_TOOL_NAMES[source]}: use --from {found}")
    if loaded.alias is not None and source != "threagile":
        raise InputError(loaded.alias)
    draft = getattr(_module(source), _READERS[source][1])(data, args.file)

    repo: Repository | None = None
    rel: str | None = None
    taken_models: dict[str, str] = {}
    taken_threats: set[str] = set()
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
    write_output(args.output, imported.text, args.force)
    if repo is None or rel is None:
        return EXIT_OK
    result = validate(repo, only=[rel])
    for finding in result.findings:
        print(line(repo.root, finding))
    print(summary(result.findings, 1), file=sys.stderr)
    return exit_status(result.failed)


def _taken_ids(repo: Repository, skip: str | None) -> tuple[dict[str, str], set[str]]:
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
