"""``threatmodel suggest``: the catalogue, the workshop's threats found again, addressing and
dismissing, TM601/TM602 in ``validate``, the stable JSON, and ``--write``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_threatmodel.cli import main
from mkdocs_threatmodel.findings.rules import RULES as FINDING_RULES
from mkdocs_threatmodel.format.model import APPLICABLE, build_model
from mkdocs_threatmodel.format.risk import rate
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import RULES, suggest

from .suggest_models import KITCHEN_SINK, PLATFORM, SMALL

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-site" / "docs" / "threat-models" / "guest-checkout.md"
KINDS = {"external": "external", "process": "process", "store": "data store", "flow": "flow"}


def model_of(text: str, rel: str = "docs/m.md"):
    src = read_source(rel, text.encode("utf-8"))
    assert src.ok, src.findings
    return build_model(src)


def found(text: str) -> dict[tuple[str, str], object]:
    return {(s.rule, s.target): s for s in suggest(model_of(text))}


# -- the catalogue -------------------------------------------------------------------------
def test_catalogue_has_at_least_forty_documented_rules():
    assert len(CATALOGUE) >= 40
    assert len(RULES) == len(CATALOGUE)  # codes are unique
    for r in CATALOGUE:
        assert re.fullmatch(r"TS\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9-]+", r.name), r.name
        assert r.stride in "STRIDE" and len(r.stride) == 1
        for text in (r.facts, r.why, r.example, r.addresses, r.title):
            assert len(text) > 20, (r.code, text)
        assert r.references and all(ref.strip() for ref in r.references), r.code
        assert "{subject}" in r.title, r.code
    names = [r.name for r in CATALOGUE]
    assert len(set(names)) == len(names)


def test_every_rule_fires_with_a_reason_and_a_letter_that_fits_its_target():
    models = [model_of(KITCHEN_SINK), model_of(PLATFORM)]
    suggestions = [(model, s) for model in models for s in suggest(model)]
    assert {s.rule for _, s in suggestions} == set(RULES)
    for model, s in suggestions:
        kind = model.target_type(s.target)
        assert s.stride in APPLICABLE[kind], (s.rule, s.target)
        assert f"`{s.target}`" in s.reason or s.target in s.reason, (s.rule, s.reason)
        assert s.likelihood in ("low", "medium", "high", "critical")
        assert s.impact in ("low", "medium", "high", "critical")
        assert s.rating.startswith(f"likelihood {s.likelihood}: ")
        assert f"; impact {s.impact}: " in s.rating
        assert s.references == list(RULES[s.rule].references)


def test_the_reason_names_the_facts_that_fired_it():
    got = found(SMALL)
    idor = got[("TS001", "get-order")]
    assert idor.stride == "I"
    assert idor.reason.startswith("flow `get-order` (`GET /orders/{id}`) enters `api-vpc` "
                                  "from `internet` (`browser` to `api`)")
    assert "`auth: none`" in idor.reason and "`guest-pii` (confidential)" in idor.reason
    assert "no `authorization` given" in idor.reason
    assert (idor.likelihood, idor.impact) == ("high", "high")
    unauth = got[("TS010", "api")]
    assert "`auth: none`" in unauth.reason and unauth.likelihood == "high"


def test_a_stated_fact_changes_what_fires_and_the_rating():
    authorised = SMALL.replace("auth: none,", "authentication: token, authorization: end-user,")
    got = found(authorised)
    assert ("TS010", "api") not in got  # authenticated now
    assert got[("TS001", "get-order")].likelihood == "medium"  # an end-user check is stated
    assert "`authorization: end-user`" in got[("TS001", "get-order")].reason
    plain = found(SMALL.replace("protocol: HTTPS", "protocol: HTTP"))
    assert "protocol `HTTP` (plain)" in plain[("TS009", "get-order")].reason
    assert ("TS009", "get-order") not in found(SMALL)  # HTTPS is encrypted
    public = found(SMALL.replace("classification: confidential", "classification: public"))
    assert ("TS044", "get-order") not in public  # nothing rated high crosses


def test_classification_order_comes_from_the_configuration():
    model = model_of(SMALL.replace("classification: confidential", "classification: secret"))
    default = {(s.rule, s.target) for s in suggest(model)}
    custom = {(s.rule, s.target) for s in suggest(model, ("open", "secret"))}
    assert ("TS044", "get-order") not in default  # 'secret' is no default classification
    assert ("TS044", "get-order") in custom


# -- the guide's workshop ------------------------------------------------------------------
WORKSHOP = {  # (rule, target) -> what the workshop found there
    ("TS001", "f-order-lookup"): "the IDOR on GET /orders/{id}",
    ("TS002", "label-printer"): "the forged shipping webhook",
    ("TS004", "f-checkout"): "price tampering on POST /checkout",
    ("TS005", "checkout-api"): "the repudiated Stripe charge",
    ("TS006", "fulfillment-worker"): "the poison fulfillment message",
}


def test_the_workshop_threats_are_found_again_from_the_example_without_its_threats():
    model = model_of(EXAMPLE.read_text("utf-8"), "docs/threat-models/guest-checkout.md")
    assert model.threats
    model.threats = []
    got = {(s.rule, s.target): s for s in suggest(model)}
    for key, what in WORKSHOP.items():
        assert key in got, what
        s = got[key]
        assert s.open and s.reason and s.title, what
        assert s.stride in APPLICABLE[model.target_type(s.target)]
    assert "webhook" in got[("TS002", "label-printer")].reason
    assert "`GET /orders/{id}`" in got[("TS001", "f-order-lookup")].reason
    assert "`stripe`" in got[("TS005", "checkout-api")].reason
    assert "`fulfillment-queue`" in got[("TS006", "fulfillment-worker")].reason
    assert ("TS003", "f-shipping-webhook") in got  # the replay the workshop found too


def test_the_example_threats_address_every_suggestion():
    """The example covers every applicable letter (it validates clean in strict mode), so each
    suggestion names the threats that address it; the workshop's own threats among them."""
    model = model_of(EXAMPLE.read_text("utf-8"), "docs/threat-models/guest-checkout.md")
    got = {(s.rule, s.target): s for s in suggest(model)}
    assert all(not s.open for s in got.values())
    assert "CHK-002" in got[("TS002", "label-printer")].addressed_by
    assert "CHK-004" in got[("TS004", "f-checkout")].addressed_by
    assert "CHK-005" in got[("TS005", "checkout-api")].addressed_by
    assert "CHK-006" in got[("TS006", "fulfillment-worker")].addressed_by
    assert "CHK-003" in got[("TS003", "f-shipping-webhook")].addressed_by


# -- addressed and dismissed ---------------------------------------------------------------
def test_a_threat_with_the_letter_on_the_target_addresses_in_any_status():
    got = found(SMALL)
    assert got[("TS024", "api")].addressed_by == ["SM-001"]  # D on api
    assert got[("TS010", "api")].addressed_by == []  # S on api: none
    untriaged = SMALL.replace("stride: [D]", "stride: [D, S]").replace(
        "status: open", "status: untriaged")
    assert found(untriaged)[("TS010", "api")].addressed_by == ["SM-001"]


def test_a_dismissal_with_rule_target_and_rationale_dismisses():
    text = SMALL.replace("---\n\n# Small", "dismissed:\n  - {rule: TS010, target: api, "
                         "rationale: Public on purpose; the token is the check.}\n---\n\n# Small")
    got = found(text)
    assert got[("TS010", "api")].dismissed and not got[("TS010", "api")].open
    assert not got[("TS042", "api")].dismissed


def test_dismissal_needs_a_rationale(repo, cli):
    text = SMALL.replace("---\n\n# Small", "dismissed:\n  - {rule: TS010, target: api}\n"
                         "---\n\n# Small")
    repo.write("docs/m.md", text)
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert re.search(r"docs/m\.md:\d+:\d+: TM106 .*rationale", result.out), result.out


# -- validate: TM601 and TM602 -------------------------------------------------------------
def test_unaddressed_suggestions_are_warnings_of_validate(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "validate")  # on by default, as a warning
    tm601 = [line for line in result.lines if " TM601 " in line]
    assert tm601 and all(" warning: " in line for line in tm601), result.out
    assert any("TS010 unauthenticated-boundary-flow (S) on 'api'" in line for line in tm601)
    assert not any("TS024" in line for line in tm601)  # addressed by SM-001
    line = next(x for x in tm601 if "TS001" in x)
    row = SMALL.splitlines().index(next(x for x in SMALL.splitlines() if "id: get-order" in x))
    assert line.startswith(f"docs/m.md:{row + 1}:")  # the flow's line
    assert result.code == 1 and "TM302" in result.out  # an error of another rule, not these
    assert FINDING_RULES["TM601"].severity.value == "warning"


def test_tm601_severity_is_configurable(repo, cli):
    repo.write("docs/m.md", SMALL)
    repo.write(".threatmodel.yaml", "rules:\n  TM601: error\n")
    assert cli(repo.root, "validate").code == 1
    repo.write(".threatmodel.yaml", "rules:\n  TM601: off\n")
    result = cli(repo.root, "validate")
    assert "TM601" not in result.out and "TM302" in result.out  # the other rules still run


def test_json_and_sarif_carry_the_suggestions(repo, cli):
    repo.write("docs/m.md", SMALL)
    repo.write(".threatmodel.yaml", "rules:\n  TM601: warning\n")
    doc = json.loads(cli(repo.root, "validate", "--format", "json").out)
    assert "TM601" in json.dumps(doc)
    sarif = json.loads(cli(repo.root, "validate", "--format", "sarif").out)
    run = sarif["runs"][0]
    assert any(r["ruleId"] == "TM601" and r["level"] == "warning" for r in run["results"])
    assert any(rule["id"] == "TM601" for rule in run["tool"]["driver"]["rules"])


def test_dismissals_that_match_nothing_are_reported(repo, cli):
    text = SMALL.replace("---\n\n# Small", "dismissed:\n"
                         "  - {rule: TS999, target: api, rationale: typo}\n"
                         "  - {rule: TS010, target: nowhere, rationale: typo}\n---\n\n# Small")
    repo.write("docs/m.md", text)
    out = cli(repo.root, "validate").out
    assert re.search(r"TM602 warning: dismissed rule 'TS999' is not a suggestion rule", out)
    assert re.search(r"TM602 warning: dismissed target 'nowhere' is no element or flow", out)


# -- the command ---------------------------------------------------------------------------
def test_json_is_stable(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "--format", "json")
    assert result.code == 0
    doc = json.loads(result.out)
    assert doc["version"] == 1
    keys = {"model", "path", "rule", "name", "stride", "target", "title", "reason",
            "references", "likelihood", "impact", "rating", "addressed_by", "dismissed"}
    # every key of version 1 stays; "severity" (likelihood x impact, banded) was added
    assert all(set(s) == keys | {"severity"} for s in doc["suggestions"])
    assert all(s["severity"] == rate(s["likelihood"], s["impact"]).band
               for s in doc["suggestions"])
    assert "hidden" not in doc and "min_severity" not in doc  # only with --min-severity
    first = next(s for s in doc["suggestions"] if s["rule"] == "TS001")
    assert first["model"] == "small" and first["path"] == "docs/m.md"
    assert first["target"] == "get-order" and first["stride"] == "I"
    assert "CWE-639" in first["references"] and first["dismissed"] is False
    addressed = next(s for s in doc["suggestions"] if s["rule"] == "TS024")
    assert addressed["addressed_by"] == ["SM-001"]


def test_text_and_markdown_list_the_open_suggestions(repo, cli):
    repo.write("docs/m.md", SMALL)
    text = cli(repo.root, "suggest", "docs/m.md")
    assert "  TS001 object-id-without-authorization (I), 1 target: " in text.out
    assert "    get-order  high x high = high  open" in text.lines
    assert "TS024" not in text.out
    assert "open" in text.err
    every = cli(repo.root, "suggest", "--all").out
    assert "TS024" in every and "addressed by SM-001" in every
    md = cli(repo.root, "suggest", "small", "--format", "markdown").out
    assert md.startswith("## small (docs/m.md)")
    assert "### TS001 `object-id-without-authorization` (I): 1" in md
    assert "| `get-order` | Other users' objects read" in md


def test_suggest_reads_models_with_validation_errors(repo, cli):
    broken = SMALL.replace("targets: [api]", "targets: [no-such-target]")
    repo.write("docs/m.md", broken)
    assert cli(repo.root, "validate").code == 1
    result = cli(repo.root, "suggest", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["suggestions"]


def test_unreadable_models_are_one_line_each(repo, cli):
    repo.write("docs/m.md", SMALL)
    repo.write("docs/bad.md", "---\nthreatmodel: 1\nid: [unclosed\n---\n")
    result = cli(repo.root, "suggest")
    assert result.code == 1
    assert re.search(r"^docs/bad\.md:\d+:\d+: TM001 ", result.err, re.M), result.err
    assert "Traceback" not in result.err
    assert result.out.startswith("docs/m.md (small): ") and "  TS001 " in result.out


def test_unknown_model_is_a_usage_error(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "nope")
    assert result.code == 2 and "nope: no such model file or model id" in result.err


# -- --write -------------------------------------------------------------------------------
def only_inserted(before: bytes, after: bytes) -> bytes:
    """What was inserted, asserting every byte of ``before`` is kept, in order, around it."""
    head = 0
    while head < len(before) and before[head] == after[head]:
        head += 1
    tail = len(before) - head
    assert after.endswith(before[head:]), "bytes after the insertion changed"
    return after[head:len(after) - tail]


def test_write_appends_untriaged_threats_and_changes_no_other_byte(repo, cli):
    text = SMALL.replace("    ticket: T-1\n", "    ticket: T-1  # keep this comment\n")
    text = text.replace("\n", "\r\n")
    path = repo.write("docs/m.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    before = path.read_bytes()
    result = cli(repo.root, "suggest", "--write")
    assert result.code == 0, result.err
    after = path.read_bytes()
    inserted = only_inserted(before, after)
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in inserted.replace(b"\r\n", b"")
    assert b"    status: untriaged\r\n" in inserted
    assert b"  - id: small-ts001-get-order\r\n" in inserted
    model = model_of(after.decode("utf-8-sig"))
    added = [t for t in model.threats if t.id != "SM-001"]
    assert added and all(t.status == "untriaged" for t in added)
    assert all(not s.open for s in suggest(model))
    validated = cli(repo.root, "validate")
    assert "TM601" not in validated.out and validated.code == 0, validated.out
    again = cli(repo.root, "suggest", "--write")  # nothing left to add
    assert again.code == 0 and path.read_bytes() == after


@pytest.mark.parametrize("threats", ["", "threats: []\n"])
def test_write_adds_the_threats_key_or_fills_an_empty_list(repo, cli, threats):
    head, _, _ = SMALL.partition("threats:\n")
    path = repo.write("docs/m.md", head + threats + "---\n\n# Small\n")
    before = path.read_bytes()
    assert cli(repo.root, "suggest", "--write").code == 0
    after = path.read_bytes()
    if threats != "threats: []\n":
        only_inserted(before, after)
    model = model_of(after.decode("utf-8"))
    assert model.threats and all(not s.open for s in suggest(model))


def test_write_appends_to_a_flow_style_list(repo, cli):
    head, _, _ = SMALL.partition("threats:\n")
    text = head + "threats: [{id: SM-001, title: Floods, stride: [D], targets: [api]}]\n---\n"
    path = repo.write("docs/m.md", text)
    before = path.read_bytes()
    assert cli(repo.root, "suggest", "--write").code == 0
    after = path.read_bytes()
    only_inserted(before, after)
    assert all(not s.open for s in suggest(model_of(after.decode("utf-8"))))


@pytest.mark.parametrize("closing", ["---\x0c\n", "---\u2028\n"])
def test_write_splits_the_front_matter_where_validate_does(repo, cli, closing):
    """A closing line that ends in a form feed or a Unicode line separator closes the front
    matter for validate; --write splits it there too (it crashed on it), even with a later
    ``---`` line in the body."""
    text = SMALL.replace("---\n\n# Small\n", closing + "\n# Small\n\n---\n\nafter a rule\n")
    path = repo.write("docs/m.md", text)
    before = cli(repo.root, "validate")
    assert "TM601" in before.out, before.out  # the front matter was read: suggestions missed
    result = cli(repo.root, "suggest", "--write")
    assert result.code == 0, result.err
    after = path.read_bytes().decode("utf-8")
    assert after.endswith(closing + "\n# Small\n\n---\n\nafter a rule\n")
    model = model_of(after)
    assert model.threats and all(not s.open for s in suggest(model))
    assert cli(repo.root, "validate").code == 0


def test_write_refuses_symlinks_and_invalid_models(repo, cli):
    real = repo.write("models/real.md", SMALL)
    link = repo.root / "docs" / "m.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    before = real.read_bytes()
    result = cli(repo.root, "suggest", "--write", "docs/m.md")
    assert result.code == 1 and "symbolic link" in result.err
    assert real.read_bytes() == before
    bad = repo.write("docs/bad.md", SMALL.replace("id: small", "id: other").replace(
        "status: open", "status: opne").replace("SM-001", "OT-001"))
    before = bad.read_bytes()
    result = cli(repo.root, "suggest", "--write", "docs/bad.md")
    assert result.code == 1 and "fix the model first" in result.err
    assert re.search(r"docs/bad\.md:\d+:\d+: TM103 ", result.out)
    assert bad.read_bytes() == before


# -- the docs ------------------------------------------------------------------------------
def test_docs_suggestions_catalogue_is_current(capsys):
    text = (ROOT / "docs" / "suggestions.md").read_text("utf-8")
    match = re.search(r"<!-- generated: [^>]*-->\n(.*)<!-- end generated -->", text, re.S)
    assert match
    assert main(["suggest", "--catalogue"]) == 0
    assert match[1] == capsys.readouterr().out, "regenerate docs/suggestions.md"


# -- the site ------------------------------------------------------------------------------
def _site(*models, **options):
    import datetime as dt

    from mkdocs_threatmodel.views.site import Options, Site

    return Site(list(models), {m.path: f"models/{m.id}/" for m in models},
                options=Options(today=dt.date(2026, 11, 27), **options))


def test_the_model_page_lists_open_suggestions_and_the_register_counts_them():
    from mkdocs_threatmodel.views import register
    from mkdocs_threatmodel.views import suggestions as view
    from mkdocs_threatmodel.views.blocks import Html
    from mkdocs_threatmodel.views.page import Composer

    small = model_of(SMALL, "docs/small.md")
    hostile = model_of(SMALL.replace("id: small", "id: other").replace("SM-001", "OT-001")
                       .replace('"GET /orders/{id}"', '"GET /<script>x</script>/{id}"'),
                       "docs/other.md")
    site = _site(small, hostile)
    html = view.render(small, site, "models/small/")
    open_count = sum(1 for s in suggest(small) if s.open)
    assert f"<strong>{open_count} open suggestions</strong>" in html
    assert "<code>TS001</code>" in html and "<code>get-order</code>" in html
    assert "TS024" not in html  # addressed by SM-001
    assert "<script>" not in view.render(hostile, site, "models/other/")
    prepared = Composer(site, nonce="n").prepare("# Small\n", current="models/small/",
                                                 model=small)
    assert "## Suggested threats" in prepared.markdown
    assert any("TS001" in slot for slot in prepared.slots.values())
    blocks = register.render(site, "threat-register/")
    intro = next(b.html for b in blocks if isinstance(b, Html))
    assert f"Open suggestions ({2 * open_count}):" in intro
    assert f">Order lookup</a> {open_count}" in intro


def test_a_redacting_site_shows_only_the_count():
    from mkdocs_threatmodel.views import suggestions as view

    small = model_of(SMALL, "docs/small.md")
    html = view.render(small, _site(small, redact="all"), "models/small/")
    assert "open suggestions</strong>" in html and "TS001" not in html and "<table" not in html


def test_a_model_with_nothing_open_says_so():
    from mkdocs_threatmodel.views import suggestions as view

    text = SMALL.replace("---\n\n# Small", "dismissed:\n" + "".join(
        f"  - {{rule: {s.rule}, target: {s.target}, rationale: Checked.}}\n"
        for s in suggest(model_of(SMALL)) if s.open) + "---\n\n# Small")
    small = model_of(text, "docs/small.md")
    assert "No open suggestions" in view.render(small, _site(small), "models/small/")


def test_many_models_are_read_in_worker_processes_with_the_same_result(repo, cli, monkeypatch):
    from mkdocs_threatmodel.cli import suggest as command

    for n in range(3):
        repo.write(f"docs/m{n}.md", SMALL.replace("id: small", f"id: small-{n}")
                   .replace("SM-001", f"SM-00{n}"))
    repo.write("docs/bad.md", "---\nthreatmodel: 1\nid: [unclosed\n---\n")
    serial = cli(repo.root, "suggest", "--format", "json", "--no-cache")
    monkeypatch.setattr(command, "PARALLEL_MIN", 1)
    parallel = cli(repo.root, "suggest", "--format", "json", "--no-cache")
    assert parallel.out == serial.out and len(json.loads(parallel.out)["suggestions"]) > 3
    assert parallel.code == serial.code == 1 and "docs/bad.md" in parallel.err
