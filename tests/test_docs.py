"""The generated parts of the docs match what the code says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_threatmodel.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("doc,args", [("format.md", ["schema", "--format", "markdown"]),
                                      ("rules.md", ["rules", "--format", "markdown"])])
def test_generated_section_is_current(doc, args, capsys):
    text = (DOCS / doc).read_text("utf-8")
    match = re.search(r"<!-- generated: [^>]*-->\n(.*)<!-- end generated -->", text, re.S)
    assert match, doc
    assert main(args) == 0
    assert match[1] == capsys.readouterr().out, f"regenerate docs/{doc}"


def test_the_format_example_validates(repo, cli):
    text = (DOCS / "format.md").read_text("utf-8")
    example = re.search(r"```yaml\n(---\nthreatmodel: 1\n.*?\n---\n)```", text, re.S)
    assert example, "docs/format.md shows the format"
    repo.write("docs/threat-models/checkout.md", example[1] + "\n# Guest checkout\n")
    repo.write("docs/adr/0007-guest-checkout.md", "---\nstatus: accepted\n---\n# ADR\n")
    repo.write("services/checkout-api/tests/test_order_access.py",
               "# CHK-001, M-lookup-token: a lookup needs a signed token\n")
    repo.write("openapi/checkout.yaml", "openapi: 3.1.0\n")
    result = cli(repo.root, "validate")
    # no finding but the suggestions the example architecture draws (TM601 warnings)
    assert result.code == 0 and all(" TM601 warning: " in line
                                    for line in result.out.splitlines()), result.out
    from mkdocs_threatmodel.format.model import build_model
    from mkdocs_threatmodel.format.source import read_source

    model = build_model(read_source("checkout.md", example[1].encode()))
    assert model.mitigations and model.assumptions and model.threats[0].hurts
    assert model.assets[0].classification == "confidential" and model.flows[0].encrypted
