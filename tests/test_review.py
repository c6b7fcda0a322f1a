"""``threatmodel review`` changes the review and nothing else, byte for byte."""

from __future__ import annotations

import pytest

from .models import VALID, install, mutate

BLOCK = """\
---
threatmodel: 1
id: refunds   # the refunds flow
title: 'Refunds'
reviewed:
  date: "2026-01-05"    # quoted on purpose
  by: 'Dana Reyes'
owner: team-payments
---
Body stays.
"""


def test_flow_style_keeps_everything_else(repo, cli):
    rel = install(repo)
    before = (repo.root / rel).read_bytes()
    result = cli(repo.root, "review", rel, "--by", "Ann O'Neil", "--date", "2026-11-30")
    assert result.code == 0, result.err
    after = (repo.root / rel).read_bytes()
    assert after == before.replace(b"reviewed: {date: 2026-11-20, by: Dana Reyes}",
                                   b"reviewed: {date: 2026-11-30, by: Ann O'Neil}")


def test_block_style_quotes_and_comments_survive(repo, cli):
    repo.write("m.md", BLOCK)
    assert cli(repo.root, "review", "m.md", "--by", "Lee: SRE", "--date", "2026-11-30").code == 0
    assert (repo.root / "m.md").read_text() == BLOCK.replace(
        '"2026-01-05"', '"2026-11-30"').replace("'Dana Reyes'", "'Lee: SRE'")


def test_crlf_and_bom_are_kept(repo, cli):
    raw = b"\xef\xbb\xbf" + BLOCK.replace("\n", "\r\n").encode()
    repo.write("m.md", raw)
    assert cli(repo.root, "review", "m.md", "--by", "Ann", "--date", "2026-11-30").code == 0
    assert (repo.root / "m.md").read_bytes() == raw.replace(b'"2026-01-05"', b'"2026-11-30"')\
        .replace(b"'Dana Reyes'", b"'Ann'")


def test_missing_reviewed_is_inserted_after_review_every(repo, cli):
    rel = install(repo, mutate("reviewed: {date: 2026-11-20, by: Dana Reyes}\n", ""))
    before = (repo.root / rel).read_text()
    assert cli(repo.root, "review", rel, "--by", "true", "--date", "2026-11-30").code == 0
    assert (repo.root / rel).read_text() == before.replace(
        "review_every: 180d\n", 'review_every: 180d\nreviewed: {date: 2026-11-30, by: "true"}\n')


def test_missing_by_is_added(repo, cli):
    rel = install(repo, mutate(", by: Dana Reyes}", "}"))
    assert cli(repo.root, "review", rel, "--by", "Ann", "--date", "2026-11-30").code == 0
    assert "reviewed: {date: 2026-11-30, by: Ann}\n" in (repo.root / rel).read_text()


def test_default_reviewer_is_git_user_name_and_date_today(repo, cli):
    rel = install(repo)
    repo.git("config", "user.name", "Gita User")
    assert cli(repo.root, "review", rel, today="2026-12-01").code == 0
    assert "reviewed: {date: 2026-12-01, by: Gita User}" in (repo.root / rel).read_text()


def test_refuses_an_invalid_model_and_leaves_it_alone(repo, cli):
    text = mutate("likelihood: high", "likelihood: hihg")
    rel = install(repo, text)
    result = cli(repo.root, "review", rel, "--by", "Ann")
    assert result.code == 1
    assert " TM103 " in result.out and "fix the model first" in result.err
    assert (repo.root / rel).read_text() == text


@pytest.mark.parametrize("args", [["m.md", "--date", "soon"], ["m.md", "-C", "nowhere"]])
def test_usage_errors(repo, cli, args):
    repo.write("m.md", VALID)
    assert cli(repo.root, "review", *args, "--by", "Ann").code == 2
    assert (repo.root / "m.md").read_text() == VALID


@pytest.mark.parametrize("name,says", [("missing.md", "missing.md: no such file"),
                                       ("README.md", "README.md: not a threat model")])
def test_input_that_cannot_be_reviewed_is_exit_1_in_one_line(repo, cli, name, says):
    repo.write("README.md", "# not a model\n")
    repo.write("m.md", VALID)
    result = cli(repo.root, "review", name, "--by", "Ann")
    assert result.code == 1
    assert result.out == "" and result.err.count("\n") == 1, result.err
    assert result.err.startswith(f"threatmodel: error: {says}"), result.err
    assert (repo.root / "m.md").read_text() == VALID


def test_review_runs_in_the_folder_given_with_C(repo, cli, tmp_path):
    rel = install(repo)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = cli(outside, "review", "checkout.md", "-C", str(repo.root / "docs/models"),
                 "--by", "Ann", "--date", "2026-11-20")
    assert result.code == 0, result.err
    assert "date: 2026-11-20" in (repo.root / rel).read_text()
