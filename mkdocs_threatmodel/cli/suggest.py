"""``threatmodel suggest``: threats found from the models' facts; ``--write`` appends the open
ones as untriaged threats."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_OK, InputError, UsageError, exit_status
from .options import folder

if TYPE_CHECKING:
    from ..format.model import Model
    from ..suggest.engine import Suggestion
    from ..workspace.repository import Repository

NAME = "suggest"
EXAMPLE = """examples:
  threatmodel suggest
  threatmodel suggest --group-by target --min-severity high
  threatmodel suggest docs/threat-models/checkout.md --details
  threatmodel suggest docs/threat-models/checkout.md --write"""
LEVELS = ("low", "medium", "high", "critical")  # format.spec.LEVELS, not imported at start


def add(sub: argparse._SubParsersAction) -> None:
    """Register the command's options."""
    p = sub.add_parser("suggest", help="threats found from the models' facts, with reasons")
    p.add_argument("models", nargs="*", metavar="MODEL",
                   help="model files or model ids (default: every model)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="how suggestions are written (default: text)")
    p.add_argument("--all", action="store_true",
                   help="list addressed and dismissed suggestions too (JSON always has them)")
    p.add_argument("--group-by", choices=("rule", "target"), default="rule",
                   help="text and Markdown: a group per rule, a line per target (default), "
                   "or a group per element or flow, a line per rule")
    p.add_argument("--details", action="store_true",
                   help="text and Markdown: each suggestion's title, reason, rating and "
                   "references too")
    p.add_argument("--min-severity", choices=LEVELS, metavar="LEVEL",
                   help="only suggestions whose likelihood x impact is LEVEL or above "
                   "(low, medium, high, critical), listed and written; counts say how many "
                   "are hidden")
    p.add_argument("--write", action="store_true",
                   help="append the open suggestions (of --min-severity or above) to each "
                   "model as untriaged threats")
    p.add_argument("--catalogue", action="store_true",
                   help="print the rule catalogue as Markdown and exit")
    p.add_argument("--no-cache", action="store_true", help="parse every model again")
    p.add_argument("-C", dest="directory", metavar="DIR", default=".",
                   help="run as if started in DIR")


def run(args: argparse.Namespace) -> int:
    if args.catalogue:
        from ..suggest.report import catalogue_markdown

        sys.stdout.write(catalogue_markdown())
        return EXIT_OK
    from ..findings.reports.text import line as finding_line
    from ..suggest import report
    from ..workspace import cache
    from ..workspace.repository import Repository

    os.chdir(folder(args.directory))
    repo = Repository.at(Path.cwd())
    paths = _chosen(repo, args.models)
    folder_ = None if args.no_cache else cache.cache_dir()
    found, failed, models = [], False, {}
    jobs = [(rel, repo.read(rel), folder_, repo.config.classifications, args.write)
            for rel in paths]
    for rel, unreadable, model, suggestions in _run_all(jobs, keep_models=args.write):
        if unreadable is not None:  # say why, go on with the others
            for finding in unreadable:
                print(finding_line(repo.root, finding), file=sys.stderr)
            failed = True
            continue
        models[rel] = model  # None when read from the cache (never with --write)
        found += suggestions
    level = args.min_severity
    if args.write:
        failed |= not _write(repo, models, [s for s in found if s.at_least(level)])
        found = [s for s in found if not s.open] + [s for s in found if s.open]
    if args.format == "json":
        shown, hidden = report.listed(found, True, level)
        sys.stdout.write(report.as_json(shown, level, hidden))
    else:
        render = report.as_text if args.format == "text" else report.as_markdown
        sys.stdout.write(render(found, args.group_by, args.details, args.all, level))
    if args.format == "text":
        sys.stderr.write(report.footer(found, len(models), args.all, level))
    return exit_status(failed)


PARALLEL_MIN = 200  # models from which worker processes pay off (as for validate)


def _one(job: tuple) -> tuple:
    """One model file's suggestions: (path, findings if unreadable, model, suggestions)."""
    from ..suggest.cached import suggestions_of

    rel, raw, cache_folder, classifications, keep_model = job
    unreadable, model, found = suggestions_of(rel, raw, cache_folder, classifications,
                                              keep_model)
    return rel, unreadable, model, found


def _run_all(jobs: list[tuple], keep_models: bool) -> list[tuple]:
    """Every job's outcome: kept suggestions read here, the others found (in worker
    processes when many)."""
    from ..suggest.cached import kept_suggestions

    done = {}
    for rel, raw, folder_, classifications, _keep in jobs:
        if folder_ is not None and not keep_models:
            kept = kept_suggestions(rel, raw, folder_, classifications)
            if kept is not None:
                done[rel] = (rel, None, None, kept)
    found = iter(_find_all([job for job in jobs if job[0] not in done], keep_models))
    return [done.get(job[0]) or next(found) for job in jobs]


def _find_all(jobs: list[tuple], keep_models: bool) -> list[tuple]:
    """The jobs' outcomes; many models are read in worker processes (forked), which send
    back the suggestions only, so ``--write`` (which needs the models) stays in-process."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN or workers < 2 or keep_models:
        return [_one(job) for job in jobs]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return [_one(job) for job in jobs]
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_lean, jobs, chunksize=chunk))


def _lean(job: tuple) -> tuple:
    rel, unreadable, _model, suggestions = _one(job)
    return rel, unreadable, None, suggestions


def _chosen(repo: Repository, given: list[str]) -> list[str]:
    """Repository paths of the models named by path or id (all models when none)."""
    from ..format.source import looks_like_model

    all_paths = repo.model_paths()
    if not given:
        return all_paths
    ids = None
    out = []
    for name in given:
        path = Path(name)
        if path.is_file():
            try:
                rel = repo.relative(path)
            except ValueError:
                raise UsageError(f"{name}: outside the repository at {repo.root}") from None
            if not looks_like_model(repo.read(rel)):
                raise UsageError(f"{name}: not a threat model (no 'threatmodel' key)")
            out.append(rel)
            continue
        if ids is None:
            ids = _model_ids(repo, all_paths)
        if name not in ids:
            raise UsageError(f"{name}: no such model file or model id")
        out.append(ids[name])
    return list(dict.fromkeys(out))


def _model_ids(repo: Repository, paths: list[str]) -> dict[str, str]:
    from ..validation.engine import model_ids, read_model_source

    out: dict[str, str] = {}
    for rel in paths:
        src = read_model_source(rel, repo.read(rel), None)
        if src.ok:
            out.setdefault(model_ids(src).id, rel)
    return out


# Errors that make an edit unsafe (syntax and schema); missing threats (TM302...) are what
# --write is for.
_UNSAFE = ("TM0", "TM1")


def _write(repo: Repository, models: dict[str, Model], found: list[Suggestion]) -> bool:
    """Append each model's open suggestions; False when a model was refused."""
    from ..errors import print_error
    from ..findings.finding import Severity
    from ..findings.reports.text import line as finding_line
    from ..format.model import build_model
    from ..format.source import read_source
    from ..suggest.engine import suggest
    from ..suggest.write import plan_append, threat_id
    from ..validation.engine import validate
    from ..workspace.files import write_whole

    ok = True
    taken = {t.id for m in models.values() for t in m.threats}
    for rel, model in models.items():
        mine = [s for s in found if s.path == rel and s.open]
        if not mine:
            continue
        path = repo.root / rel
        try:
            if path.is_symlink():
                raise InputError(f"{rel}: is a symbolic link; not writing through it")
            errors = [f for f in validate(repo, [rel]).findings
                      if f.severity is Severity.ERROR and f.code[:3] in _UNSAFE]
            if errors:
                for finding in errors:
                    print(finding_line(repo.root, finding))
                raise InputError(f"not writing suggestions into {rel}: fix the model first")
            raw = path.read_bytes()
            bom = raw.startswith(b"\xef\xbb\xbf")
            items = [(threat_id(model.id, s, taken), s) for s in mine]
            new = plan_append(raw.decode("utf-8-sig"), items)
            new_raw = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
            src = read_source(rel, new_raw)
            left = [s for s in suggest(build_model(src), repo.config.classifications)
                    if s.open] if src.ok else None
            if left is None or {(s.rule, s.target) for s in left} & {
                    (s.rule, s.target) for s in mine}:
                raise InputError(f"{rel}: the edit did not produce the threats it should")
        except (InputError, ValueError, UnicodeDecodeError) as exc:
            print_error(exc)
            ok = False
            continue
        write_whole(path, new_raw, replace=True)
        for tid, s in items:
            s.addressed_by = [tid]
        print(f"{rel}: {len(items)} untriaged threats appended", file=sys.stderr)
    return ok
