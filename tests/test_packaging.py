"""What the package declares: the command and hooks need no MkDocs; the plugin's extra does."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[str]:
    return metadata.requires("mkdocs-threatmodel") or []


def test_the_hooks_environment_does_not_pull_in_mkdocs():
    base = [r for r in _requirements() if "extra ==" not in r]
    assert base, "the command line has dependencies"
    assert not [r for r in base if re.match(r"mkdocs\b", r, re.I)], base


def test_the_plugin_extra_pins_mkdocs_below_2():
    extra = [r for r in _requirements() if re.search(r"extra == ['\"]mkdocs['\"]", r)]
    assert any(r.startswith("mkdocs") and ">=1.6" in r and "<2" in r for r in extra), extra


def test_the_package_ships_its_licence_and_type_information():
    dist = metadata.distribution("mkdocs-threatmodel")
    assert dist.metadata["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    assert (ROOT / "mkdocs_threatmodel" / "py.typed").exists()
    versions = {c.rsplit(":: ", 1)[1] for c in dist.metadata.get_all("Classifier")
                if c.startswith("Programming Language :: Python :: 3.")}
    assert versions == {"3.10", "3.11", "3.12", "3.13"}
    assert dist.metadata["Requires-Python"] == ">=3.10"


def test_the_hooks_declare_the_pre_commit_version_their_stage_names_need():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    ids = re.findall(r"^- id: (\S+)", hooks, re.M)
    assert ids == ["threatmodel-validate", "threatmodel-stale", "threatmodel-review"]
    assert hooks.count('minimum_pre_commit_version: "3.2.0"') == len(ids)
