"""A model file's suggestions, kept in the cache under its path, bytes and the classifications.

Suggestions are a pure function of a model's path and bytes, the classification order and the
rules' code (:func:`~..workspace.cache.derived_key`), so a warm ``suggest`` reads them
instead of building the model and running every rule again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..findings.finding import Finding
from ..workspace.cache import derived_key, load_derived, store_derived
from .engine import Suggestion

if TYPE_CHECKING:
    from ..format.model import Model

_FIELDS = ("model", "path", "rule", "name", "stride", "target", "title", "reason",
           "references", "likelihood", "impact", "rating", "addressed_by", "dismissed")


def suggestions_of(rel: str, raw: bytes, folder: Path | None,
                   classifications: tuple[str, ...], keep_model: bool = False
                   ) -> tuple[list[Finding] | None, Model | None, list[Suggestion]]:
    """``(findings when unreadable, the model when built, its suggestions)``; from the cache
    when ``folder`` holds them (the model is then not built unless ``keep_model``)."""
    from ..format.model import build_model
    from ..validation.engine import read_model_source
    from .engine import suggest

    if folder is not None and not keep_model:
        kept = kept_suggestions(rel, raw, folder, classifications)
        if kept is not None:
            return None, None, kept
    src = read_model_source(rel, raw, folder)
    if not src.ok:
        return src.findings, None, []
    model = build_model(src)
    found = suggest(model, classifications)
    if folder is not None:
        store_derived(folder, _key(rel, raw, classifications), [_encode(s) for s in found])
    return None, model, found


def kept_suggestions(rel: str, raw: bytes, folder: Path, classifications: tuple[str, ...]
                     ) -> list[Suggestion] | None:
    """The cached suggestions of a file, or ``None`` when there are none kept."""
    return _decode(load_derived(folder, _key(rel, raw, classifications)))


def _key(rel: str, raw: bytes, classifications: tuple[str, ...]) -> str:
    """Suggestions name their file, so its path is part of the key with its bytes."""
    return derived_key("suggest", raw, (rel, tuple(classifications)))


def _encode(s: Suggestion) -> dict:
    """The fields :func:`_decode` reads (the severity is made from likelihood and impact)."""
    entry = s.as_json()
    del entry["severity"]
    entry["target_path"] = list(s.target_path)
    return entry


def _decode(entry: object) -> list[Suggestion] | None:
    """The kept suggestions, or ``None`` when the entry is not what :func:`_encode` wrote.

    Types are tested with ``set(map(type, ...))``, in C: a warm ``suggest`` of 1,000 models
    decodes 54,000 suggestions, and a test per field took a third of its time."""
    if type(entry) is not list:
        return None
    out: list[Suggestion] = []
    text = {str}
    for item in entry:
        try:
            values = [item[k] for k in _FIELDS]
            where = tuple(item["target_path"])
        except (KeyError, TypeError):
            return None
        references, addressed_by, dismissed = values[8], values[12], values[13]
        if not (set(map(type, values[:8])) == text and set(map(type, values[9:12])) == text
                and type(references) is list and type(addressed_by) is list
                and set(map(type, references + addressed_by)) <= text
                and type(dismissed) is bool):
            return None
        values.insert(6, where)  # target_path comes after target in Suggestion's fields
        out.append(Suggestion(*values))
    return out
