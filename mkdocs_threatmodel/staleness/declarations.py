"""What each model depends on, kept by git blob id, so a hook run need not read every model.

To know which models a staged change concerns, the pre-commit hook needs every
model's ``covers`` and ``adrs``; reading a thousand models for that costs more
than the rest of the run. A blob id names its content, so what a blob declares
never changes: it is kept, per repository, in one file under the cache folder
(``models/<repository>.bin``), and a run reads only the blobs it has not seen.
Markdown that is not a model is remembered as such. The file is sealed (see
:func:`..workspace.cache.seal`): one whose bytes changed, or that holds anything but
declarations, is read afresh.
"""

from __future__ import annotations

import marshal
import os
from hashlib import blake2b
from pathlib import Path
from typing import Any

from .. import __version__
from ..format.source import looks_like_model
from ..workspace import git
from ..workspace.cache import read_sealed, seal, write_atomic

FORMAT = f"1:{__version__}"  # a new release reads its blobs again
Declared = tuple[tuple[str, ...], tuple[str, ...]]  # covers, ADRs as written


def declared(data: Any) -> Declared:
    """The ``covers`` globs and ``adrs`` paths a model's front matter declares."""
    if not isinstance(data, dict):
        return (), ()
    covers, adrs = data.get("covers"), data.get("adrs")
    return (tuple(c for c in covers if isinstance(c, str)) if isinstance(covers, list) else (),
            tuple(a for a in adrs if isinstance(a, str)) if isinstance(adrs, list) else ())


def staged_declarations(root: Path, blobs: dict[str, str], folder: Path | None
                        ) -> dict[str, Declared]:
    """For each model among ``blobs`` (path -> blob id of Markdown files): what it declares."""
    from ..validation.engine import read_model_source

    place = None
    if folder is not None:
        key = blake2b(os.fsencode(os.path.realpath(root)), digest_size=12).hexdigest()
        place = folder / "models" / f"{key}.bin"
    known = _load(place) if place is not None else {}
    missing = sorted({sha for sha in blobs.values() if sha not in known})
    if missing:
        raws = git.read_blobs(root, missing)
        for sha in missing:
            raw = raws.get(sha, b"")
            known[sha] = None
            if looks_like_model(raw):
                src = read_model_source(sha, raw, folder)
                known[sha] = declared(src.data if src.ok else None)
        if place is not None:
            wanted = set(blobs.values())
            write_atomic(place, seal(marshal.dumps(
                (FORMAT, {sha: value for sha, value in known.items() if sha in wanted}))))
    return {path: known[sha] for path, sha in sorted(blobs.items()) if known[sha] is not None}


def _load(place: Path) -> dict[str, Declared | None]:
    """The kept declarations, or nothing when the file is missing, changed or not plain."""
    payload = read_sealed(place)
    if payload is None:
        return {}
    try:
        version, known = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if version != FORMAT or type(known) is not dict:
        return {}
    return known if all(type(sha) is str and (value is None or _declared(value))
                        for sha, value in known.items()) else {}


def _declared(value: Any) -> bool:
    """Whether ``value`` is what :func:`declared` returns: two tuples of strings."""
    return (type(value) is tuple and len(value) == 2
            and all(type(part) is tuple and all(type(x) is str for x in part)
                    for part in value))
