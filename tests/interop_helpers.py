"""Shared pieces of the interop tests: the sample files, the example models, a site build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs_threatmodel.format.source import looks_like_model

ROOT = Path(__file__).resolve().parents[1]
# Real files from Threat Dragon and the Open Threat Model project, kept in the repository
# (tests/data/README.md names their sources, commits and licences).
INTEROP_DATA = ROOT / "tests" / "data" / "interop"
OTM_SCHEMA = INTEROP_DATA / "otm" / "otm_schema.json"
EXAMPLES = ROOT / "example-site" / "docs" / "threat-models"
# (the folder also keeps the register, mitigations, owners and freshness marker pages)
EXAMPLE_MODELS = sorted(p for p in EXAMPLES.glob("*.md") if looks_like_model(p.read_bytes()))
SAMPLES = sorted(p for p in INTEROP_DATA.rglob("*") if p.is_file())
# Samples that an import must refuse, and the words of its one-line error.
REFUSED = {"v2-malformed-new-model.json": "not a Threat Dragon model",
           "otm_schema.json": "not an Open Threat Model file, Threat Dragon model, pytm JSON "
                              "report, Threagile model or Threat Composer export",
           "threats.json": "not an Open Threat Model file, Threat Dragon model, pytm JSON "
                           "report, Threagile model or Threat Composer export",
           # Threagile's computed risks, not a model: read beside the model it belongs to
           "example-model-1.0-risks.json": "not an Open Threat Model file, Threat Dragon "
                                           "model, pytm JSON report, Threagile model or "
                                           "Threat Composer export"}
# Tools whose files name no owner: their imports take --owner.
OWNERLESS = ("pytm", "threat-composer")
MALFORMED = INTEROP_DATA / "threat-dragon" / "v2-malformed-new-model.json"

# A model with every key of issue 12: mitigation records (one not implemented), assumptions,
# per-target detail, an untriaged threat, classification and C/I/A, security properties,
# explicit severity, CVSS and tags.
RICH = """\
---
threatmodel: 1
id: rich
title: Rich model
owner: team-rich
status: active
review_every: 26w
tags: [pci]
assets:
  - {id: card, name: Card data, impact: critical, classification: restricted,
     confidentiality: critical, integrity: high, tags: [pci]}
  - {id: logs, name: Logs, availability: low}
boundaries:
  - {id: cloud, name: Cloud, kind: account}
  - {id: vpc, name: VPC, inside: cloud, tags: [aws]}
elements:
  - {id: user, name: User, type: external, internet_facing: true}
  - {id: api, name: API, type: process, boundary: vpc, assets: [card], technology: Python 3.12,
     owner: team-api}
  - {id: db, name: Database, type: store, boundary: vpc, assets: [card, logs], third_party: true}
  - {id: legacy, name: Legacy, type: process, boundary: cloud, out_of_scope: Retired next quarter.}
flows:
  - {id: call, from: user, to: api, protocol: HTTPS, auth: OIDC, data: [card], returns: [logs],
     authentication: token, authorization: end-user}
  - {id: write, from: api, to: db, label: INSERT, encrypted: false, protocol: TCP}
mitigations:
  - id: M-TLS
    title: TLS everywhere
    status: implemented
    ticket: SEC-1
    description: Every hop uses TLS 1.2+.
    tags: [network]
  - {id: M-WAF, title: WAF rules, status: planned, owner: team-edge}
assumptions:
  - {id: A-1, text: The CDN blocks layer-7 floods., revisit: 2027-01-01}
  - {id: A-2, text: Stripe holds card data., status: confirmed, owner: team-pay}
threats:
  - id: R-1
    title: Card data read in transit
    stride: [I]
    targets: [call, write]
    likelihood: high
    impact: high
    status: mitigated
    mitigation: Pinning on the client.
    mitigations: [M-TLS]
    assumptions: [A-2]
    hurts: [{asset: card, cia: [C]}]
    per_target:
      write: {status: open, ticket: SEC-9, likelihood: low, rationale: Plain TCP inside the VPC.}
    cvss: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    tags: [transit]
  - {id: R-2, title: Flood, stride: [D], targets: [api], status: untriaged, severity: high,
     severity_reason: Seen in the wild., mitigations: [M-WAF]}
  - {id: R-3, title: Spoof, stride: [S], targets: [user], status: not-applicable,
     assumptions: [A-1], rationale: By A-1.}
---

# Rich
"""


def build_site(tmp: Path, pages: dict[str, str]) -> tuple[subprocess.CompletedProcess, Path]:
    """``mkdocs build --strict`` of a tiny site with the example site's settings."""
    settings = (ROOT / "example-site" / "mkdocs.yml").read_text("utf-8")
    settings = settings.split("\nnav:")[0] + "\nnav:\n  - Home: index.md\n"
    settings += "".join(f"  - {name.removesuffix('.md')}: {name}\n" for name in pages)
    site = tmp / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(settings, "utf-8")
    (site / "docs" / "index.md").write_text("# Imported models\n", "utf-8")
    for name, text in pages.items():
        (site / "docs" / name).write_text(text, "utf-8")
    out = tmp / "site-out"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", str(site / "mkdocs.yml"), "-d", str(out)],
                          capture_output=True, text=True)
    return proc, out
