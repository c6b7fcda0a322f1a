"""``covers`` globs mean what they mean in CODEOWNERS (with gitignore's classes and escapes):
the table of examples in docs/covers.md is checked against our matching and against git's own
(``git check-ignore`` with the pattern in a ``.gitignore``), and so are many generated
patterns; a glob whose matches changed with these semantics is a note (TM112)."""

from __future__ import annotations

import os
import random
import re
import subprocess
from pathlib import Path

import pytest

from mkdocs_threatmodel.workspace.globs import (
    GlobIndex,
    glob_match,
    same_meaning_as_before,
    same_meaning_both_ways,
)

from .conftest import GIT_ENV
from .models import install, mutate, where

DOC = Path(__file__).resolve().parent.parent / "docs" / "covers.md"
ROW = re.compile(r"^\| `([^`]+)` \| `([^`]+)` \| (yes|no) \| (yes|no) \|$", re.M)
CHANGED = re.compile(r"^\| `([^`]+)` \| [^|]+ \| [^|]+ \| (?:`([^`]+)`|\(none[^)]*\)) \| "
                     r"(?:`([^`]+)`|\(none[^)]*\)) \|$", re.M)
EXAMPLES = ROW.findall(DOC.read_text("utf-8"))


def test_the_table_is_there():
    assert len(EXAMPLES) >= 25
    assert {covered for _, _, covered, _ in EXAMPLES} == {"yes", "no"}
    assert any(covered != git for _, _, covered, git in EXAMPLES)  # CODEOWNERS' own rule


@pytest.mark.parametrize("pattern,path,covered,_git", EXAMPLES,
                         ids=[f"{p} {q}" for p, q, _, _ in EXAMPLES])
def test_covers_matches_as_the_table_says(pattern, path, covered, _git):
    assert glob_match(pattern, path) is (covered == "yes")


def test_a_glob_index_finds_every_owner_one_by_one_matching_finds():
    """The index tries only the prefixes a path starts with (folders at each ``/``, other
    prefixes by length): the owners are those of every table pattern matching alone."""
    patterns = sorted({pattern for pattern, _, _, _ in EXAMPLES} | {
        "src/foo*", "src/foo/**", "s*", "src/", "/src/foo.py", "**/foo.py", "src/f?o.py"})
    paths = sorted({path for _, path, _, _ in EXAMPLES} | {
        "src/foo.py", "src/foobar/x.py", "src/foo/bar.py", "sa", "src", "foo.py"})
    index = GlobIndex()
    for n, pattern in enumerate(patterns):
        index.add(pattern, n)
    for path in paths:
        assert index.owners(path) == {n for n, pattern in enumerate(patterns)
                                      if glob_match(pattern, path)}, path


def _ignored(repo, pattern: str, paths: list[str]) -> set[str]:
    """The paths git's gitignore matching ignores with ``pattern`` as the only rule."""
    (repo.root / ".gitignore").write_text(pattern + "\n", encoding="utf-8")
    run = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"],
                         cwd=repo.root, env={**os.environ, **GIT_ENV}, capture_output=True,
                         text=True, input="\0".join(paths) + "\0")
    assert run.returncode in (0, 1), run.stderr  # 1: nothing ignored
    out = run.stdout
    fields = out.split("\0")
    # -v -n -z: source, line, pattern, path for every path; an empty source is no match
    return {fields[i + 3] for i in range(0, len(fields) - 3, 4) if fields[i]}


def test_the_table_s_gitignore_column_is_what_git_says(repo):
    by_pattern: dict[str, dict[str, str]] = {}
    for pattern, path, _, git in EXAMPLES:
        by_pattern.setdefault(pattern, {})[path] = git
    for pattern, rows in by_pattern.items():
        ignored = _ignored(repo, pattern, list(rows))
        assert {p: "yes" if p in ignored else "no" for p in rows} == rows, pattern


PIECES = ["a", "b", "ab", "*", "**", "?", "[ab]", "[!a]", "\\*", ".py", "/", "/", "/"]
NAMES = ["a", "b", "ab", "ba", "aab", "x.py", "a.py", "*", "b*"]


def _paths(rng: random.Random) -> list[str]:
    return sorted({"/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4)))
                   for _ in range(40)})


def _pattern(rng: random.Random) -> str:
    pattern = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5)))
    while "***" in pattern or "//" in pattern:  # neither has a documented meaning in git
        pattern = pattern.replace("***", "**").replace("//", "/")
    return pattern


def test_generated_patterns_match_as_git_s_gitignore_does(repo):
    """Git's matching is the reference, but for CODEOWNERS' final bare '*' (``src/*``),
    which reaches into subfolders in a .gitignore and does not in ``covers``."""
    rng = random.Random(16)
    checked = 0
    for _ in range(150):
        pattern, paths = _pattern(rng), _paths(rng)
        if pattern.strip("/") in ("", "*") and pattern != "*":
            continue
        ignored = _ignored(repo, pattern, paths)
        reaches = pattern.rstrip("/") != pattern or not re.search(r"(^|[^\\])/\*$", pattern)
        for path in paths:
            ours = glob_match(pattern, path)
            if not reaches:  # 'src/*': git also ignores what is inside 'src/x'
                ours = ours or glob_match(pattern + "/", path)
            assert ours is (path in ignored), (pattern, path)
            checked += 1
    assert checked > 3000


@pytest.mark.parametrize("glob,both,before", CHANGED.findall(DOC.read_text("utf-8")))
def test_the_spellings_the_changed_meaning_table_gives(glob, both, before):
    assert same_meaning_both_ways(glob) == (both or None)
    assert same_meaning_as_before(glob) == (before or None)


def test_a_glob_that_matches_other_files_than_before_is_a_note(repo, cli):
    repo.write("app.py", "")
    text = mutate("covers: [services/checkout-api/**]", "covers: ['*.py']")
    rel = install(repo, text)
    result = cli(repo.root, "validate")
    notes = [line for line in result.lines if " TM112 " in line]
    assert result.code == 0
    line, column = where(text, "'*.py'")
    assert notes == [f"{rel}:{line}:{column}: TM112 note: covers glob '*.py' now matches as in "
                     "CODEOWNERS: 1 more file (such as 'services/checkout-api/tests/"
                     "test_order_access.py') than before (write '**/*.py' to keep what it "
                     "matches now, or '/*.py' to match what it matched before)"], result.out
    for spelling in ("**/*.py", "/*.py"):
        install(repo, mutate("'*.py'", f"'{spelling}'", text))
        assert not [line for line in cli(repo.root, "validate").lines if " TM112 " in line]


def test_no_note_when_the_repository_shows_no_difference(repo, cli):
    text = mutate("covers: [services/checkout-api/**]",
                  "covers: [services/checkout-api/**, '*.md', 'services/*']")
    install(repo, text)
    repo.write("services/x.md", "")
    result = cli(repo.root, "validate")
    notes = [line for line in result.lines if " TM112 " in line]
    # '*.md' now also matches the model and the ADR below the root; 'services/*' no longer
    # reaches into services/checkout-api/
    assert len(notes) == 2 and "'*.md'" in notes[0] and "'services/*'" in notes[1], notes
    (repo.root / "services/x.md").unlink()
    text = mutate("covers: [services/checkout-api/**]", "covers: ['README*']")
    install(repo, text)
    repo.write("README.md", "")
    assert not [line for line in cli(repo.root, "validate").lines if " TM112 " in line]
