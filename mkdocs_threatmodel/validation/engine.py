"""The validation engine: discover, read, type and check every model of a repository.

The command line, the pre-commit hook and the MkDocs plugin all call
:func:`validate`; it returns findings with the configured severities.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..findings.finding import Finding, Position, Severity
from ..format.model import Model, build_model
from ..format.source import SourceFile, read_source
from ..format.spec import DRAFT_RELAXED
from ..workspace import cache
from ..workspace.config import STRICT_RULES
from ..workspace.file_list import RepositoryFiles
from ..workspace.repository import Repository, today
from . import outcome_cache
from .context import Context
from .controls import check_controls
from .ownership import check_ownership
from .ratings import check_ratings
from .read import read_model_source  # noqa: F401  (also read from here by other commands)
from .references import ModelIds, check_references, check_repository
from .schema import check_schema
from .stride import check_stride


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
    keep_trees: bool = True  # kept models keep their YAML tree (``source.data``)
    names: dict[str, str] = field(default_factory=dict)  # path -> its outcome's cache name

    @property
    def settings(self) -> tuple[tuple[str, ...], bool, bool]:
        """What, besides a file's bytes and the repository's answers, decides its findings."""
        return (tuple(self.ctx.classifications), self.strict, self.suggestions)


_RUN: _Run | None = None


def _run() -> _Run:
    """The running validation's state: :func:`validate` sets it for its duration."""
    if _RUN is None:
        raise RuntimeError("no validation is running")
    return _RUN


def _outcome_name(rel: str) -> str:
    """The cache name of a file's outcome, hashed once per run (workers inherit it)."""
    run = _run()
    name = run.names.get(rel)
    if name is None:
        name = run.names[rel] = outcome_cache.outcome_key(rel, run.raws[rel], run.settings)
    return name


def _kept(rel: str) -> Checked | None:
    """A wanted file's outcome from the outcome cache, when it still holds."""
    run = _run()
    if run.folder is None:  # only asked with an outcome cache
        return None
    outcome = outcome_cache.load(run.folder, _outcome_name(rel), rel, run.ctx)
    if outcome is None:
        return None
    return Checked(rel, outcome.findings, ModelIds(rel, outcome.model_id, outcome.threat_ids),
                   draft=outcome.draft)


def _check_file(rel: str) -> Checked:
    run = _run()
    name = kept = None
    if run.folder is not None and rel in run.wanted:
        name = _outcome_name(rel)
        if run.keep_models:  # the typed model is needed anyway; its findings may be kept
            kept = outcome_cache.load(run.folder, name, rel, run.ctx)
    src = read_model_source(rel, run.raws[rel], run.folder)
    if not src.ok:
        return Checked(rel, src.findings if rel in run.wanted else [])
    if rel not in run.wanted and not run.keep_models:
        return Checked(rel, [], model_ids(src))
    model = build_model(src)
    ids = ModelIds(rel, model.id, [(t.id, t.path) for t in model.threats])
    found: list[Finding] = []
    if rel in run.wanted and kept is not None:
        found = kept.findings
    elif rel in run.wanted:
        ctx = run.ctx.recording() if name else run.ctx
        found += check_model(src, model, ctx, run.strict, run.suggestions)
        if name and run.folder is not None and ctx.answers is not None \
                and all(f.path == rel for f in found):
            outcome_cache.store(run.folder, name, outcome_cache.Outcome(
                found, model.id, ids.threats, model.status == "draft"), ctx.answers)
    if run.keep_models and not run.keep_trees:  # the typed model only: a third the memory
        model.source = replace(src, data={}, schema_findings=None)
    return Checked(rel, found, ids, model if run.keep_models else None,
                   draft=model.status == "draft")


def check_model(src: SourceFile, model: Model, ctx: Context, strict: bool,
                suggestions: bool) -> list[Finding]:
    """Every per-model rule's findings on one model."""
    from .suggestions import check_suggestions  # only on a miss: the rules take time to load

    found: list[Finding] = list(src.findings)
    found += src.schema_findings if src.schema_findings is not None else check_schema(src)
    found += check_references(model, ctx)
    found += check_stride(model, strict=strict)
    found += check_ownership(model, ctx)
    found += check_controls(model, ctx)
    found += check_ratings(model, ctx)
    found += check_suggestions(model, ctx, unaddressed=suggestions)
    return found


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
    """Each file's outcome: kept ones read here, the others checked (in workers when many)."""
    run = _run()
    kept: dict[str, Checked] = {}
    if run.folder is not None and not run.keep_models:
        for rel in paths:
            if rel in run.wanted and (outcome := _kept(rel)) is not None:
                kept[rel] = outcome
    todo = [rel for rel in paths if rel not in kept]
    checked = dict(zip(todo, _check_files(todo), strict=True))
    return [kept.get(rel) or checked[rel] for rel in paths]


def _check_files(paths: list[str]) -> list[Checked]:
    workers = min(os.cpu_count() or 1, 8)
    run = _run()
    work = len(paths) + 3 * len(run.wanted.intersection(paths))
    if work < PARALLEL_MIN or workers < 2 or run.keep_models:
        return [_check_file(rel) for rel in paths]
    import multiprocessing as mp  # only here: it costs start-up time on the hook's path
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return [_check_file(rel) for rel in paths]
    chunk = max(1, len(paths) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_check_file, paths, chunksize=chunk))


def validate(repo: Repository, only: list[str] | None = None, on: dt.date | None = None,
             use_cache: bool = True, keep_models: bool = False,
             keep_trees: bool = True) -> Result:
    """Check every model of ``repo``; report findings for ``only`` those paths when given.

    Many models are checked in worker processes; ``keep_models`` keeps the typed
    models in the result (and checks in this process); without ``keep_trees``, their
    ``source.data`` is dropped as each is checked (what a site build needs).
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
                keep_models, suggestions=repo.config.severity("TM601") is not None,
                keep_trees=keep_trees)
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
    sources: dict[str, SourceFile] = {}

    def locate(rel: str, path: tuple) -> Position:
        source = sources.get(rel)
        if source is None:
            source = sources[rel] = read_source(rel, raws[rel], positions=True)
        return source.at(path)

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
