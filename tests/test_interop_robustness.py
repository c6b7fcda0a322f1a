"""Mangled interop files never crash the import: any value swapped for another shape gives
either a model that validates or one ``threatmodel: error:`` line."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from mkdocs_threatmodel.errors import InputError
from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.interop import (
    otm_import,
    pytm_import,
    threagile_import,
    threat_composer_import,
    threat_dragon_import,
)
from mkdocs_threatmodel.interop.importer import build
from mkdocs_threatmodel.validation.context import Context
from mkdocs_threatmodel.validation.controls import check_controls
from mkdocs_threatmodel.validation.ownership import check_ownership
from mkdocs_threatmodel.validation.ratings import check_ratings
from mkdocs_threatmodel.validation.references import check_references
from mkdocs_threatmodel.validation.schema import check_schema
from mkdocs_threatmodel.validation.stride import check_stride

from .interop_helpers import REFUSED, SAMPLES

READERS = [(otm_import.detect, otm_import.from_otm),
           (threat_dragon_import.detect, threat_dragon_import.from_threat_dragon),
           (pytm_import.detect, pytm_import.from_pytm),
           (threat_composer_import.detect, threat_composer_import.from_threat_composer),
           (threagile_import.detect, threagile_import.from_threagile)]
SHAPES = [None, 7, "x", [], {"id": []}, [{"id": 1}], True]
PER_FILE = 25  # value paths tried per sample, spread over the whole file
# Findings an import may leave: files its source names that this repository lacks, the
# warnings the README explains, and a mitigation whose links a mangled file broke (TM411).
# Findings about the source's own judgement (ratings, files it names), not values the format
# refuses: the rich model itself rates a threat below the asset it hurts (TM415), and a
# classification word depends on the destination repository's configuration (TM217).
TOLERATED = {"TM207", "TM208", "TM217", "TM405", "TM408", "TM409", "TM411", "TM414", "TM415"}


def _load(path: Path):
    text = path.read_text("utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _findings(text: str) -> list[str]:
    src = read_source("imported.md", text.encode())
    assert src.ok, src.findings
    model = build_model(src)
    ctx = Context(Path("/nonexistent"), dt.date(2026, 11, 27))
    found = [*check_schema(src), *check_references(model, ctx), *check_stride(model),
             *check_ownership(model, ctx), *check_controls(model, ctx),
             *check_ratings(model, ctx)]
    return [f"{f.code} {f.message}" for f in found if f.code not in TOLERATED]


def _seen(draft, checked: set[str]) -> bool:
    """Whether a draft equal to ``draft`` was built and checked already (then it is not built
    again: building is a function of the draft alone). Most mangled values make a draft seen
    before (a reader skips a value of the wrong shape whatever its shape): of the 2,106 drafts
    the samples give, 420 are distinct, and building the others again took most of the
    279 s this module took on a 2-core machine (now 26 s)."""
    key = repr(draft)  # the drafts are dataclasses: their repr shows every field, typed
    if key in checked:
        return True
    checked.add(key)
    return False


@pytest.mark.parametrize("sample", [p for p in SAMPLES if p.name not in REFUSED],
                         ids=lambda p: p.name)
@pytest.mark.slow
def test_any_value_of_any_shape(sample):
    data = _load(sample)
    reader = next(read for detect, read in READERS if detect(data))
    paths = list(_paths(data))[1:]
    step = max(1, len(paths) // PER_FILE)
    imported = refused = 0
    checked: set[str] = set()  # drafts already built and checked
    for path in paths[::step]:
        for shape in SHAPES:
            mangled = copy.deepcopy(data)
            node = mangled
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = shape
            try:
                draft = reader(mangled, sample.name)
            except InputError as exc:
                assert "\n" not in str(exc)
                refused += 1
                continue
            imported += 1
            if _seen(draft, checked):
                continue
            result = build(draft, source_name=sample.name, owner="team-x",
                           today=dt.date(2026, 11, 27))
            assert _findings(result.text) == [], (path, shape)
    assert imported > 0 and imported + refused == len(paths[::step]) * len(SHAPES)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["otm", "threat-dragon"])
def test_any_value_of_any_shape_in_our_own_export(fmt):
    """Our exports carry issue 12's keys in attribute bags that the import reads back; a
    mangled bag never crashes it nor writes a value the format refuses."""
    from mkdocs_threatmodel.interop.otm import to_otm
    from mkdocs_threatmodel.interop.threat_dragon import to_threat_dragon

    from .interop_helpers import RICH

    model = build_model(read_source("rich.md", RICH.encode()))
    data = json.loads(json.dumps(to_otm(model) if fmt == "otm" else to_threat_dragon(model)))
    paths = [p for p in list(_paths(data))[1:]
             if {"attributes", "threatmodel"} & {k for k in p if isinstance(k, str)}]
    assert len(paths) > 100
    step = max(1, len(paths) // (PER_FILE * 2))
    imported = 0
    checked: set[str] = set()
    for path in paths[::step]:
        for shape in SHAPES:
            mangled = copy.deepcopy(data)
            node = mangled
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = shape
            reader = otm_import.from_otm if fmt == "otm" else \
                threat_dragon_import.from_threat_dragon
            try:
                draft = reader(mangled, "rich.json")
            except InputError as exc:
                assert "\n" not in str(exc)
                continue
            imported += 1
            if _seen(draft, checked):
                continue
            result = build(draft, source_name="rich.json", owner="team-x",
                           today=dt.date(2026, 11, 27))
            assert _findings(result.text) == [], (path, shape)
    assert imported > 0
