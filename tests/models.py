"""A valid model used as the base of most tests, and the bad cases made from it."""

from __future__ import annotations

VALID = """\
---
threatmodel: 1
id: guest-checkout
title: Harbor Commerce guest checkout
owner: team-checkout
status: active
reviewed: {date: 2026-11-20, by: Dana Reyes}
review_every: 180d
covers: [services/checkout-api/**]
adrs: [../adr/0007-guest-checkout.md]
scope: {in: [guest checkout], out: [login]}
assets:
  - {id: shipping-label, name: Shipping label PDF, impact: high}
boundaries:
  - {id: internet, name: Internet}
  - {id: api-vpc, name: API VPC}
  - {id: db-vpc, name: DB VPC, inside: api-vpc}
elements:
  - {id: browser, name: Customer browser, type: external, boundary: internet}
  - {id: checkout-api, name: checkout-api, type: process, boundary: api-vpc}
  - {id: orders, name: orders table, type: store, boundary: db-vpc, assets: [shipping-label]}
flows:
  - {id: get-order, from: browser, to: checkout-api, label: "GET /orders/{id}",
     protocol: HTTPS, auth: none, data: [shipping-label]}
  - {id: sql, from: checkout-api, to: orders, label: SQL, protocol: TLS}
threats:
  - id: CHK-001
    title: Guessing an order UUID exposes another guest's shipping label
    stride: [I]
    targets: [get-order]
    story: An attacker who guesses an order UUID fetches another customer's label.
    likelihood: high
    impact: high
    status: mitigated
    ticket: HC-142
    mitigation: Require a signed token bound to the order.
    tests: [services/checkout-api/tests/test_order_access.py]
  - id: CHK-002
    title: SQL traffic is read inside the VPC
    stride: [I, T]
    targets: [sql]
    status: not-applicable
    rationale: TLS with certificate pinning inside a private subnet.
  - id: CHK-006
    title: Support cannot prove who placed a guest order
    stride: [R]
    targets: [checkout-api]
    likelihood: medium
    impact: medium
    status: accepted
    acceptance: {by: CFO, date: 2026-11-20, expires: 2027-05-20, rationale: Low volume.}
dismissed:
  - {rule: TS010, target: checkout-api, rationale: Guests are anonymous by design.}
  - {rule: TS017, target: checkout-api, rationale: Parameterised queries only.}
  - {rule: TS020, target: checkout-api, rationale: The API serves JSON only.}
  - {rule: TS024, target: checkout-api, rationale: The CDN absorbs floods.}
  - {rule: TS030, target: orders, rationale: Backups are encrypted.}
  - {rule: TS032, target: orders, rationale: Orders are rate limited upstream.}
  - {rule: TS042, target: checkout-api, rationale: Errors are generic.}
  - {rule: TS044, target: get-order, rationale: HTTPS end to end.}
  - {rule: TS047, target: checkout-api, rationale: Input is schema-validated.}
  - {rule: TS048, target: orders, rationale: Bulk reads are audited.}
---

# Guest checkout

Workshop notes.
"""

TEST_FILE = "# CHK-001: order access needs a signed token\ndef test_order():\n    assert True\n"
ADR = "---\nstatus: accepted\n---\n# Guest checkout\n"


def install(repo, text: str = VALID, rel: str = "docs/models/checkout.md") -> str:
    """Write a model, its ADR and its test file into ``repo``; returns the model's path."""
    repo.write("docs/adr/0007-guest-checkout.md", ADR)
    repo.write("services/checkout-api/tests/test_order_access.py", TEST_FILE)
    repo.write(rel, text)
    return rel


def add_then_review(repo, rel: str, model: str, reviewed: str = "2026-06-01",
                    added: str = "2026-05-01") -> None:
    """Commit ``model`` (whose review is dated ``reviewed``) at ``rel`` as added on ``added``
    with that date as its review, then as reviewed on ``reviewed``; stage the rest with it."""
    repo.write(rel, model.replace(reviewed, added))
    repo.commit("add checkout and its model", added)
    repo.write(rel, model)
    repo.commit("review checkout model", reviewed)


def mutate(old: str, new: str, text: str = VALID) -> str:
    """The valid model with one exact piece of text replaced (which must occur)."""
    assert old in text, old
    return text.replace(old, new, 1)


def where(text: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first occurrence of ``needle`` in ``text``."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# The valid model with a mitigation record cited by the mitigated threat.
MITIGATED = mutate("    mitigation: Require a signed token bound to the order.\n",
                   "    mitigations: [MIT-TOKEN]\n",
                   VALID.replace("\n---\n\n# Guest", "\nmitigations:\n  - {id: MIT-TOKEN, title: "
                                 "Signed order token, status: implemented,\n     tests: "
                                 "[services/checkout-api/tests/test_order_access.py]}\n---\n\n"
                                 "# Guest"))
# The valid model whose not-applicable threat rests on an assumption instead of a rationale.
ASSUMED = mutate("    rationale: TLS with certificate pinning inside a private subnet.\n",
                 "    assumptions: [ASM-1]\n",
                 VALID.replace("\n---\n\n# Guest", "\nassumptions:\n  - {id: ASM-1, text: The "
                               "private subnet has no other tenants, status: confirmed}\n"
                               "---\n\n# Guest"))



# (name, mutated text, expected code, needle or None, is a schema case)
# The finding must point at the first occurrence of the needle in the mutated text.
CASES = [
    ("yaml-syntax", mutate("title: Harbor", "title: [Harbor"), "TM001", None, False),
    ("unclosed", VALID.replace("---\n\n# Guest", "\n# Guest"), "TM002", "---", False),
    ("not-mapping", "---\n- threatmodel: 1\n---\n", "TM003", "- threatmodel", False),
    ("duplicate-key", mutate("owner: team-checkout\n", "owner: team-checkout\nowner: x\n"),
     "TM004", "owner: x", False),
    ("tag", mutate("title: Harbor", "title: !!python/object:os.system Harbor"),
     "TM005", "!!python", False),
    ("alias", mutate("owner: team-checkout", "owner: &o team-checkout\ntitle2: *o"),
     "TM006", "&o", False),
    ("unknown-key", mutate("    ticket: HC-142", "    tickt: HC-142"), "TM101", "tickt", True),
    ("unknown-top-key", mutate("status: active", "statuz: active"), "TM101", "statuz", True),
    ("wrong-type", mutate("stride: [I]\n", "stride: I\n"), "TM102", "I\n", True),
    ("wrong-type-text", mutate("ticket: HC-142", "ticket: 142"), "TM102", "142", True),
    ("bad-enum", mutate("likelihood: high", "likelihood: hihg"), "TM103", "hihg", True),
    ("bad-stride-letter", mutate("stride: [I]", "stride: [X]"), "TM103", "X]", True),
    ("bad-element-type", mutate("type: store", "type: database"), "TM103", "database", True),
    ("bad-date", mutate("date: 2026-11-20, by: Dana", "date: 2026-13-45, by: Dana"),
     "TM104", "2026-13-45", True),
    ("bad-date-text", mutate("expires: 2027-05-20", "expires: next year"), "TM104",
     "next year", True),
    ("numeric-id", mutate("id: CHK-002", "id: 12345"), "TM105", "12345", True),
    ("boolean-id", mutate("{id: internet,", "{id: no,"), "TM105", "no, name", True),
    ("missing-key", mutate("    title: SQL traffic is read inside the VPC\n", ""), "TM106",
     "id: CHK-002", True),
    ("bad-id-format", mutate("id: guest-checkout", "id: guest checkout"), "TM107",
     "guest checkout", True),
    ("bad-duration", mutate("review_every: 180d", "review_every: 6 months"), "TM107",
     "6 months", True),
    ("bad-version", mutate("threatmodel: 1", "threatmodel: 2"), "TM108", "2\n", True),
    ("nesting-too-deep", mutate("owner: team-checkout", "owner: " + "[" * 99 + "]" * 99),
     "TM109", "[" * 36 + "]", False),
    ("bad-glob", mutate("covers: [services/checkout-api/**]", "covers: ['services/[z-a]/**']"),
     "TM110", "'services/[z-a]", False),
    ("covers-meaning-changed", mutate("covers: [services/checkout-api/**]",
                                      "covers: [services/checkout-api/**, '*.py']"),
     "TM112", "'*.py'", False),
    ("flow-endpoint", mutate("from: checkout-api, to: orders", "from: checkout-api, to: order"),
     "TM201", "order, label: SQL", False),
    ("element-boundary", mutate("boundary: db-vpc", "boundary: db-vcp"), "TM202", "db-vcp",
     False),
    ("boundary-parent", mutate("inside: api-vpc", "inside: apivpc"), "TM203", "apivpc", False),
    ("boundary-cycle", mutate("{id: api-vpc, name: API VPC}",
                              "{id: api-vpc, name: API VPC, inside: db-vpc}"),
     "TM204", "db-vpc}", False),
    ("threat-target", mutate("targets: [sql]", "targets: [sqll]"), "TM205", "sqll", False),
    ("unknown-asset", mutate("data: [shipping-label]", "data: [label]"), "TM206",
     "label]}\n  - {id: sql", False),
    ("missing-adr", mutate("0007-guest-checkout.md]", "0008-nope.md]"), "TM207",
     "../adr/0008", False),
    ("missing-test", mutate("test_order_access.py", "test_gone.py"), "TM208",
     "services/checkout-api/tests/test_gone.py", False),
    ("outside-test", mutate("tests: [services/checkout-api/tests/test_order_access.py]",
                            "tests: [services/../../outside.py]"), "TM212",
     "services/../../outside.py", False),
    ("duplicate-id", mutate("id: CHK-002", "id: CHK-001"), "TM209", "CHK-001\n    title: SQL",
     False),
    ("stride-letter", mutate("stride: [I, T]", "stride: [I, T, S]"), "TM301", "S]", False),
    ("boundary-flow", mutate("targets: [sql]", "targets: [checkout-api]"), "TM302", "sql,",
     False),
    ("no-owner", mutate("owner: team-checkout\n", ""), "TM401", "CHK-001", False),
    ("no-ticket", mutate("status: mitigated\n    ticket: HC-142", "status: open"), "TM402",
     "CHK-001", False),
    ("incomplete-acceptance", mutate("by: CFO, ", ""), "TM403", "{date: 2026-11-20, exp", False),
    ("expired", mutate("expires: 2027-05-20", "expires: 2026-11-01"), "TM404", "2026-11-01",
     False),
    ("expiring", mutate("expires: 2027-05-20", "expires: 2026-12-10"), "TM405", "2026-12-10",
     False),
    ("na-no-rationale", mutate(
        "    rationale: TLS with certificate pinning inside a private subnet.\n", ""),
     "TM406", "not-applicable", False),
    ("mitigated-no-mitigation", mutate(
        "    mitigation: Require a signed token bound to the order.\n", ""),
     "TM407", "mitigated", False),
    ("test-not-citing", mutate("tests: [services/checkout-api/tests/test_order_access.py]",
                               "tests: [docs/adr/0007-guest-checkout.md]"),
     "TM408", "docs/adr/0007-guest-checkout.md]", False),
    ("no-rating", mutate("    likelihood: medium\n", ""), "TM409", "CHK-006", False),
    # -- format depth ---------------------------------------------------------------
    ("bad-cvss", mutate("    ticket: HC-142\n", "    ticket: HC-142\n    cvss: CVSS:3.1/AV:X\n"),
     "TM111", "CVSS:3.1/AV:X", False),
    ("unknown-mitigation", MITIGATED.replace("mitigations: [MIT-TOKEN]", "mitigations: [MIT-TOKN]"),
     "TM213", "MIT-TOKN", False),
    ("unknown-assumption", mutate("    status: not-applicable\n",
                                  "    status: not-applicable\n    assumptions: [ASM-9]\n"),
     "TM214", "ASM-9", False),
    ("per-target-not-a-target", mutate("    targets: [sql]\n",
                                       "    targets: [sql]\n    per_target: {get-order: {}}\n"),
     "TM215", "get-order: {}", False),
    ("covers-nothing", mutate("covers: [services/checkout-api/**]",
                              "covers: [services/checkout-api/**, services/chekout/**]"),
     "TM216", "services/chekout/**", False),
    ("unknown-classification", mutate("impact: high}", "impact: high, classification: secret}"),
     "TM217", "secret}", False),
    ("mitigated-unfinished", MITIGATED.replace("status: implemented", "status: planned"),
     "TM410", "mitigated\n", False),
    ("unused-mitigation",
     MITIGATED.replace("    mitigations: [MIT-TOKEN]\n", "    mitigation: x\n"),
     "TM411", "MIT-TOKEN, title", False),
    ("mitigation-test-not-citing", MITIGATED.replace(
        "tests: [services/checkout-api/tests/test_order_access.py]}",
        "tests: [docs/adr/0007-guest-checkout.md]}"),
     "TM412", "docs/adr/0007-guest-checkout.md]}", False),
    ("invalid-assumption", ASSUMED.replace("status: confirmed", "status: invalid"), "TM413",
     "ASM-1]", False),
    ("acceptance-without-expiry", mutate(", expires: 2027-05-20", ""), "TM414",
     "{by: CFO", False),
    ("impact-below-rating", mutate("    ticket: HC-142\n",
                                   "    ticket: HC-142\n    hurts: [{asset: shipping-label, "
                                   "cia: [C]}]\n").replace(
        "impact: high}", "impact: high, confidentiality: critical}"),
     "TM415", "high\n    status: mitigated", False),
    ("severity-without-reason", mutate("    likelihood: medium\n    impact: medium\n",
                                       "    severity: low\n"), "TM416", "low\n", False),
    ("assumption-revisit-due", ASSUMED.replace("status: confirmed", "revisit: 2026-10-01"),
     "TM417", "2026-10-01", False),
]
