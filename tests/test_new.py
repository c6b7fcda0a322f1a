"""``threatmodel new`` writes a model that validates, with the workshop's steps, and never
overwrites."""

from __future__ import annotations

import re

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
    # no finding but the suggestions the example architecture draws (TM601 warnings)
    assert check.code == 0 and all(" TM601 warning: " in line
                                   for line in check.out.splitlines()), check.out
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


def _uncommented(text: str) -> str:
    """The skeleton with every commented example taken in: each list's ``[]`` dropped and
    the example lines under it uncommented."""
    text = re.sub(r"^(\w+): \[\](?=.*\n  # )", r"\1:", text, flags=re.MULTILINE)
    return text.replace("\n  # ", "\n  ")


def test_new_model_shows_the_new_sections_and_its_examples_validate(repo, cli):
    result = cli(repo.root, "new", "docs/x.md", "--id", "x", "--title", "X", "--owner", "team-x")
    assert result.code == 0, result.err
    path = repo.root / "docs/x.md"
    text = path.read_text("utf-8")
    for key in ("mitigations: []", "assumptions: []", "classification:", "encrypted:",
                "authentication:", "authorization:", "per_target:", "untriaged", "hurts:"):
        assert key in text, key
    path.write_text(_uncommented(text), "utf-8")
    repo.write("services/checkout-api/tests/test_order_access.py",
               "# CHK-001 and M-signed-token: lookups need a token\n")
    check = cli(repo.root, "validate")
    # no finding but the suggestions the example architecture draws (TM601 warnings)
    assert check.code == 0 and all(" TM601 warning: " in line
                                   for line in check.out.splitlines()), check.out
    from mkdocs_threatmodel.format.model import build_model
    from mkdocs_threatmodel.format.source import read_source

    model = build_model(read_source("docs/x.md", path.read_bytes()))
    assert [m.id for m in model.mitigations] == ["M-signed-token"]
    assert [a.id for a in model.assumptions] == ["A-cdn-waf"]
    threat = model.threats[0]
    assert threat.mitigations == ["M-signed-token"] and threat.assumptions == ["A-cdn-waf"]
    assert threat.on("api").status == "mitigating" and threat.on("f-checkout").status == \
        "mitigated"
    assert model.assets[0].classification == "confidential"
    flow = model.flows[0]
    assert (flow.encrypted, flow.authentication, flow.authorization) == (
        True, "session", "end-user")
