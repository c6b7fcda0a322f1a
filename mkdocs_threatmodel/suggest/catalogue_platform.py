"""Suggestion rules about the platform a system runs on and how it is built and deployed
(TS049-TS079): hardening, network segmentation, a WAF in front, a vault for secrets, the
build infrastructure, deployments, container base images, code backdooring, and the
checks Threagile's built-in rules make from the same facts.

Each rule reads structured facts only: a technology's kind (``technology`` looked up in
the format's vocabulary), ``machine``, ``data_formats``, ``custom_developed``,
``used_by_humans``, ``usage``, ``controls``, a flow's ``authentication``, ``authorization``,
``vpn``, ``read_only``, encryption, boundaries and data ratings. None reads tags or free
text. A rule that a control addresses stays silent when the element (or flow) lists that
control in ``controls``; rules that ask whether something exists in the model (a vault, a
build pipeline) say exactly which facts count as one.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..format.model import Element, Flow
from ..format.spec import LEVELS
from .catalogue import _FORWARDING as FORWARDING  # imported at the end of catalogue
from .catalogue import _rating
from .facts import Facts, Kind, data_phrase, words
from .rule import Hit, rule

# Kinds of the technology vocabulary (format/spec.py TECHNOLOGIES). A kind is read from the
# whole ``technology`` value, never from a word of a name.
WEB_APPS = frozenset({"web-server", "web-application", "application-server", "web-service-rest",
                      "web-service-soap", "cms", "erp", "identity-provider", "ejb",
                      "report-engine"})
DEVELOPMENT = frozenset({"build-pipeline", "sourcecode-repository", "artifact-registry",
                         "code-inspection-platform"})  # a developer's client is none of these
CODE_STORES = frozenset({"sourcecode-repository", "artifact-registry"})
LESS_PROTECTED = frozenset({"browser", "desktop", "mobile-app", "devops-client", "client-system",
                            "web-server", "web-application", "cms", "mail-server", "iot-device",
                            "report-engine"})
IDENTITY = frozenset({"identity-provider", "ldap-server", "identity-store-ldap",
                      "identity-store-database"})
CLIENTS = frozenset({"browser", "desktop", "mobile-app", "devops-client", "client-system"})
VAULTS = Kind({"vault", "hsm"}, words("a^"))  # a kind only: no name makes a vault
_WEB = words("https?", "wss?")
_SECRET_AUTH = ("credentials", "token", "api-key", "client-certificate", "signature")


def _kind(e: Element | None) -> str | None:
    return e.technology_kind if e is not None else None


def _has(e: Element | Flow, control: str) -> bool:
    return e.controls is not None and control in e.controls


def _controls_fact(e: Element | Flow, control: str) -> str:
    if e.controls is None:
        return f"no `controls` are stated for `{e.id}`"
    return f"`{e.id}` lists `controls` without `{control}`"


_ORDER = LEVELS


def _valuable(f: Facts, ids: list[str]) -> list[tuple[str, str]]:
    """The assets among ``ids`` rated high or above in any way: their level (classification,
    confidentiality or impact, as :meth:`Facts.sensitive` reads it), integrity or
    availability; (level, fact), highest first."""
    out = []
    for aid in dict.fromkeys(ids):
        a = f.assets.get(aid)
        if a is None:
            continue
        rated = [x for x in ((f.level(aid) or ("low", ""))[0], a.integrity, a.availability)
                 if x in _ORDER]
        top = max(rated, key=_ORDER.index) if rated else "low"
        if _ORDER.index(top) >= 2:
            what = f.level(aid)
            fact = what[1] if what and what[0] == top else \
                f"`{a.id}` (integrity {a.integrity})" if a.integrity == top else \
                f"`{a.id}` (availability {a.availability})"
            out.append((top, fact))
    return sorted(out, key=lambda x: -_ORDER.index(x[0]))


def _hit(f: Facts, e: Element, reason: str, likelihood: str, why_l: str, floor: str) -> Hit:
    found = _valuable(f, f.held(e))
    impact = max(floor, found[0][0], key=_ORDER.index) if found else floor
    why_i = f"it holds {data_phrase(found)}" if found else \
        f"{floor} by default for this rule (no data rated high or above)"
    return Hit(e.id, e.name, reason, likelihood, impact,
               _rating(likelihood, why_l, impact, why_i))


def _technical(f: Facts, *types: str) -> list[Element]:
    """In-scope elements of these types (processes and stores by default)."""
    return f.of_type(*(types or ("process", "store")))


def _web(flow: Flow) -> bool:
    return bool(flow.protocol and _WEB.fullmatch(flow.protocol.strip()))


def _network(f: Facts, e: Element) -> str | None:
    """The innermost network boundary around ``e`` (execution boundaries are skipped)."""
    seen: set[str] = set()
    bid = e.boundary
    while bid is not None and bid not in seen:
        seen.add(bid)
        b = f.boundaries.get(bid)
        if b is None:
            return None
        if b.kind != "execution":
            return b.id
        bid = b.inside
    return None


def _human_origin(f: Facts, flow: Flow) -> Element | None:
    """The element people use that sends ``flow``, directly or through one forwarding hop
    (a load balancer, proxy, gateway or WAF): ``used_by_humans`` on the sender."""
    src = f.element(flow.source)
    if src is None or src.type == "store":
        return None
    if src.used_by_humans:
        return src
    if _kind(src) in FORWARDING:
        for before in f.flows_in[src.id]:
            caller = f.element(before.source)
            if caller is not None and caller.used_by_humans:
                return caller
    return None


# -- hardening and segmentation -------------------------------------------------------------
@rule("TS049", "missing-hardening", "T", "process or data store",
      "{subject} attacked through an unhardened configuration",
      facts="An in-scope process or data store that holds or is sent data rated critical "
      "(classification, confidentiality, impact, integrity or availability), unless its "
      "`controls` list `hardening`.",
      why="Default configurations, unneeded services, unpatched components and debug "
      "features are the cheapest way in; the more valuable the data, the more it is worth "
      "an attacker's while to look for them.",
      example="An application server still serves its management console with default "
      "credentials next to the shop.",
      addresses="A hardening baseline (CIS benchmark or vendor guide) applied and checked, "
      "patching, needless services and defaults removed (`controls: [hardening]`).",
      references=("CWE-16", "CWE-1188", "CAPEC-75", "OWASP Top 10 A05:2021 Security "
                  "Misconfiguration", "ASVS V14.1"),
      threagile=("missing-hardening",))
def _hardening(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        found = [x for x in _valuable(f, f.held(e)) if x[0] == "critical"]
        if found and not _has(e, "hardening"):
            yield _hit(f, e, f"`{e.id}` holds {data_phrase(found)}; "
                       f"{_controls_fact(e, 'hardening')}", "medium",
                       "misconfigurations are searched for with scanners", "high")


@rule("TS050", "missing-network-segmentation", "I", "process or data store",
      "Attackers move from a neighbour to {subject}",
      facts="An in-scope process or data store holding data rated high or above that shares "
      "its network boundary (execution boundaries are looked through) with a client or a "
      "web-facing element (technology kind browser, desktop, mobile app, devops client, web "
      "server, web application, CMS, mail server, IoT device) that has no flow to or from "
      "it; unless its `controls` list `network-segmentation`.",
      why="Elements that are easy to compromise and sit in the same network reach everything "
      "else in it; a compromised neighbour needs no flow of the model to attack.",
      example="A compromised CMS in the DMZ opens a shell on the web server beside it, which "
      "it never needed to talk to.",
      addresses="A network segment of its own, reachable only by what needs it (security "
      "groups, firewall rules, `controls: [network-segmentation]`).",
      references=("CWE-1008", "CAPEC-555", "NIST SP 800-53 SC-7", "OWASP Top 10 A05:2021"),
      threagile=("missing-network-segmentation",))
def _segmentation(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        network = _network(f, e)
        found = _valuable(f, f.held(e))
        if network is None or not found or _has(e, "network-segmentation"):
            continue
        talks = {x.source for x in f.flows_in[e.id]} | {x.target for x in f.flows_out[e.id]}
        for other in f.model.elements:
            if other is e or _kind(other) not in LESS_PROTECTED or other.id in talks:
                continue
            if _network(f, other) == network:
                yield _hit(f, e, f"`{e.id}` holds {data_phrase(found)} and shares boundary "
                           f"`{network}` with `{other.id}` (technology `{other.technology}`), "
                           f"which has no flow to or from it; "
                           f"{_controls_fact(e, 'network-segmentation')}", "low",
                           "it needs a compromised neighbour first", "high")
                break


@rule("TS051", "missing-waf", "T", "process",
      "Web attacks reach {subject} unfiltered",
      facts="An in-scope process whose technology kind is a web server, web application, "
      "web service, application server, CMS, ERP or identity provider, that receives an "
      "HTTP(S) or WebSocket flow crossing a network boundary from a sender whose technology "
      "kind is not `waf`; unless its `controls` list `waf`.",
      why="Without a filter in front, every injection, scanner and exploit for a known "
      "vulnerability reaches the application; a WAF also buys time to patch.",
      example="A new exploit for the CMS is sprayed across the internet the day it is "
      "published, and the first request succeeds.",
      addresses="A web application firewall in front of it (an element of technology `waf` "
      "on the path, or `controls: [waf]`), with rules kept current.",
      references=("CWE-693", "CAPEC-152", "OWASP ModSecurity Core Rule Set",
                  "OWASP Top 10 A03:2021 Injection"),
      threagile=("missing-waf",))
def _waf(f: Facts) -> Iterator[Hit]:
    for e in _technical(f, "process"):
        if _kind(e) not in WEB_APPS or _has(e, "waf"):
            continue
        for flow in f.flows_in[e.id]:
            src = f.element(flow.source)
            if src is not None and _web(flow) and f.crosses(flow) and _kind(src) != "waf":
                yield _hit(f, e, f"`{e.id}` has technology `{e.technology}`; "
                           f"{f.entry(flow)} over `{flow.protocol}` and `{src.id}` is no "
                           f"`waf`; {_controls_fact(e, 'waf')}", "medium",
                           "known exploits are sprayed at every web application", "medium")
                break


# -- secrets --------------------------------------------------------------------------------
@rule("TS052", "missing-vault", "I", "process",
      "Secrets of {subject} kept outside a vault",
      facts="A model with no element whose technology kind is `vault` or `hsm` and no element "
      "listing `secrets-vault` in its `controls`, and an in-scope process that authenticates "
      "its own outgoing flows with a secret (`authentication` credentials, token, API key, "
      "client certificate or signature).",
      why="A process that logs in to others holds their secrets; without a vault they sit "
      "in configuration files, environment variables and images, are copied with them and "
      "are never rotated.",
      example="The database password in the ERP's properties file is in every backup and "
      "every copy of the virtual machine image.",
      addresses="A secrets vault (HashiCorp Vault, a cloud secrets manager or an HSM) that "
      "hands out short-lived secrets, with the vault as an element of the model.",
      references=("CWE-522", "CWE-798", "CAPEC-191", "OWASP Secrets Management Cheat Sheet",
                  "ASVS V6.4"),
      threagile=("missing-vault",))
def _vault(f: Facts) -> Iterator[Hit]:
    if any(f.is_a(e, VAULTS) or _has(e, "secrets-vault") for e in f.model.elements):
        return
    for e in _technical(f, "process"):
        flow = next((x for x in f.flows_out[e.id] if x.authentication in _SECRET_AUTH), None)
        if flow is not None:
            yield _hit(f, e, f"`{e.id}` authenticates flow `{flow.id}` to `{flow.target}` with "
                       f"`authentication: {flow.authentication}`, and no element of the model "
                       "has technology `vault` or `hsm` or lists `secrets-vault`", "medium",
                       "secrets outside a vault are copied with configuration", "medium")


@rule("TS053", "secret-leak-in-repository", "I", "process or data store",
      "Secrets committed to {subject} leak",
      facts="An in-scope process or data store whose technology kind is a source code "
      "repository or an artifact registry.",
      why="Keys and passwords get committed or baked into artifacts by accident; history and "
      "copies keep them long after the commit that removes them.",
      example="A developer commits a `.env` with the production database password; every "
      "clone of the repository has it.",
      addresses="Secret scanning before push and in the repository, secrets from a vault, "
      "rotating any secret that was committed.",
      references=("CWE-540", "CWE-798", "CAPEC-191", "OWASP Secrets Management Cheat Sheet"),
      threagile=("accidental-secret-leak",))
def _repo_secrets(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        if _kind(e) in CODE_STORES:
            yield _hit(f, e, f"`{e.id}` has technology `{e.technology}` ({_kind(e)})",
                       "medium", "accidental commits of secrets are common", "medium")


# -- build and deployment -------------------------------------------------------------------
@rule("TS054", "missing-build-infrastructure", "T", "process",
      "Custom code of {subject} built and deployed outside a controlled pipeline",
      facts="A model with an in-scope element marked `custom_developed: true` but without an "
      "element of each technology kind a controlled build needs: `build-pipeline`, "
      "`sourcecode-repository` and `devops-client`; the rule fires on each in-scope custom "
      "developed process.",
      why="Code that is built and deployed by hand, or by a pipeline the model does not "
      "show, has no visible point where it is reviewed, scanned or signed.",
      example="A developer builds the web application on a laptop and copies it to the "
      "server.",
      addresses="A build pipeline, a source code repository and developer clients in the "
      "model, with reviews and scans in the pipeline.",
      references=("CWE-1357", "CAPEC-439", "NIST SP 800-218 SSDF PO.3", "SLSA Build L2"),
      threagile=("missing-build-infrastructure",))
def _build_infrastructure(f: Facts) -> Iterator[Hit]:
    kinds = {_kind(e) for e in f.model.elements}
    missing = [k for k in ("build-pipeline", "sourcecode-repository", "devops-client")
               if k not in kinds]
    if not missing:
        return
    for e in _technical(f, "process"):
        if e.custom_developed:
            yield _hit(f, e, f"`{e.id}` is `custom_developed` and no element of the model has "
                       "technology " + ", ".join(f"`{k}`" for k in missing), "medium",
                       "code then changes without a controlled path", "medium")


@rule("TS055", "unchecked-deployment", "T", "process or data store",
      "Unchecked code shipped through {subject}",
      facts="An in-scope process or data store whose technology kind is a build pipeline, "
      "source code repository, artifact registry or code inspection platform; unless its "
      "`controls` list `signed-artifacts`.",
      why="What the build chain holds and passes on is deployed: a vulnerable dependency, a "
      "poisoned artifact or an unscanned change reaches production unless the chain checks "
      "it.",
      example="A dependency with a known remote-code-execution flaw is built into the release "
      "because nothing scans it.",
      addresses="Dependency and static scans in the pipeline that fail the build, signed "
      "artifacts checked at deployment (`controls: [signed-artifacts]`), reviews.",
      references=("CWE-1395", "CWE-494", "CAPEC-538", "OWASP Top 10 A06:2021 Vulnerable and "
                  "Outdated Components", "SLSA"),
      threagile=("unchecked-deployment",))
def _unchecked(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        if _kind(e) in DEVELOPMENT and not _has(e, "signed-artifacts"):
            yield _hit(f, e, f"`{e.id}` has technology `{e.technology}` ({_kind(e)}); "
                       f"{_controls_fact(e, 'signed-artifacts')}", "medium",
                       "unscanned dependencies are the usual way in", "high")


@rule("TS056", "container-base-image-backdooring", "T", "process or data store",
      "Backdoored base image runs as {subject}",
      facts="An in-scope process or data store with `machine: container`; unless its "
      "`controls` list `signed-artifacts`.",
      why="A container carries its base image's code; a backdoored or outdated image from a "
      "public registry runs with the application's data and secrets.",
      example="A typo-squatted base image on a public registry ships a cryptominer and a "
      "reverse shell.",
      addresses="Base images from a trusted, pinned source (digests), image scanning, signed "
      "images checked at deployment, regular rebuilds.",
      references=("CWE-912", "CWE-1357", "CAPEC-442", "OWASP Docker Security Cheat Sheet",
                  "NIST SP 800-190"),
      threagile=("container-baseimage-backdooring",))
def _base_image(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        if e.machine == "container" and not _has(e, "signed-artifacts"):
            yield _hit(f, e, f"`{e.id}` runs on `machine: container`; "
                       f"{_controls_fact(e, 'signed-artifacts')}", "low",
                       "it takes a poisoned or outdated image", "high")


@rule("TS057", "code-backdooring", "T", "process or data store",
      "Code backdoored through {subject}",
      facts="An in-scope process or data store whose technology kind is a build pipeline, "
      "source code repository, artifact registry or code inspection platform, that is "
      "`internet_facing` or receives a flow without `vpn: true` from an "
      "`internet_facing` element; unless its `controls` list `reviewed-code`.",
      why="Whoever reaches the build chain from the internet (with stolen developer "
      "credentials, or an exploit) can change the code that every user runs.",
      example="A stolen developer token pushes a change to the build script that adds a "
      "backdoor to the release.",
      addresses="The build chain reachable only over a VPN or from known addresses, two-factor "
      "for developers, reviewed and signed commits (`controls: [reviewed-code]`).",
      references=("CWE-506", "CWE-912", "CAPEC-444", "SLSA Source L3",
                  "NIST SP 800-218 SSDF PS.1"),
      threagile=("code-backdooring",))
def _backdoor(f: Facts) -> Iterator[Hit]:
    for e in _technical(f):
        if _kind(e) not in DEVELOPMENT or _has(e, "reviewed-code"):
            continue
        why = f"`{e.id}` is `internet_facing`" if e.internet_facing else None
        for flow in f.flows_in[e.id]:
            src = f.element(flow.source)
            if why is None and src is not None and src.internet_facing and flow.vpn is not True:
                why = f"`{src.id}` is `internet_facing` and sends it flow `{flow.id}` without " \
                    "`vpn: true`"
        if why:
            yield _hit(f, e, f"`{e.id}` has technology `{e.technology}` ({_kind(e)}); {why}",
                       "medium", "the build chain is reachable from the internet", "high")


@rule("TS058", "push-deployment", "T", "flow",
      "Deployment pushed over {subject} by a compromised pipeline",
      facts="A flow from an element whose technology kind is `build-pipeline` with `usage: "
      "devops`, not `read_only: true`, to an in-scope element with `usage: business` whose "
      "technology kind is not a development one.",
      why="A pipeline that pushes into production holds credentials to production; whoever "
      "takes over the pipeline deploys anything there.",
      example="The build server's SSH key to the web servers is stolen with the build server.",
      addresses="Pull-based deployment (the target fetches signed releases, as GitOps "
      "operators do), or narrowly scoped, short-lived deployment credentials.",
      references=("CWE-1357", "CWE-269", "CAPEC-439", "OWASP CI/CD Security Cheat Sheet"),
      threagile=("push-instead-of-pull-deployment",))
def _push(f: Facts) -> Iterator[Hit]:
    for flow in f.model.flows:
        src, dst = f.element(flow.source), f.element(flow.target)
        if src is None or dst is None or _kind(src) != "build-pipeline":
            continue
        if flow.usage != "devops" or flow.read_only or dst.out_of_scope:
            continue
        if _kind(dst) in DEVELOPMENT or dst.usage == "devops":
            continue
        found = _valuable(f, f.held(dst))
        impact = "high" if found else "medium"
        why_i = f"`{dst.id}` holds {data_phrase(found)}" if found else "medium by default"
        yield Hit(flow.id, flow.label or flow.id,
                  f"flow `{flow.id}` from `{src.id}` (technology `{src.technology}`) to "
                  f"`{dst.id}` has `usage: devops` and is not `read_only`", "low", impact,
                  _rating("low", "it needs the pipeline compromised first", impact, why_i))


# -- access ---------------------------------------------------------------------------------
@rule("TS059", "unauthenticated-store-access", "I", "data store",
      "Data in {subject} read without authentication",
      facts="An in-scope data store holding data rated high or above that receives a flow "
      "with `authentication: none` from a process or external entity.",
      why="A store that accepts anyone who can reach it gives its data to every compromised "
      "neighbour.",
      example="An NFS export mounted without authentication is mounted by a compromised host "
      "next to it.",
      addresses="Authentication of every client of the store (Kerberos for NFS, database "
      "accounts, signed requests), network restrictions on top.",
      references=("CWE-306", "CAPEC-115", "ASVS V1.4", "OWASP Top 10 A07:2021"),
      threagile=("missing-authentication",))
def _store_auth(f: Facts) -> Iterator[Hit]:
    for e in _technical(f, "store"):
        found = _valuable(f, f.held(e))
        flow = next((x for x in f.flows_in[e.id] if x.authentication == "none"
                     and (f.element(x.source) or e).type != "store"), None)
        if found and flow is not None:
            yield _hit(f, e, f"{f.entry(flow)} with `authentication: none`, and `{e.id}` "
                       f"holds {data_phrase(found)}", "medium",
                       "anyone who reaches it can read it", "high")


@rule("TS060", "missing-second-factor", "S", "process",
      "Sign-ins of people at {subject} taken over with one stolen secret",
      facts="An in-scope process holding data rated high or above that receives a flow from "
      "an element with `used_by_humans: true` (directly, or through one load balancer, proxy, "
      "gateway or WAF) whose `authentication` is not `two-factor`, unless the flow lists "
      "`multi-factor-authentication` in its `controls`.",
      why="A password, token or key that people hold is phished, reused or stolen from their "
      "machine; one factor then is the whole defence.",
      example="An administrator's reused password from another breach opens the ERP.",
      addresses="A second factor (WebAuthn, TOTP) for people signing in, at least for "
      "privileged and sensitive access.",
      references=("CWE-308", "CAPEC-560", "OWASP Multifactor Authentication Cheat Sheet",
                  "ASVS V2.8"),
      threagile=("missing-authentication-second-factor",))
def _second_factor(f: Facts) -> Iterator[Hit]:
    for e in _technical(f, "process"):
        found = _valuable(f, f.held(e))
        if not found or _kind(e) in FORWARDING:
            continue
        for flow in f.flows_in[e.id]:
            human = _human_origin(f, flow)
            if human is None or flow.authentication == "two-factor" or \
                    _has(flow, "multi-factor-authentication"):
                continue
            via = "" if human.id == flow.source else f" through `{flow.source}`"
            given = f"`authentication: {flow.authentication}`" if flow.authentication else \
                "no `authentication`"
            yield _hit(f, e, f"`{human.id}` is `used_by_humans` and reaches `{e.id}`{via} over "
                       f"flow `{flow.id}` with {given}; `{e.id}` holds {data_phrase(found)}",
                       "medium", "people's secrets are phished and reused", "high")
            break


@rule("TS061", "unguarded-access-from-internet", "E", "process",
      "{subject} reached straight from the internet",
      facts="An in-scope process holding data rated high or above (whose technology kind is "
      "no load balancer) that receives a flow without `vpn: true` from an `internet_facing` "
      "element, other than HTTP(S) to a web server or reverse proxy that is not "
      "`custom_developed`.",
      why="A sensitive system that the internet reaches directly has no layer in front of it "
      "that filters, authenticates or absorbs attacks.",
      example="The source code repository's web interface is on the internet; a flaw in it "
      "hands out every repository.",
      addresses="A reverse proxy, gateway or VPN in front of it, IP filtering, "
      "authentication before the application.",
      references=("CWE-668", "CAPEC-1", "NIST SP 800-53 SC-7", "OWASP Top 10 A05:2021"),
      threagile=("unguarded-access-from-internet",))
def _unguarded(f: Facts) -> Iterator[Hit]:
    for e in _technical(f, "process"):
        found = _valuable(f, f.held(e))
        if not found or _kind(e) == "load-balancer":
            continue
        for flow in f.flows_in[e.id]:
            src = f.element(flow.source)
            if src is None or not src.internet_facing or flow.vpn:
                continue
            if _web(flow) and _kind(e) in ("web-server", "reverse-proxy") and \
                    not e.custom_developed:
                continue
            yield _hit(f, e, f"`{src.id}` is `internet_facing` and reaches `{e.id}` over flow "
                       f"`{flow.id}` without `vpn: true`; `{e.id}` holds {data_phrase(found)}",
                       "medium", "the internet reaches it directly", "high")
            break


@rule("TS062", "missing-identity-propagation", "E", "process",
      "{subject} cannot tell which user a request is for",
      facts="An in-scope process holding data rated high or above that receives a flow with "
      "`authorization: technical-user` or `none` from a process that itself receives flows "
      "with `authorization: end-user` (it acts for users, but does not pass who they are "
      "on).",
      why="When a front end calls on with its own technical account, the back end grants "
      "every user the front end's rights; a flaw in the front end then reaches every user's "
      "data.",
      example="The web shop calls the ERP as `shop-service`; a broken access check in the "
      "shop reads any customer's contracts.",
      addresses="Propagate the end user's identity (a token the back end checks, "
      "`authorization: end-user`) and authorise per user in the back end.",
      references=("CWE-284", "CWE-441", "CAPEC-122", "ASVS V4.1", "OWASP Top 10 A01:2021"),
      threagile=("missing-identity-propagation",))
def _propagation(f: Facts) -> Iterator[Hit]:
    for e in _technical(f, "process"):
        found = _valuable(f, f.held(e))
        if not found or _kind(e) in IDENTITY:
            continue
        for flow in f.flows_in[e.id]:
            src = f.element(flow.source)
            if src is None or src.type != "process" or _kind(src) in FORWARDING or \
                    flow.authorization not in ("technical-user", "none"):
                continue
            users = next((x for x in f.flows_in[src.id] if x.authorization == "end-user"), None)
            if users is not None:
                yield _hit(f, e, f"`{src.id}` receives flow `{users.id}` with `authorization: "
                           f"end-user` and calls `{e.id}` over flow `{flow.id}` with "
                           f"`authorization: {flow.authorization}`; `{e.id}` holds "
                           f"{data_phrase(found)}", "medium",
                           "a flaw in the caller reaches every user's data", "high")
                break


@rule("TS063", "unencrypted-internal-flow", "I", "flow",
      "Data on {subject} read on the internal network",
      facts="A flow that crosses no trust boundary, not over a VPN, whose encryption is false "
      "(`encrypted: false`, or a plain protocol) and that carries data rated high or above.",
      why="Inside a boundary is not private: anyone with a foothold on the network segment, "
      "a mirrored port or a compromised host reads plain traffic.",
      example="The ERP's JDBC connection to the database carries customer records in clear "
      "text through the data centre's switches.",
      addresses="TLS on every connection carrying sensitive data, also inside the network "
      "(`encrypted: true`), or a VPN.",
      references=("CWE-319", "CAPEC-157", "ASVS V9.2", "OWASP Transport Layer Security Cheat "
                  "Sheet"),
      threagile=("unencrypted-communication",))
def _internal_plain(f: Facts) -> Iterator[Hit]:
    for flow in f.model.flows:
        if f.crosses(flow) or flow.vpn or flow.encrypted is not False:
            continue
        found = _valuable(f, f.carried(flow))
        if found:
            impact = found[0][0]
            yield Hit(flow.id, flow.label or flow.id,
                      f"flow `{flow.id}` from `{flow.source}` to `{flow.target}` is "
                      f"{f.encryption(flow)[1]} and carries {data_phrase(found)}", "low",
                      impact, _rating("low", "it needs a foothold on the network", impact,
                                      f"it carries {data_phrase(found)}"))
