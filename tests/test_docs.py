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
