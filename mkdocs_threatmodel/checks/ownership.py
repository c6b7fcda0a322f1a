"""Ownership and acceptance checks (TM4xx): owners, tickets, sign-offs, rationales, tests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..findings import Finding
from ..model import Model
from .context import Context

EXPIRY_WARNING_DAYS = 30


def check_ownership(model: Model, ctx: Context) -> Iterator[Finding]:
    """Every TM4xx finding of one model."""
    src, path = model.source, model.path
    for t in model.threats:
        at_id = src.at(t.path + ("id",))
        status_at = src.at(t.path + ("status",)) if "status" in _keys(src, t.path) else at_id
        if not t.owner:
            yield Finding(path, at_id, "TM401", f"threat '{t.id}' has no owner",
                          hint="set 'owner' on the threat or on the model")
        risk = t.risk
        if t.is_open and risk is not None and risk.band in ("high", "critical") and not t.ticket:
            yield Finding(path, at_id, "TM402",
                          f"{t.status} threat '{t.id}' of {risk.band} risk has no ticket",
                          hint="set 'ticket' to the tracker id or URL")
        if t.status == "accepted":
            acc = t.acceptance
            missing = [k for k in ("by", "date", "rationale")
                       if acc is None or not getattr(acc, k)]
            if missing:
                where = src.at(t.path + ("acceptance",)) if acc is not None else status_at
                yield Finding(path, where, "TM403",
                              f"accepted threat '{t.id}' lacks acceptance "
                              + ", ".join(f"'{m}'" for m in missing),
                              hint="record who accepted the risk, when, and why")
        if t.acceptance is not None and t.acceptance.expires is not None:
            yield from _expiry(model, t, ctx.today)
        if t.status == "not-applicable" and not t.rationale:
            yield Finding(path, status_at, "TM406",
                          f"not-applicable threat '{t.id}' has no rationale",
                          hint="add 'rationale:' saying why it does not apply")
        if t.status == "mitigated" and not t.mitigation:
            yield Finding(path, status_at, "TM407",
                          f"mitigated threat '{t.id}' has no mitigation",
                          hint="add 'mitigation:' saying what was done")
        if t.status != "not-applicable" and (t.likelihood is None or t.impact is None):
            missing = [k for k in ("likelihood", "impact") if getattr(t, k) is None]
            yield Finding(path, at_id, "TM409",
                          f"threat '{t.id}' has no {' or '.join(missing)}",
                          hint="rate the threat so that it can be ranked")
        pattern = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(t.id)}(?![A-Za-z0-9_])")
        for i, test in enumerate(t.tests):
            text = ctx.text(test) if ctx.exists(test) else None
            if text is not None and not pattern.search(text):
                yield Finding(path, src.at(t.path + ("tests", i)), "TM408",
                              f"test file '{test}' does not mention '{t.id}'",
                              hint=f"cite '{t.id}' in the test, in a comment or its name")


def _expiry(model: Model, t, today: dt.date) -> Iterator[Finding]:
    src = model.source
    expires = t.acceptance.expires
    where = src.at(t.path + ("acceptance", "expires"))
    if expires < today:
        yield Finding(model.path, where, "TM404",
                      f"acceptance of '{t.id}' expired on {expires.isoformat()}",
                      hint="renew the acceptance or change the threat's status")
    elif (expires - today).days <= EXPIRY_WARNING_DAYS:
        yield Finding(model.path, where, "TM405",
                      f"acceptance of '{t.id}' expires on {expires.isoformat()} "
                      f"(in {(expires - today).days} days)",
                      hint="schedule the renewal with the person who accepts the risk")


def _keys(src, path: tuple) -> set:
    node = src.data
    for part in path:
        node = node[part]
    return set(node) if isinstance(node, dict) else set()
