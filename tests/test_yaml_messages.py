"""YAML syntax errors say the mistake, on its own line, with the fix: one line each,
``path:line:col: TM001 message (hint)``, never PyYAML's own words for these cases."""

from __future__ import annotations

import pytest

from .models import install, mutate, where

REL = "docs/models/checkout.md"


@pytest.mark.parametrize("old,new,needle,says,hint", [
    ("owner: team-checkout", "\towner: team-checkout", "\towner",
     "a tab indents this line, and YAML indents with spaces only",
     "replace the tab with spaces"),
    ("    stride: [I]", "\t  stride: [I]", "\t  stride",
     "a tab indents this line, and YAML indents with spaces only",
     "replace the tab with spaces"),
    ("status: active", "status:active", "status:active",
     "'status:active' has no space after the colon, so YAML reads it as text, not as the key "
     "'status'", "add a space: 'status: active'"),
    ("    status: mitigated", "    status:mitigated", "status:mitigated",
     "'status:mitigated' has no space after the colon, so YAML reads it as text, not as the "
     "key 'status'", "add a space: 'status: mitigated'"),
    ("title: Harbor Commerce guest checkout", "title: Attacker: steals", "Attacker",
     "the value of 'title' holds ': ', which YAML reads as the start of another key",
     'quote the value: title: "Attacker: steals"'),
    ("    title: Guessing an order UUID", "    title: Guessing: an order UUID", "Guessing",
     "the value of 'title' holds ': ', which YAML reads as the start of another key",
     "quote the value: title: \"Guessing: an order UUID exposes another guest's shipping "
     "label\""),
    ("owner: team-checkout", "  owner: team-checkout", "owner",
     "'owner' is indented more than 'title' above it, which already has a value",
     "indent 'owner' as 'title' is, or move the value of 'title' under it"),
])
def test_a_syntax_error_is_said_on_its_own_line_with_the_fix(repo, cli, old, new, needle,
                                                             says, hint):
    text = mutate(old, new)
    install(repo, text)
    result = cli(repo.root, "validate")
    assert result.code == 1
    line, column = where(text, needle)
    assert result.lines == [f"{REL}:{line}:{column}: TM001 YAML syntax error: {says} "
                            f"({hint})"], result.out


def test_a_key_without_a_space_that_yaml_reads_as_text_is_hinted(repo, cli):
    text = mutate("scope: {in: [guest checkout], out: [login]}", "scope:\n  in:[guest]")
    install(repo, text)
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM102 " in out]
    assert line.endswith("'scope' must be a mapping, not text (add a space after the colon: "
                         "'in: [guest]')"), line


def test_other_syntax_errors_keep_yaml_s_words(repo, cli):
    install(repo, mutate("title: Harbor", "title: [Harbor"))
    result = cli(repo.root, "validate")
    (line,) = result.lines
    assert " TM001 YAML syntax error: while parsing a flow sequence" in line, line
