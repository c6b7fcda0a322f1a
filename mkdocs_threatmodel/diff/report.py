"""The diff as Markdown for a pull-request comment, or as JSON (format version 1).

Model text is untrusted: in Markdown it is escaped (no HTML, links or emphasis), kept on
one line, and ``@`` is followed by a zero-width space so that a model cannot mention
people or teams in the comment.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import printable
from ..findings.reports.json_report import dump_json
from ..format.model import Acceptance, Model, Threat
from ..format.risk import rate
from ..interop.common import md_inline
from .compare import Diff, ModelDiff, Snapshot

JSON_VERSION = 1
_SHORT = 120


def gh(value: str | None) -> str:
    """Untrusted text for one line of a GitHub comment."""
    return md_inline(value or "").replace("@", "@\u200b")


def code(value: str) -> str:
    """An id or path as inline code, or escaped text when it could break out of it."""
    if re.fullmatch(r"[^`|\\<>@\s]+", value):
        return f"`{value}`"
    return gh(value)


def _short(value: str | None) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= _SHORT else value[:_SHORT - 1] + "…"


def _risk_text(pair: tuple) -> str:
    likelihood, impact = pair
    risk = rate(likelihood, impact)
    if risk is None:
        return "not rated"
    return f"{risk.band} ({likelihood} x {impact} = {risk.score})"


def _value(name: str, value: Any) -> str:
    if name == "risk":
        return _risk_text(value)
    return gh(value) if value else "none"


def _label(model: Model) -> str:
    return f"{gh(model.title) or 'Untitled'} ({code(model.id)})" if model.id else code(model.path)


def _threat(t: Threat) -> str:
    return f"{code(t.id)} {gh(t.title)}"


def _side(snapshot: Snapshot) -> str:
    if snapshot.commit is None:
        return "the working tree"
    return f"`{snapshot.commit[:12]}` ({gh(snapshot.label)})"


def _model_section(d: ModelDiff) -> list[str]:
    out = [f"### Changed: {_label(d.after)}", ""]
    if d.before.path != d.after.path:
        out += [f"Moved from {code(d.before.path)} to {code(d.after.path)}.", ""]
    else:
        out += [code(d.after.path), ""]
    rows = []
    for t in d.threats_added:
        rows.append(f"| added | {_threat(t)} | {gh(t.status)}, risk "
                    f"{_risk_text((t.likelihood, t.impact))}, owner {gh(t.owner) or 'none'} |")
    for t in d.threats_removed:
        rows.append(f"| removed | {_threat(t)} | was {gh(t.status)} |")
    for c in d.threats_changed:
        parts = []
        for name, (a, b) in c.fields.items():
            if name == "mitigation":
                parts.append("mitigation now: " + (gh(_short(b)) if b else "none"))
            else:
                parts.append(f"{name} {_value(name, a)} → {_value(name, b)}")
        rows.append(f"| changed | {_threat(c.after)} | {'; '.join(parts)} |")
    if rows:
        out += ["| | threat | change |", "|---|---|---|", *rows, ""]
    accepted = []
    for t in d.acceptances_added:
        a = t.acceptance
        if a is None:  # never: compare lists accepted threats with their acceptance
            continue
        accepted.append(f"- Accepted: {_threat(t)} by {gh(a.by) or 'nobody named'}"
                        + (f", until {a.expires.isoformat()}" if a.expires else ", no expiry")
                        + (f": {gh(_short(a.rationale))}" if a.rationale else ""))
    for before, after in d.acceptances_extended:
        old, new = before.acceptance, after.acceptance
        if old is None or new is None or new.expires is None:
            continue  # never: compare lists acceptances whose expiry moved later
        was = old.expires.isoformat() if old.expires else "none"
        accepted.append(f"- Acceptance extended: {_threat(after)} until "
                        f"{new.expires.isoformat()} (was {was}), by "
                        f"{gh(new.by) or 'nobody named'}")
    if accepted:
        out += ["**Risk acceptances**", "", *accepted, ""]
    diagram = []
    for kind in ("elements", "flows", "boundaries"):
        for verb, items in (("added", d.added.get(kind, [])), ("removed", d.removed.get(kind, []))):
            if items:
                names = ", ".join(code(x.id) + (f" {gh(getattr(x, 'name', None))}"
                                                 if getattr(x, "name", None) else "")
                                  for x in items)
                diagram.append(f"- {kind.capitalize()} {verb}: {names}")
    if diagram:
        out += ["**Diagram**", "", *diagram, ""]
    return out


def to_markdown(diff: Diff) -> str:
    """A pull-request comment (GitHub-flavoured Markdown)."""
    out = ["## Threat model changes", "",
           f"Comparing {_side(diff.base)} with {_side(diff.head)}.", ""]
    if not (diff.added or diff.removed or diff.changed):
        out += ["No threat model changed.", ""]
    else:
        out += [f"**{len(diff.added)} model(s) added, {len(diff.removed)} removed, "
                f"{len(diff.changed)} changed.**", ""]
    for m in diff.added:
        open_count = sum(t.is_open for t in m.threats)
        out += [f"### Added: {_label(m)}", "",
                f"{code(m.path)}: {len(m.threats)} threat(s), {open_count} open; "
                f"{len(m.elements)} element(s), {len(m.flows)} flow(s), "
                f"{len(m.boundaries)} boundary(ies).", ""]
    for m in diff.removed:
        out += [f"### Removed: {_label(m)}", "",
                f"{code(m.path)} had {len(m.threats)} threat(s).", ""]
    for d in diff.changed:
        out += _model_section(d)
    problems = [("base", p, msg) for p, msg in diff.base.unreadable] + [
        ("head", p, msg) for p, msg in diff.head.unreadable]
    if problems:
        out += ["**Not compared**", ""]
        out += [f"- {code(p)} at the {side}: {gh(msg)}" for side, p, msg in problems] + [""]
    return printable("\n".join(out))


# -- JSON -----------------------------------------------------------------------------------

def _risk_json(pair: tuple) -> dict | None:
    risk = rate(*pair)
    if risk is None:
        return None
    return {"likelihood": pair[0], "impact": pair[1], "score": risk.score, "band": risk.band}


def _threat_json(t: Threat) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "status": t.status,
            "risk": _risk_json((t.likelihood, t.impact)), "owner": t.owner}


def _model_json(m: Model) -> dict[str, Any]:
    return {"id": m.id, "title": m.title, "path": m.path}


def _acceptance(t: Threat, a: Acceptance) -> dict[str, Any]:
    return {"id": t.id, "by": a.by, "date": a.date.isoformat() if a.date else None,
            "expires": a.expires.isoformat() if a.expires else None}


def _changed_json(d: ModelDiff) -> dict[str, Any]:
    changes = []
    for c in d.threats_changed:
        fields = {}
        for name, (a, b) in c.fields.items():
            fields[name] = ({"from": _risk_json(a), "to": _risk_json(b)} if name == "risk"
                            else {"from": a, "to": b})
        changes.append({"id": c.after.id, "title": c.after.title, "changes": fields})
    diagram = {}
    for kind in ("elements", "flows", "boundaries"):
        diagram[kind] = {"added": [_item(kind, x) for x in d.added.get(kind, [])],
                         "removed": [_item(kind, x) for x in d.removed.get(kind, [])]}
    return {
        **_model_json(d.after), "previous_path": d.before.path,
        "threats": {"added": [_threat_json(t) for t in d.threats_added],
                    "removed": [_threat_json(t) for t in d.threats_removed],
                    "changed": changes},
        # (compare lists accepted threats with their acceptance, and an extension's new
        # expiry; the conditions below only narrow the types)
        "acceptances": {"added": [_acceptance(t, acc) for t in d.acceptances_added
                                  if (acc := t.acceptance) is not None],
                        "extended": [{"id": a.id,
                                      "from": old.expires.isoformat()
                                      if old.expires else None,
                                      "to": new.expires.isoformat()}
                                     for b, a in d.acceptances_extended
                                     if (old := b.acceptance) is not None
                                     and (new := a.acceptance) is not None
                                     and new.expires is not None]},
        **diagram}


def _item(kind: str, x: Any) -> dict[str, Any]:
    if kind == "flows":
        return {"id": x.id, "from": x.source, "to": x.target, "label": x.label}
    if kind == "elements":
        return {"id": x.id, "name": x.name, "type": x.type}
    return {"id": x.id, "name": x.name}


def to_json(diff: Diff) -> str:
    """The diff as JSON (format version 1, documented in the README)."""
    def side(s: Snapshot) -> dict[str, Any]:
        return {"ref": s.label if s.commit else None, "commit": s.commit,
                "working_tree": s.commit is None}

    data = {
        "version": JSON_VERSION, "base": side(diff.base), "head": side(diff.head),
        "summary": {"models_added": len(diff.added), "models_removed": len(diff.removed),
                    "models_changed": len(diff.changed)},
        "models": {"added": [_model_json(m) for m in diff.added],
                   "removed": [_model_json(m) for m in diff.removed],
                   "changed": [_changed_json(d) for d in diff.changed]},
        "unreadable": [{"side": side_, "path": p, "message": msg}
                       for side_, items in (("base", diff.base.unreadable),
                                            ("head", diff.head.unreadable))
                       for p, msg in items],
    }
    return dump_json(data)
