"""The ``threatmodel`` command line: one module per command, each with ``NAME``, ``add(sub)``
(its options) and ``run(args)`` (its handler, returning the exit status).

Exit status (:mod:`..errors`): 0 when nothing failed, 1 when a check found errors or input
was bad, 2 for usage errors, 141 when the reader of standard output stopped reading (as
in ``threatmodel rules | head``: nothing is printed about it, and the status is the one
Unix tools killed by SIGPIPE give, so that ``set -o pipefail`` still sees an unfinished
run). Command modules import only the standard library and
:mod:`..errors` at start-up; each handler imports what it needs when it runs, so that the
hook's ``validate`` and ``stale`` never load interop, views or MkDocs.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import EXIT_BROKEN_PIPE, EXIT_FAIL, EXIT_INTERRUPTED, Failure, print_error
from . import (
    diff,
    export,
    import_model,
    init_site,
    new,
    render,
    review,
    rules,
    schema,
    stale,
    suggest,
    validate,
)

COMMANDS = (validate, stale, review, new, init_site, schema, rules, export, import_model, diff,
            render, suggest)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="threatmodel",
                                     description="Threat models as code: check, scaffold, "
                                     "describe.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add(sub)
        made = sub.choices[command.NAME]  # every command's help ends with its examples
        made.epilog, made.formatter_class = command.EXAMPLE, argparse.RawDescriptionHelpFormatter
    return parser


_HANDLERS = {command.NAME: command.run for command in COMMANDS}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return int(exc.code or 0)
    try:
        return _HANDLERS[args.command](args)
    except Failure as exc:
        print_error(exc)
        return exc.exit_code
    except BrokenPipeError:  # the reader left (``| head``): not an error to print
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        print_error(exc)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def run() -> None:
    """The console script. A run is one short-lived process, so Python's cyclic garbage
    collector is left off: it would rescan the many small objects of a long history again
    and again (a third of a ``stale`` run) to free nearly nothing. For the same reason the
    process ends at once once its output is out, without freeing its objects one by one
    (7 to 10 ms of every hook run): nothing of a run is left to write by then."""
    import gc
    import os

    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    if code == EXIT_BROKEN_PIPE:
        # What is still buffered cannot be written: send it nowhere, so that the flush at
        # exit does not print "Exception ignored ... BrokenPipeError" (Python's advice, in
        # the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    try:
        sys.stderr.flush()
    except OSError:
        pass
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # coverage or a profiler is watching: it writes its data at exit
    os._exit(code)
