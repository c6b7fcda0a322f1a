"""What each model depends on, kept by git blob id, so a hook run need not read every model.

To know which models a staged change concerns, the pre-commit hook needs every
model's ``covers`` and ``adrs``; reading a thousand models for that costs more
than the rest of the run. A blob id names its content, so what a blob declares
never changes: it is kept, per repository, in one file under the cache folder
(``models/<repository>.bin``), and a run reads only the blobs it has not seen.
Markdown that is not a model is remembered as such. The ``reviewed`` value of
each model version that a judgement reads (as validate reads it) is kept the same
way (``reviews/<repository>.bin``), so earlier versions are parsed once, not on
every run. The files are sealed (see :func:`..workspace.cache.seal`): one whose
bytes changed, or that holds anything but what is kept there, is read afresh.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Any

from .. import __version__
from ..format.source import looks_like_model
from ..workspace import git
from ..workspace.cache import blake2b, read_keyed, write_sealed

FORMAT = f"1:{__version__}"  # a new release reads its blobs again
Declared = tuple[tuple[str, ...], tuple[str, ...]]  # covers, ADRs as written


def declared(data: Any) -> Declared:
    """The ``covers`` globs and ``adrs`` paths a model's front matter declares."""
    if not isinstance(data, dict):
        return (), ()
    covers, adrs = data.get("covers"), data.get("adrs")
    return (tuple(c for c in covers if isinstance(c, str)) if isinstance(covers, list) else (),
            tuple(a for a in adrs if isinstance(a, str)) if isinstance(adrs, list) else ())


# What staleness needs of a model version (a blob): its ``reviewed`` value as validate reads
# it (``None`` when it does not read it cleanly), and the front matter keys a judgement uses.
Facts = tuple[Any, dict[str, Any]]
FACT_KEYS = ("reviewed", "review_every")
FACTS_KEPT = 20_000  # blobs; beyond this only the ones a run used are kept


def facts_of(raw: bytes) -> Facts | None:
    """What staleness needs of a model's bytes, or ``None`` when they are no model. Only the
    front matter is read: the schema check validate runs says nothing a judgement needs."""
    from ..format.source import read_source

    if not raw or not looks_like_model(raw):
        return None
    src = read_source("", raw)
    data = src.data if src.ok and isinstance(src.data, dict) else {}
    covers, adrs = declared(data)
    kept = {key: data[key] for key in FACT_KEYS if key in data}
    kept["covers"], kept["adrs"] = list(covers), list(adrs)
    return (data.get("reviewed") if src.ok and not src.findings else None), kept


def kept_facts(root: Path, folder: Path | None) -> dict[str, Facts | None]:
    """Blob id -> :func:`facts_of` its bytes, as kept by :func:`keep_facts` (or nothing)."""
    known = read_keyed(_place(root, folder, "facts"), FORMAT)
    if known is None:
        return {}
    values = [v for v in known.values() if v is not None]
    if all(type(v) is tuple and len(v) == 2 and type(v[1]) is dict and _plain_value(v[0])
           and _plain_value(v[1]) and type(v[1].get("covers")) is list
           and type(v[1].get("adrs")) is list for v in values):
        return known
    return {}


def keep_facts(root: Path, folder: Path | None, known: dict[str, Facts | None],
               used: set[str]) -> None:
    """Keep what the blobs declare: those ``used`` and, up to :data:`FACTS_KEPT`, the rest
    (a hook run reads only a few models); silently nothing on failure."""
    place = _place(root, folder, "facts")
    if place is None:
        return
    room = max(FACTS_KEPT - len(used), 0)
    others = [sha for sha in known if sha not in used][-room:] if room else []
    try:
        data = marshal.dumps((FORMAT, {sha: known[sha] for sha in [*others, *used]
                                       if sha in known}))
    except ValueError:  # not plain data: nothing is kept
        return
    write_sealed(place, data)


def staged_declarations(root: Path, blobs: dict[str, str], folder: Path | None
                        ) -> dict[str, Declared]:
    """For each model among ``blobs`` (path -> blob id of Markdown files): what it declares."""
    place = _place(root, folder, "models")
    known = _load(place) if place is not None else {}
    missing = sorted({sha for sha in blobs.values() if sha not in known})
    if missing:
        raws = git.read_blobs(root, missing)
        parsed = {sha: facts_of(raws.get(sha, b"")) for sha in missing}
        for sha, facts in parsed.items():
            known[sha] = None if facts is None else \
                (tuple(facts[1]["covers"]), tuple(facts[1]["adrs"]))
        if place is not None:
            wanted = set(blobs.values())
            write_sealed(place, marshal.dumps(
                (FORMAT, {sha: value for sha, value in known.items() if sha in wanted})))
            # The judgement that follows needs these blobs' facts too (on a long history,
            # those of every model): kept, they are not parsed a second time.
            keep_facts(root, folder, {**kept_facts(root, folder), **parsed}, set(parsed))
    return {path: found for path, sha in sorted(blobs.items())
            if (found := known[sha]) is not None}


def _place(root: Path, folder: Path | None, kind: str) -> Path | None:
    """This repository's file of ``kind`` under the cache folder (``None``: no cache)."""
    if folder is None:
        return None
    key = blake2b(os.fsencode(os.path.realpath(root)), digest_size=12).hexdigest()
    return folder / kind / f"{key}.bin"


_PLAIN = (str, int, float, bool, type(None))


def kept_reviews(root: Path, folder: Path | None) -> dict[str, Any]:
    """Blob id -> ``reviewed`` value, as kept by :func:`keep_reviews` (or nothing)."""
    known = read_keyed(_place(root, folder, "reviews"), FORMAT)
    if known is None:
        return {}
    values = [v for v in known.values() if v is not None]
    maps = [v for v in values if type(v) is dict]  # the usual review: {date, by}
    if (_types(chain.from_iterable(maps)) <= {str}
            and _types(chain.from_iterable(m.values() for m in maps)) <= set(_PLAIN)
            and len(maps) == len(values)):
        return known
    return known if all(_plain_value(v) for v in values) else {}


def _types(values: Iterable[object]) -> set[type]:
    return set(map(type, values))


def _plain_value(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` is data a YAML mapping reads as (no deeper than a review goes)."""
    if isinstance(value, _PLAIN):
        return True
    if depth > 8:
        return False
    if type(value) is list:
        return all(_plain_value(v, depth + 1) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain_value(v, depth + 1) for k, v in value.items())
    return False


def keep_reviews(root: Path, folder: Path | None, values: dict[str, Any]) -> None:
    """Keep the ``reviewed`` values of the blobs a run read; silently nothing on failure."""
    place = _place(root, folder, "reviews")
    if place is None:
        return
    try:
        data = marshal.dumps((FORMAT, values))
    except ValueError:
        return
    write_sealed(place, data)


def _load(place: Path) -> dict[str, Declared | None]:
    """The kept declarations, or nothing when the file is missing, changed or not plain."""
    known = read_keyed(place, FORMAT)
    if known is None:
        return {}
    values = [v for v in known.values() if v is not None]  # what declared() returns:
    if not (_types(values) <= {tuple}  # two tuples of strings
            and set(map(len, values)) <= {2}):
        return {}
    parts = list(chain.from_iterable(values))
    return known if _types(parts) <= {tuple} and \
        _types(chain.from_iterable(parts)) <= {str} else {}
