"""The example site's models validate clean (strict mode included) and the site builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "example-site"


def test_example_models_validate_clean_in_strict_mode(cli):
    result = cli(SITE, "validate", "--strict")
    assert result.out == "", result.out
    assert result.code == 0
    assert "3 models checked" in result.err


def test_example_site_builds_strictly(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", str(SITE / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    page = (site / "threat-models" / "guest-checkout" / "index.html").read_text("utf-8")
    assert "Harbor Commerce" in page


def test_validation_never_imports_mkdocs_or_markdown(tmp_path):
    code = ("import sys\nfrom mkdocs_threatmodel.cli import main\n"
            f"main(['validate', '-C', {str(SITE)!r}])\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('mkdocs', 'markdown', 'material', 'pymdownx'))\n"
            "print(bad)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert shutil.which("git")
