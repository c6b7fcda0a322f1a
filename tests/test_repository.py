"""Whole-repository behaviour: discovery, explicit paths, cross-model ids, config, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from .models import VALID, install, mutate, where

OTHER = mutate("id: guest-checkout", "id: returns").replace("CHK-002", "RET-002").replace(
    "CHK-006", "RET-006")


def test_model_and_threat_ids_repeated_across_the_repository(repo, cli):
    install(repo)
    second = mutate("id: guest-checkout", "id: returns")
    repo.write("docs/models/returns.md", second)
    result = cli(repo.root, "validate")
    assert result.code == 1
    line, col = where(VALID, "guest-checkout")
    tm210 = [x for x in result.lines if " TM210 " in x]
    assert tm210 == [], "model ids differ here"
    tm211 = [x for x in result.lines if " TM211 " in x]
    # the later file (by path) is the one reported, naming where the first one is
    assert len(tm211) == 3
    assert all(x.startswith("docs/models/returns.md:") for x in tm211)
    cline, ccol = where(VALID, "CHK-001")
    assert f"also used in docs/models/checkout.md:{cline}:{ccol}" in tm211[0]


def test_duplicate_model_id_names_the_other_file(repo, cli):
    install(repo)
    repo.write("docs/models/zz-copy.md", OTHER.replace("id: returns", "id: guest-checkout"))
    result = cli(repo.root, "validate")
    line, col = where(VALID, "guest-checkout")
    assert any(x.startswith(f"docs/models/zz-copy.md:{line}:{col}: TM210 ")
               and f"docs/models/checkout.md:{line}:{col}" in x for x in result.lines)


def test_explicit_path_reports_only_that_file_but_resolves_against_all(repo, cli):
    install(repo)
    repo.write("docs/models/returns.md", mutate("id: guest-checkout", "id: returns"))
    repo.write("docs/adr/0001-notes.md", "---\nstatus: accepted\n---\n# not a model\n")
    result = cli(repo.root, "validate", "docs/models/checkout.md", "docs/adr/0001-notes.md")
    assert result.code == 0, result.out  # the duplicates are reported in returns.md only
    assert "1 model checked" in result.err
    result = cli(repo.root, "validate", "docs/models/returns.md")
    assert result.code == 1
    assert all(x.startswith("docs/models/returns.md:") for x in result.lines)


def test_paths_are_shown_relative_to_the_current_folder(repo, cli):
    install(repo, mutate("likelihood: high", "likelihood: hihg"))
    result = cli(repo.root / "docs", "validate")
    assert result.lines[0].startswith("models/checkout.md:")


def test_not_utf8_and_binary_files(repo, cli):
    install(repo)
    repo.write("docs/models/latin1.md", "---\nthreatmodel: 1\nid: x\ntitle: Caf\xe9\n---\n"
               .encode("latin-1"))
    repo.write("docs/models/binary.md", b"---\nthreatmodel: 1\n\0\0\0---\n")
    result = cli(repo.root, "validate")
    assert "docs/models/latin1.md:4:11: TM007 file is not UTF-8 (byte 0xe9)" in result.out
    assert "docs/models/binary.md:1:1: TM008 " in result.out
    assert result.code == 1


def test_crlf_files_keep_line_numbers(repo, cli):
    text = mutate("likelihood: high", "likelihood: hihg").replace("\n", "\r\n")
    install(repo, text)
    line, col = where(text.replace("\r\n", "\n"), "hihg")
    result = cli(repo.root, "validate")
    first = [x for x in result.lines if " TM601 " not in x][0]  # suggestions aside
    assert first.startswith(f"docs/models/checkout.md:{line}:{col}: TM103")


def test_outside_git_walks_the_folder(tmp_path, cli):
    from .conftest import Repo

    folder = Repo(tmp_path / "plain")
    install(folder, mutate("likelihood: high", "likelihood: hihg"))
    folder.write(".venv/lib/ignored.md", VALID)  # never walked
    result = cli(folder.root, "validate")
    assert result.code == 1
    assert len([x for x in result.lines if " TM103 " in x]) == 1


def test_untracked_model_is_found_and_gitignored_one_is_not(repo, cli):
    install(repo)
    repo.commit()
    repo.write(".gitignore", "scratch/\n")
    repo.write("scratch/draft.md", mutate("likelihood: high", "likelihood: hihg"))
    repo.write("new/returns.md", mutate("id: guest-checkout", "id: returns"))
    result = cli(repo.root, "validate")
    assert "scratch/" not in result.out
    assert "new/returns.md" in result.out


def test_config_changes_severity_and_switches_rules_off(repo, cli):
    install(repo, mutate("    likelihood: medium\n", "").replace("ticket: HC-142", "ticket: 142"))
    result = cli(repo.root, "validate")
    assert result.code == 1 and " TM409 warning:" in result.out
    repo.write(".threatmodel.yaml", "rules:\n  TM102: warning\n  TM409: off\n")
    result = cli(repo.root, "validate")
    assert result.code == 0, result.out
    assert " TM102 warning:" in result.out and "TM409" not in result.out
    repo.write(".threatmodel.yaml", "rules:\n  TM409: error\n")
    assert cli(repo.root, "validate").code == 1


def test_bad_config_is_a_finding_not_a_crash(repo, cli):
    install(repo)
    repo.write(".threatmodel.yaml", "rules:\n  TM999: warning\nstrikt: true\n")
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert ".threatmodel.yaml:2:3: TM901 unknown rule code 'TM999'" in result.out
    assert ".threatmodel.yaml:3:1: TM901 unknown configuration key 'strikt'" in result.out


def test_strict_mode_asks_for_every_letter(repo, cli):
    install(repo)
    result = cli(repo.root, "validate", "--strict")
    assert result.code == 1
    line, col = where(VALID, "browser")
    assert any(x.startswith(f"docs/models/checkout.md:{line}:{col}: TM303 external entity "
                            "'browser' has no threat for S (Spoofing), R (Repudiation)")
               for x in result.lines)
    repo.write(".threatmodel.yaml", "strict: true\n")
    assert cli(repo.root, "validate").code == 1
    repo.write(".threatmodel.yaml", "strict: true\nrules: {TM303: warning}\n")
    assert cli(repo.root, "validate").code == 0


def test_usage_errors_exit_2(repo, cli):
    install(repo)
    assert cli(repo.root, "validate", "missing.md").code == 2
    assert cli(repo.root, "validate", "docs").code == 2
    assert cli(repo.root, "validate", "--today", "soon").code == 2
    proc = subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", "validate", "--formt"],
                          cwd=repo.root, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_json_report_is_stable(repo, cli):
    text = mutate("likelihood: high", "likelihood: hihg")
    install(repo, text)
    repo.write(".threatmodel.yaml", "rules: {TM601: off}\n")  # suggestions: test_suggest.py
    doc = json.loads(cli(repo.root, "validate", "--format", "json").out)
    line, col = where(text, "hihg")
    assert doc["version"] == 1
    assert doc["summary"] == {"checked": 1, "errors": 1, "warnings": 0, "notes": 0}
    assert doc["findings"] == [{
        "path": "docs/models/checkout.md", "line": line, "column": col, "code": "TM103",
        "rule": "invalid-value", "severity": "error",
        "message": "'threats[0].likelihood' is 'hihg'; allowed: low, medium, high, critical",
        "hint": "did you mean 'high'?", "related": []}]


def test_sarif_report_has_rules_and_regions(repo, cli):
    text = mutate("likelihood: high", "likelihood: hihg")
    install(repo, text)
    repo.write(".threatmodel.yaml", "rules: {TM601: off}\n")  # suggestions: test_suggest.py
    result = cli(repo.root, "validate", "--format", "sarif")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    (res,) = run["results"]
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "TM103"
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    line, col = where(text, "hihg")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/models/checkout.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": line, "startColumn": col}
    assert res["level"] == "error"


def test_alias_bomb_is_refused_quickly(repo, cli):
    bomb = "---\nthreatmodel: 1\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 30):
        bomb += f"a{i}: &a{i} [*a{'' if i == 1 else i - 1}, *a{'' if i == 1 else i - 1}]\n"
    repo.write("bomb.md", bomb + "---\n")
    result = cli(repo.root, "validate")
    assert result.lines == ["bomb.md:3:4: TM006 YAML anchor 'a' is not allowed in a threat "
                            "model (write the value out where it is used)"]


def test_today_is_the_real_date_unless_threatmodel_today_fixes_it(monkeypatch):
    import datetime as dt

    from mkdocs_threatmodel.workspace.repository import today

    monkeypatch.setenv("THREATMODEL_TODAY", "2031-02-03")
    assert today() == dt.date(2031, 2, 3)
    monkeypatch.delenv("THREATMODEL_TODAY")
    before = dt.date.today()
    assert before <= today() <= dt.date.today()
