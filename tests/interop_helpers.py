"""Shared pieces of the interop tests: the sample files, the example models, a site build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs_threatmodel.format.source import looks_like_model

ROOT = Path(__file__).resolve().parents[1]
# Real files from Threat Dragon and the Open Threat Model project, kept in the repository
# (tests/data/README.md names their sources, commits and licences).
INTEROP_DATA = ROOT / "tests" / "data" / "interop"
OTM_SCHEMA = INTEROP_DATA / "otm" / "otm_schema.json"
EXAMPLES = ROOT / "example-site" / "docs" / "threat-models"
# (the folder also keeps the register, mitigations, owners and freshness marker pages)
EXAMPLE_MODELS = sorted(p for p in EXAMPLES.glob("*.md") if looks_like_model(p.read_bytes()))
SAMPLES = sorted(p for p in INTEROP_DATA.rglob("*") if p.is_file())
# Samples that an import must refuse, and the words of its one-line error.
REFUSED = {"v2-malformed-new-model.json": "not a Threat Dragon model",
           "otm_schema.json": "neither an Open Threat Model file nor a Threat Dragon model"}
MALFORMED = INTEROP_DATA / "threat-dragon" / "v2-malformed-new-model.json"


def build_site(tmp: Path, pages: dict[str, str]) -> tuple[subprocess.CompletedProcess, Path]:
    """``mkdocs build --strict`` of a tiny site with the example site's settings."""
    settings = (ROOT / "example-site" / "mkdocs.yml").read_text("utf-8")
    settings = settings.split("\nnav:")[0] + "\nnav:\n  - Home: index.md\n"
    settings += "".join(f"  - {name.removesuffix('.md')}: {name}\n" for name in pages)
    site = tmp / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(settings, "utf-8")
    (site / "docs" / "index.md").write_text("# Imported models\n", "utf-8")
    for name, text in pages.items():
        (site / "docs" / name).write_text(text, "utf-8")
    out = tmp / "site-out"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", str(site / "mkdocs.yml"), "-d", str(out)],
                          capture_output=True, text=True)
    return proc, out
