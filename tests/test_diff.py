"""``threatmodel diff``: a semantic comparison of the models between two git refs, run on
real commits in a temporary repository."""

from __future__ import annotations

import json
import os
import shutil
import stat

from .models import VALID, install, mutate

OTHER = """\
---
threatmodel: 1
id: other
title: Other service
owner: team-other
elements:
  - {id: svc, name: Service, type: process}
---
"""

NEW = OTHER.replace("id: other", "id: new-model").replace("Other service", "New service")

# The feature branch's version of the base model.
FEATURE = VALID
FEATURE = mutate("    likelihood: high\n    impact: high\n    status: mitigated\n",
                 "    likelihood: medium\n    impact: high\n    status: mitigating\n", FEATURE)
FEATURE = mutate("    mitigation: Require a signed token bound to the order.",
                 "    mitigation: Signed tokens, rolled out to half of the traffic.", FEATURE)
FEATURE = mutate("""  - id: CHK-002
    title: SQL traffic is read inside the VPC
    stride: [I, T]
    targets: [sql]
    status: not-applicable
    rationale: TLS with certificate pinning inside a private subnet.
""", "", FEATURE)
FEATURE = mutate("  - {id: sql, from: checkout-api, to: orders, label: SQL, protocol: TLS}\n",
                 "  - {id: cache-read, from: checkout-api, to: cache, label: GET}\n", FEATURE)
FEATURE = mutate("  - {id: db-vpc, name: DB VPC, inside: api-vpc}\n",
                 "  - {id: db-vpc, name: DB VPC, inside: api-vpc}\n"
                 "  - {id: cache-net, name: Cache subnet, inside: api-vpc}\n", FEATURE)
FEATURE = mutate("  - {id: orders, name: orders table, type: store, boundary: db-vpc, "
                 "assets: [shipping-label]}\n",
                 "  - {id: orders, name: orders table, type: store, boundary: db-vpc, "
                 "assets: [shipping-label]}\n"
                 "  - {id: cache, name: Redis cache, type: store, boundary: cache-net}\n",
                 FEATURE)
FEATURE = mutate("acceptance: {by: CFO, date: 2026-11-20, expires: 2027-05-20,",
                 "owner: team-support\n    acceptance: {by: CFO, date: 2026-11-20, "
                 "expires: 2027-08-20,", FEATURE)
FEATURE = FEATURE.replace("dismissed:\n", """\
  - id: CHK-007
    title: Cache poisoning serves another guest's order (ping @security-team)
    stride: [T]
    targets: [cache]
    likelihood: low
    impact: high
    status: accepted
    acceptance: {by: CTO, date: 2026-11-25, expires: 2027-02-01, rationale: Short TTL.}
dismissed:
""", 1)


def _base(repo) -> None:
    install(repo)
    repo.write("docs/models/other.md", OTHER)
    repo.commit("base models")
    repo.git("checkout", "-q", "-b", "feature")


def _feature(repo) -> None:
    _base(repo)
    repo.write("docs/models/checkout.md", FEATURE)
    (repo.root / "docs/models/other.md").unlink()
    repo.commit("feature work")
    repo.write("docs/models/new.md", NEW)  # not committed: only the working tree has it


def test_default_compares_the_merge_base_with_main_to_the_working_tree(repo, cli):
    _feature(repo)
    result = cli(repo.root, "diff", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    base = repo.git("rev-parse", "main").strip()
    assert data["version"] == 1
    assert data["base"] == {"ref": "merge base with main", "commit": base, "working_tree": False}
    assert data["head"] == {"ref": None, "commit": None, "working_tree": True}
    assert data["summary"] == {"models_added": 1, "models_removed": 1, "models_changed": 1}
    assert data["models"]["added"] == [{"id": "new-model", "title": "New service",
                                        "path": "docs/models/new.md"}]
    assert data["models"]["removed"] == [{"id": "other", "title": "Other service",
                                          "path": "docs/models/other.md"}]
    changed = data["models"]["changed"][0]
    assert changed["id"] == "guest-checkout" and changed["previous_path"] == changed["path"]
    threats = changed["threats"]
    assert [t["id"] for t in threats["added"]] == ["CHK-007"]
    assert [t["id"] for t in threats["removed"]] == ["CHK-002"]
    changes = {c["id"]: c["changes"] for c in threats["changed"]}
    assert changes["CHK-001"]["status"] == {"from": "mitigated", "to": "mitigating"}
    assert changes["CHK-001"]["risk"] == {
        "from": {"likelihood": "high", "impact": "high", "score": 9, "band": "high"},
        "to": {"likelihood": "medium", "impact": "high", "score": 6, "band": "high"}}
    assert changes["CHK-001"]["mitigation"]["to"].startswith("Signed tokens")
    assert changes["CHK-006"] == {"owner": {"from": "team-checkout", "to": "team-support"}}
    assert changed["acceptances"] == {
        "added": [{"id": "CHK-007", "by": "CTO", "date": "2026-11-25", "expires": "2027-02-01"}],
        "extended": [{"id": "CHK-006", "from": "2027-05-20", "to": "2027-08-20"}]}
    assert changed["elements"] == {"added": [{"id": "cache", "name": "Redis cache",
                                              "type": "store"}], "removed": []}
    assert changed["flows"] == {
        "added": [{"id": "cache-read", "from": "checkout-api", "to": "cache", "label": "GET"}],
        "removed": [{"id": "sql", "from": "checkout-api", "to": "orders", "label": "SQL"}]}
    assert changed["boundaries"] == {"added": [{"id": "cache-net", "name": "Cache subnet"}],
                                     "removed": []}


def test_two_refs_compare_commits_only(repo, cli):
    _feature(repo)
    data = json.loads(cli(repo.root, "diff", "main", "feature", "--format", "json").out)
    assert data["head"]["commit"] == repo.git("rev-parse", "feature").strip()
    assert data["models"]["added"] == []  # new.md is not committed
    assert [m["id"] for m in data["models"]["removed"]] == ["other"]
    back = json.loads(cli(repo.root, "diff", "feature", "main", "--format", "json").out)
    assert [m["id"] for m in back["models"]["added"]] == ["other"]
    changed = back["models"]["changed"][0]
    assert [t["id"] for t in changed["threats"]["added"]] == ["CHK-002"]
    assert changed["acceptances"]["extended"] == []  # shortened is not extended


def test_markdown_reads_as_a_pull_request_comment(repo, cli):
    _feature(repo)
    result = cli(repo.root, "diff")
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith("## Threat model changes\n")
    assert "**1 model(s) added, 1 removed, 1 changed.**" in text
    assert "### Added: New service (`new-model`)" in text
    assert "### Removed: Other service (`other`)" in text
    assert "### Changed: Harbor Commerce guest checkout (`guest-checkout`)" in text
    assert "| | threat | change |\n|---|---|---|" in text
    assert ("| changed | `CHK-001` Guessing an order UUID exposes another guest's shipping "
            "label | status mitigated → mitigating; risk high (high x high = 9) → high "
            "(medium x high = 6); mitigation now: Signed tokens") in text
    assert "| removed | `CHK-002` SQL traffic is read inside the VPC | was not-applicable |" in text
    assert "- Acceptance extended: `CHK-006`" in text
    assert "until 2027-08-20 (was 2027-05-20)" in text
    assert "- Accepted: `CHK-007`" in text and "by CTO, until 2027-02-01: Short TTL." in text
    assert "- Elements added: `cache` Redis cache" in text
    assert "- Flows removed: `sql`" in text
    assert "- Boundaries added: `cache-net` Cache subnet" in text
    assert "@\u200bsecurity-team" in text and "@security-team" not in text  # no mention


def test_nothing_changed(repo, cli):
    _base(repo)
    result = cli(repo.root, "diff")
    assert result.code == 0
    assert "No threat model changed." in result.out
    assert json.loads(cli(repo.root, "diff", "--format", "json").out)["models"] == {
        "added": [], "removed": [], "changed": []}


def test_unreadable_models_are_listed_not_compared(repo, cli):
    _base(repo)
    repo.write("docs/models/other.md", OTHER.replace("title: Other", "title: [Other"))
    result = cli(repo.root, "diff")
    assert result.code == 0
    assert "**Not compared**" in result.out
    assert "- `docs/models/other.md` at the head: TM001 YAML syntax error" in result.out
    assert "Removed" not in result.out


def test_without_a_main_branch_it_asks_for_base(tmp_path, cli):
    from .conftest import Repo

    root = tmp_path / "trunk"
    root.mkdir()
    repo = Repo(root)
    repo.git("init", "-q", "-b", "trunk")
    install(repo)
    repo.commit("first")
    result = cli(root, "diff")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("threatmodel: error: no main branch to compare with")
    assert "pass BASE" in result.err
    assert cli(root, "diff", "trunk").code == 0


def test_diff_input_errors(repo, cli, tmp_path):
    assert "no commit yet" in cli(repo.root, "diff").err
    _base(repo)
    result = cli(repo.root, "diff", "no-such-ref")
    assert result.code == 1 and "'no-such-ref' is not a commit" in result.err
    result = cli(repo.root, "diff", "--output=x")
    assert result.code == 2
    result = cli(repo.root, "diff", "main", "--", "-x")
    assert result.code == 1 and "not a git ref" in result.err
    outside = tmp_path / "plain"
    outside.mkdir()
    result = cli(outside, "diff")
    assert result.code == 2 and "not in a git repository" in result.err


def test_git_is_run_a_constant_number_of_times(repo, cli, tmp_path, monkeypatch):
    real = shutil.which("git")
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "git.log"
    script = shim / "git"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    counts = []
    for n in (2, 30):
        for i in range(n):
            repo.write(f"docs/many/m{i}.md", OTHER.replace("id: other", f"id: m{i}"))
        repo.commit(f"{n} models")
        for i in range(n):
            repo.write(f"docs/many/m{i}.md", OTHER.replace("id: other", f"id: m{i}")
                       .replace("Service", "Renamed service"))
        monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
        log.write_text("")
        assert cli(repo.root, "diff", "HEAD").code == 0
        counts.append(len(log.read_text().splitlines()))
        monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])
    assert counts[0] == counts[1] and counts[0] <= 6, counts
