"""Threat models as code: format, checks, reports and an MkDocs adapter.

The core (everything but :mod:`mkdocs_threatmodel.plugin`) never imports MkDocs,
so the command line and the pre-commit hook start fast.
"""

__version__ = "0.1.0"
