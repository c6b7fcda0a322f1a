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


def _checkout_with_a_sibling(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "tests" / "data").mkdir(parents=True)
    (tmp_path / "sibling" / "interop").mkdir(parents=True)
    return root


def test_the_audit_hook_tells_beside_from_inside(tmp_path):
    root = _checkout_with_a_sibling(tmp_path)
    reads = OutsideReads(root)
    assert reads.outside(tmp_path / "sibling" / "interop" / "x.json") == str(
        tmp_path / "sibling" / "interop" / "x.json")
    assert reads.outside(str(root / ".." / "sibling")) == str(tmp_path / "sibling")
    assert reads.outside(tmp_path) == str(tmp_path)  # a listing of the parent folder
    assert reads.outside(root / "tests" / "data" / "x.json") is None
    assert reads.outside(tmp_path.parent / "elsewhere") is None  # not beside: a temp file, a tool
    assert reads.outside(3) is None  # a file descriptor


def test_what_is_made_beside_the_repository_during_the_run_is_a_temporary_file(tmp_path):
    """A clone directly in the system's temporary folder has the tests' and the product's
    temporary files beside it: made after the guard, they are not its surroundings."""
    root = _checkout_with_a_sibling(tmp_path)
    reads = OutsideReads(root)
    (tmp_path / "tmpab12cd").mkdir()
    assert reads.outside(tmp_path / "tmpab12cd" / "page.html") is None
    assert reads.outside(tmp_path / "sibling" / "new.json") is not None  # an old sibling, still
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if tmpfile:
        assert reads.outside(tmp_path, os.O_RDWR | tmpfile) is None  # an anonymous spool file
    assert reads.outside(tmp_path, os.O_RDONLY) == str(tmp_path)
    assert reads.outside(tmp_path, None, "w+") is None  # TemporaryFile's open, before its opener
    assert reads.outside(tmp_path, None, "r") == str(tmp_path)
    reads("open", (str(tmp_path), "w+", os.O_RDWR | os.O_CREAT))
    assert reads.taken() == []


def test_an_allowed_folder_beside_the_repository_is_not_recorded(tmp_path):
    root = _checkout_with_a_sibling(tmp_path)
    (tmp_path / "pytest-of-someone").mkdir()
    reads = OutsideReads(root, allowed=(tmp_path / "pytest-of-someone",))
    assert reads.outside(tmp_path / "pytest-of-someone" / "pytest-3" / "repo") is None
    assert reads.outside(tmp_path / "sibling") is not None


def test_the_audit_hook_records_a_real_read_beside_the_repository(tmp_path):
    root = _checkout_with_a_sibling(tmp_path)
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
    assert re.search(r"^\.ci/any-clone ", ci, re.MULTILINE), ".ci/run tests a clone of its own"
    any_clone = (ROOT / ".ci" / "any-clone").read_text("utf-8")
    assert re.search(r"^git clone\b", any_clone, re.MULTILINE)
    for setting in ("defaultBranch = trunk", "gpgsign = true", "autocrlf = true",
                    "hooksPath = ", "ui = always", "export LANG=C", "export TMPDIR=",
                    "export HOME=", "export XDG_CACHE_HOME="):
        assert setting in any_clone, setting
    assert os.access(ROOT / ".ci" / "run", os.R_OK)
