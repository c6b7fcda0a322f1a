"""The validation engine: discover, read, type and check every model of a repository.

The command line, the pre-commit hook and the MkDocs plugin all call
:func:`validate`; it returns findings with the configured severities.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, git
from .checks.context import Context
from .checks.ownership import check_ownership
from .checks.references import check_references, check_repository
from .checks.schema import check_schema
from .checks.stride import check_stride
from .config import Config, load_config
from .discover import MARKDOWN_SUFFIXES, find_models, find_root
from .findings import Finding, Severity
from .model import Model, build_model
from .source import SourceFile, looks_like_model, read_source


@dataclass
class Repository:
    """A repository (or plain folder) holding models, and its configuration.

    With ``staged``, models are read from git's index (what the next commit
    holds) instead of the work tree.
    """

    root: Path
    in_git: bool
    config: Config
    staged: bool = False
    _index: dict[str, str] | None = None
    _blobs: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def at(cls, start: Path) -> Repository:
        root, in_git = find_root(start.resolve())
        return cls(root, in_git, load_config(root))

    def relative(self, path: str | Path) -> str:
        """A user-given path as a repository-relative posix path."""
        absolute = Path(os.path.abspath(path))
        return absolute.relative_to(self.root).as_posix()

    def model_paths(self) -> list[str]:
        if not self.staged:
            return find_models(self.root, self.in_git, exclude=self.config.excluded)
        index = self.index()
        markdown = [p for p in index if p.lower().endswith(MARKDOWN_SUFFIXES)
                    and not self.config.excluded(p)]
        self._blobs = git.read_blobs(self.root, [index[p] for p in markdown])
        return sorted(p for p in markdown if looks_like_model(self._blobs.get(index[p], b"")))

    def index(self) -> dict[str, str]:
        if self._index is None:
            self._index = git.index_blobs(self.root)
        return self._index

    def read(self, relpath: str) -> bytes:
        """A file's bytes: from the index when staged, else from the work tree."""
        if self.staged:
            sha = self.index().get(relpath)
            if sha is not None and sha in self._blobs:
                return self._blobs[sha]
            if sha is not None:
                return git.read_blobs(self.root, [sha]).get(sha, b"")
        return (self.root / relpath).read_bytes()

    def exists(self, relpath: str) -> bool:
        """Whether a file exists (in the index when staged)."""
        if self.staged:
            return relpath in self.index()
        return (self.root / relpath).is_file()


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


PARALLEL_MIN = 24  # below this many files to parse, worker processes cost more than they save


def read_models(repo: Repository, paths: list[str], use_cache: bool = True) -> list[SourceFile]:
    """Read each repository-relative path as a model source (cached, in parallel when many)."""
    folder = cache.cache_dir() if use_cache else None
    found: dict[str, SourceFile] = {}
    misses: list[tuple[str, bytes]] = []
    for rel in paths:
        raw = repo.read(rel)
        hit = cache.load(folder, rel, raw) if folder is not None else None
        if hit is not None:
            found[rel] = hit
        else:
            misses.append((rel, raw))
    for src in _parse(misses):
        found[src.path] = src
        if folder is not None:
            cache.store(folder, src)
    return [found[rel] for rel in paths]


def _parse(items: list[tuple[str, bytes]]) -> list[SourceFile]:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_read_and_check(item) for item in items]
    chunk = max(1, len(items) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        results = list(pool.map(_read_without_raw, items, chunksize=chunk))
    for src, (_, raw) in zip(results, items, strict=True):
        src.raw = raw
    return results


def _read_and_check(item: tuple[str, bytes]) -> SourceFile:
    """Read a file and run the schema check, which depends on its bytes alone."""
    src = read_source(*item)
    if src.ok:
        src.schema_findings = check_schema(src)
    return src


def _read_without_raw(item: tuple[str, bytes]) -> SourceFile:
    src = _read_and_check(item)
    src.raw = b""  # the parent has the bytes: do not send them back
    src._spots = None
    return src


def validate(repo: Repository, only: list[str] | None = None,
             on: dt.date | None = None, use_cache: bool = True) -> Result:
    """Check every model of ``repo``; report findings for ``only`` those paths when given."""
    paths = repo.model_paths()
    if only is not None:
        known = set(paths)
        paths += [p for p in only if p not in known]
    sources = read_models(repo, paths, use_cache)
    models = [build_model(src) for src in sources if src.ok]
    ctx = Context(repo.root, on or today(), models, exists=repo.exists)
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
        raw.extend(src.schema_findings if src.schema_findings is not None
                   else check_schema(src))
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
