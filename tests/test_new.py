"""``threatmodel new`` writes a model that validates, with the workshop's steps, and never
overwrites."""

from __future__ import annotations

from mkdocs_threatmodel.format.scaffold import WORKSHOP


def test_new_model_validates_and_has_the_workshop_steps(repo, cli):
    repo.write("docs/adr/0009-refunds.md", "# Refunds\n")
    result = cli(repo.root, "new", "docs/threat-models/refunds.md", "--id", "refunds",
                 "--title", 'Refunds: "partial" and full', "--adr", "docs/adr/0009-refunds.md",
                 "--owner", "team-payments")
    assert result.code == 0, result.err
    text = (repo.root / "docs/threat-models/refunds.md").read_text("utf-8")
    assert 'title: "Refunds: \\"partial\\" and full"' in text
    assert 'adrs: ["../adr/0009-refunds.md"]' in text
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [step for step, _ in WORKSHOP]
    check = cli(repo.root, "validate")
    assert check.code == 0 and check.out == "", check.out
    assert "1 model checked" in check.err


def test_new_refuses_to_overwrite(repo, cli):
    target = repo.write("m.md", "my notes\n")
    result = cli(repo.root, "new", "m.md", "--id", "m", "--title", "M")
    assert result.code == 1
    assert "already exists" in result.err
    assert target.read_text() == "my notes\n"


def test_new_usage_errors(repo, cli):
    assert cli(repo.root, "new", "m.md", "--id", "bad id", "--title", "M").code == 2
    assert cli(repo.root, "new", "m.md", "--id", "m", "--title", "M", "--adr", "no.md").code == 2
    assert cli(repo.root, "new", "m.txt", "--id", "m", "--title", "M").code == 2
    assert not (repo.root / "m.md").exists()
