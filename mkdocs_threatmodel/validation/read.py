"""One model file read as every command reads it: from the parse cache when its bytes were
seen before, else parsed and schema-checked (and kept). Apart from :mod:`.engine`, so that
``stale`` reads models without importing every check ``validate`` runs."""

from __future__ import annotations

from pathlib import Path

from ..format.source import SourceFile, read_source
from ..workspace import cache
from .schema import check_schema


def read_model_source(rel: str, raw: bytes, folder: Path | None) -> SourceFile:
    """A model file read (from the cache when its bytes were seen before), schema-checked."""
    src = cache.load(folder, rel, raw) if folder is not None else None
    if src is None:
        src = read_source(rel, raw)
        if src.ok:
            src.schema_findings = check_schema(src)
        if folder is not None:
            cache.store(folder, src)
    return src
