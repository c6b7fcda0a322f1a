"""``threatmodel export``: OTM that validates against the OTM schema, Threat Dragon in the
shapes of Threat Dragon's own files, CSV for trackers and the typed model as JSON."""

from __future__ import annotations

import csv
import io
import itertools
import json

import jsonschema
import pytest
import yaml

from mkdocs_threatmodel.interop.csv_export import COLUMNS, page_path
from mkdocs_threatmodel.interop.layout import Rect

from .interop_helpers import EXAMPLE_MODELS, INTEROP_DATA, OTM_SCHEMA, RICH
from .models import install, mutate

OTM_VALIDATOR = jsonschema.Draft7Validator(json.loads(OTM_SCHEMA.read_text("utf-8")))
LEVEL_NUMBERS = {None, 25, 50, 75, 100}

# The guest checkout base model with an element outside every boundary, an unrated threat
# and a title a spreadsheet would run as a formula.
OUTSIDE = mutate("  - {id: browser, name: Customer browser, type: external, boundary: internet}",
                 "  - {id: browser, name: Customer browser, type: external}\n"
                 "  - {id: partner, name: Partner API, type: external, boundary: internet}")
OUTSIDE = mutate("    title: SQL traffic is read inside the VPC",
                 "    title: \"=HYPERLINK(\\\"http://evil.test\\\")\"", OUTSIDE)


def _export(cli, path, fmt, *extra):
    result = cli(path.parent, "export", str(path), "--to", fmt, *extra)
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("model", EXAMPLE_MODELS, ids=lambda p: p.stem)
def test_otm_export_of_the_example_models_validates_against_the_otm_schema(cli, model):
    data = json.loads(_export(cli, model, "otm"))
    errors = sorted(OTM_VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["otmVersion"] == "0.2.0"
    assert data["project"]["id"] == model.stem
    assert data["project"]["attributes"]["adrs"]
    zones = {z["id"]: z for z in data["trustZones"]}
    assert all(c["parent"]["trustZone"] in zones for c in data["components"])
    assert all(z["parent"]["trustZone"] in zones for z in zones.values() if "parent" in z)
    threat_ids = {t["id"] for t in data["threats"]}
    placed = {i["threat"] for item in data["components"] + data["dataflows"]
              for i in item["threats"]}
    assert placed == threat_ids
    for threat in data["threats"]:
        assert set(threat["categories"]) <= {"Spoofing", "Tampering", "Repudiation",
                                             "Information disclosure", "Denial of service",
                                             "Elevation of privilege"}
        assert threat["risk"]["likelihood"] in LEVEL_NUMBERS
        assert threat["risk"]["impact"] in LEVEL_NUMBERS | {0}
        assert threat["attributes"]["owner"] and threat["attributes"]["status"]
    mitigations = {m["id"] for m in data["mitigations"]}
    linked = {m["mitigation"] for item in data["components"] + data["dataflows"]
              for i in item["threats"] for m in i.get("mitigations", [])}
    assert linked == mitigations


def test_otm_export_keeps_what_otm_has_no_field_for_in_attributes(cli):
    data = json.loads(_export(cli, EXAMPLE_MODELS[0], "otm"))  # guest checkout
    accepted = [t for t in data["threats"] if t["attributes"]["status"] == "accepted"]
    assert accepted and all({"by", "date", "rationale"} <= set(t["attributes"]["acceptance"])
                            for t in accepted)
    assert all("ticket" in t["attributes"] for t in data["threats"]
               if t["attributes"]["status"] == "open" and t["risk"]["likelihood"] == 100)
    attrs = data["project"]["attributes"]
    front = yaml.safe_load(EXAMPLE_MODELS[0].read_text("utf-8").split("---\n")[1])
    assert attrs["reviewed"]["date"] == front["reviewed"]["date"].isoformat()
    assert attrs["review_every"] == front["review_every"] == "180d"


def test_otm_export_rates_levels_as_numbers_and_puts_loose_elements_in_an_outside_zone(repo, cli):
    path = repo.root / install(repo, OUTSIDE)
    data = json.loads(_export(cli, path, "otm"))
    assert not list(OTM_VALIDATOR.iter_errors(data))
    outside = [z for z in data["trustZones"] if (z.get("attributes") or {}).get(
        "outsideEveryBoundary")]
    assert len(outside) == 1
    browser = next(c for c in data["components"] if c["id"] == "browser")
    assert browser["parent"] == {"trustZone": outside[0]["id"]}
    risk = {t["id"]: t["risk"] for t in data["threats"]}
    assert risk["CHK-001"]["likelihood"] == 75 and risk["CHK-001"]["impact"] == 75  # high
    assert risk["CHK-006"]["likelihood"] == 50 and risk["CHK-006"]["impact"] == 50  # medium
    assert risk["CHK-002"] == {"likelihood": None, "impact": 0, "impactComment": "not rated"}


def test_otm_export_carries_mitigation_records_states_per_target_and_asset_ratings(repo, cli):
    path = repo.write("docs/rich.md", RICH)
    data = json.loads(_export(cli, path, "otm"))
    assert not list(OTM_VALIDATOR.iter_errors(data))
    records = {m["id"]: m for m in data["mitigations"]}
    assert records["M-TLS"]["name"] == "TLS everywhere"
    assert records["M-TLS"]["description"] == "Every hop uses TLS 1.2+."
    assert records["M-TLS"]["attributes"]["status"] == "implemented"
    assert records["M-TLS"]["attributes"]["ticket"] == "SEC-1"
    assert records["M-WAF"]["attributes"] == {"status": "planned", "owner": "team-edge"}
    assert records["R-1-mitigation"]["attributes"] == {"threat": "R-1"}  # the text, as before
    placed = {(item["id"], i["threat"]): i for item in data["components"] + data["dataflows"]
              for i in item["threats"]}
    # R-1 is mitigated on 'call' and open on 'write' (its per-target status).
    assert placed[("call", "R-1")]["state"] == "mitigated"
    assert placed[("write", "R-1")]["state"] == "exposed"
    assert placed[("call", "R-1")]["mitigations"] == [
        {"mitigation": "M-TLS", "state": "implemented"},
        {"mitigation": "R-1-mitigation", "state": "implemented"}]
    assert placed[("write", "R-1")]["mitigations"][1] == {"mitigation": "R-1-mitigation",
                                                          "state": "required"}
    # A component's threat: untriaged is exposed; a planned record is required.
    assert placed[("api", "R-2")] == {"threat": "R-2", "state": "exposed", "mitigations": [
        {"mitigation": "M-WAF", "state": "required"}]}
    assets = {a["id"]: a for a in data["assets"]}
    assert {k: assets["card"]["risk"][k] for k in ("confidentiality", "integrity",
                                                   "availability")} == {
        "confidentiality": 100, "integrity": 75, "availability": 0}  # A is not rated
    assert {k: assets["logs"]["risk"][k] for k in ("confidentiality", "integrity",
                                                   "availability")} == {
        "confidentiality": 0, "integrity": 0, "availability": 25}
    assert assets["card"]["attributes"]["classification"] == "restricted"
    threats = {t["id"]: t for t in data["threats"]}
    assert threats["R-1"]["attributes"]["per_target"]["write"]["status"] == "open"
    assert threats["R-1"]["attributes"]["hurts"] == [{"asset": "card", "cia": ["C"]}]
    assert threats["R-2"]["attributes"]["severity"] == "high"
    attrs = data["project"]["attributes"]
    assert [a["id"] for a in attrs["assumptions"]] == ["A-1", "A-2"]


# -- Threat Dragon ----------------------------------------------------------------------------

def test_threat_dragon_threats_carry_their_mitigation_texts_and_status_per_target(repo, cli):
    path = repo.write("docs/rich.md", RICH)
    data = json.loads(_export(cli, path, "threat-dragon"))
    cells = {c["id"]: c for c in data["detail"]["diagrams"][0]["cells"]}
    on_call, on_write = (cells[x]["data"]["threats"][0] for x in ("call", "write"))
    assert on_call["mitigation"] == ("Pinning on the client.\n\n"
                                     "TLS everywhere (implemented): Every hop uses TLS 1.2+.")
    assert (on_call["status"], on_write["status"]) == ("Mitigated", "Open")
    assert cells["api"]["data"]["threats"][0]["mitigation"] == "WAF rules (planned)"
    assert cells["user"]["data"]["threats"][0]["mitigation"] == "By A-1."
    assert cells["call"]["data"]["isEncrypted"] and not cells["write"]["data"]["isEncrypted"]
    legacy = cells["legacy"]["data"]
    assert legacy["outOfScope"] and legacy["reasonOutOfScope"] == "Retired next quarter."


def _sample_shapes() -> dict:
    """Keys of each kind of cell, cell data and threat in Threat Dragon's v2 sample."""
    sample_path = INTEROP_DATA / "threat-dragon" / "v2-threat-model.json"
    sample = json.loads(sample_path.read_text("utf-8"))
    shapes: dict = {"top": set(sample), "summary": set(sample["summary"]),
                    "detail": set(sample["detail"]) - {"diagrams"},
                    "diagram": set(sample["detail"]["diagrams"][0]) - {"cells"}}
    for cell in sample["detail"]["diagrams"][0]["cells"]:
        shapes.setdefault(cell["shape"], set()).update(cell)
        shapes.setdefault(cell["shape"] + ".data", set()).update(cell["data"])
        for threat in cell["data"].get("threats", []):
            shapes.setdefault("threat", set()).update(threat)
    return shapes


@pytest.mark.parametrize("model", EXAMPLE_MODELS, ids=lambda p: p.stem)
def test_threat_dragon_export_has_the_shapes_of_threat_dragons_files(cli, model):
    data = json.loads(_export(cli, model, "threat-dragon"))
    shapes = _sample_shapes()
    assert shapes["top"] <= set(data)
    assert shapes["summary"] <= set(data["summary"])
    assert shapes["detail"] <= set(data["detail"])
    diagram = data["detail"]["diagrams"][0]
    assert shapes["diagram"] <= set(diagram)
    assert diagram["diagramType"] == "STRIDE"
    threats = 0
    for cell in diagram["cells"]:
        shape = cell["shape"]
        if shape == "trust-boundary-box":
            assert cell["data"]["type"] == "tm.BoundaryBox" and cell["data"]["isTrustBoundary"]
            assert cell["attrs"]["headerText"]["text"] == cell["data"]["name"]
            continue
        assert shapes[shape] - {"visible"} <= set(cell), shape
        missing = shapes[shape + ".data"] - set(cell["data"])
        assert not missing, (shape, missing)
        for threat in cell["data"]["threats"]:
            threats += 1
            assert shapes["threat"] <= set(threat)
            assert threat["status"] in ("Open", "Mitigated", "NotApplicable")
            assert threat["severity"] in ("TBD", "Low", "Medium", "High", "Critical")
            assert threat["modelType"] == "STRIDE"
        assert cell["data"]["hasOpenThreats"] == any(
            t["status"] == "Open" for t in cell["data"]["threats"])
    from mkdocs_threatmodel.format.model import build_model
    from mkdocs_threatmodel.format.source import read_source

    typed = build_model(read_source(model.name, model.read_bytes()))
    assert threats == sum(len(t.targets) * max(1, len(t.stride)) for t in typed.threats)
    assert data["detail"]["threatTop"] == threats


@pytest.mark.parametrize("model", EXAMPLE_MODELS, ids=lambda p: p.stem)
def test_threat_dragon_layout_nests_boxes_and_nothing_overlaps(cli, model):
    data = json.loads(_export(cli, model, "threat-dragon"))
    from mkdocs_threatmodel.format.model import build_model
    from mkdocs_threatmodel.format.source import read_source

    typed = build_model(read_source(model.name, model.read_bytes()))
    cells = {c["id"]: c for c in data["detail"]["diagrams"][0]["cells"] if "position" in c}

    def rect(cid: str) -> Rect:
        c = cells[cid]
        return Rect(c["position"]["x"], c["position"]["y"], c["size"]["width"],
                    c["size"]["height"])

    assert typed.boundaries, "the example models all have boundaries"
    inside = {b.id: b.inside for b in typed.boundaries}

    def ancestors(bid):
        while bid is not None:
            yield bid
            bid = inside[bid]

    for element in typed.elements:
        holders = set(ancestors(element.boundary))
        for b in typed.boundaries:
            assert rect(b.id).contains(rect(element.id)) == (b.id in holders), (element.id, b.id)
    for a, b in itertools.combinations(typed.elements, 2):
        assert not rect(a.id).overlaps(rect(b.id)), (a.id, b.id)
    for a, b in itertools.combinations(typed.boundaries, 2):
        nested = a.id in ancestors(b.id) or b.id in ancestors(a.id)
        assert rect(a.id).overlaps(rect(b.id)) == nested, (a.id, b.id)
        if b.id in ancestors(a.id):
            assert rect(b.id).contains(rect(a.id))


# -- CSV and JSON -----------------------------------------------------------------------------

def test_csv_has_one_row_per_threat_with_links_to_the_model_pages(cli, tmp_path):
    out = cli(tmp_path, "export", *map(str, EXAMPLE_MODELS), str(EXAMPLE_MODELS[0].parent /
              "index.md"), "--to", "csv", "--site-url", "https://docs.example.test/security")
    assert out.code == 0, out.err
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert tuple(rows[0]) == COLUMNS
    from mkdocs_threatmodel.format.model import build_model
    from mkdocs_threatmodel.format.source import read_source

    models = [build_model(read_source(p.name, p.read_bytes())) for p in EXAMPLE_MODELS]
    assert [r["id"] for r in rows] == [t.id for m in models for t in m.threats]
    first = rows[0]
    threat = models[0].threats[0]
    assert first["model"] == models[0].id and first["title"] == threat.title
    assert first["stride"] == " ".join(threat.stride) and first["status"] == threat.status
    assert first["risk"] == f"{threat.risk.band} ({threat.risk.score})"
    assert first["owner"] == threat.owner and first["ticket"] == threat.ticket
    assert first["mitigation"] == threat.mitigation
    assert first["url"] == "https://docs.example.test/security/threat-models/guest-checkout/"
    assert out.out.endswith("\r\n")


def test_csv_neutralises_formulas_and_leaves_links_empty_without_a_site(repo, cli):
    path = repo.root / install(repo, OUTSIDE)
    rows = list(csv.DictReader(io.StringIO(_export(cli, path, "csv"))))
    titles = {r["id"]: r["title"] for r in rows}
    assert titles["CHK-002"].startswith("'=HYPERLINK(")
    assert {r["url"] for r in rows} == {""}
    assert {r["risk"] for r in rows} == {"high (9)", "", "medium (4)"}


def test_csv_site_links_need_a_docs_folder(repo, cli):
    path = repo.root / install(repo, rel="models/checkout.md")
    result = cli(repo.root, "export", str(path), "--to", "csv", "--site-url", "https://x.test")
    assert result.code == 2 and "--docs-dir" in result.err
    result = cli(repo.root, "export", str(path), "--to", "csv", "--site-url", "https://x.test",
                 "--docs-dir", ".")
    assert result.code == 0
    assert "https://x.test/models/checkout/" in result.out


@pytest.mark.parametrize("model_path,docs,page", [
    ("docs/threat-models/checkout.md", "docs", "threat-models/checkout/"),
    ("docs/threat-models/index.md", "docs", "threat-models/"),
    ("docs/README.md", "docs", ""),
    ("site/docs/a/b.markdown", "site/docs", "a/b/")])
def test_page_paths_follow_mkdocs_directory_urls(model_path, docs, page):
    assert page_path(model_path, docs) == page


def test_json_export_is_the_typed_model(repo, cli):
    path = repo.root / install(repo)
    data = json.loads(_export(cli, path, "json"))
    assert data["version"] == 1 and data["id"] == "guest-checkout"
    assert data["path"] == "docs/models/checkout.md"
    assert data["review_every_days"] == 180
    assert [b["inside"] for b in data["boundaries"]] == [None, None, "api-vpc"]
    flows = {f["id"]: f for f in data["flows"]}
    assert flows["get-order"]["from"] == "browser" and flows["get-order"]["crosses_boundary"]
    threats = {t["id"]: t for t in data["threats"]}
    assert threats["CHK-001"]["risk"] == {"score": 9, "band": "high"}
    assert threats["CHK-002"]["owner"] == "team-checkout"  # the model's owner, filled in
    assert threats["CHK-006"]["acceptance"]["expires"] == "2027-05-20"
    assert data["body"].startswith("\n# Guest checkout")


def test_json_export_carries_records_per_target_detail_ratings_and_properties(repo, cli):
    path = repo.write("docs/rich.md", RICH)
    data = json.loads(_export(cli, path, "json"))
    assert data["tags"] == ["pci"]
    assert data["assets"][0] | {"description": None} == {
        "id": "card", "name": "Card data", "impact": "critical", "description": None,
        "classification": "restricted", "confidentiality": "critical", "integrity": "high",
        "availability": None, "tags": ["pci"]}
    assert data["boundaries"][0]["kind"] == "account" and data["boundaries"][1]["kind"] == "network"
    elements = {e["id"]: e for e in data["elements"]}
    assert elements["api"]["technology"] == "Python 3.12" and elements["api"]["owner"] == "team-api"
    assert elements["user"]["internet_facing"] and elements["db"]["third_party"]
    assert elements["legacy"]["out_of_scope"] == "Retired next quarter."
    flows = {f["id"]: f for f in data["flows"]}
    assert (flows["call"]["encrypted"], flows["write"]["encrypted"]) == (True, False)
    assert flows["call"]["returns"] == ["logs"] and flows["call"]["authorization"] == "end-user"
    threats = {t["id"]: t for t in data["threats"]}
    r1 = threats["R-1"]
    assert r1["mitigations"] == ["M-TLS"] and r1["assumptions"] == ["A-2"]
    assert r1["hurts"] == [{"asset": "card", "cia": ["C"]}]
    assert r1["per_target"]["write"]["status"] == "open"
    assert [(t["target"], t["status"], t["risk"]) for t in r1["on_targets"]] == [
        ("call", "mitigated", {"score": 9, "band": "high"}),
        ("write", "open", {"score": 3, "band": "medium"})]
    assert r1["cvss"] == {"vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
                          "version": "3.1", "base_score": 7.5, "severity": "High"}
    r2 = threats["R-2"]
    assert r2["untriaged"] and r2["severity"] == "high" and r2["risk"]["band"] == "high"
    assert not threats["R-1"]["untriaged"]
    assert [(m["id"], m["implemented"], m["threats"]) for m in data["mitigations"]] == [
        ("M-TLS", True, ["R-1"]), ("M-WAF", False, ["R-2"])]
    assert [(a["id"], a["revisit"], a["threats"]) for a in data["assumptions"]] == [
        ("A-1", "2027-01-01", ["R-3"]), ("A-2", None, ["R-1"])]


def test_csv_lists_cited_mitigations_and_untriaged_status(repo, cli):
    path = repo.write("docs/rich.md", RICH)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(_export(cli, path, "csv")))}
    assert {k: (r["status"], r["mitigations"]) for k, r in rows.items()} == {
        "R-1": ("mitigated", "M-TLS"), "R-2": ("untriaged", "M-WAF"),
        "R-3": ("not-applicable", "")}


# -- refusals ---------------------------------------------------------------------------------

def test_export_refuses_a_model_whose_errors_it_would_carry_over(repo, cli):
    path = repo.root / install(repo, mutate("    ticket: HC-142", "    tickt: HC-142"))
    result = cli(repo.root, "export", str(path), "--to", "otm")
    assert result.code == 1 and result.out == ""
    lines = result.err.splitlines()
    assert lines[0].startswith("docs/models/checkout.md:") and " TM101 " in lines[0]
    assert lines[-1].startswith("threatmodel: error: 1 error(s) in the model")


def test_export_goes_ahead_with_findings_that_do_not_change_the_model(repo, cli):
    text = mutate("status: mitigated\n    ticket: HC-142", "status: open")  # TM402
    path = repo.root / install(repo, text)
    assert cli(repo.root, "validate").code == 1
    assert json.loads(_export(cli, path, "json"))["threats"][0]["status"] == "open"


def test_export_never_overwrites_without_force(repo, cli):
    path = repo.root / install(repo)
    target = repo.write("out.json", "keep me\n")
    result = cli(repo.root, "export", str(path), "--to", "otm", "-o", "out.json")
    assert result.code == 1 and "--force" in result.err
    assert target.read_text() == "keep me\n"
    result = cli(repo.root, "export", str(path), "--to", "otm", "-o", "out.json", "--force")
    assert result.code == 0
    assert json.loads(target.read_text())["project"]["id"] == "guest-checkout"


@pytest.mark.parametrize("args,code,words", [
    (["missing.md", "--to", "otm"], 1, "missing.md: no such file"),
    (["docs/adr/0007-guest-checkout.md", "--to", "otm"], 1, "not a threat model"),
    (["docs/models/checkout.md", "docs/models/checkout.md", "--to", "otm"], 2, "one model"),
    (["docs/models/checkout.md", "--to", "json", "--site-url", "https://x"], 2, "--to csv"),
    (["docs/models/checkout.md", "--to", "pdf"], 2, "invalid choice"),
])
def test_export_usage_and_input_errors(repo, cli, args, code, words):
    install(repo)
    result = cli(repo.root, "export", *args)
    assert result.code == code
    assert words in result.err and "Traceback" not in result.err
