"""The platform rules (TS049-TS063, suggest/catalogue_platform.py): each fires on the facts
its documentation names, and a stated control or an element of the model silences it."""

from __future__ import annotations

import pytest

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import suggest

from .suggest_models import PLATFORM


def found(text: str) -> dict[tuple[str, str], object]:
    src = read_source("docs/m.md", text.encode("utf-8"))
    assert src.ok, src.findings
    return {(s.rule, s.target): s for s in suggest(build_model(src))}


def edit(old: str, new: str) -> str:
    assert PLATFORM.count(old) == 1, old
    return PLATFORM.replace(old, new)


BASE = found(PLATFORM)
PLATFORM_RULES = [r for r in CATALOGUE if "TS049" <= r.code <= "TS079"]


def test_platform_rules_are_documented_and_mapped_to_threagile():
    assert len(PLATFORM_RULES) >= 15
    for r in PLATFORM_RULES:
        assert r.threagile and r.references and r.addresses and r.facts and r.why, r.code
        assert len(r.stride) == 1
        assert any(x.startswith("CWE-") for x in r.references), r.code


@pytest.mark.parametrize("key, old, new", [
    # a control in `controls` silences the rule it addresses
    (("TS049", "erp"), "technology: erp,", "technology: erp, controls: [hardening],"),
    (("TS051", "shop"), "technology: web-server,", "technology: web-server, controls: [waf],"),
    (("TS056", "shop"), "machine: container,", "machine: container, controls: "
                                               "[signed-artifacts],"),
    (("TS057", "repo"), "technology: sourcecode-repository,",
     "technology: sourcecode-repository, controls: [reviewed-code],"),
    (("TS050", "shop"), "technology: web-server,",
     "technology: web-server, controls: [network-segmentation],"),
    # the facts the rule reads
    (("TS056", "shop"), "machine: container,", "machine: virtual,"),
    (("TS029", "shop"), "custom_developed: true,", "custom_developed: false,"),
    (("TS051", "shop"), "to: shop, protocol: http,", "to: shop, protocol: ssh,"),
    (("TS051", "shop"), "id: lb, name: Balancer, type: process, boundary: net, technology: "
                        "load-balancer", "id: lb, name: Balancer, type: process, boundary: net, "
                                         "technology: waf"),
    (("TS052", "shop"), "  - {id: cms,", "  - {id: keys, name: Keys, type: store, boundary: "
                                        "net, technology: HashiCorp Vault}\n  - {id: cms,"),
    (("TS052", "shop"), "authentication: token,\n      authorization: technical-user",
     "authentication: none,\n      authorization: technical-user"),
    (("TS054", "shop"), "  - {id: cms,", "  - {id: laptop, name: Laptop, type: external, "
                                        "technology: devops-client}\n  - {id: cms,"),
    (("TS058", "p-deploy"), "protocol: ssh, usage: devops,", "protocol: ssh, usage: devops, "
                                                             "read_only: true,"),
    (("TS058", "p-deploy"), "protocol: ssh, usage: devops,", "protocol: ssh,"),
    (("TS057", "repo"), "to: repo, protocol: https,", "to: repo, protocol: https, vpn: true,"),
    (("TS061", "repo"), "to: repo, protocol: https,", "to: repo, protocol: https, vpn: true,"),
    (("TS059", "nfs"), "authentication: none,\n      data: [accounts]",
     "authentication: credentials,\n      data: [accounts]"),
    (("TS060", "shop"), "to: shop, protocol: http, authentication: session,",
     "to: shop, protocol: http, authentication: two-factor,"),
    (("TS060", "repo"), "technology: desktop, used_by_humans: true,",
     "technology: desktop, used_by_humans: false,"),
    (("TS062", "erp"), "to: shop, protocol: http, authentication: session,\n"
                       "      authorization: end-user,",
     "to: shop, protocol: http, authentication: session,\n      authorization: none,"),
    (("TS063", "p-nfs"), "encrypted: false,", "encrypted: true,"),
    (("TS063", "p-nfs"), "protocol: nfs, encrypted: false,", "protocol: mystery,"),  # unknown
])
def test_a_fact_or_control_decides_whether_a_platform_rule_fires(key, old, new):
    assert key in BASE, sorted(BASE)
    assert key not in found(edit(old, new))


def test_the_reason_names_the_facts_and_untrusted_text_stays_data():
    assert "`shop` runs on `machine: container`; no `controls` are stated for `shop`" == \
        BASE[("TS056", "shop")].reason
    waf = BASE[("TS051", "shop")].reason
    assert "`shop` has technology `web-server`" in waf and "`lb` is no `waf`" in waf
    push = BASE[("TS058", "p-deploy")]
    assert push.stride == "T" and "`usage: devops`" in push.reason
    # a name is never read: a store named "Vault" is no vault, a tag says nothing
    named = edit("  - {id: cms,", "  - {id: keys, name: Vault, type: store, boundary: net,"
                                 " tags: [vault]}\n  - {id: cms,")
    assert ("TS052", "shop") in found(named)


def test_controls_not_given_differ_from_controls_listed():
    listed = edit("technology: erp,", "technology: erp, controls: [encryption-at-rest],")
    reason = found(listed)[("TS049", "erp")].reason
    assert "`erp` lists `controls` without `hardening`" in reason
    assert "no `controls` are stated for `erp`" in BASE[("TS049", "erp")].reason


def test_encryption_at_rest_silences_sensitive_data_at_rest():
    assert ("TS030", "nfs") in BASE
    stated = edit("technology: file-server,", "technology: file-server, "
                                              "controls: [encryption-at-rest],")
    assert ("TS030", "nfs") not in found(stated)


@pytest.mark.parametrize("key, old, new", [
    (("TS027", "erp"), "technology: erp,", "technology: erp, data_formats: [serialization],"),
    (("TS026", "erp"), "technology: erp,", "technology: erp, data_formats: [xml],"),
])
def test_existing_rules_fire_on_the_new_facts(key, old, new):
    assert key in found(edit(old, new))


def test_a_flow_across_a_network_boundary_may_flood_its_receiver():
    assert ("TS024", "erp") in BASE
    assert ("TS024", "erp") not in found(edit("to: erp, protocol: https,",
                                              "to: erp, protocol: https, ip_filtered: true,"))


def test_relayed_input_and_forwarders():
    # XSS and CSRF reach the web server through the load balancer, never the balancer itself
    assert ("TS020", "shop") in BASE and ("TS021", "shop") in BASE
    assert ("TS020", "lb") not in BASE and ("TS060", "lb") not in BASE
    read_only = edit("to: shop, protocol: http,", "to: shop, protocol: http, read_only: true,")
    assert ("TS021", "shop") not in found(read_only)
    assert ("TS020", "shop") in found(read_only)


def test_a_read_only_flow_writes_nothing_into_a_store():
    written = edit("  - {id: p-deploy,", "  - {id: p-files, from: shop, to: nfs, protocol: nfs}\n"
                                         "  - {id: p-deploy,")
    assert ("TS032", "nfs") in found(written)
    read = written.replace("to: nfs, protocol: nfs}", "to: nfs, protocol: nfs, read_only: true}")
    assert ("TS032", "nfs") not in found(read)


def test_input_relayed_by_a_process_reaches_a_directory_query():
    ldap = edit("  - {id: cms,", "  - {id: dir, name: Directory, type: store, boundary: net, "
                                "technology: ldap}\n  - {id: cms,")
    relayed = ldap.replace("  - {id: p-deploy,", "  - {id: p-bind, from: erp, to: dir, "
                                                 "protocol: ldaps}\n  - {id: p-deploy,")
    hit = found(relayed)[("TS018", "erp")]
    assert hit.reason.startswith("`erp` relays input (`shop`, which takes input from outside, "
                                 "sends it flow `p-erp`) and queries `dir` over `p-bind`")
    assert ("TS018", "erp") not in found(ldap)


def test_hardening_and_boundary_floods_ask_for_valuable_targets():
    # hardening: data rated critical; a flood across a boundary: availability rated high
    lower = edit("classification: restricted,\n      availability: critical}",
                 "classification: confidential}")
    got = found(lower)
    assert ("TS049", "erp") in BASE and ("TS049", "erp") not in got
    assert ("TS024", "erp") in BASE and ("TS024", "erp") not in got
