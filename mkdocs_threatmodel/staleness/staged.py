"""The commit being made: which models does the staged change concern (TM507)?

Takes a repository with staged changes; gives the models whose covered paths or cited
ADRs the change touches, and whether the same change records their review. Reads the
index and the staged diff only, never the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings.finding import Finding, Severity
from ..format.source import read_source
from ..workspace import cache, git
from ..workspace.repository import Repository
from .declarations import staged_declarations
from .judge import Info, dependencies, from_model, inside_owners, review_command, reviewed_value


@dataclass
class StagedBlock:
    """A model whose covered paths the staged change touches without a review."""

    path: str
    paths: list[str]
    reviewed: bool = False


def staged_blocks(repo: Repository, use_cache: bool = True) -> list[StagedBlock]:
    """Models whose covered paths (or cited ADRs) the staged change touches.

    ``StagedBlock.reviewed`` says whether the same change records the model's
    review. Reads the index and the staged diff only, never the history.
    """
    changes = git.staged_changes(repo.root)
    if not changes:
        return []
    declarations = staged_declarations(repo.root, repo.as_staged().staged_markdown(),
                                       cache.cache_dir() if use_cache else None)
    model_files = set(declarations)
    infos = [Info(rel, list(covers), from_model(rel, adrs), None, None, None)
             for rel, (covers, adrs) in declarations.items()]
    covers, adrs = dependencies(infos)
    globs = [(glob, n) for n, info in enumerate(infos) for glob in info.covers]
    touched: dict[int, list[str]] = {}
    reviewed_now: set[str] = set()
    with git.BlobReader(repo.root) as blobs:
        for change in changes:
            if change.path in model_files:
                before = reviewed_value(blobs.read(change.old_blob))
                after = reviewed_value(blobs.read(change.new_blob))
                if change.status == "A" or (after is not None and before != after):
                    reviewed_now.add(change.path)
                continue
            for path in {p for p in (change.path, change.old_path) if p is not None}:
                owners = covers.owners(path) | set(adrs.get(path, ()))
                if change.gitlink:
                    owners |= inside_owners(globs, path)
                for n in owners:
                    touched.setdefault(n, [])
                    if path not in touched[n]:
                        touched[n].append(path)
    return [StagedBlock(infos[n].path, sorted(p), infos[n].path in reviewed_now)
            for n, p in sorted(touched.items())]


def staged_finding(repo: Repository, block: StagedBlock) -> Finding:
    """The blocking TM507 finding for one model."""
    shown = ", ".join(block.paths[:5]) + (f" and {len(block.paths) - 5} more"
                                           if len(block.paths) > 5 else "")
    src = read_source(block.path, repo.read(block.path), positions=True)
    return Finding(block.path, src.at(("covers",), key=True), "TM507",
                   f"the staged change touches {len(block.paths)} path"
                   f"{'s' if len(block.paths) != 1 else ''} this model covers ({shown}) "
                   f"without recording its review; run: {review_command(block.path)} "
                   "and stage the model",
                   severity=repo.config.severity("TM507") or Severity.ERROR)
