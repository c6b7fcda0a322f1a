"""The catalogue against Threagile's own findings (issue 26): Threagile 1.0's example model
imported with the real importer, our suggestions on it, and the 84 risks Threagile computed
for exactly that model (tests/data/interop/threagile/example-model-1.0-risks.json).

A finding is found when a suggestion has a rule that cites the finding's category and the
target that ``TARGET`` picks for it: the element the importer made from the risk's most
relevant technical asset, or, for the categories whose rules target a flow, the flow it made
from the most relevant communication link. Findings whose condition our facts cannot state
are not counted (``UNCOUNTED``, each with why); docs/suggestions.md lists them, and every
missed finding, with the same reasons. Every suggestion on the model is judged as a reviewer
would in tests/data/suggest/threagile-example-judged.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from functools import cache
from pathlib import Path

from mkdocs_threatmodel.format.model import Model, build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.interop.ids import read_id_table
from mkdocs_threatmodel.interop.importer import build
from mkdocs_threatmodel.interop.threagile_import import from_threagile
from mkdocs_threatmodel.interop.yaml_labels import read_labelled
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import Suggestion, suggest
from mkdocs_threatmodel.validation.schema import check_schema

from .test_suggest_comparison import THREAGILE_RULES

ROOT = Path(__file__).resolve().parent.parent
THREAGILE = ROOT / "tests" / "data" / "interop" / "threagile"
MODEL = THREAGILE / "example-model-1.0.yaml"
RISKS = THREAGILE / "example-model-1.0-risks.json"
JUDGED = ROOT / "tests" / "data" / "suggest" / "threagile-example-judged.csv"
DOC = ROOT / "docs" / "suggestions.md"

_LINK_ROW = re.compile(r"^\| flow \| `([^`|]+)` \| ([^`|]+?) \|", re.MULTILINE)
# Categories whose rules target the flow (the risk's most relevant communication link); all
# others target the element made from the most relevant technical asset.
TARGET = {"unencrypted-communication": "link", "push-instead-of-pull-deployment": "link"}
# Findings whose condition our facts cannot state: (category, Threagile target or "*"), why.
UNCOUNTED = {
    ("something-strange", "*"): "the model's own individual risk category, not a built-in "
    "rule: the importer makes it a threat of the model",
    ("missing-cloud-hardening", "*"): "it reads cloud tags (`aws`, `azure`, `gcp`, `ocp`) and "
    "the cloud types of trust boundaries; rules read no tags and boundaries have no such fact",
    ("mixed-targets-on-shared-runtime", "*"): "shared runtimes are not part of the format "
    "(the importer keeps them as tags and a section)",
    ("unencrypted-asset", "process"): "it reads what a process stores (`data_assets_stored`); "
    "an element's `assets` do not tell stored from processed data (kept as "
    "`threagile:stored=` tags)",
    ("unencrypted-asset", "sql-database"): "the database is encrypted with a shared "
    "symmetric key; Threagile asks for end-user individual keys on strictly confidential "
    "data, and the kind of key is no fact of ours (`controls: [encryption-at-rest]` only)",
}
# Missed although counted, with why (the docs list them).
MISSED = {
    ("unchecked-deployment", "external-dev-client"): "TS055's letter T does not apply to an "
    "external entity; it fires on the build pipeline and the repository",
    ("cross-site-request-forgery", "identity-provider"): "only the web server calls the "
    "identity provider, server to server: no browser carries a user's credentials to it",
    ("cross-site-scripting", "identity-provider"): "no element people use reaches the "
    "identity provider; it renders nothing for a browser in this model",
    ("missing-authentication-second-factor", "sql-database"): "S does not apply to a data "
    "store; TS060 fires on the processes people sign in to",
    ("missing-authentication-second-factor", "ldap-auth-server"): "S does not apply to a "
    "data store; TS060 fires on the processes people sign in to",
}


@cache
def imported() -> tuple[Model, dict[str, str]]:
    """The example imported with the real importer, and Threagile's ids to ours."""
    draft = from_threagile(read_labelled(str(MODEL)).data, str(MODEL))
    text = build(draft, source_name=MODEL.name, today=dt.date(2026, 1, 1)).text
    src = read_source("docs/example.md", text.encode("utf-8"))
    assert src.ok and not check_schema(src), src.findings or check_schema(src)
    ids = {theirs: ours for ours, theirs in read_id_table(text, "threagile").items()}
    # Link ids (`a>b`) are no safe code spans: the table writes them escaped, without ticks.
    for ours, theirs in _LINK_ROW.findall(text):
        ids[html.unescape(theirs)] = ours
    return build_model(src), ids


@cache
def suggestions() -> tuple[Suggestion, ...]:
    return tuple(suggest(imported()[0]))


def risks() -> list[dict]:
    return json.loads(RISKS.read_text("utf-8"))


def target(risk: dict) -> str:
    """Our id of the element or flow a finding's rule targets (see TARGET)."""
    model, ids = imported()
    theirs = risk["most_relevant_communication_link"] if TARGET.get(risk["category"]) == \
        "link" else risk["most_relevant_technical_asset"]
    return ids.get(theirs, theirs)


def uncounted(risk: dict) -> str | None:
    model, _ = imported()
    asset = risk["most_relevant_technical_asset"]
    kind = model.target_type(target(risk)) if asset else None
    for key in ((risk["category"], "*"), (risk["category"], asset), (risk["category"], kind)):
        if key in UNCOUNTED:
            return UNCOUNTED[key]
    return None


def compared() -> tuple[list[dict], list[dict], list[dict]]:
    """(found, missed, uncounted) findings."""
    ours = {(s.rule, s.target) for s in suggestions()}
    found, missed, left = [], [], []
    for risk in risks():
        if uncounted(risk):
            left.append(risk)
            continue
        rules = {r.code for r in CATALOGUE if risk["category"] in r.threagile}
        (found if any((code, target(risk)) in ours for code in rules) else missed).append(risk)
    return found, missed, left


def test_the_risks_are_threagile_s_for_that_model():
    found = risks()
    assert len(found) == 84
    categories = {r["category"] for r in found}
    assert len(categories) == 28
    assert categories - THREAGILE_RULES == {"something-strange"}  # the model's own category
    model, ids = imported()
    known = {e.id for e in model.elements} | {f.id for f in model.flows}
    for risk in found:
        if not uncounted(risk):
            assert target(risk) in known, risk["synthetic_id"]


def test_at_least_90_percent_of_threagile_s_countable_findings_are_suggested():
    found, missed, left = compared()
    assert len(found) / (len(found) + len(missed)) >= 0.9, [r["synthetic_id"] for r in missed]
    assert {(r["category"], r["most_relevant_technical_asset"]) for r in missed} == set(MISSED)


def test_the_docs_figure_and_lists_are_what_the_comparison_finds():
    found, missed, left = compared()
    countable = len(found) + len(missed)
    section = DOC.read_text("utf-8").split("### Threagile")[1].split("## The rules")[0]
    assert f"**{len(found)} of {countable}** countable findings" in section
    assert f"of the {len(found) + len(missed) + len(left)} risks" in section
    for risk in missed + left:
        assert f"`{risk['synthetic_id']}`" in section, risk["synthetic_id"]
    for why in list(MISSED.values()) + list(UNCOUNTED.values()):
        assert " ".join(why.split(";")[0].split(":")[0].split()) in " ".join(section.split()), why


def judged() -> dict[tuple[str, str], tuple[str, str]]:
    with JUDGED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = {}
    for row in rows:
        key = (row["rule"], row["target"])
        assert key not in out, key
        assert row["verdict"] in ("applies", "does not apply"), row
        assert row["why"].strip(), row
        out[key] = (row["verdict"], row["why"])
    return out


def test_every_suggestion_is_judged_and_at_most_5_percent_do_not_apply():
    verdicts = judged()
    made = {(s.rule, s.target) for s in suggestions()}
    assert made - set(verdicts) == set(), "unjudged suggestions"
    assert set(verdicts) - made == set(), "judged suggestions that are no longer made"
    wrong = [k for k in made if verdicts[k][0] == "does not apply"]
    assert len(wrong) <= 0.05 * len(made), wrong
    section = DOC.read_text("utf-8").split("### Threagile")[1].split("## The rules")[0]
    assert f"**{len(wrong)} of {len(made)}** suggestions" in section


def test_reasons_quote_the_model_s_names_as_data():
    for s in suggestions():
        assert not re.search(r"[\x00-\x1f]", s.reason), s.reason
        assert f"`{s.target}`" in s.reason or s.target in s.reason, (s.rule, s.reason)
