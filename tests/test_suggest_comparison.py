"""The catalogue against pytm and Threagile: the ids it cites exist, and the figures in
docs/suggestions.md are what the rules find on pytm's own sample."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import suggest
from mkdocs_threatmodel.validation.schema import check_schema

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DOC = ROOT / "docs" / "suggestions.md"
PYTM_CLASSES = ("public", "restricted", "sensitive", "secret", "top-secret")
# Threagile's built-in risk rules: the ID of each rule in pkg/risks/builtin (Threagile/threagile
# at 74e323e), the same 42 that its docs/risk-rules.md lists by title.
THREAGILE_RULES = frozenset("""
accidental-secret-leak code-backdooring container-baseimage-backdooring container-platform-escape
cross-site-request-forgery cross-site-scripting dos-risky-access-across-trust-boundary
incomplete-model ldap-injection missing-authentication missing-authentication-second-factor
missing-build-infrastructure missing-cloud-hardening missing-file-validation missing-hardening
missing-identity-propagation missing-identity-provider-isolation missing-identity-store
missing-network-segmentation missing-vault-isolation missing-vault missing-waf
mixed-targets-on-shared-runtime path-traversal push-instead-of-pull-deployment
search-query-injection server-side-request-forgery service-registry-poisoning
sql-nosql-injection unchecked-deployment unencrypted-asset unencrypted-communication
unguarded-access-from-internet unguarded-direct-datastore-access unnecessary-communication-link
unnecessary-data-asset unnecessary-data-transfer unnecessary-technical-asset
untrusted-deserialization wrong-communication-link-content wrong-trust-boundary-content
xml-external-entity""".split())


def pytm_findings() -> list[dict]:
    report = DATA / "interop" / "pytm" / "tm-sample-report.json"
    return json.loads(report.read_text("utf-8"))["findings"]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def pytm_found() -> tuple[int, int]:
    """How many of pytm's findings on its sample a suggestion matches: same target, and a rule
    that names the finding's threat id."""
    path = DATA / "suggest" / "pytm-sample.model"
    src = read_source("pytm-sample.model", path.read_bytes())
    assert src.ok and not check_schema(src), src.findings or check_schema(src)
    model = build_model(src)
    ours = {(s.rule, s.target) for s in suggest(model, PYTM_CLASSES)}
    ids = {e.id for e in model.elements} | {f.id for f in model.flows}
    found = 0
    findings = pytm_findings()
    for finding in findings:
        target = slug(finding["target"])
        assert target in ids, f"pytm's target {finding['target']!r} is not in the mapped model"
        rules = {r.code for r in CATALOGUE if finding["threat_id"] in r.pytm}
        found += any((code, target) in ours for code in rules)
    return found, len(findings)


def test_cited_pytm_ids_are_threats_of_pytms_report():
    known = {f["threat_id"] for f in pytm_findings()}
    for r in CATALOGUE:
        assert set(r.pytm) <= known, (r.code, set(r.pytm) - known)


def test_cited_threagile_ids_are_threagile_rules():
    assert len(THREAGILE_RULES) == 42
    for r in CATALOGUE:
        assert set(r.threagile) <= THREAGILE_RULES, (r.code, set(r.threagile) - THREAGILE_RULES)


def test_the_pytm_figure_in_the_docs_is_what_the_rules_find():
    found, total = pytm_found()
    assert total == 138
    text = DOC.read_text("utf-8")
    assert f"### pytm: {found} of {total} findings" in text
    assert f"**{found} of {total}** of pytm's findings are among our suggestions" in text


def test_the_threagile_figure_in_the_docs_is_the_catalogue_s():
    cited = {t for r in CATALOGUE for t in r.threagile}
    text = DOC.read_text("utf-8")
    assert f"### Threagile: {len(cited)} of its 42 risk rules have a counterpart" in text
    for missing in THREAGILE_RULES - cited:
        assert f"`{missing}`" in text.split("### Threagile")[1].split("## The rules")[0]
