"""Hostile or mangled input never crashes the validator: one line per finding, exit 0 or 1."""

from __future__ import annotations

import re

import pytest

from .models import VALID, install

# Every "key: value" line of the valid model, with its value swapped for other YAML shapes.
_LINES = [i for i, line in enumerate(VALID.splitlines())
          if re.match(r"^\s*(- )?[a-z_]+: ", line) and i > 0]
_SHAPES = ["[x, 1]", "{a: b}", "12", "~", "true", "''", "[{id: 1}]", '"\\u0000"']
_FINDING = re.compile(r"^[^:]+:\d+:\d+: TM\d{3} ")


def _swap(line: str, shape: str) -> str:
    key, _, _ = line.partition(": ")
    return f"{key}: {shape}"


@pytest.mark.parametrize("shape", _SHAPES)
def test_any_value_of_any_shape(repo, cli, shape):
    lines = VALID.splitlines()
    for index in _LINES:
        mangled = lines.copy()
        mangled[index] = _swap(lines[index], shape)
        install(repo, "\n".join(mangled) + "\n")
        result = cli(repo.root, "validate")  # an exception here fails the test
        assert result.code in (0, 1)
        assert all(_FINDING.match(out) for out in result.lines), result.out


@pytest.mark.parametrize("text", [
    "", "---\n", "---\n---\n", "---\nthreatmodel: 1\n", "\ufeff---\nthreatmodel: 1\n---\n",
    "---\nthreatmodel: 1\nthreats: [[[[]]]]\n---\n", "---\nthreatmodel:\n---\n",
    "---\nthreatmodel: 1\n? [a, b]\n: c\n---\n", "---\nthreatmodel: 1\n%TAG ! x\n---\n",
    "---\nthreatmodel: 1\nid: \"\\x\"\n---\n", "---\r\nthreatmodel: 1\r\n---\r\n",
    "---\nthreatmodel: 1\n" + "a: [" * 2000 + "\n---\n",
])
def test_malformed_files(repo, cli, text):
    repo.write("m.md", text)
    result = cli(repo.root, "validate", "m.md")
    assert result.code in (0, 1)
    assert all(_FINDING.match(out) for out in result.lines), result.out
