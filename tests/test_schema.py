"""The published JSON Schema and the validator agree on every example and bad case."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mkdocs_threatmodel.format.source import looks_like_model, read_source
from mkdocs_threatmodel.format.spec import json_schema
from mkdocs_threatmodel.validation.schema import check_schema

from .models import CASES, VALID

EXAMPLES = [p for p in sorted((Path(__file__).parent.parent / "example-site").rglob("*.md"))
            if looks_like_model(p.read_bytes())]
ALL_CASES = [(c[0], c[1]) for c in CASES] + [("valid", VALID)] + [
    (p.name, p.read_text("utf-8")) for p in EXAMPLES]
# The schema describes readable front matter: cases that fail earlier (syntax) are left out.
SCHEMA_CASES = [(name, text) for name, text in ALL_CASES
                if not read_source("m.md", text.encode("utf-8")).findings]


def test_shipped_schema_file_is_current():
    shipped = resources.files("mkdocs_threatmodel").joinpath("threatmodel.schema.json")
    assert json.loads(shipped.read_text("utf-8")) == json_schema()


def test_schema_is_valid_draft7():
    jsonschema.Draft7Validator.check_schema(json_schema())


def test_schema_command_prints_it(cli, tmp_path):
    result = cli(tmp_path, "schema")
    assert json.loads(result.out) == json_schema()
    assert result.code == 0


@pytest.mark.parametrize("name,text", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_and_validator_agree(name, text):
    src = read_source("m.md", text.encode("utf-8"))
    validator = jsonschema.Draft7Validator(json_schema(),
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    schema_errors = list(validator.iter_errors(src.data))
    our_errors = list(check_schema(src))
    assert bool(schema_errors) == bool(our_errors), (schema_errors[:1], our_errors[:1])


def test_every_schema_case_is_rejected_by_both():
    schema_cases = [c for c in CASES if c[4]]
    assert len(schema_cases) >= 10
    validator = jsonschema.Draft7Validator(json_schema(),
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for name, text, code, _needle, _ in schema_cases:
        src = read_source("m.md", text.encode("utf-8"))
        assert not validator.is_valid(src.data), name
        assert code in {f.code for f in check_schema(src)}, name
