"""The suite and the benches need nothing outside the repository, and the test data says
where it comes from."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from .self_contained import ROOT, OutsideReads, escapes

DATA = ROOT / "tests" / "data"
PYTHON_FILES = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_test_or_bench_file_builds_a_path_outside_the_repository(path: Path):
    relative = path.relative_to(ROOT).as_posix()
    assert escapes(path.read_text("utf-8"), relative) == []


@pytest.mark.parametrize("source", [
    'SHARED = Path(__file__).resolve().parents[2] / "sibling" / "interop"',
    'HERE = Path(__file__).parent\nUP = HERE.parent.parent / "x"',
    'ROOT = Path(__file__).resolve().parents[1]\nSIDE = ROOT / ".." / "sibling"',
    'import os\nX = os.path.join(os.path.dirname(os.path.dirname(__file__)), "..")',
    'def f():\n    return open(Path(__file__).parents[1] / "../../etc")',
])
def test_the_check_finds_each_way_of_climbing_out(source):
    assert escapes(source, "tests/helpers.py"), source


@pytest.mark.parametrize("source", [
    'ROOT = Path(__file__).resolve().parents[1]\nDATA = ROOT / "tests" / "data"',
    'HERE = Path(__file__).parent\nX = HERE / "fixtures" / ".." / "data"',
    'ADR = "../adr/0007-checkout.md"',  # model text, not a path of the suite
])
def test_the_check_accepts_paths_inside(source):
    assert escapes(source, "tests/helpers.py") == []


def test_the_audit_hook_tells_beside_from_inside(tmp_path):
    root = tmp_path / "checkout"
    reads = OutsideReads(root)
    assert reads.outside(tmp_path / "sibling" / "interop" / "x.json") == str(
        tmp_path / "sibling" / "interop" / "x.json")
    assert reads.outside(str(root / ".." / "sibling")) == str(tmp_path / "sibling")
    assert reads.outside(root / "tests" / "data" / "x.json") is None
    assert reads.outside(tmp_path.parent / "elsewhere") is None  # not beside: a temp file, a tool
    assert reads.outside(3) is None  # a file descriptor


def test_the_audit_hook_records_a_real_read_beside_the_repository(tmp_path):
    root = tmp_path / "checkout"
    root.mkdir()
    beside = tmp_path / "shared.txt"
    beside.write_text("x")
    reads = OutsideReads(root)
    reads("open", (str(beside), "r", 0))
    reads("os.listdir", (tmp_path,))
    reads("open", (str(root / "inside.txt"), "r", 0))
    assert reads.taken() == [str(beside), str(tmp_path)]
    assert reads.taken() == []


def _listed_digests() -> dict[str, str]:
    text = (DATA / "README.md").read_text("utf-8")
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M)}


def test_every_data_file_is_listed_with_its_source_and_digest():
    listed = _listed_digests()
    readme = (DATA / "README.md").read_text("utf-8")
    files = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
                   if p.is_file() and p.name != "README.md")
    assert files, "tests/data holds no files"
    assert sorted(listed) == files
    for name in files:
        assert f"`{name}`" in readme, f"{name} has no row naming its source"
        digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert digest == listed[name], f"{name} differs from the file its README names"


def test_the_makefile_and_ci_never_need_a_system_package_manager_for_make_test():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert not re.search(r"\b(apt-get|apt|dnf|yum|brew|sudo)\b", makefile)
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "THREATMODEL_REQUIRE_BROWSER=1" in ci
    assert re.search(r"git clone\b", ci), ".ci/run tests a lone clone"
    assert os.access(ROOT / ".ci" / "run", os.R_OK)
