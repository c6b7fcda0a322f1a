"""Check built distributions before they are published (``make dist``, the release workflow).

    python release/check_dist.py dist/*.whl dist/*.tar.gz [--tag v0.1.0]

What ``twine check`` does not: the licence and its file, the project URLs (none may still
be the placeholder host the docs use), the ``py.typed`` marker, the ``threatmodel``
command and the ``mkdocs.plugins`` entry point, MkDocs only in the ``mkdocs`` extra, no
relative link in the description the package index shows, the sdist's files, and the tag
matching the version. Prints one line per problem; exit 1 when there is any.
"""

from __future__ import annotations

import argparse
import re
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

PLACEHOLDER_HOSTS = ("example.com", ".example", ".invalid")
URL_LABELS = ("Homepage", "Documentation", "Source", "Issues")
ENTRY_POINTS = {"console_scripts": "threatmodel = mkdocs_threatmodel.cli:run",
                "mkdocs.plugins": "threatmodel = mkdocs_threatmodel.plugin:ThreatModelPlugin"}
SDIST_FILES = ("LICENSE", "README.md", "pyproject.toml", "mkdocs_threatmodel/py.typed",
               "docs/format.md", "docs/rules.md", "docs/ci.md",
               "mkdocs_threatmodel/threatmodel.schema.json")
_LINK = re.compile(r"\]\(([^)\s]+)\)|<a\s[^>]*href=\"([^\"]+)\"")


def placeholder(url: str) -> bool:
    """Whether ``url`` names a host reserved for examples."""
    host = re.sub(r"^[a-z+]+://", "", url).split("/", 1)[0].lower()
    return host == "example.com" or host.endswith(PLACEHOLDER_HOSTS)


def metadata_problems(text: str, version: str | None = None) -> list[str]:
    """Problems of a wheel's METADATA (or an sdist's PKG-INFO) text."""
    meta = Parser().parsestr(text)
    out = []
    if meta["License-Expression"] != "MIT":
        out.append(f"License-Expression is {meta['License-Expression']!r}, not 'MIT'")
    if "LICENSE" not in (meta.get_all("License-File") or []):
        out.append("no License-File: LICENSE")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [] if ", " in u)
    for label in URL_LABELS:
        if label not in urls:
            out.append(f"no Project-URL {label}")
        elif placeholder(urls[label]) or not urls[label].startswith("https://"):
            out.append(f"Project-URL {label} is {urls[label]}: set where the project lives "
                       "in pyproject.toml [project.urls]")
    required = meta.get_all("Requires-Dist") or []
    base = [r for r in required if "extra ==" not in r]
    if any(re.match(r"mkdocs\b", r, re.I) for r in base):
        out.append("MkDocs is a dependency of the command line, not only of the 'mkdocs' extra")
    if not any(re.match(r"mkdocs\b", r, re.I) and re.search(r"extra == ['\"]mkdocs['\"]", r)
               for r in required):
        out.append("the 'mkdocs' extra does not bring MkDocs")
    if version is not None and meta["Version"] != version:
        out.append(f"version {meta['Version']} does not match the tag ({version})")
    for target in _links(meta.get_payload() or ""):
        if not re.match(r"(https?|mailto):", target) and not target.startswith("#"):
            out.append(f"the description links to {target!r}, which the package index "
                       "cannot resolve: link an absolute URL")
    return out


def _links(markdown: str) -> list[str]:
    """Link targets of Markdown text, outside code blocks and code spans."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return [m[1] or m[2] for m in _LINK.finditer(text)]


def wheel_problems(path: Path, version: str | None = None) -> list[str]:
    """Problems of a built wheel."""
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        info = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if info is None:
            return [f"{path.name}: no METADATA"]
        folder = info.rsplit("/", 1)[0]
        out = metadata_problems(wheel.read(info).decode("utf-8"), version)
        if "mkdocs_threatmodel/py.typed" not in names:
            out.append("no mkdocs_threatmodel/py.typed")
        if f"{folder}/licenses/LICENSE" not in names:
            out.append("the LICENSE file is not in the wheel")
        points = wheel.read(f"{folder}/entry_points.txt").decode("utf-8") \
            if f"{folder}/entry_points.txt" in names else ""
    for group, line in ENTRY_POINTS.items():
        section = re.search(rf"^\[{re.escape(group)}\]\n(.*?)(?:^\[|\Z)", points, re.M | re.S)
        if section is None or line not in section[1].splitlines():
            out.append(f"no entry point [{group}] {line}")
    return [f"{path.name}: {problem}" for problem in out]


def sdist_problems(path: Path, version: str | None = None) -> list[str]:
    """Problems of a built sdist."""
    with tarfile.open(path) as sdist:
        names = sdist.getnames()
        top = names[0].split("/", 1)[0]
        out = [f"no {name}" for name in SDIST_FILES if f"{top}/{name}" not in names]
        info = sdist.extractfile(f"{top}/PKG-INFO") if f"{top}/PKG-INFO" in names else None
        out += metadata_problems(info.read().decode("utf-8"), version) if info else \
            ["no PKG-INFO"]
    return [f"{path.name}: {problem}" for problem in out]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--tag", help="the release tag (vX.Y.Z); its version must match")
    args = parser.parse_args(argv)
    version = args.tag.removeprefix("v") if args.tag else None
    problems = []
    kinds = set()
    for path in args.files:
        if path.name.endswith(".whl"):
            kinds.add("wheel")
            problems += wheel_problems(path, version)
        elif path.name.endswith(".tar.gz"):
            kinds.add("sdist")
            problems += sdist_problems(path, version)
        else:
            problems.append(f"{path}: neither a wheel nor an sdist")
    problems += [f"no {kind} given" for kind in ("wheel", "sdist") if kind not in kinds]
    for problem in problems:
        print(problem)
    if not problems:
        print(f"checked: {', '.join(p.name for p in args.files)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
