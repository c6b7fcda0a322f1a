"""The format's optional depth: mitigations, assumptions, per-target detail, triage,
classification, security properties and ratings, checked on real repositories."""

from __future__ import annotations

import json

import jsonschema
import pytest

from mkdocs_threatmodel.format.model import encryption_of
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.format.spec import json_schema
from mkdocs_threatmodel.validation.schema import check_schema

from .models import MITIGATED, VALID, install, mutate, where

# Every new key at once, in a model that must be clean.
FULL = mutate("\n---\n\n# Guest", """
tags: [pci, guest]
mitigations:
  - id: MIT-TOKEN
    title: Signed order token
    status: verified
    owner: team-checkout
    ticket: HC-142
    tests: [services/checkout-api/tests/test_order_access.py]
    description: Order lookups need an HMAC token bound to the order id.
    tags: [authz]
  - {id: MIT-PIN, title: Certificate pinning, status: in-progress}
assumptions:
  - {id: ASM-1, text: The private subnet has no other tenants, owner: team-platform,
     revisit: 2027-06-01, status: confirmed, tags: [network]}
---

# Guest""", VALID)
FULL = mutate("    mitigation: Require a signed token bound to the order.\n",
              "    mitigations: [MIT-TOKEN]\n    hurts: [{asset: shipping-label, cia: [C]}]\n"
              "    cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\n    tags: [idor]\n",
              FULL)
FULL = mutate("    rationale: TLS with certificate pinning inside a private subnet.\n",
              "    assumptions: [ASM-1]\n    mitigations: [MIT-PIN]\n", FULL)
FULL = mutate("{id: shipping-label, name: Shipping label PDF, impact: high}",
              "{id: shipping-label, name: Shipping label PDF, impact: high,\n"
              "     classification: confidential, confidentiality: high, integrity: medium,\n"
              "     availability: low, tags: [pii]}", FULL)
FULL = mutate("{id: db-vpc, name: DB VPC, inside: api-vpc}",
              "{id: db-vpc, name: DB VPC, inside: api-vpc, kind: network}", FULL)
FULL = mutate("{id: browser, name: Customer browser, type: external, boundary: internet}",
              "{id: browser, name: Customer browser, type: external, boundary: internet,\n"
              "     internet_facing: true, third_party: false, technology: Web browser}", FULL)
FULL = mutate("protocol: HTTPS, auth: none, data: [shipping-label]}",
              "protocol: HTTPS, auth: none, data: [shipping-label],\n"
              "     returns: [shipping-label], encrypted: true, authentication: none,\n"
              "     authorization: none, tags: [public]}", FULL)


def test_a_model_using_every_new_key_is_clean(repo, cli):
    install(repo, FULL)
    result = cli(repo.root, "validate")
    assert [line for line in result.lines if " TM601 " not in line] == [], result.out
    assert result.code == 0


def test_the_json_schema_accepts_every_new_key_and_the_validator_agrees():
    src = read_source("m.md", FULL.encode("utf-8"))
    validator = jsonschema.Draft7Validator(json_schema())
    assert list(validator.iter_errors(src.data)) == []
    assert check_schema(src) == []
    broken = read_source("m.md", FULL.replace("encrypted: true", "encrypted: yes please")
                         .encode("utf-8"))
    assert not validator.is_valid(broken.data)
    assert {f.code for f in check_schema(broken)} == {"TM102"}


def test_models_that_validated_before_still_validate_unchanged(repo, cli):
    install(repo)
    assert cli(repo.root, "validate").code == 0


@pytest.mark.parametrize("written,meant,key", [
    ("likelihood: very-high", "critical", "likelihood"),
    ("likelihood: Very High", "critical", "likelihood"),
    ("stride: [repudiation]", "R", "stride"),
    ("stride: [Tampering]", "T", "stride"),
    ("status: in-progress", "mitigating", "status"),
])
def test_synonyms_hint_the_value_meant(repo, cli, written, meant, key):
    old = {"likelihood": "likelihood: high", "stride": "stride: [I]",
           "status": "status: mitigated"}[key]
    install(repo, mutate(old, written))
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM103 " in out]
    assert line.endswith(f"(did you mean '{meant}'?)"), line


@pytest.mark.parametrize("written,hint", [
    ("stride: ST", "write 'stride: [S, T]'"),
    ("stride: Tampering", "write 'stride: [T]'"),
    ("stride: spoofing, Information disclosure", "write 'stride: [S, I]'"),
    ("stride: elevation of privilege", "write 'stride: [E]'"),
    ("stride: Denial-of-service", "write 'stride: [D]'"),
])
def test_a_stride_word_instead_of_a_list_is_hinted_as_the_letters_meant(repo, cli, written,
                                                                          hint):
    install(repo, mutate("stride: [I]", written))
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM102 " in out]
    assert line.endswith(f"({hint})"), line


@pytest.mark.parametrize("written,hint", [
    ("stride: [ST]", "write each as its own item: S, T"),
    ("stride: [Information disclosure]", "did you mean 'I'?"),
    ("stride: [spoofing]", "did you mean 'S'?"),
])
def test_a_stride_item_is_hinted_as_valid_items(repo, cli, written, hint):
    install(repo, mutate("stride: [I]", written))
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM103 " in out]
    assert line.endswith(f"({hint})"), line


def test_a_mitigation_status_has_its_own_synonyms(repo, cli):
    install(repo, MITIGATED.replace("status: implemented", "status: mitigating"))
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM103 " in out]
    assert line.endswith("(did you mean 'in-progress'?)"), line


def test_a_misplaced_letter_names_the_neighbour_it_belongs_to(repo, cli):
    install(repo, mutate("stride: [I, T]", "stride: [I, T, R]"))
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM301 " in out]
    assert "belongs to the sender 'checkout-api' (process) or the receiver 'orders' (data " \
           "store)" in line, line


def test_a_letter_on_an_external_entity_points_at_its_flows(repo, cli):
    text = mutate("stride: [I]\n    targets: [get-order]", "stride: [T]\n    targets: [browser]")
    install(repo, text)
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM301 " in out]
    assert "belongs to the flow 'get-order'" in line, line


def test_a_draft_model_reports_ownership_ticket_and_rating_as_notes(repo, cli):
    text = mutate("status: active", "status: draft",
                  mutate("owner: team-checkout\n", "", mutate("    likelihood: medium\n", "")))
    text = mutate("status: mitigated\n    ticket: HC-142", "status: open", text)
    install(repo, text)
    result = cli(repo.root, "validate", "--format", "json")
    doc = json.loads(result.out)
    severities = {(f["code"], f["severity"]) for f in doc["findings"]}
    assert {("TM401", "note"), ("TM402", "note"), ("TM409", "note")} <= severities
    assert result.code == 0
    active = text.replace("status: draft", "status: active")
    install(repo, active)
    assert cli(repo.root, "validate").code == 1


def test_untriaged_threats_need_no_ticket(repo, cli):
    install(repo, mutate("status: mitigated\n    ticket: HC-142", "status: untriaged"))
    result = cli(repo.root, "validate")
    assert " TM402 " not in result.out
    install(repo, mutate("status: mitigated\n    ticket: HC-142", "status: open"))
    assert " TM402 " in cli(repo.root, "validate").out


def test_a_target_open_on_its_own_needs_its_own_ticket(repo, cli):
    text = mutate("    targets: [get-order]\n", "    targets: [get-order, sql]\n    per_target:\n"
                  "      sql: {status: open, likelihood: high, impact: critical}\n")
    text = mutate("    ticket: HC-142\n", "", text)
    install(repo, text)
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM402 " in out]
    assert "open threat 'CHK-001' on 'sql' of critical risk has no ticket" in line
    install(repo, text.replace("impact: critical}", "impact: critical, ticket: HC-9}"))
    assert " TM402 " not in cli(repo.root, "validate").out


def test_a_per_target_mitigated_status_checks_its_own_mitigations(repo, cli):
    text = MITIGATED.replace("{id: MIT-TOKEN, title: Signed order token, status: implemented,",
                             "{id: MIT-TOKEN, title: Signed order token, status: implemented,"
                             "\n     tests: []}\n  - {id: MIT-NEXT, title: Next, status: planned,")
    text = mutate("    targets: [get-order]\n",
                  "    targets: [get-order]\n    per_target:\n"
                  "      get-order: {status: mitigated, mitigations: [MIT-NEXT]}\n", text)
    install(repo, text)
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM410 " in out]
    assert "mitigated on 'get-order', but 'MIT-NEXT' is planned" in line


@pytest.mark.parametrize("kind,fires", [("network", True), ("account", True),
                                        ("physical", True), ("execution", False)])
def test_which_boundary_kinds_ask_for_a_threat_on_crossing_flows(repo, cli, kind, fires):
    text = mutate("{id: db-vpc, name: DB VPC, inside: api-vpc}",
                  f"{{id: db-vpc, name: DB VPC, inside: api-vpc, kind: {kind}}}")
    text = mutate("targets: [sql]", "targets: [checkout-api]", text)
    install(repo, text)
    result = cli(repo.root, "validate")
    assert (" TM302 " in result.out) is fires, result.out


def test_an_out_of_scope_element_is_exempt_from_boundary_and_gap_checks(repo, cli):
    text = mutate("targets: [sql]", "targets: [checkout-api]")
    install(repo, text)
    assert " TM302 " in cli(repo.root, "validate").out
    scoped = mutate("type: store, boundary: db-vpc,",
                    "type: store, boundary: db-vpc, out_of_scope: Run and modelled by the "
                    "data platform team,", text)
    install(repo, scoped)
    result = cli(repo.root, "validate", "--strict")
    assert " TM302 " not in result.out
    assert "store 'orders'" not in result.out and "flow 'sql'" not in result.out


def test_a_not_applicable_threat_may_rest_on_an_assumption(repo, cli):
    text = mutate("    rationale: TLS with certificate pinning inside a private subnet.\n",
                  "    assumptions: [ASM-1]\n",
                  VALID.replace("\n---\n\n# Guest", "\nassumptions:\n  - {id: ASM-1, text: "
                                "Private subnet}\n---\n\n# Guest"))
    install(repo, text)
    result = cli(repo.root, "validate")
    assert [line for line in result.lines if " TM601 " not in line] == [] and result.code == 0


def test_classifications_come_from_the_configuration(repo, cli):
    text = mutate("impact: high}", "impact: high, classification: secret}")
    install(repo, text)
    assert " TM217 " in cli(repo.root, "validate").out
    repo.write(".threatmodel.yaml", "classifications: [open, secret, top-secret]\n")
    assert " TM217 " not in cli(repo.root, "validate").out
    repo.write(".threatmodel.yaml", "classifications: public\n")
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM901 " in out]
    assert line.startswith(".threatmodel.yaml:1:18: TM901 ")


def test_cvss_vectors_of_both_versions_are_scored(repo, cli):
    for vector in ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"):
        install(repo, mutate("    ticket: HC-142\n", f"    ticket: HC-142\n    cvss: {vector}\n"))
        assert " TM111 " not in cli(repo.root, "validate").out
    text = mutate("    ticket: HC-142\n", "    ticket: HC-142\n    cvss: CVSS:4.0/AV:N\n")
    install(repo, text)
    result = cli(repo.root, "validate")
    (line,) = [out for out in result.lines if " TM111 " in out]
    line_no, column = where(text, "CVSS:4.0/AV:N")
    assert line.startswith(f"docs/models/checkout.md:{line_no}:{column}: TM111 ")
    assert "Missing mandatory metrics" in line


def test_an_explicit_severity_ranks_the_threat(repo, cli):
    text = mutate("    likelihood: medium\n    impact: medium\n",
                  "    severity: critical\n    severity_reason: Regulator fines.\n")
    install(repo, text)
    result = cli(repo.root, "validate")
    assert " TM409 " not in result.out and " TM416 " not in result.out


@pytest.mark.parametrize("protocol,encrypted", [
    ("HTTPS", True), ("TLS", True), ("mTLS", True), ("SSH", True), ("SFTP", True),
    ("HTTP", False), ("LDAP", False), ("JDBC", False), ("FTP", False), ("SMTP", False),
    ("AMQP", False), ("PostgreSQL over TLS", True), ("RESP over TLS", True),
    ("HTTPS through CDN, WAF and API gateway", True), ("HTTP to the load balancer", False),
    ("carrier pigeon", None), (None, None),
])
def test_encryption_is_derived_from_the_protocol(protocol, encrypted):
    assert encryption_of(protocol) is encrypted


def test_the_repository_file_list_answers_as_glob_matching_does():
    """TM216's fast answers (bisection for paths and folders) agree with the glob matcher."""
    from itertools import combinations

    from mkdocs_threatmodel.workspace.file_list import RepositoryFiles
    from mkdocs_threatmodel.workspace.globs import glob_match

    paths = ["a/b", "a/b-x/y", "a/b.c", "a/b/c.py", "a/bz", "src/y/z.py", "a/c/d/e.txt"]
    globs = ["a/b", "a/b/**", "a/b/", "a/b-x", "a/bz/**", "src/**", "**/*.py", "nope/**",
             "a/b/c", "a", "a/c/d", "a/c/d/e.txt/**", "a/b.c/**", "**", "a/*/y", "a/b?c"]
    for size in range(len(paths) + 1):
        for subset in combinations(paths, size):
            files = RepositoryFiles(list(subset))
            for pattern in globs:
                expected = any(glob_match(pattern, p) for p in subset)
                assert files.any_match(pattern) is expected, (pattern, subset)
