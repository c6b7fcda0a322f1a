"""Issue 10, finding and reading files: no model skipped in silence, no hang on special files,
no read through a symlink, nothing left behind by a failed write, git's refusals said in one
line, and conflicts reported. Every case runs in a real repository; cases that could hang or
crash run the command line in a subprocess with a timeout."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import GIT_ENV, Repo

TIMEOUT = 20  # seconds: far above any run here; reaching it means the command hung
GIB = 1 << 30

MODEL = """\
---
threatmodel: 1
id: {id}
title: A model
owner: team-a
status: {status}
covers: []
---
# A model
"""


def model(model_id: str = "a", status: str = "draft") -> str:
    """A small model; with ``status='bogus'`` it has exactly one finding (TM103)."""
    return MODEL.format(id=model_id, status=status)


def tm(cwd: Path, *args: str, env: dict | None = None, memory: int | None = None,
       file_size: int | None = None) -> subprocess.CompletedProcess:
    """``threatmodel ARGS`` in a subprocess, so that a hang or a crash is caught.

    ``memory`` caps the address space (a runaway read fails instead of eating the machine);
    ``file_size`` caps the size of files it writes (writes past it fail with EFBIG, as on a
    full disk).
    """
    def limits() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    full = {**os.environ, **GIT_ENV, "THREATMODEL_TODAY": "2026-11-27", **(env or {})}
    try:
        return subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", *args], cwd=cwd,
                              env=full, capture_output=True, text=True, timeout=TIMEOUT,
                              preexec_fn=limits)
    except subprocess.TimeoutExpired:
        pytest.fail(f"threatmodel {' '.join(args)} hung for {TIMEOUT} s", pytrace=False)


def one_error_line(proc) -> str:
    """The single stderr line of a refusal (no traceback, nothing else)."""
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def commit_model(repo: Repo, rel: str = "m.md", text: str | None = None) -> None:
    repo.write(rel, text if text is not None else model())
    repo.commit("model", "2026-11-20")


# -- 3. models skipped in silence -----------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_model_is_reported_not_skipped(repo, cli, encoding):
    repo.write("m.md", model().encode(encoding))
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert [x.split(" ")[1] for x in result.lines] == ["TM007"], result.out
    assert result.lines[0].startswith("m.md:1:1: TM007 ")
    assert "All good" not in result.err
    named = cli(repo.root, "validate", "m.md")
    assert named.code == 1 and named.lines == result.lines
    repo.commit("model", "2026-11-20")
    assert "of 1 model stale" in cli(repo.root, "stale").err  # stale counts it too


_KEY_SHAPES = {
    "double-quoted": '---\n"threatmodel": 1\nid: a\ntitle: A\nowner: o\nstatus: bogus\n---\n',
    "single-quoted": "---\n'threatmodel': 1\nid: a\ntitle: A\nowner: o\nstatus: bogus\n---\n",
    "flow": "---\n{threatmodel: 1, id: a, title: A, owner: o, status: bogus}\n---\n",
    "flow-multiline": "---\n{threatmodel: 1, id: a,\n title: A, owner: o, status: bogus}\n---\n",
    "explicit-key": "---\n? threatmodel\n: 1\nid: a\ntitle: A\nowner: o\nstatus: bogus\n---\n",
    "spaces-after-dashes": "--- \nthreatmodel: 1\nid: a\ntitle: A\nowner: o\nstatus: bogus\n"
                           "---\n",
}


@pytest.mark.parametrize("shape", sorted(_KEY_SHAPES))
def test_model_key_in_any_yaml_shape_is_a_model(repo, cli, shape):
    repo.write("m.md", _KEY_SHAPES[shape])
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert [x.split(" ")[1] for x in result.lines] == ["TM103"], result.out
    assert "1 model checked" in result.err
    assert cli(repo.root, "validate", "m.md").lines == result.lines
    repo.commit("model", "2026-11-20")
    stale = cli(repo.root, "stale")
    assert "of 1 model stale" in stale.err, stale.err


_PROPERTY = settings(max_examples=60, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)


@_PROPERTY
@given(extra=st.dictionaries(st.sampled_from(["id", "title", "owner", "status", "notes"]),
                             _WORDS, max_size=4),
       first=st.booleans(), flow=st.sampled_from([False, True, None]),
       style=st.sampled_from([None, '"', "'"]), newline=st.sampled_from(["\n", "\r\n"]),
       dashes=st.sampled_from(["---", "--- ", "---\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                 "utf-32"]))
@pytest.mark.slow
def test_any_spelling_of_a_model_is_checked(tmp_path, cli, extra, first, flow, style,
                                             newline, dashes, encoding):
    """No model is skipped in silence, whatever YAML style, line ends or encoding it has."""
    data = {"threatmodel": 1, **extra} if first else {**extra, "threatmodel": 1}
    front = yaml.safe_dump(data, default_flow_style=flow, default_style=style,
                           allow_unicode=True, sort_keys=False)
    text = f"{dashes}\n{front}---\n# Body\n".replace("\n", newline)
    folder = tmp_path / "plain"
    folder.mkdir(exist_ok=True)
    (folder / "m.md").write_bytes(text.encode(encoding))
    for args in (("validate",), ("validate", "m.md")):
        result = cli(folder, *args)
        assert result.code in (0, 1)
        assert "1 model checked" in result.err, (text, result.err)
        if encoding not in ("utf-8", "utf-8-sig"):
            assert [x.split(" ")[:2] for x in result.lines] == [["m.md:1:1:", "TM007"]]


_SIDE = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl",
                                                                         "Zp"]), max_size=12)
                 .filter(lambda w: not w.startswith(("-", "<", "=", ">", "|"))), max_size=3)


@_PROPERTY
@given(at=st.integers(min_value=0, max_value=200), ours=_SIDE, theirs=_SIDE,
       label=st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=12))
def test_a_conflict_anywhere_is_reported_at_its_line(tmp_path, cli, at, ours, theirs, label):
    """A model in conflict is reported at the conflict's first line, wherever it is; a file
    is in conflict as a model when either of its sides is one."""
    from .models import VALID

    lines = VALID.splitlines()
    at = at % (len(lines) + 1)
    block = [f"<<<<<<< {label}".rstrip(), *ours, "=======", *theirs, f">>>>>>> {label}".rstrip()]
    folder = tmp_path / "plain"
    folder.mkdir(exist_ok=True)
    (folder / "m.md").write_text("\n".join(lines[:at] + block + lines[at:]) + "\n")
    result = cli(folder, "validate", "m.md")
    if at == 0 and ours and theirs:  # both sides open with other text: neither is a model
        assert result.code == 0 and result.lines == [], result.out
        return
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [[f"m.md:{at + 1}:1:", "TM010"]]


def test_plain_markdown_is_still_not_a_model(repo, cli):
    repo.write("README.md", "# Read me\n\nthreatmodel: not front matter\n")
    repo.write("notes.md", "---\ntitle: notes\nsee: threatmodel\n---\n")
    repo.write("m.md", model())
    result = cli(repo.root, "validate")
    assert result.code == 0, result.out
    assert "1 model checked" in result.err


def test_no_model_checked_is_never_all_good(repo, cli):
    commit_model(repo)
    repo.write("README.md", "# Read me\n")
    named = cli(repo.root, "validate", "README.md")
    assert named.code == 0 and named.out == ""
    assert named.err == "Nothing to check: 0 models checked.\n"
    repo.write(".threatmodel.yaml", "exclude: ['*.md']\n")
    assert cli(repo.root, "validate").err == "Nothing to check: 0 models checked.\n"


def test_bare_repository_is_said_not_walked(repo, tmp_path):
    commit_model(repo)
    bare = tmp_path / "bare.git"
    repo.git("clone", "-q", "--bare", str(repo.root), str(bare))
    for command in ("validate", "stale"):
        proc = tm(bare, command)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout == ""
        assert "bare" in one_error_line(proc)


def test_broken_repository_is_said_not_walked(tmp_path):
    folder = tmp_path / "worktree"
    (folder / "docs").mkdir(parents=True)
    (folder / ".git").write_text(f"gitdir: {tmp_path / 'gone'}\n")  # its repository is gone
    (folder / "docs" / "m.md").write_text(model(status="bogus"))
    proc = tm(folder / "docs", "validate")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "not a git repository" in one_error_line(proc)


def test_inside_the_git_folder_is_said_not_walked(repo):
    commit_model(repo)
    proc = tm(repo.root / ".git", "validate")
    assert proc.returncode == 1
    assert "All good" not in proc.stderr
    assert "work tree" in one_error_line(proc)


def test_model_left_out_by_a_sparse_checkout_is_reported(repo, cli):
    repo.write("docs/m.md", model())
    repo.write("src/app.py", "x = 1\n")
    repo.write("README.md", "# not a model\n")
    repo.commit("model", "2026-11-20")
    repo.git("sparse-checkout", "set", "src")
    assert not (repo.root / "docs/m.md").exists()
    result = cli(repo.root, "validate")
    assert [x.split(" ")[:2] for x in result.lines] == [["docs/m.md:1:1:", "TM012"]], result.out
    assert "All good" not in result.err


def test_tracked_model_missing_from_the_work_tree_is_reported(repo, cli):
    commit_model(repo)
    commit_model(repo, "other.md", model("b"))
    (repo.root / "m.md").unlink()
    result = cli(repo.root, "validate")
    assert [x.split(" ")[:2] for x in result.lines] == [["m.md:1:1:", "TM012"]], result.out
    assert "All good" not in result.err


def test_tracked_model_that_is_now_a_folder_is_reported(repo, cli):
    commit_model(repo)
    (repo.root / "m.md").unlink()
    (repo.root / "m.md").mkdir()
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [["m.md:1:1:", "TM009"]], result.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_unreadable_model_is_reported(repo, cli):
    commit_model(repo)
    commit_model(repo, "n.md", model("b"))
    target = repo.root / "n.md"
    target.chmod(0)
    try:
        result = cli(repo.root, "validate")
        assert result.code == 1
        assert [x.split(" ")[:2] for x in result.lines] == [["n.md:1:1:", "TM009"]]
        named = cli(repo.root, "validate", "n.md")
        assert named.code == 1 and named.lines == result.lines
    finally:
        target.chmod(0o644)


# -- 4. special files: no hang, a size limit -------------------------------------------------
def test_fifo_named_on_the_command_line(repo):
    commit_model(repo)
    os.mkfifo(repo.root / "f.md")
    proc = tm(repo.root, "validate", "f.md", "m.md")
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["f.md:1:1:", "TM009"]]


def test_fifo_met_in_a_folder_walk(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "m.md").write_text(model(status="bogus"))
    os.mkfifo(folder / "f.md")
    proc = tm(folder, "validate")
    assert "Traceback" not in proc.stderr
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["m.md:6:9:", "TM103"]]


def test_fifo_in_place_of_a_tracked_model(repo):
    commit_model(repo)
    commit_model(repo, "n.md", model("b"))
    (repo.root / "n.md").unlink()
    os.mkfifo(repo.root / "n.md")
    proc = tm(repo.root, "validate")
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["n.md:1:1:", "TM009"]]
    stale = tm(repo.root, "stale")
    assert "Traceback" not in stale.stderr
    assert "of 2 models stale" in stale.stderr


def test_tracked_symlink_to_dev_zero_validate(repo):
    commit_model(repo)
    os.symlink("/dev/zero", repo.root / "z.md")
    repo.commit("link", "2026-11-20")
    proc = tm(repo.root, "validate", memory=GIB)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stdout
    assert "1 model checked" in proc.stderr


def test_tracked_symlink_to_dev_zero_stale(repo):
    commit_model(repo)
    os.symlink("/dev/zero", repo.root / "z.md")
    repo.commit("link", "2026-11-20")
    proc = tm(repo.root, "stale", memory=GIB)
    assert "Traceback" not in proc.stderr
    assert "of 1 model stale" in proc.stderr


def test_model_over_the_size_limit_is_reported_not_read(repo):
    line = "Notes that go on and on. " * 3 + "\n"
    repo.write("big.md", model("big") + line * (40 * (1 << 20) // len(line)))
    repo.write("m.md", model())
    proc = tm(repo.root, "validate")
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["big.md:1:1:", "TM011"]]
    named = tm(repo.root, "validate", "big.md")
    assert named.stdout == proc.stdout


@pytest.mark.parametrize("command", [("review", "--by", "Ann"), ("export", "--to", "json"),
                                     ("validate",)], ids=["review", "export", "validate"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_special_file_named_to_any_command(repo, command, kind):
    commit_model(repo)
    special = repo.root / "s.md"
    os.mkfifo(special) if kind == "fifo" else os.symlink("/dev/zero", special)
    proc = tm(repo.root, command[0], "s.md", *command[1:], memory=GIB)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    if command[0] == "validate":
        assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["s.md:1:1:", "TM009"]]
    else:
        assert "s.md" in one_error_line(proc)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_special_configuration_file_is_said_not_read(repo, kind):
    commit_model(repo)
    config = repo.root / ".threatmodel.yaml"
    {"fifo": os.mkfifo, "folder": os.mkdir,
     "dev-zero": lambda p: os.symlink("/dev/zero", p)}[kind](config)
    proc = tm(repo.root, "validate", memory=GIB)
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [
        [".threatmodel.yaml:1:1:", "TM901"]], proc.stdout


@pytest.mark.slow
def test_staged_model_over_the_size_limit(repo):
    line = "Notes that go on and on. " * 3 + "\n"
    repo.write("big.md", model("big") + line * (40 * (1 << 20) // len(line)))
    repo.write("m.md", model())
    repo.git("add", "-A")
    proc = tm(repo.root, "validate", "--staged", memory=GIB // 2)
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["big.md:1:1:", "TM011"]]
    named = tm(repo.root, "validate", "--staged", "big.md", memory=GIB // 2)
    assert named.stdout == proc.stdout
    repo.commit("big", "2026-11-20")
    stale = tm(repo.root, "stale", memory=GIB // 2)  # the blob's start is read, not all of it
    assert "Traceback" not in stale.stderr
    assert "of 2 models stale" in stale.stderr


def test_the_size_limit_is_the_documented_one():
    from mkdocs_threatmodel.findings.rules import RULES
    from mkdocs_threatmodel.workspace.files import MAX_FILE_BYTES

    limit = f"{MAX_FILE_BYTES >> 20} MiB"
    assert limit in RULES["TM011"].summary
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert f"up to\n{limit} each" in readme


# What each kind of file named *.md makes validate say: (code, checked as a model).
_KINDS = {"model": (None, True), "bad": ("TM103", True), "fifo": ("TM009", True),
          "folder": ("TM009", True), "missing": ("TM012", True), "utf16": ("TM007", True),
          "link-in": (None, False), "link-out": (None, False), "dev-zero": (None, False)}


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(kinds=st.lists(st.sampled_from(sorted(_KINDS)), min_size=1, max_size=6))
def test_every_model_file_is_checked_or_said(tmp_path_factory, kinds):
    """Whatever mix of files a repository holds, validate ends, never crashes, and says of
    each model file that it was checked, or why not; links are no models."""
    root = tmp_path_factory.mktemp("mix")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    outside = tmp_path_factory.mktemp("outside") / "x.md"
    outside.write_text(model("outside"))
    repo.write("target.md", model("target"))
    names = [f"m{i}.md" for i in range(len(kinds))]
    for name, kind in zip(names, kinds, strict=True):
        if kind.startswith(("link", "dev")):
            os.symlink({"link-in": "target.md", "link-out": str(outside),
                        "dev-zero": "/dev/zero"}[kind], root / name)
        elif kind == "utf16":
            repo.write(name, model(name[:-3]).encode("utf-16"))
        else:
            repo.write(name, model(name[:-3], "bogus" if kind == "bad" else "draft"))
    repo.commit("files", "2026-11-20")
    for name, kind in zip(names, kinds, strict=True):
        if kind in ("fifo", "folder", "missing"):
            (root / name).unlink()
            {"fifo": os.mkfifo, "folder": os.mkdir, "missing": lambda p: None}[kind](root / name)
    proc = tm(root, "validate", memory=GIB)
    assert "Traceback" not in proc.stderr
    said = sorted((x.split(":")[0], x.split(" ")[1]) for x in proc.stdout.splitlines())
    assert said == sorted((n, _KINDS[k][0]) for n, k in zip(names, kinds, strict=True)
                          if _KINDS[k][0]), proc.stdout
    checked = 1 + sum(_KINDS[k][1] for k in kinds)
    assert f" {checked} model{'s' if checked != 1 else ''} checked." in proc.stderr


# -- 6. symlinks are not models -------------------------------------------------------------
def test_symlink_to_a_model_outside_is_not_read(repo, tmp_path):
    outside = tmp_path / "outside" / "secret.md"
    outside.parent.mkdir()
    outside.write_text(model("secret-outside", status="bogus"))
    commit_model(repo)
    os.symlink(outside, repo.root / "link.md")
    repo.commit("link", "2026-11-20")
    proc = tm(repo.root, "validate")
    assert proc.returncode == 0, proc.stdout
    assert "1 model checked" in proc.stderr
    stale = tm(repo.root, "stale")
    assert stale.stdout == ""
    assert "of 1 model stale" in stale.stderr
    named = tm(repo.root, "validate", "link.md")
    assert "secret-outside" not in named.stdout + named.stderr
    assert "TM103" not in named.stdout
    assert named.returncode == 1
    assert [x.split(" ")[:2] for x in named.stdout.splitlines()] == [["link.md:1:1:", "TM009"]]


def test_symlink_to_a_model_inside_is_not_a_second_model(repo, cli):
    commit_model(repo)
    os.symlink("m.md", repo.root / "alias.md")
    repo.commit("alias", "2026-11-20")
    result = cli(repo.root, "validate")
    assert result.code == 0, result.out
    assert "1 model checked" in result.err
    assert "of 1 model stale" in cli(repo.root, "stale").err


def test_named_symlink_inside_stands_for_its_target(repo, cli, tmp_path):
    commit_model(repo, "m.md", model(status="bogus"))
    os.symlink("m.md", repo.root / "alias.md")
    result = cli(repo.root, "validate", "alias.md")
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [["m.md:6:9:", "TM103"]]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text(model("outside", status="bogus"))
    os.symlink(outside, repo.root / "linked")
    through = cli(repo.root, "validate", "linked/x.md")
    assert through.code == 1
    assert [x.split(" ")[:2] for x in through.lines] == [["linked/x.md:1:1:", "TM009"]]
    assert "outside" not in through.out


# -- 8. nothing left behind ------------------------------------------------------------------
def test_new_on_a_full_disk_leaves_nothing(repo):
    args = ("new", "docs/m.md", "--id", "m", "--title", "M")
    full = tm(repo.root, *args, file_size=0)
    assert full.returncode == 1
    assert "Traceback" not in full.stderr
    assert not (repo.root / "docs/m.md").exists()
    assert [p.name for p in (repo.root / "docs").iterdir()] == []
    again = tm(repo.root, *args)
    assert again.returncode == 0, again.stderr
    written = repo.root / "docs/m.md"
    assert written.read_text("utf-8").startswith("---\nthreatmodel: 1\n")
    plain = repo.write("docs/plain.md", "x\n")  # the mode any new file gets here
    assert written.stat().st_mode == plain.stat().st_mode


def test_export_over_a_file_on_a_full_disk_keeps_the_file(repo):
    from .models import install

    rel = install(repo)
    out = repo.write("out.json", "keep me\n")
    full = tm(repo.root, "export", rel, "--to", "json", "-o", "out.json", "--force",
              file_size=0)
    assert full.returncode == 1
    assert "out.json: not written" in one_error_line(full)
    assert out.read_text() == "keep me\n"
    assert sorted(p.name for p in repo.root.iterdir()) == [".git", "docs", "out.json",
                                                          "services"]
    assert tm(repo.root, "export", rel, "--to", "json", "-o", "out.json", "--force"
              ).returncode == 0
    assert out.read_text().startswith("{")


# -- 9. git's own refusals -------------------------------------------------------------------
COMMANDS_IN_A_REPOSITORY = [("validate",), ("validate", "m.md"), ("validate", "--staged"),
                            ("stale",), ("stale", "--staged"), ("review", "m.md"),
                            ("diff", "HEAD")]


def _ignored_duplicate(repo: Repo) -> None:
    """A committed model and an ignored copy of it: a folder walk would report TM210."""
    repo.write(".gitignore", "build/\n")
    repo.write("build/copy.md", model())
    commit_model(repo)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown the repository to another "
                    "user")
@pytest.mark.slow
def test_repository_of_another_user(repo):
    _ignored_duplicate(repo)
    owner = os.stat(repo.root)
    subprocess.run(["chown", "-R", "12345:12345", str(repo.root)], check=True)
    try:
        for command in COMMANDS_IN_A_REPOSITORY:
            proc = tm(repo.root, *command)
            assert proc.returncode == 1
            assert proc.stdout == ""
            assert "dubious ownership" in one_error_line(proc)
    finally:
        subprocess.run(["chown", "-R", f"{owner.st_uid}:{owner.st_gid}", str(repo.root)],
                       check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown the repository to another "
                    "user")
def test_site_build_in_a_repository_of_another_user(repo, tmp_path):
    repo.write("mkdocs.yml", "site_name: Models\nplugins:\n  - threatmodel\n")
    repo.write("docs/index.md", "# Home\n")
    commit_model(repo, "docs/m.md")
    owner = os.stat(repo.root)
    subprocess.run(["chown", "-R", "12345:12345", str(repo.root)], check=True)
    try:
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                               str(repo.root / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, **GIT_ENV})
    finally:
        subprocess.run(["chown", "-R", f"{owner.st_uid}:{owner.st_gid}", str(repo.root)],
                       check=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "threatmodel: git: detected dubious ownership" in proc.stderr


@pytest.mark.slow
def test_no_git_on_path_inside_a_repository(repo, tmp_path):
    _ignored_duplicate(repo)
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    for command in COMMANDS_IN_A_REPOSITORY:
        proc = tm(repo.root, *command, env={"PATH": str(empty)})
        assert proc.returncode == 1
        assert proc.stdout == ""
        assert "git is not installed" in one_error_line(proc)


def test_no_git_on_path_outside_a_repository_walks_the_folder(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "m.md").write_text(model(status="bogus"))
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    proc = tm(folder, "validate", env={"PATH": str(empty)})
    assert proc.returncode == 1
    assert [x.split(" ")[:2] for x in proc.stdout.splitlines()] == [["m.md:6:9:", "TM103"]]


# -- 10. conflicts ---------------------------------------------------------------------------
def _conflict(repo: Repo) -> None:
    """Two branches change the model's title; the merge stops on the conflict."""
    commit_model(repo)
    repo.git("checkout", "-q", "-b", "other")
    repo.write("m.md", model().replace("title: A model", "title: Theirs"))
    repo.commit("theirs", "2026-11-21")
    repo.git("checkout", "-q", "main")
    repo.write("m.md", model().replace("title: A model", "title: Ours"))
    repo.commit("ours", "2026-11-22")
    proc = subprocess.run(["git", "merge", "-q", "other"], cwd=repo.root, capture_output=True,
                          env={**os.environ, **GIT_ENV})
    assert proc.returncode == 1, "the merge should stop on a conflict"


def test_unmerged_model_is_reported_by_validate_staged(repo, cli):
    _conflict(repo)
    result = cli(repo.root, "validate", "--staged")
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [["m.md:1:1:", "TM010"]], result.out
    assert "All good" not in result.err


def test_staged_conflict_markers_in_the_front_matter(repo, cli):
    _conflict(repo)
    repo.git("add", "m.md")
    text = (repo.root / "m.md").read_text()
    line = text.splitlines().index("<<<<<<< HEAD") + 1
    result = cli(repo.root, "validate", "--staged")
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [[f"m.md:{line}:1:", "TM010"]]
    assert cli(repo.root, "validate").lines == result.lines


def test_staged_conflict_markers_in_the_body(repo, cli):
    text = model() + "\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> other\n"
    repo.write("m.md", text)
    repo.git("add", "m.md")
    line = text.splitlines().index("<<<<<<< HEAD") + 1
    for args in (("validate", "--staged"), ("validate",)):
        result = cli(repo.root, *args)
        assert result.code == 1
        assert [x.split(" ")[:2] for x in result.lines] == [[f"m.md:{line}:1:", "TM010"]]
        assert "All good" not in result.err


@pytest.mark.parametrize("markers", [
    "<<<<<<< HEAD\r\nours\r\n=======\r\ntheirs\r\n>>>>>>> other\r\n",
    "<<<<<<< ours\nours\n||||||| base\nbase\n=======\ntheirs\n>>>>>>> theirs\n",
    "<<<<<<<\n=======\n>>>>>>>\n",
], ids=["crlf", "diff3", "bare-markers"])
def test_conflict_markers_of_every_style(repo, cli, markers):
    text = model() + markers
    repo.write("m.md", text)
    line = text.count("\n", 0, text.index("<<<<<<<")) + 1
    result = cli(repo.root, "validate", "m.md")
    assert result.code == 1
    assert [x.split(" ")[:2] for x in result.lines] == [[f"m.md:{line}:1:", "TM010"]]


def test_conflict_on_the_first_line_is_still_a_model(repo, cli):
    text = "<<<<<<< HEAD\n---\n=======\n--- \n>>>>>>> other\n" + model().split("\n", 1)[1]
    repo.write("m.md", text)
    for args in (("validate",), ("validate", "m.md")):
        result = cli(repo.root, *args)
        assert result.code == 1
        assert [x.split(" ")[:2] for x in result.lines] == [["m.md:1:1:", "TM010"]]


def test_unmerged_model_named_with_staged(repo, cli):
    _conflict(repo)
    result = cli(repo.root, "validate", "--staged", "m.md")
    assert result.code == 1
    assert [x.split(" ")[1] for x in result.lines] == ["TM010"], result.out


def test_setext_heading_is_not_a_conflict(repo, cli):
    repo.write("m.md", model() + "\nTitle\n=======\n\nText.\n")
    repo.git("add", "m.md")
    result = cli(repo.root, "validate", "--staged")
    assert result.code == 0, result.out
    assert "1 model checked" in result.err

