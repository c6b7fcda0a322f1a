"""Ownership and acceptance checks (TM4xx): owners, tickets, sign-offs, rationales, tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings.finding import Finding
from ..format.model import Model, TargetView, Threat
from ..format.spec import ACCEPTANCE_WARNING_DAYS
from .context import Context
from .mentions import mentions

EXPIRY_WARNING_DAYS = ACCEPTANCE_WARNING_DAYS


def check_ownership(model: Model, ctx: Context) -> Iterator[Finding]:
    """Every TM4xx finding of one model."""
    src, path = model.source, model.path
    for t in model.threats:
        if not t.owner:
            yield Finding(path, src.at(t.path + ("id",)), "TM401", f"threat '{t.id}' has no owner",
                          hint="set 'owner' on the threat or on the model")
        yield from _tickets(model, t)
        if t.status == "accepted":
            acc = t.acceptance
            missing = [k for k in ("by", "date", "rationale")
                       if acc is None or not getattr(acc, k)]
            if acc is not None and acc.expires is None:
                yield Finding(path, src.at(t.path + ("acceptance",)), "TM414",
                              f"acceptance of '{t.id}' has no 'expires' date",
                              hint="time-box the acceptance: add 'expires: YYYY-MM-DD'")
            if missing:
                where = src.at(t.path + ("acceptance" if acc is not None else "status",))
                yield Finding(path, where, "TM403",
                              f"accepted threat '{t.id}' lacks acceptance "
                              + ", ".join(f"'{m}'" for m in missing),
                              hint="record who accepted the risk, when, and why")
        if t.acceptance is not None and t.acceptance.expires is not None:
            yield from _expiry(model, t, t.acceptance.expires, ctx.date())
        if t.status == "not-applicable" and not t.rationale and not t.assumptions:
            yield Finding(path, src.at(t.path + ("status",)), "TM406",
                          f"not-applicable threat '{t.id}' has no rationale",
                          hint="add 'rationale:' saying why it does not apply, or cite the "
                          "assumption it rests on under 'assumptions:'")
        if t.status == "mitigated" and not t.mitigation and not t.mitigations:
            yield Finding(path, src.at(t.path + ("status",)), "TM407",
                          f"mitigated threat '{t.id}' has no mitigation",
                          hint="cite the mitigations under 'mitigations:', or say what was "
                          "done under 'mitigation:'")
        if t.status != "not-applicable" and t.severity is None and \
                (t.likelihood is None or t.impact is None):
            missing = [k for k in ("likelihood", "impact") if getattr(t, k) is None]
            yield Finding(path, src.at(t.path + ("id",)), "TM409",
                          f"threat '{t.id}' has no {' or '.join(missing)}",
                          hint="rate the threat so that it can be ranked")
        if t.tests:
            yield from _tests_cite(model, t, ctx)


def _tickets(model: Model, t: Threat) -> Iterator[Finding]:
    """TM402: an open threat of high or critical risk has a ticket, on each of its targets
    (per-target detail may open a target, rate it higher or give it its own ticket).
    Untriaged candidates are exempt until someone judges them."""
    views: list[Threat | TargetView] = [t.on(target) for target in t.targets] \
        if t.per_target else [t]
    for view in views:
        risk = view.risk
        if view.is_open and risk is not None and risk.band in ("high", "critical") \
                and not view.ticket:
            on = f" on '{view.target}'" if isinstance(view, TargetView) else ""
            yield Finding(model.path, model.source.at(t.path + ("id",)), "TM402",
                          f"{view.status} threat '{t.id}'{on} of {risk.band} risk has no "
                          "ticket", hint="set 'ticket' to the tracker id or URL")
            return


def _tests_cite(model: Model, t: Threat, ctx: Context) -> Iterator[Finding]:
    """TM408: each listed test file mentions the threat id."""
    src, path = model.source, model.path
    for i, test in enumerate(t.tests):
        text = ctx.text(test) if ctx.has(test) else None
        if text is not None and not mentions(text, [t.id]):
            yield Finding(path, src.at(t.path + ("tests", i)), "TM408",
                          f"test file '{test}' does not mention '{t.id}'",
                          hint=f"cite '{t.id}' in the test, in a comment or its name")


def _expiry(model: Model, t: Threat, expires: dt.date, today: dt.date) -> Iterator[Finding]:
    where = t.path + ("acceptance", "expires")
    if expires < today:
        yield Finding(model.path, model.source.at(where), "TM404",
                      f"acceptance of '{t.id}' expired on {expires.isoformat()}",
                      hint="renew the acceptance or change the threat's status")
    elif (expires - today).days <= EXPIRY_WARNING_DAYS:
        yield Finding(model.path, model.source.at(where), "TM405",
                      f"acceptance of '{t.id}' expires on {expires.isoformat()} "
                      f"(in {(expires - today).days} days)",
                      hint="schedule the renewal with the person who accepts the risk")


