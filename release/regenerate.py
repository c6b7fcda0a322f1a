"""Regenerate the parts of the docs and the package that are made from the code: the JSON
Schema, the field reference in docs/format.md and the rule catalogue in docs/suggestions.md.

Run ``python release/regenerate.py`` after changing ``format/spec.py`` or a suggestion rule;
``tests/test_docs.py``, ``tests/test_schema.py`` and ``tests/test_suggest.py`` fail until then.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs_threatmodel.format.spec import field_reference, json_schema
from mkdocs_threatmodel.suggest.report import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(r"(<!-- generated: [^>]*-->\n)(.*)(<!-- end generated -->)", re.S)


def _fill(path: Path, text: str) -> None:
    old = path.read_text("utf-8")
    new = SECTION.sub(lambda m: m[1] + text + m[3], old, count=1)
    if new != old:
        path.write_bytes(new.encode("utf-8"))
        print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    schema = ROOT / "mkdocs_threatmodel" / "threatmodel.schema.json"
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if schema.read_text("utf-8") != text:
        schema.write_bytes(text.encode("utf-8"))
        print(f"wrote {schema.relative_to(ROOT)}")
    _fill(ROOT / "docs" / "format.md", field_reference())
    _fill(ROOT / "docs" / "suggestions.md", catalogue_markdown())


if __name__ == "__main__":
    main()
