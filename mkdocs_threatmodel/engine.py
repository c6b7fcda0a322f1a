"""The validation engine: discover, read, type and check every model of a repository.

The command line, the pre-commit hook and the MkDocs plugin all call
:func:`validate`; it returns findings with the configured severities.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .checks.context import Context
from .checks.ownership import check_ownership
from .checks.references import check_references, check_repository
from .checks.schema import check_schema
from .checks.stride import check_stride
from .config import Config, load_config
from .discover import find_models, find_root
from .findings import Finding, Severity
from .model import Model, build_model
from .source import SourceFile, read_source


@dataclass
class Repository:
    """A repository (or plain folder) holding models, and its configuration."""

    root: Path
    in_git: bool
    config: Config

    @classmethod
    def at(cls, start: Path) -> Repository:
        root, in_git = find_root(start.resolve())
        return cls(root, in_git, load_config(root))

    def relative(self, path: str | Path) -> str:
        """A user-given path as a repository-relative posix path."""
        absolute = Path(os.path.abspath(path))
        return absolute.relative_to(self.root).as_posix()

    def model_paths(self) -> list[str]:
        return find_models(self.root, self.in_git, exclude=self.config.excluded)


@dataclass
class Result:
    """What a validation run found."""

    repo: Repository
    checked: list[str]
    models: list[Model]
    sources: list[SourceFile]
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> bool:
        return self.count(Severity.ERROR) > 0


def today() -> dt.date:
    """Today, or ``THREATMODEL_TODAY`` (YYYY-MM-DD) when set, for reproducible runs."""
    fixed = os.environ.get("THREATMODEL_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def read_models(repo: Repository, paths: list[str]) -> list[SourceFile]:
    """Read each repository-relative path as a model source."""
    sources = []
    for rel in paths:
        raw = (repo.root / rel).read_bytes()
        sources.append(read_source(rel, raw))
    return sources


def validate(repo: Repository, only: list[str] | None = None,
             on: dt.date | None = None) -> Result:
    """Check every model of ``repo``; report findings for ``only`` those paths when given."""
    paths = repo.model_paths()
    if only is not None:
        known = set(paths)
        paths += [p for p in only if p not in known]
    sources = read_models(repo, paths)
    models = [build_model(src) for src in sources if src.ok]
    ctx = Context(repo.root, on or today(), models)
    wanted = set(only) if only is not None else set(paths)
    raw: list[Finding] = list(repo.config.findings)
    by_path = {m.path: m for m in models}
    for src in sources:
        if src.path not in wanted:
            continue
        raw.extend(src.findings)
        model = by_path.get(src.path)
        if model is None:
            continue
        raw.extend(check_schema(src))
        raw.extend(check_references(model, ctx))
        raw.extend(check_stride(model, strict=repo.config.strict
                                or repo.config.severity("TM303") is not None))
        raw.extend(check_ownership(model, ctx))
    raw.extend(f for f in check_repository(models) if f.path in wanted)
    result = Result(repo, sorted(wanted), models, sources)
    for finding in raw:
        severity = repo.config.severity(finding.code)
        if severity is not None:
            finding.severity = severity
            result.findings.append(finding)
    result.findings.sort(key=Finding.sort_key)
    return result
