"""The MkDocs plugin (entry point ``mkdocs_threatmodel.plugin:ThreatModelPlugin``).

The only package that imports MkDocs: :mod:`.adapter` places the views' text in pages,
:mod:`.config` declares the options of ``mkdocs.yml``.
"""

from .adapter import ThreatModelPlugin

__all__ = ["ThreatModelPlugin"]
