"""Noticing our MkDocs plugin in a configuration whose host does not run MkDocs plugins.

Zensical drops the plugins it does not know from its configuration without a word, so
the configuration files beside it are read again here (tags ignored, nothing run). A
file counts when it lists this extension too: it is the one being built.
"""

from __future__ import annotations

import importlib
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

EXTENSION = "mkdocs_threatmodel.markdown_ext"
CONFIG_FILES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")


class _Loader(yaml.SafeLoader):
    """Safe YAML that reads any tag (``!!python/name:``, ``!ENV``) as nothing."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _names(value: Any) -> list[str]:
    """The names of a ``plugins`` or ``markdown_extensions`` setting (list or mapping)."""
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                out += [str(k) for k in item]
        return out
    return []


def _read(path: Path) -> dict | None:
    try:
        if path.suffix == ".toml":
            # tomllib is 3.11's; on 3.10 (where Zensical does not install) tomli, if present
            toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
            data = toml.loads(path.read_text("utf-8"))
            data = data.get("project", data)
        else:
            data = yaml.load(path.read_text("utf-8"), Loader=_Loader)  # noqa: S506 (safe)
    except Exception:  # an unreadable file is the host's to report
        return None
    return data if isinstance(data, dict) else None


@lru_cache(maxsize=64)
def _listing(path: Path, mtime: int) -> bool:
    data = _read(path)
    if data is None:
        return False
    plugins = {n.removeprefix("material/") for n in _names(data.get("plugins"))}
    return "threatmodel" in plugins and EXTENSION in _names(data.get("markdown_extensions"))


def plugin_listed(root: Path) -> str | None:
    """The name of the configuration file in ``root`` that lists both our MkDocs plugin
    and this extension, or ``None``."""
    for name in CONFIG_FILES:
        path = root / name
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            continue
        if _listing(path, mtime):
            return name
    return None


def notice(config_name: str) -> str:
    """The page's note (HTML) and the log's line say the same."""
    return (f"The threatmodel MkDocs plugin listed under plugins in {config_name} did not "
            "run: this site generator does not run MkDocs plugins. The threat model views "
            f"here come from the {EXTENSION} Markdown extension instead. Remove threatmodel "
            f"from plugins in {config_name} when building with Zensical (keep it for MkDocs "
            "builds), and list the extension under markdown_extensions.")
