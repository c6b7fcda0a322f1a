"""``threatmodel new``: a model skeleton that validates, with the workshop's steps as headings."""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path

from .spec import FORMAT_VERSION

WORKSHOP = [
    ("Scope", "Name the one feature or service this model covers, its assets ranked by impact, "
     "and the neighbours that are out of scope; fill `scope`, `assets` and `covers`."),
    ("Diagram", "Draw the data flows: external entities, processes and data stores as "
     "`elements`, trust boundaries as `boundaries`, every arrow as a `flow` with protocol "
     "and auth."),
    ("STRIDE pass", "Walk every element and every flow and ask each applicable STRIDE letter; "
     "write each threat as an abuse story in the attacker's words under `threats`."),
    ("Rank and assign", "Rate likelihood and impact, give each threat an owner and open "
     "tickets for the high and critical ones."),
    ("Validate", "Tie mitigations to tests that cite the threat id, record accepted residual "
     "risk with who signed it off, and run `threatmodel validate`."),
]


# Every list starts empty, followed by a commented example: to fill a list, drop its "[]"
# and uncomment the example (a test checks that the examples, uncommented, validate).
EXAMPLES = [
    "# Each list starts empty; to fill one, drop its [] and uncomment the example below it.",
    "assets: []                   # classification: public < internal < confidential < "
    "restricted",
    "  # - {id: guest-pii, name: Guest PII, impact: high, classification: confidential,",
    "  #    confidentiality: high, integrity: medium, availability: low}",
    "boundaries: []               # kind: network (default) | execution | account | physical",
    "  # - {id: api-vpc, name: API VPC, kind: network}",
    "  # - {id: db-subnet, name: DB subnet, inside: api-vpc}",
    "elements: []                 # type: external | process | store",
    "  # - {id: browser, name: Customer browser, type: external, internet_facing: true}",
    "  # - {id: api, name: checkout-api, type: process, boundary: api-vpc,",
    "  #    technology: Python 3.12, assets: [guest-pii]}",
    "  # - {id: stripe, name: Stripe, type: external, third_party: true,",
    "  #    out_of_scope: Payments are modeled by team-payments.}",
    "flows: []                    # encrypted: derived from the protocol when left out",
    "  # - {id: f-checkout, from: browser, to: api, label: POST /checkout, protocol: HTTPS,",
    "  #    encrypted: true, authentication: session, authorization: end-user, data: [guest-pii]}",
    "threats: []                  # see `threatmodel schema --format markdown`",
    "  # - id: CHK-001",
    "  #   title: Guessable order id exposes other guests' orders",
    "  #   stride: [I]",
    "  #   targets: [f-checkout, api]",
    "  #   story: I change the order id in the URL and read someone else's address.",
    "  #   likelihood: high",
    "  #   impact: high",
    "  #   status: mitigated  # untriaged | open | mitigating | mitigated | accepted | ...",
    "  #   ticket: HC-142",
    "  #   mitigation: Lookups need a token bound to the order.",
    "  #   mitigations: [M-signed-token]  # ids of mitigations below",
    "  #   assumptions: [A-cdn-waf]  # ids of assumptions below",
    "  #   hurts: [{asset: guest-pii, cia: [C]}]",
    "  #   per_target:  # where one target stands apart from the others",
    "  #     api: {status: mitigating, ticket: HC-150, rationale: The admin route is next.}",
    "mitigations: []              # status: planned | in-progress | implemented | verified",
    "  # - id: M-signed-token",
    "  #   title: Signed, expiring order lookup tokens",
    "  #   status: implemented",
    "  #   ticket: HC-142",
    "  #   tests: [services/checkout-api/tests/test_order_access.py]  # citing M-signed-token",
    "assumptions: []              # status: assumed (default) | confirmed | invalid",
    "  # - {id: A-cdn-waf, text: The CDN's WAF blocks layer-7 floods before the API.,",
    "  #    owner: team-platform, revisit: 2027-06-01}",
]


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def skeleton(model_id: str, title: str, owner: str | None, adrs: list[str]) -> str:
    """The text of a new model."""
    lines = [
        "---",
        f"threatmodel: {FORMAT_VERSION}",
        f"id: {model_id}",
        f"title: {_quote(title)}",
    ]
    if owner:
        lines.append(f"owner: {_quote(owner)}                # default owner of the threats")
    lines += [
        "status: draft                # draft | active | retired",
        "review_every: 180d           # review at least this often (days d or weeks w)",
        "covers: []                   # repository paths this model describes, CODEOWNERS globs",
        "adrs: [" + ", ".join(_quote(a) for a in adrs) + "]"
        + "  # ADRs this model rests on, relative to this file",
        "scope:",
        "  in: []",
        "  out: []",
        *EXAMPLES,
        "---",
        "",
        f"# {title}",
        "",
    ]
    for heading, line in WORKSHOP:
        lines += [f"## {heading}", "", line, ""]
    return "\n".join(lines)


def relative_adr(model_path: Path, adr: Path) -> str:
    """An ADR path as the model should cite it: relative to the model's folder."""
    rel = os.path.relpath(os.path.abspath(adr), os.path.dirname(os.path.abspath(model_path)))
    return posixpath.join(*Path(rel).parts)
