"""The validation engine: discover, read, type and check every model of a repository.

The command line, the pre-commit hook and the MkDocs plugin all call
:func:`validate`; it returns findings with the configured severities.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..findings.finding import Finding, Severity
from ..format.model import Model, build_model
from ..format.source import SourceFile, read_source
from ..format.spec import DRAFT_RELAXED
from ..workspace import cache
from ..workspace.config import STRICT_RULES
from ..workspace.file_list import RepositoryFiles
from ..workspace.repository import Repository, today
from .context import Context
from .controls import check_controls
from .ownership import check_ownership
from .ratings import check_ratings
from .read import read_model_source  # noqa: F401  (also read from here by other commands)
from .references import ModelIds, check_references, check_repository
from .schema import check_schema
from .stride import check_stride
from .suggestions import check_suggestions


@dataclass
class Result:
    """What a validation run found."""

    repo: Repository
    checked: list[str]
    models: list[Model]
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> bool:
        return self.count(Severity.ERROR) > 0


# Worker processes pay off from about this much work: a model to check counts 4, a model
# read only for its ids counts 1.
PARALLEL_MIN = 200


@dataclass
class Checked:
    """One file's outcome: its findings, and its ids for the repository-wide checks."""

    path: str
    findings: list[Finding]
    ids: ModelIds | None = None
    model: Model | None = None
    draft: bool = False  # a draft model's ownership, ticket and rating findings are notes


@dataclass
class _Run:
    """What every per-file job needs; worker processes inherit it when forked."""

    repo: Repository
    raws: dict[str, bytes]
    wanted: set[str]
    ctx: Context
    strict: bool
    folder: Path | None
    keep_models: bool
    suggestions: bool = True  # whether TM601 is on (the suggestion rules cost ms a model)


_RUN: _Run | None = None


def _check_file(rel: str) -> Checked:
    run = _RUN
    src = read_model_source(rel, run.raws[rel], run.folder)
    if not src.ok:
        return Checked(rel, src.findings if rel in run.wanted else [])
    if rel not in run.wanted and not run.keep_models:
        return Checked(rel, [], model_ids(src))
    model = build_model(src)
    ids = ModelIds(rel, model.id, [(t.id, t.path) for t in model.threats])
    found: list[Finding] = []
    if rel in run.wanted:
        found += src.findings
        found += src.schema_findings if src.schema_findings is not None else check_schema(src)
        found += check_references(model, run.ctx)
        found += check_stride(model, strict=run.strict)
        found += check_ownership(model, run.ctx)
        found += check_controls(model, run.ctx)
        found += check_ratings(model, run.ctx)
        found += check_suggestions(model, run.ctx, unaddressed=run.suggestions)
    return Checked(rel, found, ids, model if run.keep_models else None,
                   draft=model.status == "draft")


def model_ids(src: SourceFile) -> ModelIds:
    """A model's id and threat ids, straight from its data (no typed model needed)."""
    data = src.data
    threats = data.get("threats")
    pairs = []
    if isinstance(threats, list):
        pairs = [(t["id"], ("threats", i)) for i, t in enumerate(threats)
                 if isinstance(t, dict) and isinstance(t.get("id"), str)]
    model_id = data.get("id")
    return ModelIds(src.path, model_id if isinstance(model_id, str) else "", pairs)


def _check_all(paths: list[str]) -> list[Checked]:
    workers = min(os.cpu_count() or 1, 8)
    work = len(paths) + 3 * len(_RUN.wanted)
    if work < PARALLEL_MIN or workers < 2 or _RUN.keep_models:
        return [_check_file(rel) for rel in paths]
    import multiprocessing as mp  # only here: it costs start-up time on the hook's path
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return [_check_file(rel) for rel in paths]
    chunk = max(1, len(paths) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_check_file, paths, chunksize=chunk))


def validate(repo: Repository, only: list[str] | None = None, on: dt.date | None = None,
             use_cache: bool = True, keep_models: bool = False) -> Result:
    """Check every model of ``repo``; report findings for ``only`` those paths when given.

    Many models are checked in worker processes; ``keep_models`` keeps the typed
    models in the result (and checks in this process).
    """
    global _RUN
    paths = repo.model_paths()
    if only is not None:
        known = set(paths)
        paths += [p for p in only if p not in known]
    problems = repo.problems()  # model files that could not be read, and why
    wanted = set(only) if only is not None else set(paths) | set(problems)
    paths = [p for p in paths if p not in problems]
    raws = {rel: repo.read(rel) for rel in paths}
    strict = repo.config.strict or any(repo.config.severity(code) is not None
                                       for code in STRICT_RULES)
    ctx = Context(repo.root, on or today(), exists=repo.exists,
                  classifications=repo.config.classifications,
                  files=RepositoryFiles(repo.files()) if paths else None, real=repo.real_path)
    _RUN = _Run(repo, raws, wanted, ctx, strict, cache.cache_dir() if use_cache else None,
                keep_models, suggestions=repo.config.severity("TM601") is not None)
    try:
        outcomes = _check_all(paths)
    finally:
        _RUN = None
    raw: list[Finding] = list(repo.config.findings)
    raw += [finding for rel, finding in problems.items() if rel in wanted]
    drafts = set()
    for outcome in outcomes:
        raw += outcome.findings
        if outcome.draft:
            drafts.add(outcome.path)
    sources = {rel: None for rel in paths}

    def locate(rel: str, path: tuple):
        if sources[rel] is None:
            sources[rel] = read_source(rel, raws[rel], positions=True)
        return sources[rel].at(path)

    ids = [o.ids for o in outcomes if o.ids is not None]
    raw += [f for f in check_repository(ids, locate) if f.path in wanted]
    models = [o.model for o in outcomes if o.model is not None]
    result = Result(repo, sorted(wanted), models)
    for finding in raw:
        severity = repo.config.severity(finding.code)
        if severity is not None and finding.code in DRAFT_RELAXED and finding.path in drafts:
            severity = Severity.NOTE
        if severity is not None:
            finding.severity = severity
            result.findings.append(finding)
    result.findings.sort(key=Finding.sort_key)
    return result
