"""The facts rules read: the controls, machine and data formats of the format, and
technology as a vocabulary (never a word inside a value, never a tag)."""

from __future__ import annotations

import pytest

from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.format.spec import CONTROLS, TECHNOLOGIES, technology_kind
from mkdocs_threatmodel.validation.schema import check_schema

from .test_suggest import found, model_of

HEAD = """\
---
threatmodel: 1
id: m
title: M
owner: team
boundaries:
  - {id: internet, name: Internet}
  - {id: vpc, name: VPC}
elements:
"""


@pytest.mark.parametrize(("value", "kind"), [
    ("PostgreSQL 16", "database"), ("web-service-rest", "web-service-rest"),
    ("AWS Lambda", "function"), ("nginx 1.25", "web-server"), ("Amazon S3", "file-server"),
    ("Git Client", "devops-client"), ("Kubernetes (EKS)", "container-platform"),
    ("a web thing for browsers", None), ("", None), (None, None)])
def test_technology_is_looked_up_whole(value, kind):
    assert technology_kind(value) == kind


def test_every_kind_and_synonym_is_lower_case_and_unique():
    seen: dict[str, str] = {}
    for kind, names in TECHNOLOGIES.items():
        for name in (kind, *names):
            assert name == name.lower().strip()
            assert seen.setdefault(name, kind) == kind, (name, kind, seen[name])


def _schema_codes(text: str) -> list[tuple[str, str]]:
    src = read_source("m.md", text.encode("utf-8"))
    assert src.ok, src.findings
    return [(f.code, f.message) for f in check_schema(src)]


def test_controls_machine_and_formats_are_checked_against_the_vocabulary():
    good = HEAD + ("  - {id: web, name: Web, type: process, boundary: vpc, machine: container,\n"
                   "     controls: [input-validation, waf], data_formats: [json, xml],\n"
                   "     multi_tenant: true, used_by_humans: false, usage: devops}\n"
                   "---\n")
    assert _schema_codes(good) == []
    model = model_of(good)
    web = model.elements[0]
    assert (web.machine, web.controls, web.data_formats, web.multi_tenant, web.usage) == (
        "container", ["input-validation", "waf"], ["json", "xml"], True, "devops")
    bad = good.replace("waf]", "sanitizesInput]").replace("container", "vm")
    codes = _schema_codes(bad)
    assert [c for c, _ in codes] == ["TM103", "TM103"], codes
    assert any("input-sanitization" in m for _, m in codes), codes


def test_controls_not_given_are_unknown_and_an_empty_list_is_a_fact():
    text = HEAD + ("  - {id: a, name: A, type: process}\n"
                   "  - {id: b, name: B, type: process, controls: []}\n---\n")
    a, b = model_of(text).elements
    assert a.controls is None and b.controls == []
    assert set(CONTROLS) >= {"input-validation", "output-encoding", "parameterized-queries",
                             "hardening", "waf", "rate-limiting", "audit-logging",
                             "secrets-vault", "signed-artifacts"}


def test_a_technology_value_is_not_read_as_words():
    # web-service-rest reads as "web" to a word pattern; as a kind it is no browser
    text = HEAD + ("  - {id: caller, name: Partner system, type: external, boundary: internet,\n"
                   "     technology: web-service-rest}\n"
                   "  - {id: api, name: API, type: process, boundary: vpc, internet_facing: true}\n"
                   "flows:\n"
                   "  - {id: f1, from: caller, to: api, label: POST /orders, protocol: HTTPS}\n"
                   "---\n")
    assert ("TS020", "api") not in found(text)
    browser = text.replace("technology: web-service-rest", "technology: browser")
    assert ("TS020", "api") in found(browser)


def test_a_known_technology_wins_over_the_name_and_tags_are_never_read():
    text = HEAD + ("  - {id: git, name: Git Client, type: process, boundary: vpc,\n"
                   "     technology: devops-client, tags: ['threagile:oidc', pipeline]}\n"
                   "---\n")
    assert not [k for k in found(text) if k[1] == "git"]
    named = text.replace("technology: devops-client", "technology: Jenkins")
    assert ("TS015", "git") in found(named)
    unknown = text.replace("name: Git Client", "name: Build pipeline").replace(
        "technology: devops-client, ", "")
    assert ("TS015", "git") in found(unknown)  # no technology: the name's words are read


def test_a_store_read_by_two_processes_over_its_own_flows_is_bulk_exfiltration():
    text = ("---\nthreatmodel: 1\nid: m\ntitle: M\nowner: team\n"
            "assets:\n  - {id: pii, name: PII, classification: restricted}\n"
            "elements:\n"
            "  - {id: db, name: Orders, type: store, assets: [pii]}\n"
            "  - {id: a, name: Reports, type: process}\n"
            "  - {id: b, name: Billing, type: process}\n"
            "flows:\n"
            "  - {id: f1, from: db, to: a, label: rows, data: [pii]}\n"
            "  - {id: f2, from: db, to: b, label: rows, data: [pii]}\n---\n")
    hit = found(text).get(("TS048", "db"))
    assert hit is not None and "`a`, `b`" in hit.reason, hit
