"""The catalogue against pytm and Threagile: the ids it cites exist, and the figures in
docs/suggestions.md are what the rules find on pytm's own sample, imported with the real
importer (tests/data/interop/pytm/tm-sample-report.json)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.interop.importer import build
from mkdocs_threatmodel.interop.pytm_import import from_pytm
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import suggest
from mkdocs_threatmodel.validation.schema import check_schema

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DOC = ROOT / "docs" / "suggestions.md"
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


def pytm_report() -> dict:
    return json.loads((DATA / "interop" / "pytm" / "tm-sample-report.json").read_text("utf-8"))


def pytm_findings() -> list[dict]:
    return pytm_report()["findings"]


def imported_sample():
    """pytm's sample as ``threatmodel import`` writes it, and each pytm finding's id -> the id
    the importer gave its target (elements and flows keep pytm's order, one each)."""
    report = pytm_report()
    draft = from_pytm(report, "tm-sample-report.json")
    text = build(draft, source_name="tm-sample-report.json", owner="team-web",
                 today=dt.date(2026, 11, 27)).text
    src = read_source("docs/pytm.md", text.encode("utf-8"))
    assert src.ok and not check_schema(src), src.findings or check_schema(src)
    model = build_model(src)
    target: dict[str, str] = {}
    pairs = list(zip(report["elements"], model.elements, strict=True))
    pairs += list(zip(report["flows"], model.flows, strict=True))
    for entry, ours in pairs:
        assert entry["name"] in (getattr(ours, "name", None), getattr(ours, "label", None))
        for finding_id in entry["findings"]:
            target[finding_id] = ours.id
    return model, target


def uncounted(finding: dict, report: dict) -> str | None:
    """Why a pytm finding's condition is one our facts cannot state, or ``None``."""
    tid = finding["threat_id"]
    if tid in ("LLM03", "LLM08"):
        return "reads `processesPersonalData`, which the format has no field for"
    if tid in ("DS06", "DR01"):
        flow = next(f for f in report["flows"] if finding["id"] in f["findings"])
        levels = {d["name"]: d["classification"] for d in report["data"]}
        if all(levels.get(d) == "Classification.PUBLIC" for d in flow["data"]):
            return ("`hasDataLeaks()` compares public data with a `maxClassification` left "
                    "unset, which the format has no field for")
    return None


def pytm_found() -> tuple[int, int, int, list[tuple[str, str]]]:
    """On the imported sample: how many of pytm's countable findings a suggestion matches
    (same target, a rule that names the finding's threat id), how many are countable, how
    many there are, and the countable ones missed (threat id, our target id)."""
    model, target = imported_sample()
    report = pytm_report()
    ours = {(s.rule, s.target) for s in suggest(model)}
    found, countable, missed = 0, 0, []
    for finding in report["findings"]:
        if uncounted(finding, report):
            continue
        countable += 1
        rules = {r.code for r in CATALOGUE if finding["threat_id"] in r.pytm}
        if any((code, target[finding["id"]]) in ours for code in rules):
            found += 1
        else:
            missed.append((finding["threat_id"], target[finding["id"]]))
    return found, countable, len(report["findings"]), missed


def test_cited_pytm_ids_are_threats_of_pytms_report():
    known = {f["threat_id"] for f in pytm_findings()}
    for r in CATALOGUE:
        assert set(r.pytm) <= known, (r.code, set(r.pytm) - known)


def test_cited_threagile_ids_are_threagile_rules():
    assert len(THREAGILE_RULES) == 42
    for r in CATALOGUE:
        assert set(r.threagile) <= THREAGILE_RULES, (r.code, set(r.threagile) - THREAGILE_RULES)


def test_the_pytm_figure_in_the_docs_is_what_the_rules_find_on_the_imported_sample():
    found, countable, total, missed = pytm_found()
    assert total == 138
    assert found >= 0.9 * countable, (found, countable, missed)
    text = DOC.read_text("utf-8")
    section = text.split("### pytm")[1].split("### Threagile")[0]
    assert f": {found} of {countable} countable findings (of {total})" in section
    assert f"**{found} of {countable}** of pytm's countable findings" in section
    for tid, target in missed:  # every miss is listed, with why
        assert f"`{tid}` on `{target}`" in section, (tid, target)


def test_every_suggestion_on_the_imported_sample_is_judged_and_at_most_5_percent_miss():
    model, _ = imported_sample()
    ours = {(s.rule, s.target) for s in suggest(model)}
    with (DATA / "suggest" / "pytm-sample-judged.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    judged = {(r["rule"], r["target"]): r for r in rows}
    assert len(judged) == len(rows), "a suggestion is judged twice"
    assert ours - set(judged) == set(), "unjudged suggestions"
    assert set(judged) - ours == set(), "judged suggestions the rules no longer make"
    for row in rows:
        assert row["judgement"] in ("applies", "does not apply"), row
        assert len(row["why"]) > 20, row
    wrong = [key for key, row in judged.items() if row["judgement"] == "does not apply"]
    assert len(wrong) <= 0.05 * len(judged), wrong
    text = DOC.read_text("utf-8").split("### pytm")[1].split("### Threagile")[0]
    assert f"{len(wrong)} of the {len(judged)} suggestions" in text


def test_every_uncounted_pytm_finding_is_named_in_the_docs():
    report = pytm_report()
    section = DOC.read_text("utf-8").split("### pytm")[1].split("### Threagile")[0]
    skipped = {f["threat_id"] for f in report["findings"] if uncounted(f, report)}
    assert skipped == {"DS06", "DR01", "LLM03", "LLM08"}
    for tid in skipped:
        assert f"`{tid}`" in section


def test_the_threagile_figure_in_the_docs_is_the_catalogue_s():
    cited = {t for r in CATALOGUE for t in r.threagile}
    text = DOC.read_text("utf-8")
    assert f"### Threagile: {len(cited)} of its 42 risk rules have a counterpart" in text
    for missing in THREAGILE_RULES - cited:
        assert f"`{missing}`" in text.split("### Threagile")[1].split("## The rules")[0]
