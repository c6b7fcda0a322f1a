"""Reports for CI: SARIF that code scanning ranks (checked against the SARIF 2.1.0 schema),
GitHub workflow commands, GitLab code quality JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mkdocs_threatmodel.findings.finding import Finding, Position, Severity
from mkdocs_threatmodel.findings.reports.github import annotation
from mkdocs_threatmodel.findings.rules import RULES

from .models import install, mutate, where
from .test_stale import PATH, history  # noqa: F401  (the fixture)

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif" /
                           "sarif-schema-2.1.0.json").read_text("utf-8"))
BAD = mutate("likelihood: high", "likelihood: hihg")


def _valid_sarif(text: str) -> dict:
    doc = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    return doc


def test_validate_sarif_is_valid_and_ranked(repo, cli):
    rel = install(repo, BAD)
    repo.write(".threatmodel.yaml", "rules: {TM601: off}\n")
    result = cli(repo.root, "validate", "--format", "sarif")
    assert result.code == 1
    run = _valid_sarif(result.out)["runs"][0]
    assert run["automationDetails"] == {"id": "threatmodel/validate/"}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == set(RULES)
    for code, rule in rules.items():  # GitHub's bands: high 7-8.9, medium 4-6.9, low < 4
        level = float(rule["properties"]["security-severity"])
        expected = {Severity.ERROR: (7, 9), Severity.WARNING: (4, 7), Severity.NOTE: (0, 4)}
        low, high = expected[RULES[code].severity]
        assert low <= level < high, code
    (res,) = run["results"]
    assert res["ruleId"] == "TM103"
    print_ = res["partialFingerprints"]["threatmodelFinding/v1"]
    assert len(print_) == 32 and int(print_, 16) >= 0
    # the same finding two lines further down keeps its identity
    repo.write(rel, BAD.replace("owner: team-checkout\n", "owner: team-checkout\n# a\n# b\n"))
    moved = _valid_sarif(cli(repo.root, "validate", "--format", "sarif").out)
    (again,) = moved["runs"][0]["results"]
    start = again["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert start == where(BAD, "hihg")[0] + 2
    assert again["partialFingerprints"] == res["partialFingerprints"]
    # another finding has another identity
    repo.write(rel, BAD.replace("hihg", "hgih"))
    other = _valid_sarif(cli(repo.root, "validate", "--format", "sarif").out)
    assert other["runs"][0]["results"][0]["partialFingerprints"] != res["partialFingerprints"]


def test_no_information_uri_pointing_nowhere():
    from mkdocs_threatmodel.findings.reports import sarif

    uri = sarif.information_uri()
    assert uri is None or not sarif._placeholder(uri)
    assert sarif._placeholder("https://git.example.com/you/mkdocs-threatmodel")
    assert sarif._placeholder("https://mkdocs-threatmodel.invalid/docs")
    assert not sarif._placeholder("https://docs.harbor.dev/threatmodel/")


def test_stale_sarif_lands_on_the_changed_code(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.write("openapi/check out.yaml", "v2\n")
    history.commit("change", "2026-06-10")
    result = cli(history.root, "stale", "--format", "sarif", today="2026-07-01")
    assert result.code == 1
    run = _valid_sarif(result.out)["runs"][0]
    assert run["automationDetails"] == {"id": "threatmodel/stale/"}
    model, *changed = run["results"]
    uri = lambda loc: loc["physicalLocation"]["artifactLocation"]["uri"]  # noqa: E731
    assert uri(model["locations"][0]) == PATH
    assert [uri(r) for r in model["relatedLocations"]] == ["openapi/check%20out.yaml",
                                                           "services/checkout/api.py"]
    assert [uri(r["locations"][0]) for r in changed] == ["openapi/check%20out.yaml",
                                                         "services/checkout/api.py"]
    assert all(r["ruleId"] == "TM501" and uri(r["relatedLocations"][0]) == PATH
               for r in changed)
    prints = [r["partialFingerprints"]["threatmodelFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == 3
    # more evidence (another commit) is the same finding for code scanning
    history.write("services/checkout/api.py", "v3\n")
    history.commit("change again", "2026-06-11")
    later = _valid_sarif(cli(history.root, "stale", "--format", "sarif",
                             today="2026-07-01").out)["runs"][0]
    assert later["results"][0]["message"] != model["message"]
    assert later["results"][0]["partialFingerprints"] == model["partialFingerprints"]


def test_github_annotations_escape_what_the_runner_reads():
    finding = Finding("docs/a,b:c%.md", Position(3, 7), "TM103",
                      "100% wrong\r\nnext line, with: colons", hint="say 'high'",
                      severity=Severity.WARNING)
    assert annotation(finding) == (
        "::warning file=docs/a%2Cb%3Ac%25.md,line=3,col=7,title=TM103 invalid-value::"
        "100%25 wrong%0D%0Anext line, with: colons (say 'high')")
    control = Finding("m.md", Position(), "TM001", "bad \x1b[31m", severity=Severity.ERROR)
    assert annotation(control) == "::error file=m.md,line=1,col=1,title=TM001 yaml-syntax::" \
        "bad \\x1b[31m"
    note = Finding("m.md", Position(), "TM506", "n", severity=Severity.NOTE)
    assert annotation(note).startswith("::notice ")


@pytest.mark.parametrize("command", ["validate", "stale"])
def test_github_and_gitlab_formats_from_the_command_line(history, cli, command):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-06-10")
    if command == "validate":
        history.write(PATH, (history.root / PATH).read_text().replace("180d", "180x"))
    github = cli(history.root, command, "--format", "github", today="2026-07-01")
    assert github.code == 1
    line = next(x for x in github.lines if "TM107" in x or "TM501" in x)
    code = "TM107" if command == "validate" else "TM501"
    assert line.startswith(f"::error file={PATH},line=") and f",title={code} " in line
    gitlab = cli(history.root, command, "--format", "gitlab", today="2026-07-01")
    assert gitlab.code == 1
    issue = next(i for i in json.loads(gitlab.out) if i["check_name"].startswith(code))
    assert issue["check_name"].startswith(code) and issue["severity"] == "major"
    assert issue["location"]["path"] == PATH and issue["location"]["lines"]["begin"] > 1
    assert len(issue["fingerprint"]) == 32
