"""What each model depends on, kept by git blob id, so a hook run need not read every model.

To know which models a staged change concerns, the pre-commit hook needs every
model's ``covers`` and ``adrs``; reading a thousand models for that costs more
than the rest of the run. A blob id names its content, so what a blob declares
never changes: it is kept, per repository, in one file under the cache folder
(``models/<repository>.bin``), and a run reads only the blobs it has not seen.
Markdown that is not a model is remembered as such. The file is trusted like
the rest of the cache folder, which belongs to the user running the tool.
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
from ..workspace.cache import write_atomic

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
            write_atomic(place, marshal.dumps(
                (FORMAT, {sha: value for sha, value in known.items() if sha in wanted})))
    return {path: known[sha] for path, sha in sorted(blobs.items()) if known[sha] is not None}


def _load(place: Path) -> dict[str, Declared | None]:
    try:
        version, known = marshal.loads(place.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return known if version == FORMAT and isinstance(known, dict) else {}
