"""``threatmodel import`` of pytm reports, Threagile models and Threat Composer exports (real
files, tests/data/README.md), and ``threatmodel export --to threat-composer``: what each
keeps, how statuses and STRIDE letters map, and what is refused in one line."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from mkdocs_threatmodel.format.model import APPLICABLE, build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.interop.ids import read_id_table
from mkdocs_threatmodel.interop.pytm_stride import CLASS_TYPES, TABLE, letters_for, table_markdown
from mkdocs_threatmodel.interop.yaml_labels import MAX_EXPANDED_NODES

from .interop_helpers import INTEROP_DATA, build_site

PYTM = INTEROP_DATA / "pytm"
THREAGILE = INTEROP_DATA / "threagile"
COMPOSER = INTEROP_DATA / "threat-composer"


def _import(repo, cli, sample, name, *extra):
    result = cli(repo.root, "import", str(sample), "-o", f"docs/{name}.md", *extra)
    return result, repo.root / "docs" / f"{name}.md"


def _model(path):
    src = read_source(path.name, path.read_bytes())
    assert src.ok, src.findings
    return build_model(src)


def _errors(result) -> list[str]:
    return [x for x in result.lines if " note: " not in x and " warning: " not in x
            and not x.startswith("wrote ")]


# -- pytm ----------------------------------------------------------------------------------
def test_pytm_table_gives_every_library_threat_letters_that_fit_its_targets():
    library = json.loads((PYTM / "threats.json").read_text("utf-8"))
    assert {t["SID"] for t in library} == set(TABLE)
    for threat in library:
        for cls in threat["target"]:
            kind = "flow" if cls == "Dataflow" else CLASS_TYPES[cls]
            letters = letters_for(threat["SID"], kind)
            assert letters, (threat["SID"], cls)
            assert set(letters) <= set(APPLICABLE[kind]), (threat["SID"], cls, letters)
    assert letters_for("XYZ99", "process") is None


def test_the_pytm_table_in_the_docs_is_current():
    doc = (INTEROP_DATA.parents[2] / "docs" / "interop.md").read_text("utf-8")
    match = re.search(r"<!-- generated: pytm STRIDE table [^>]*-->\n(.*)<!-- end generated -->",
                      doc, re.S)
    assert match and match[1] == table_markdown() + "\n", "regenerate docs/interop.md"


def test_pytm_report_keeps_elements_data_flows_and_every_finding(repo, cli):
    report = json.loads((PYTM / "tm-sample-report.json").read_text("utf-8"))
    result, path = _import(repo, cli, PYTM / "tm-sample-report.json", "pytm",
                           "--owner", "team-web")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    assert {e.name for e in model.elements} == {e["name"] for e in report["elements"]}
    assert {b.name for b in model.boundaries} == {b["name"] for b in report["boundaries"]}
    assert {a.name for a in model.assets} == {d["name"] for d in report["data"]}
    by_name = {e.name: e for e in model.elements}
    assert by_name["User"].type == "external" and by_name["SQL Database"].type == "store"
    assert by_name["Web Server"].type == "process"
    # pytm states every control: the true ones are `controls`, none of them a tag
    assert by_name["Web Server"].controls == ["output-encoding", "hardening"]
    assert not {"pytm:isHardened", "pytm:encodesOutput"} & set(by_name["Web Server"].tags)
    assert by_name["Web Server"].boundary == next(
        b.id for b in model.boundaries if b.name == "AWS VPC")
    token = next(a for a in model.assets if a.name == "User ID Token")
    assert token.classification == "restricted" and "pytm:classification=TOP_SECRET" in token.tags
    # every pytm flow is a flow of its own, a response too, and keeps its findings
    assert len(model.flows) == len(report["flows"])
    retrieve = next(f for f in model.flows if f.label == "Retrieve comments")
    assert "response to 'Insert query with comments'" in retrieve.description
    target_id = {e.name: e.id for e in model.elements} | {f.label: f.id for f in model.flows}
    placed = {(t.id.split("-")[0], target) for t in model.threats for target in t.targets}
    for finding in report["findings"]:
        assert (finding["threat_id"], target_id[finding["target"]]) in placed, finding["id"]
    assert len({(f["threat_id"], f["target"]) for f in report["findings"]}) == 138
    assert sum(len(t.targets) for t in model.threats if "pytm:excluded" not in t.tags) == 138
    found = [t for t in model.threats if "pytm:excluded" not in t.tags]
    assert found and all(t.status == "untriaged" for t in found)
    assert all(t.tags[0] == "imported" for t in found)  # no one judged them yet
    assert all("imported" not in t.tags for t in model.threats if t not in found)
    assert {t.id.split("-")[0] for t in found} == {f["threat_id"] for f in report["findings"]}
    for threat in model.threats:
        for target in threat.targets:
            assert set(threat.stride) <= set(APPLICABLE[model.target_type(target)])
    # pytm's ratings: likelihood and severity ("Very High" is critical)
    ds06 = next(t for t in model.threats if t.id == "DS06")
    assert ds06.impact == "critical" and ds06.references
    # findings pytm excluded by an assumption: not-applicable, resting on it
    excluded = next(t for t in model.threats if t.id == "INP16")
    assert excluded.status == "not-applicable"
    assumption = next(a for a in model.assumptions if a.id in excluded.assumptions)
    assert assumption.text == "This webserver does not use PHP"
    text = path.read_text("utf-8")
    assert "## Not mapped" in text and "## Ids in pytm" in text


def test_pytm_controls_and_properties_become_the_facts_rules_read(repo, cli):
    result, path = _import(repo, cli, PYTM / "tm-sample-report.json", "pytm", "--owner", "t")
    assert result.code == 0, result.out + result.err
    model = _model(path)
    e = {x.name: x for x in model.elements}
    assert e["SQL Database"].controls == []  # stated: none in place (not None)
    assert "controls: []" in path.read_text("utf-8")
    assert e["AWS Lambda"].controls == ["access-control"]
    assert e["AWS Lambda"].technology_kind == "function" and e["AWS Lambda"].machine == "serverless"
    assert e["Comment Moderation LLM"].technology_kind == "ai"
    assert e["Comment Moderation LLM"].controls == ["content-filtering"]
    assert e["Moderation Agent"].technology_kind == "ai"
    assert e["SQL Database"].technology_kind == "database"
    assert e["User"].used_by_humans is True and e["Web Server"].used_by_humans is None
    assert not any(t in ("pytm:Lambda", "pytm:LLM", "pytm:hasContentFiltering")
                   for x in model.elements for t in x.tags)
    for flow in model.flows:
        assert flow.encrypted is False and flow.vpn is False and flow.controls == []
        assert not any(t.startswith("pytm:") and "Encrypted" in t for t in flow.tags)


def test_pytm_true_controls_xml_and_data_formats_map_through_the_vocabulary(repo, cli):
    report = json.loads((PYTM / "tm-sample-report.json").read_text("utf-8"))
    web = next(x for x in report["elements"] if x["name"] == "Web Server")
    web["controls"].update(validatesInput=True, usesParameterizedInput=True,
                           handlesInterruptions=True, usesEncryptionAlgorithm="AES")
    web["usesXMLParser"] = True
    flow = next(x for x in report["flows"] if x["name"] == "Insert query with comments")
    flow["controls"].update(isEncrypted=True, usesVPN=True, providesIntegrity=True)
    data = next(x for x in report["data"] if x["name"] == "Insert query with comments")
    data["format"] = "JSON"
    repo.write("report.json", json.dumps(report))
    result, path = _import(repo, cli, repo.root / "report.json", "pytm", "--owner", "t")
    assert result.code == 0, result.out + result.err
    model = _model(path)
    e = {x.name: x for x in model.elements}
    assert set(e["Web Server"].controls) == {"output-encoding", "hardening", "input-validation",
                                             "parameterized-queries", "strong-encryption"}
    assert "pytm:handlesInterruptions" in e["Web Server"].tags  # no name in the vocabulary
    assert e["Web Server"].data_formats == ["xml"] and e["SQL Database"].data_formats == ["json"]
    f = next(x for x in model.flows if x.label == "Insert query with comments")
    assert f.encrypted is True and f.vpn is True and f.controls == ["integrity-protection"]


def test_pytm_flows_named_twice_are_two_flows_each_with_its_findings(repo, cli):
    report = json.loads((PYTM / "tm-sample-report.json").read_text("utf-8"))
    second = next(x for x in report["flows"] if x["name"] == "Retrieve comments")
    second["name"] = "Insert query with comments"  # pytm allows it; its findings stay its own
    for finding in report["findings"]:
        if finding["id"] in second["findings"]:
            finding["target"] = second["name"]
    repo.write("report.json", json.dumps(report))
    result, path = _import(repo, cli, repo.root / "report.json", "pytm", "--owner", "t")
    assert result.code == 0, result.out + result.err
    model = _model(path)
    twins = [f for f in model.flows if f.label == "Insert query with comments"]
    assert len(twins) == 2 and twins[0].id != twins[1].id
    de01 = next(t for t in model.threats if t.id == "DE01")
    assert {x.id for x in twins} <= set(de01.targets) and len(de01.targets) == 11


def test_pytm_per_target_detail_where_severities_differ(repo, cli):
    report = json.loads((PYTM / "tm-sample-report.json").read_text("utf-8"))
    de01 = [f for f in report["findings"] if f["threat_id"] == "DE01"]
    de01[0]["severity"] = "Very High"
    repo.write("report.json", json.dumps(report))
    result, path = _import(repo, cli, repo.root / "report.json", "pytm", "--owner", "team-web")
    assert result.code == 0, result.out + result.err
    threat = next(t for t in _model(path).threats if t.id == "DE01")
    assert threat.impact == "medium" and len(threat.targets) > 1
    assert [d.impact for d in threat.per_target.values()] == ["critical"]
    assert threat.on(threat.targets[1]).impact == "medium"


def test_pytm_test_report_without_findings_imports(repo, cli):
    result, path = _import(repo, cli, PYTM / "tests-output.json", "pytm", "--owner", "team-web")
    assert result.code == 0 and _errors(result) == []
    model = _model(path)
    assert len(model.elements) == 5 and len(model.flows) == 6
    assert all(t.title.startswith("Not yet analysed") for t in model.threats)


def test_pytm_report_with_a_broken_flow_is_refused_in_one_line(repo, cli):
    report = json.loads((PYTM / "tests-output.json").read_text("utf-8"))
    del report["flows"][0]["sink"]
    repo.write("bad.json", json.dumps(report))
    result, path = _import(repo, cli, repo.root / "bad.json", "bad", "--owner", "x")
    assert result.code == 1 and len(result.err.splitlines()) == 1 and not path.exists()
    assert "not a pytm JSON report: flows[0] has no text 'sink'" in result.err


# -- Threagile -------------------------------------------------------------------------------
def test_threagile_model_keeps_assets_boundaries_links_runtimes_and_risks(repo, cli):
    source = yaml.safe_load((THREAGILE / "example-threagile.yaml").read_text("utf-8"))
    result, path = _import(repo, cli, THREAGILE / "example-threagile.yaml", "shop")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    assert model.owner == "John Doe"
    technical = source["technical_assets"]
    assert {e.name for e in model.elements} == set(technical)
    links = [(a["id"], title, link) for a in technical.values()
             for title, link in (a.get("communication_links") or {}).items()]
    assert len(model.flows) == len(links)
    text = path.read_text("utf-8")
    original = {f.label: f for f in model.flows}
    traffic = original["Customer Traffic"]
    assert "customer-client&gt;customer-traffic" in text  # an a>b id, kept in the id table
    assert traffic.authentication == "session" and traffic.authorization == "end-user"
    assert traffic.encrypted is True and traffic.returns and traffic.data
    erp = original["ERP Internal Access"]
    assert erp.vpn is True and erp.tags == ["some-erp"]  # a fact of the format, not a tag
    client = next(e for e in model.elements if e.id == "customer-client")
    assert client.type == "external" and client.internet_facing and client.technology == "browser"
    assert client.out_of_scope == "Owned and managed by end-user customer"
    # nested boundaries, with their kinds
    boundaries = {b.id: b for b in model.boundaries}
    assert boundaries["web-dmz"].inside == "application-network"
    assert boundaries["auth-env"].kind == "execution"
    assert "threagile:type=network-cloud-security-group" in boundaries["web-dmz"].tags
    # data assets with C/I/A and their justification; anchors and merge keys expanded
    assets = {a.id: a for a in model.assets}
    summaries = assets["contract-summaries"]
    assert (summaries.confidentiality, summaries.integrity) == ("medium", "low")
    assert assets["customer-accounts"].classification == "restricted"
    assert "threagile:origin=Customer" in summaries.tags  # from the anchored base
    assert "Why these C/I/A ratings" in assets["customer-contracts"].description
    # shared runtimes: tags on the elements that run on them, and a body section
    assert "threagile:runtime=webapp-virtualization" in model.element("sql-database").tags
    # an individual risk category: a threat on its risks' assets, per-target ratings
    strange = next(t for t in model.threats if t.id == "something-strange")
    assert strange.stride == ["R"] and strange.targets == ["sql-database",
                                                            "contract-file-server"]
    assert strange.status == "untriaged" and strange.per_target
    # risk tracking: status, justification, ticket, who checked it
    tracked = {t.tags[0].split("=", 1)[1]: t for t in model.threats
               if t.tags and t.tags[0].startswith("threagile:tracking=")}
    assert set(tracked) == set(source["risk_tracking"])
    accepted = tracked["untrusted-deserialization@erp-system"]
    assert accepted.status == "accepted" and accepted.targets == ["erp-system"]
    assert (accepted.acceptance.by, accepted.ticket) == ("John Doe", "XYZ-1234")
    assert tracked["ldap-injection@*@ldap-auth-server@*"].targets == ["ldap-auth-server"]
    assert tracked["dos-risky-access-across-trust-boundary@*@*@*"].status == "mitigating"
    assert tracked["unencrypted-asset@*"].targets == []  # never a guessed placement
    for heading in ("Shared runtimes", "Risk tracking", "Abuse cases", "Not mapped"):
        assert f"## {heading}" in text
    assert "\\`missing-hardening@\\*\\`: mitigated; expands to" in text  # Markdown-escaped


def test_threagile_facts_are_keys_of_the_format_and_never_tags(repo, cli):
    source = yaml.safe_load((THREAGILE / "example-model-1.0.yaml").read_text("utf-8"))
    result, path = _import(repo, cli, THREAGILE / "example-model-1.0.yaml", "example")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    by_id = {a["id"]: a for a in source["technical_assets"].values()}
    for e in model.elements:
        theirs = by_id[e.id]
        assert e.technology == theirs["technology"] and e.technology_kind == theirs["technology"]
        assert e.machine == theirs["machine"]
        assert e.data_formats == (theirs.get("data_formats_accepted") or [])
        assert (e.multi_tenant, e.redundant, e.custom_developed, e.used_by_humans) == (
            theirs["multi_tenant"], theirs["redundant"], theirs["custom_developed_parts"],
            theirs["used_as_client_by_human"])
        assert e.usage == theirs["usage"]
        # only what Threagile's attributes prove: encryption at rest, else nothing stated
        assert e.controls == (None if theirs["encryption"] == "none"
                              else ["encryption-at-rest"])
        mapped = ("usage", "machine", "multi_tenant", "redundant", "custom_developed_parts",
                  "used_as_client_by_human", "accepts")
        assert not [t for t in e.tags if t.split("=")[0].removeprefix("threagile:") in mapped]
    links = {f.id: f for f in model.flows}
    traffic = links["customer-traffic"]
    assert traffic.authorization == "end-user"  # Threagile 1.0's enduser-identity-propagation
    assert links["erp-internal-access"].vpn is True
    assert links["cms-content-traffic"].read_only is True
    assert links["application-deployment"].usage == "devops"
    assert links["database-traffic"].encrypted is False  # jdbc is plain in Threagile
    assert links["database-traffic"].authentication == "credentials"
    assert not [t for f in model.flows for t in f.tags if t.startswith("threagile:")]


@pytest.mark.parametrize("tracked, ours", [
    ("unchecked", "untriaged"), ("in-discussion", "open"), ("accepted", "accepted"),
    ("in-progress", "mitigating"), ("mitigated", "mitigated"),
    ("false-positive", "not-applicable")])
def test_threagile_statuses_map_to_ours(repo, cli, tracked, ours):
    text = (THREAGILE / "stub-threagile.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    category = next(iter(data["individual_risk_categories"].values()))
    risk = next(iter(category["risks_identified"].values()))
    rid = category["id"] + "@" + risk["most_relevant_technical_asset"]
    data["risk_tracking"] = {rid: {"status": tracked, "justification": "Looked at it.",
                                   "ticket": "T-1", "date": "2024-05-01",
                                   "checked_by": "Ann"}}
    repo.write("stub.yaml", yaml.safe_dump(data))
    result, path = _import(repo, cli, repo.root / "stub.yaml", "stub")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    threat = next(t for t in _model(path).threats if t.id == category["id"])
    assert threat.status == ours
    assert "Threagile risk tracking: " + tracked + ", checked by Ann on 2024-05-01" \
        in threat.story


def _stub(repo, change) -> dict:
    data = yaml.safe_load((THREAGILE / "stub-threagile.yaml").read_text("utf-8"))
    change(data)
    repo.write("stub.yaml", yaml.safe_dump(data))
    return data


def test_an_unchecked_threagile_risk_is_an_untriaged_threat_tagged_imported(repo, cli):
    result, path = _import(repo, cli, THREAGILE / "stub-threagile.yaml", "stub")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    threat = next(t for t in _model(path).threats if t.id == "something-strange")
    assert threat.status == "untriaged"
    assert threat.tags == ["imported", "threagile:risk=something-strange@some-component"]


def test_risks_tracked_apart_from_unchecked_ones_leave_the_threat_untriaged(repo, cli):
    """A category whose risks are tracked differently was 'open' as a whole, so its
    unchecked risks were open threats no one had judged; now the threat is untriaged and
    only the tracked target has its own status."""
    def change(data):
        category = data["individual_risk_categories"]["Some Individual Risk Example"]
        risks = category["risks_identified"]
        first = next(iter(risks.values()))
        risks["Another"] = dict(first, most_relevant_technical_asset="some-other-component")
        data["risk_tracking"] = {"something-strange@some-component": {
            "status": "mitigated", "justification": "Fixed.", "ticket": "T-1",
            "date": "2024-05-01", "checked_by": "Ann"}}
    _stub(repo, change)
    result, path = _import(repo, cli, repo.root / "stub.yaml", "stub")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    threat = next(t for t in _model(path).threats if t.id == "something-strange")
    assert threat.status == "untriaged" and threat.tags[0] == "imported"
    one, other = threat.targets
    assert threat.on(one).status == "mitigated" and threat.on(other).status == "untriaged"
    assert "tracked differently: the threat is untriaged, as its unchecked risks are" \
        in path.read_text("utf-8")


def test_a_threagile_model_without_risks_has_no_open_threat(repo, cli):
    """Threagile computes its risks; a model file that holds none gets a placeholder on each
    flow across a trust boundary (TM302 asks for one), untriaged: no view counts it open."""
    import datetime as dt

    from mkdocs_threatmodel.views import header, owners, register, residual
    from mkdocs_threatmodel.views.blocks import Html
    from mkdocs_threatmodel.views.site import Options, Site

    def change(data):
        data.pop("individual_risk_categories")
        data.pop("risk_tracking", None)
    _stub(repo, change)
    result, path = _import(repo, cli, repo.root / "stub.yaml", "stub")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    assert model.threats and all(t.title.startswith("Not yet analysed") for t in model.threats)
    assert all(t.status == "untriaged" and t.tags == ["imported"] for t in model.threats)
    assert cli(repo.root, "validate").code == 0
    site = Site([model], {model.path: "stub/"}, options=Options(today=dt.date(2026, 11, 27)))
    top = header.render(model, site, "stub/")
    assert "Still open" not in top and "Highest open risks" not in top
    assert all(not who.open and not who.no_ticket for who in owners.collect(site))
    intro = next(b.html for b in register.render(site, "register/") if isinstance(b, Html))
    assert "candidate to triage" in intro and "0 threats triaged" in intro
    facts = residual.summary(model)
    assert "still open" not in facts and "not triaged yet" in facts


def test_an_alias_bomb_is_refused_in_one_line(repo, cli):
    lines = ["threagile_version: 1.0.0", "title: bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"{'abcdefghij'[n]}: &{'abcdefghij'[n]} "
                     f"[*{'abcdefghij'[n - 1]}, *{'abcdefghij'[n - 1]}, "
                     f"*{'abcdefghij'[n - 1]}, *{'abcdefghij'[n - 1]}, "
                     f"*{'abcdefghij'[n - 1]}, *{'abcdefghij'[n - 1]}, "
                     f"*{'abcdefghij'[n - 1]}, *{'abcdefghij'[n - 1]}, "
                     f"*{'abcdefghij'[n - 1]}, *{'abcdefghij'[n - 1]}]")
    repo.write("bomb.yaml", "\n".join(lines) + "\n")
    result, path = _import(repo, cli, repo.root / "bomb.yaml", "bomb")
    assert result.code == 1 and len(result.err.splitlines()) == 1 and not path.exists()
    assert f"aliases expand to more than {MAX_EXPANDED_NODES} nodes" in result.err
    assert re.search(r"bomb\.yaml:\d+:\d+: ", result.err)


@pytest.mark.parametrize("body, words", [
    ("base: &b {x: 1}\nother:\n  <<: {y: 2}\n", "a merge key ('<<') may only name aliases"),
    ("base: &b !!python/name:os.system {x: 1}\n", "tag"),
    ("base: &b {x: 1}\nloop: &l [*l]\n", "alias inside its own anchor (a cycle)"),
    ("base: &b {x: 1}\nbase: 2\n", "duplicate key 'base'"),
    ("base: &b x\ndeep: " + "{a: " * 990 + "1" + "}" * 990 + "\n", "YAML nested too deeply"),
])
def test_unsafe_yaml_with_anchors_is_refused_in_one_line(repo, cli, body, words):
    repo.write("bad.yaml", "threagile_version: 1.0.0\ntitle: t\n" + body)
    result, _ = _import(repo, cli, repo.root / "bad.yaml", "bad")
    assert result.code == 1 and len(result.err.splitlines()) == 1, result.err
    assert words in result.err


def test_anchors_are_only_read_in_a_threagile_model(repo, cli):
    otm = (INTEROP_DATA / "otm" / "EXAMPLE.yaml").read_text("utf-8")
    repo.write("otm.yaml", otm.replace("otmVersion:", "label: &l x\notmVersion:", 1))
    result, _ = _import(repo, cli, repo.root / "otm.yaml", "otm")
    assert result.code == 1 and len(result.err.splitlines()) == 1
    assert "otm.yaml:1:8: YAML anchor 'l': anchors and aliases are only read in a " \
           "Threagile model" in result.err


# -- Threat Composer -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["ThreatComposer.tc.json", "GenAIChatbot.tc.json"])
def test_threat_composer_threats_come_in_unplaced_with_records_and_links(repo, cli, name):
    source = json.loads((COMPOSER / name).read_text("utf-8"))
    result, path = _import(repo, cli, COMPOSER / name, "tc", "--owner", "team-tc")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    ids = {source_id: ours for ours, source_id in
           read_id_table(path.read_text("utf-8"), "threat-composer").items()}
    assert [t.title for t in model.threats] == [t["statement"] for t in source["threats"]]
    assert all(t.targets == [] for t in model.threats)
    statuses = {"threatIdentified": "open", "threatResolved": "mitigated",
                "threatResolvedNotUseful": "not-applicable"}
    for theirs, ours in zip(source["threats"], model.threats, strict=True):
        assert ours.status == statuses[theirs["status"]]
        assert ours.tags == theirs.get("tags", [])
        assert ours.story.startswith(f"Threat source: {theirs['threatSource']}\n")
        stride = next(m["value"] for m in theirs["metadata"] if m["key"] == "STRIDE")
        assert ours.stride == stride
        linked = {ids[m["mitigationId"]] for m in source["mitigationLinks"]
                  if m["linkedId"] == theirs["id"] and m["mitigationId"] in ids}
        assert set(ours.mitigations) == linked
        assumed = {ids[a["assumptionId"]] for a in source["assumptionLinks"]
                   if a["linkedId"] == theirs["id"] and a["type"] == "Threat"
                   and a["assumptionId"] in ids}
        assert set(ours.assumptions) == assumed
    assert [m.title for m in model.mitigations] == [m["content"].strip()
                                                    for m in source["mitigations"]]
    assert len(model.assumptions) == len(source["assumptions"])
    text = path.read_text("utf-8")
    assert "## Application" in text and "## Architecture" in text and "unplaced" in text
    strict = cli(repo.root, "validate", "--strict", "docs/tc.md")
    unplaced = [x for x in strict.lines if " TM218 " in x]
    assert strict.code == 1 and len(unplaced) == len(source["threats"])


@pytest.mark.slow
def test_an_unplaced_threat_is_listed_on_the_page(repo, cli, tmp_path):
    result, path = _import(repo, cli, COMPOSER / "ThreatComposer.tc.json", "tc",
                           "--owner", "team-tc")
    assert result.code == 0
    proc, out = build_site(tmp_path, {"tc.md": path.read_text("utf-8")})
    assert proc.returncode == 0, proc.stderr
    page = (out / "tc" / "index.html").read_text("utf-8")
    assert page.count("unplaced: it names no element or flow yet") == 20


def _links(data: dict) -> tuple[set, set]:
    known = {x["id"] for key in ("threats", "mitigations", "assumptions") for x in data[key]}
    mitigations = {(x["mitigationId"], x["linkedId"]) for x in data["mitigationLinks"]
                   if {x["linkedId"], x["mitigationId"]} <= known}
    assumptions = {(x.get("type"), x["assumptionId"], x["linkedId"])
                   for x in data["assumptionLinks"] if {x["linkedId"], x["assumptionId"]} <= known}
    return mitigations, assumptions


def _records(data: dict) -> dict:
    """What a round trip keeps, with outer whitespace of texts left out."""
    def comments(entry):
        return [str(m["value"]).strip() for m in entry.get("metadata", [])
                if m["key"] == "Comments"]

    return _stripped({
        "threats": [(t["id"], t["statement"], t["status"], t.get("tags", []),
                     [t.get(k) or None for k in ("threatSource", "prerequisites",
                                                 "threatAction", "threatImpact")]
                     + [t.get(k) or [] for k in ("impactedGoal", "impactedAssets")],
                     sorted((m["key"], json.dumps(m["value"]).strip())
                            for m in t.get("metadata", []) if m["key"] != "Comments"),
                     comments(t)) for t in data["threats"]],
        "mitigations": [(m["id"], m["content"], m["status"], m.get("tags", []), comments(m))
                        for m in data["mitigations"]],
        "assumptions": [(a["id"], a["content"], comments(a)) for a in data["assumptions"]],
    })


def _stripped(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return [_stripped(v) for v in value]
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", ["ThreatComposer.tc.json", "GenAIChatbot.tc.json"])
def test_threat_composer_round_trip_keeps_ids_statements_records_and_links(repo, cli, name):
    source = json.loads((COMPOSER / name).read_text("utf-8"))
    result, _ = _import(repo, cli, COMPOSER / name, "tc", "--owner", "team-tc")
    assert result.code == 0
    out = cli(repo.root, "export", "docs/tc.md", "--to", "threat-composer", "-o", "back.json")
    assert out.code == 0, out.err
    back = json.loads((repo.root / "back.json").read_text("utf-8"))
    assert back["schema"] == 1
    assert _records(back) == _records(source)
    assert _links(back) == _links(source)
    assert back["applicationInfo"]["name"] == source["applicationInfo"]["name"].strip()
    assert back["architecture"]["description"].split()[:20] == \
        source["architecture"]["description"].split()[:20]


def test_a_model_of_our_own_exports_to_threat_composer(repo, cli):
    result, _ = _import(repo, cli, PYTM / "tm-sample-report.json", "pytm", "--owner", "team")
    assert result.code == 0
    out = cli(repo.root, "export", "docs/pytm.md", "--to", "threat-composer")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    model = _model(repo.root / "docs" / "pytm.md")
    assert [t["statement"] for t in data["threats"]] == [t.title for t in model.threats]
    assert len({t["id"] for t in data["threats"]}) == len(model.threats)
    excluded = next(t for t in data["threats"] if t["statement"] == "PHP Remote File Inclusion")
    assert excluded["status"] == "threatResolvedNotUseful"
    assert any(x["linkedId"] == excluded["id"] for x in data["assumptionLinks"])
    again = cli(repo.root, "export", "docs/pytm.md", "--to", "threat-composer")
    assert again.out == out.out  # made ids are the same on every export


def test_a_broken_threat_composer_export_is_refused_in_one_line(repo, cli):
    source = json.loads((COMPOSER / "ThreatComposer.tc.json").read_text("utf-8"))
    source["threats"][3]["statement"] = 7
    repo.write("bad.tc.json", json.dumps(source))
    result, path = _import(repo, cli, repo.root / "bad.tc.json", "bad", "--owner", "x")
    assert result.code == 1 and len(result.err.splitlines()) == 1 and not path.exists()
    assert "not a Threat Composer export: threats[3] has no text 'statement'" in result.err


@pytest.mark.parametrize("sample, extra", [
    (PYTM / "tm-sample-report.json", ("--owner", "team")),
    (THREAGILE / "example-threagile.yaml", ()),
    (COMPOSER / "GenAIChatbot.tc.json", ("--owner", "team"))], ids=lambda x: getattr(x, "name", ""))
def test_imported_models_export_to_every_format(repo, cli, sample, extra):
    result, _ = _import(repo, cli, sample, "m", *extra)
    assert result.code == 0
    for fmt in ("otm", "threat-dragon", "threat-composer", "json", "csv"):
        out = cli(repo.root, "export", "docs/m.md", "--to", fmt)
        assert out.code == 0 and out.out and not out.err, (fmt, out.err)
    otm = json.loads(cli(repo.root, "export", "docs/m.md", "--to", "otm").out)
    statuses = {t["attributes"]["status"] for t in otm["threats"]}
    assert statuses and statuses <= {"untriaged", "open", "mitigating", "mitigated",
                                     "accepted", "not-applicable"}


def test_importing_a_pytm_report_never_runs_the_model_beside_it(repo, cli):
    repo.write("tm.py", "open('ran', 'w').write('tm.py ran')\n")
    repo.write("out.json", (PYTM / "tests-output.json").read_text("utf-8"))
    result, _ = _import(repo, cli, repo.root / "out.json", "pytm", "--owner", "team")
    assert result.code == 0 and not (repo.root / "ran").exists()


@pytest.mark.parametrize("theirs, ours", [("threatIdentified", "open"),
                                          ("threatResolved", "mitigated"),
                                          ("threatResolvedNotUseful", "not-applicable")])
def test_threat_composer_statuses_map_and_come_back(repo, cli, theirs, ours):
    source = json.loads((COMPOSER / "ThreatComposer.tc.json").read_text("utf-8"))
    threats = [t["id"] for t in source["threats"]]
    link = next(x for x in source["mitigationLinks"] if x["linkedId"] in threats)
    n = threats.index(link["linkedId"])
    m = next(i for i, x in enumerate(source["mitigations"]) if x["id"] == link["mitigationId"])
    source["threats"][n]["status"] = theirs
    source["mitigations"][m]["status"] = "mitigationResolvedWillNotAction"
    repo.write("ws.tc.json", json.dumps(source))
    result, path = _import(repo, cli, repo.root / "ws.tc.json", "tc", "--owner", "team")
    assert result.code == 0 and _errors(result) == [], result.out + result.err
    model = _model(path)
    # resolved there while a control it cites will not be done: mitigating here (TM410)
    assert model.threats[n].status == ("mitigating" if ours == "mitigated" else ours)
    assert model.mitigations[m].status == "planned"
    assert "threat-composer:will-not-action" in model.mitigations[m].tags
    back = json.loads(cli(repo.root, "export", "docs/tc.md", "--to", "threat-composer").out)
    assert back["threats"][n]["status"] == theirs
    assert back["mitigations"][m]["status"] == "mitigationResolvedWillNotAction"
    assert "threat-composer:resolved" not in back["threats"][n].get("tags", [])
