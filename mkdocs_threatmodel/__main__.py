"""``python -m mkdocs_threatmodel``: the ``threatmodel`` command."""

import sys

from .cli import main

sys.exit(main())
