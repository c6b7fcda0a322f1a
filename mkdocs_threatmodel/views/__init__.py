"""Views: everything the MkDocs plugin shows, made as HTML and Markdown text.

One module per view: ``header``, ``insights``, ``scope``, ``diagram`` (Mermaid),
``threats`` (and the candidates to triage), ``mitigations``, ``assumptions``,
``coverage``, ``heatmap``, ``residual`` for a model page; ``register``, ``mitigations``
(its site page), ``owners``, ``staleness`` for the generated pages; ``backlinks`` for ADR
pages; ``citations`` for ``[[threat:ID]]``. ``targets`` counts a threat once per target
where it gives targets their own status; ``ratings`` shows explicit severities and CVSS.
``page`` decides where each goes; ``escape`` is the only way model text reaches HTML or
Mermaid. Nothing here imports MkDocs or Markdown: the plugin
(:mod:`mkdocs_threatmodel.plugin`) only places this text.
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_FILES = ("threatmodel.css", "threatmodel.js", "mermaid-init.js")
