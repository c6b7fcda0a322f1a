"""Every rule code fires on its bad case, at the offending key or value, and nowhere else."""

from __future__ import annotations

import pytest

from mkdocs_threatmodel.findings.rules import RULES

from .models import CASES, install, where


def test_valid_model_is_clean(repo, cli):
    install(repo)
    result = cli(repo.root, "validate")
    assert [line for line in result.lines if " TM601 " not in line] == []  # suggestions only
    assert result.code == 0
    assert "1 model checked" in result.err


@pytest.mark.parametrize("name,text,code,needle,_schema", CASES, ids=[c[0] for c in CASES])
def test_case_reports_its_code_at_its_position(repo, cli, name, text, code, needle, _schema):
    rel = install(repo, text)
    result = cli(repo.root, "validate")
    hits = [out for out in result.lines if f" {code} " in out]
    assert hits, result.out
    if needle is not None:
        line, column = where(text, needle)
        assert any(h.startswith(f"{rel}:{line}:{column}: ") for h in hits), (line, column,
                                                                              result.out)
    severity = RULES[code].severity.value
    assert result.code == (1 if severity == "error" else 0)


def test_every_enabled_rule_has_a_case():
    covered = {case[2] for case in CASES}
    expected = {code for code, r in RULES.items() if code[2] in "01234" and r.enabled}
    expected -= {"TM007", "TM008", "TM210", "TM211"}  # see test_repository.py
    expected -= {"TM009", "TM010", "TM011", "TM012"}  # see test_hardening_files.py
    assert expected <= covered, sorted(expected - covered)
