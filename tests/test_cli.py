"""The command line itself: every option explained, an example per command, quiet pipes."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_threatmodel.cli import COMMANDS, _parser
from mkdocs_threatmodel.errors import EXIT_BROKEN_PIPE


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_command_is_walked():
    assert set(_subparsers()) == {command.NAME for command in COMMANDS}


@pytest.mark.parametrize("name", sorted(command.NAME for command in COMMANDS))
def test_every_option_has_a_help_text_and_the_command_an_example(name):
    parser = _subparsers()[name]
    missing = [action.option_strings[0] if action.option_strings else action.dest
               for action in parser._actions if not action.help]
    assert missing == [], f"threatmodel {name}: options without help: {missing}"
    assert parser.epilog and f"threatmodel {name}" in parser.epilog, name
    assert parser.formatter_class is argparse.RawDescriptionHelpFormatter, name
    text = parser.format_help()  # the example keeps its lines
    assert "\n  threatmodel " + name in text, text


def _command(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs_threatmodel", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": ""})


@pytest.mark.parametrize("args", [("rules", "--format", "json"), ("rules",),
                                  ("schema", "--format", "markdown")])
def test_a_reader_that_stops_early_gets_no_broken_pipe_error(tmp_path, args):
    process = _command(*args, cwd=tmp_path)
    first = process.stdout.readline()  # like `| head -1`: one line, then the pipe closes
    process.stdout.close()
    err = process.stderr.read()
    code = process.wait(timeout=60)
    assert first.strip(), "the command printed its first line"
    assert err == b"", err
    # A pipe smaller than the output must break: then the status is 141 (128 + SIGPIPE);
    # when everything fitted into the pipe before it closed, the run ended normally.
    assert code in (EXIT_BROKEN_PIPE, 0)


def test_a_long_output_into_a_closed_pipe_exits_141_quietly(tmp_path):
    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write fails
    process = subprocess.Popen([sys.executable, "-m", "mkdocs_threatmodel", "rules"],
                               cwd=tmp_path, stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    err = process.stderr.read()
    assert process.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert err == b"", err


def test_a_run_ends_with_its_whole_output_and_status_and_a_profiler_gets_its_data(tmp_path):
    """The console script ends the process at once after its output (no teardown): the
    output of a long command is whole when piped, its exit status is kept, and a profiler
    watching the run still writes its data at exit."""
    whole = subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", "schema"],
                           cwd=tmp_path, capture_output=True)
    assert whole.returncode == 0 and whole.stdout.rstrip().endswith(b"}"), whole.stdout[-80:]
    assert len(whole.stdout) > 8192  # more than a pipe's first buffer
    failed = subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", "stale"],
                            cwd=tmp_path, capture_output=True)  # not in a git repository
    assert failed.returncode == 1 and b"git" in failed.stderr, failed.stderr
    profile = tmp_path / "run.prof"
    watched = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m",
                              "mkdocs_threatmodel", "rules"], cwd=tmp_path, capture_output=True)
    assert watched.returncode == 0, watched.stderr
    assert profile.stat().st_size > 0


def test_new_writes_a_final_newline(repo, cli):
    result = cli(repo.root, "new", "m.md", "--id", "m", "--title", "M")
    assert result.code == 0, result.err
    raw = (repo.root / "m.md").read_bytes()
    assert raw.endswith(b".\n") and not raw.endswith(b"\n\n"), raw[-40:]
