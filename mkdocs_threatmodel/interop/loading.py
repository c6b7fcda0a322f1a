"""Read what the interop commands work on: a repository's model for export, a file to import.

A model is exported only when it can be read faithfully: syntax, schema and in-model
reference errors (TM0xx, TM1xx, TM201-TM206, TM209) stop the export; other findings
(ownership, STRIDE coverage, expiry) do not change what the file says and do not.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings.finding import Finding, Severity
from ..format.model import Model
from ..format.source import looks_like_model, read_yaml
from ..validation.engine import validate
from ..workspace.files import read_file
from ..workspace.repository import Repository

MAX_INPUT_BYTES = 32 * 1024 * 1024
_BLOCKING = ("TM0", "TM1", "TM201", "TM202", "TM203", "TM204", "TM205", "TM206", "TM209")


def blocking(finding: Finding) -> bool:
    """Whether a finding means the model cannot be exported faithfully."""
    return finding.severity is Severity.ERROR and finding.code.startswith(_BLOCKING)


def load_models(paths: list[str], skip_others: bool = False
                ) -> tuple[Repository, list[Model], list[Finding]]:
    """The typed models of model files, and the findings that stop their export.

    Raises :class:`InputError` for a path that is missing or, unless ``skip_others``, is
    not a model (Markdown without a ``threatmodel`` key).
    """
    if not paths:
        raise InputError("no model given")
    resolved = []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise InputError(f"{given}: no such file")
        resolved.append(path.resolve())
    repo = Repository.at(resolved[0].parent)
    rels = []
    for given, path in zip(paths, resolved, strict=True):
        try:
            rel = path.relative_to(repo.root).as_posix()
        except ValueError:
            raise InputError(f"{given}: not in the repository at {repo.root}") from None
        if not looks_like_model(read_file(path)):
            if skip_others:
                continue
            raise InputError(f"{given}: not a threat model (no 'threatmodel' key in its "
                             "front matter)")
        rels.append(rel)
    if not rels:
        raise InputError("none of the files given is a threat model")
    result = validate(repo, only=rels, keep_models=True)
    by_path = {m.path: m for m in result.models}
    stops = [f for f in result.findings if blocking(f)]
    return repo, [by_path[r] for r in rels if r in by_path], stops


def read_input(path: str) -> Any:
    """A JSON or YAML file's data, read safely (YAML without tags or aliases)."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    if file.stat().st_size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) or file.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") \
                from None
        except RecursionError:
            raise InputError(f"{path}: JSON nested too deeply") from None
    src = read_yaml(os.fspath(path), raw)
    if src.findings:
        first = src.findings[0]
        raise InputError(f"{path}:{first.position.line}:{first.position.column}: "
                         f"{first.message}")
    return src.data
