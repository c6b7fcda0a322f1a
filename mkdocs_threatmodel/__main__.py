"""``python -m mkdocs_threatmodel``: the ``threatmodel`` command."""

from .cli import run

run()
