"""Where a command writes its result: standard output, or a file it never overwrites
without ``--force``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, printable


def write_output(output: str | None, text: str, force: bool) -> None:
    from ..workspace.files import write_whole

    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    if path.exists() and not force:
        raise InputError(f"{output} already exists; pass --force to overwrite it")
    if path.is_dir():
        raise InputError(f"{output} is a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, text.encode("utf-8"), replace=force)
    print(printable(f"wrote {output}"), file=sys.stderr)
