"""The release: the sdist and the wheel built offline from the project's files and checked as
the release workflow checks them (twine, release/check_dist.py); ``mkdocs get-deps`` with
the catalog entry the README proposes."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
URL_LABELS = ("Homepage", "Documentation", "Source", "Issues")


def _check_dist():
    spec = importlib.util.spec_from_file_location("check_dist",
                                                  PROJECT / "release" / "check_dist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy_project(dest: Path) -> None:
    """The files git would put in a clone (tracked, and new ones not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=PROJECT, capture_output=True,
                            check=True).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = os.fsdecode(raw)
        if (PROJECT / rel).is_file() and not rel.startswith("tests/"):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / rel, dest / rel)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel, built without network (no build isolation)."""
    src = tmp_path_factory.mktemp("src")
    _copy_project(src)
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                            str(out), str(src)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    return out


def _files(dist: Path) -> list[str]:
    return sorted(str(p) for p in dist.iterdir())


@pytest.mark.slow
def test_twine_accepts_both(dist):
    checked = subprocess.run([str(BIN / "twine"), "check", "--strict", *_files(dist)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_release_check_stops_only_at_the_placeholder_urls(dist):
    checked = subprocess.run([sys.executable, str(PROJECT / "release" / "check_dist.py"),
                              *_files(dist), "--tag", "v0.1.0"], capture_output=True,
                             text=True)
    assert checked.returncode == 1
    problems = checked.stdout.splitlines()
    assert len(problems) == 2 * len(URL_LABELS), problems
    for label in URL_LABELS:
        for name in ("mkdocs_threatmodel-0.1.0-py3-none-any.whl",
                     "mkdocs_threatmodel-0.1.0.tar.gz"):
            assert any(p.startswith(f"{name}: Project-URL {label} is https://git.example.com/")
                       for p in problems), (label, name)
    wrong_tag = subprocess.run([sys.executable, str(PROJECT / "release" / "check_dist.py"),
                                *_files(dist), "--tag", "v9.9.9"], capture_output=True,
                               text=True)
    assert "version 0.1.0 does not match the tag (9.9.9)" in wrong_tag.stdout


def test_the_wheel_declares_what_users_and_tools_need(dist):
    check = _check_dist()
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = archive.read("mkdocs_threatmodel-0.1.0.dist-info/METADATA").decode("utf-8")
        points = archive.read("mkdocs_threatmodel-0.1.0.dist-info/entry_points.txt").decode()
    assert "mkdocs_threatmodel/py.typed" in names
    assert "mkdocs_threatmodel-0.1.0.dist-info/licenses/LICENSE" in names
    assert "[mkdocs.plugins]\nthreatmodel = mkdocs_threatmodel.plugin:ThreatModelPlugin" in points
    assert "[console_scripts]\nthreatmodel = mkdocs_threatmodel.cli:run" in points
    assert "License-Expression: MIT" in meta
    urls = dict(re.findall(r"^Project-URL: ([^,]+), (\S+)$", meta, re.M))
    assert set(URL_LABELS) <= set(urls)
    # with the project's real place, nothing else stands in the way
    real = meta.replace("https://git.example.com/you/", "https://code.harbor.dev/")
    assert check.metadata_problems(real, "0.1.0") == []
    # and the check does catch what it is there for
    assert check.metadata_problems(real.replace("\nRequires-Dist: PyYAML",
                                                "\nRequires-Dist: mkdocs>=1.6\n"
                                                "Requires-Dist: PyYAML"), "0.1.0") == [
        "MkDocs is a dependency of the command line, not only of the 'mkdocs' extra"]
    linked = real + "\nSee [the format](docs/format.md) and [x](https://a.dev/x).\n"
    assert check.metadata_problems(linked) == [
        "the description links to 'docs/format.md', which the package index cannot resolve: "
        "link an absolute URL"]


def test_the_versions_agree():
    from mkdocs_threatmodel import __version__

    pyproject = (PROJECT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'^version = "([^"]+)"$', pyproject, re.M)[1] == __version__


def test_mkdocs_get_deps_maps_the_plugin_with_the_catalog_entry(tmp_path):
    readme = (PROJECT / "README.md").read_text("utf-8")
    entry = re.search(r"<!-- catalog entry -->\n```yaml\n(.*?)```", readme, re.S)[1]
    projects = tmp_path / "projects.yaml"
    projects.write_text("projects:\n" + entry, "utf-8")
    assert yaml.safe_load(projects.read_text())["projects"][0]["mkdocs_plugin"] == "threatmodel"
    site = tmp_path / "mkdocs.yml"
    site.write_text("site_name: x\nplugins:\n  - search\n  - threatmodel\n"
                    "markdown_extensions:\n  - mkdocs_threatmodel.markdown_ext\n", "utf-8")
    mapped = subprocess.run([str(BIN / "mkdocs"), "get-deps", "-f", str(site), "-p",
                             str(projects)], capture_output=True, text=True, cwd=tmp_path)
    assert mapped.returncode == 0, mapped.stderr
    assert mapped.stdout.split() == ["mkdocs", "mkdocs-threatmodel"]
    assert "not provided by any registered project" not in mapped.stderr
