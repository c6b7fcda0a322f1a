"""Read a Threagile model (``threagile.yaml``) into a :class:`Draft`.

Threagile's YAML uses anchors as labels; :mod:`.yaml_labels` reads them with a bounded
expansion. Technical assets become elements (type, technology — Threagile's ids are kinds
of the format's vocabulary —, internet, owner, out of scope, machine, data formats
accepted, multi-tenant, redundant, custom-developed parts, used by humans, usage, and
``controls: [encryption-at-rest]`` when ``encryption`` is not ``none``; size, the kind of
encryption, C/I/A words and the assets stored, which have no key, as ``threagile:`` tags),
trust boundaries nested boundaries (``execution-environment`` is an execution boundary, the
network types network ones), communication links flows (protocol, whether it is encrypted
by Threagile's list of protocols, authentication, authorization — 1.0's
``enduser-identity-propagation`` too —, VPN, IP filter, read-only and usage as keys, data
sent as ``data``, received as ``returns``),
data assets assets with C/I/A and their justification. Shared runtimes have no place in the
format: each element running on one carries a ``threagile:runtime=ID`` tag and the body
lists them. Individual risk categories become threats on the technical assets or links of
their identified risks; risk tracking sets their status, ticket and who checked them (an
unchecked or untracked risk is untriaged, and so is a category while any of its risks is).
Tracking of Threagile's built-in rules (risks Threagile computes, which the file does not
hold) becomes threats placed on the assets and links the key names, or unplaced when the
key names none. Wildcards are expanded against the risks the file holds and listed.

Ids such as ``a>b`` (links) or ``x@y`` (risks) are not valid ids here: ids are made and the
originals kept in the id table.
"""

from __future__ import annotations

import re
from typing import Any

from ..format.model import APPLICABLE
from .common import IMPORTED, mapping, need, one_line, stride_letter, text, texts
from .draft import Draft, DraftAsset, DraftBoundary, DraftElement, DraftFlow, DraftThreat

TYPES = {"external-entity": "external", "process": "process", "datastore": "store"}
# Threagile's confidentiality, lowest first, on the default classification scale; and its
# C/I/A words as levels.
CLASSIFICATIONS = {"public": "public", "internal": "internal", "restricted": "confidential",
                   "confidential": "restricted", "strictly-confidential": "restricted"}
CONFIDENTIALITY = {"public": "low", "internal": "low", "restricted": "medium",
                   "confidential": "high", "strictly-confidential": "critical"}
CRITICALITY = {"archive": "low", "operational": "low", "important": "medium",
               "critical": "high", "mission-critical": "critical"}
AUTHENTICATION = {"none": "none", "credentials": "credentials", "session-id": "session",
                  "token": "token", "client-certificate": "client-certificate",
                  "two-factor": "two-factor", "externalized": "externalized"}
AUTHORIZATION = {"none": "none", "technical-user": "technical-user",
                 "end-user-identity-propagation": "end-user",
                 "enduser-identity-propagation": "end-user"}  # Threagile 1.0's spelling
MACHINES = ("physical", "virtual", "container", "serverless")
DATA_FORMATS = ("json", "xml", "serialization", "file", "csv", "yaml", "text")
# Element and link attributes that are facts of the format (written as those keys, never as
# tags): Threagile's key, ours.
ELEMENT_FLAGS = (("multi_tenant", "multi_tenant"), ("redundant", "redundant"),
                 ("custom_developed_parts", "custom_developed"),
                 ("used_as_client_by_human", "used_by_humans"))
LINK_FLAGS = (("vpn", "vpn"), ("ip_filtered", "ip_filtered"), ("readonly", "read_only"))
STATUSES = {"unchecked": "untriaged", "in-discussion": "open", "accepted": "accepted",
            "in-progress": "mitigating", "mitigated": "mitigated",
            "false-positive": "not-applicable"}
LIKELIHOOD = {"unlikely": "low", "likely": "medium", "very-likely": "high",
              "frequent": "critical"}
IMPACT = {"low": "low", "medium": "medium", "high": "high", "very-high": "critical"}
_ENCRYPTED = {"https", "wss", "ssh", "ssh-tunnel", "sftp", "ftps", "scp", "ldaps", "smtps",
              "imaps"}
# Threagile's network protocols that are not encrypted (each has an encrypted variant, or is
# plain by definition); process-local ones and unknown-protocol say nothing.
_PLAIN = {"http", "ws", "reverse-proxy-web-protocol", "mqtt", "jdbc", "odbc",
          "sql-access-protocol", "nosql-access-protocol", "binary", "text", "smtp", "pop3",
          "imap", "ftp", "ldap", "jms", "nfs", "smb", "nrpe", "xmpp", "iiop", "jrmp"}
_TAGS = re.compile(r"<[^>]*>")
_RELEVANT = ("most_relevant_data_asset", "most_relevant_technical_asset",
             "most_relevant_communication_link", "most_relevant_trust_boundary",
             "most_relevant_shared_runtime")


def detect(data: Any) -> bool:
    """Whether parsed data looks like a Threagile model."""
    return isinstance(data, dict) and ("threagile_version" in data or (
        "technical_assets" in data and "data_assets" in data))


def _need(cond: bool, path: str, message: str) -> None:
    need(cond, path, "a Threagile model", message)


def _section(data: dict, key: str, path: str) -> dict[str, dict]:
    """A mapping of titles to entries; every entry a mapping (an empty one may be null)."""
    value = data.get(key)
    if value is None:
        return {}
    _need(isinstance(value, dict), path, f"'{key}' must be a mapping of titles to entries")
    out = {}
    for title, entry in value.items():
        entry = {} if entry is None else entry
        _need(isinstance(entry, dict), path, f"{key}.{title} must be a mapping")
        out[str(title)] = entry
    return out


def _plain(value: Any) -> str | None:
    """Threagile text (which may hold HTML tags) as plain text."""
    got = text(value) if isinstance(value, str) else None
    return text(_TAGS.sub("", got)) if got else None


def _flag_tags(entry: dict, keys: tuple[str, ...]) -> list[str]:
    out = []
    for key in keys:
        value = entry.get(key)
        if value is True:
            out.append(f"threagile:{key}")
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) \
                and str(value).strip():
            out.append(f"threagile:{key}={value}")
    return out


def from_threagile(data: Any, path: str) -> Draft:
    """A draft model from a Threagile model; raises :class:`InputError` on a broken one."""
    _need(isinstance(data, dict), path, "the top level must be a mapping")
    _need(isinstance(data.get("title"), str), path, "'title' is missing")
    sections = {key: _section(data, key, path) for key in (
        "data_assets", "technical_assets", "trust_boundaries", "shared_runtimes",
        "individual_risk_categories", "risk_tracking")}
    for key in ("data_assets", "technical_assets", "trust_boundaries", "shared_runtimes",
                "individual_risk_categories"):
        for title, entry in sections[key].items():
            _need(isinstance(entry.get("id"), str), path, f"{key}.{title} has no text 'id'")
    return _Reader(data, path, sections).read()


class _Reader:
    def __init__(self, data: dict, path: str, sections: dict[str, dict[str, dict]]) -> None:
        self.data, self.path, self.s = data, path, sections
        author = mapping(data.get("author"))
        self.draft = Draft(tool="Threagile", format="threagile", title=data["title"].strip(),
                           owner=_plain(author.get("name")))
        self.kind: dict[str, str] = {}  # threagile id -> element type or "flow"
        self.flow_ids: dict[str, str] = {}  # threagile link id -> draft key

    def read(self) -> Draft:
        d = self.draft
        if d.owner:
            d.notes.append(f"The model's owner is Threagile's author, {d.owner}.")
        self._overview()
        self._data_assets()
        self._boundaries()
        self._technical_assets()
        self._runtimes()
        self._risks()
        return d

    def _overview(self) -> None:
        d, data = self.draft, self.data
        for key in ("threagile_version", "date", "business_criticality"):
            if text(str(data.get(key) or "")):
                d.tags.append(f"threagile:{key}={data[key]}")
        author = mapping(data.get("author"))
        if text(author.get("homepage")):
            d.tags.append(f"threagile:author-homepage={author['homepage']}")
        summary = _plain(data.get("management_summary_comment"))
        if summary:
            d.sections.append(("Management summary", summary))
        for key, heading in (("business_overview", "Business overview"),
                             ("technical_overview", "Technical overview")):
            part = mapping(data.get(key))
            if described := _plain(part.get("description")):
                d.sections.append((heading, described))
            if part.get("images"):
                d.unmapped.append(f"The images of the {heading.lower()}: image files beside "
                                  "the Threagile model, not carried by it.")
        for key, heading in (("questions", "Questions"), ("abuse_cases", "Abuse cases"),
                             ("security_requirements", "Security requirements")):
            items = mapping(data.get(key))
            if items:
                d.sections.append((heading, "\n".join(
                    f"- {one_line(str(k))}: "
                    + (one_line(_plain(v) or "") or "(unanswered)") for k, v in items.items())))
        if texts(data.get("tags_available")):
            d.unmapped.append("`tags_available`, Threagile's list of allowed tags ("
                              + ", ".join(texts(data.get("tags_available"))) + "): the "
                              "format's tags are free; the tags used are kept.")

    def _data_assets(self) -> None:
        for title, a in self.s["data_assets"].items():
            c = str(a.get("confidentiality") or "")
            levels = {"C": CONFIDENTIALITY.get(c),
                      "I": CRITICALITY.get(str(a.get("integrity") or "")),
                      "A": CRITICALITY.get(str(a.get("availability") or ""))}
            known = [v for v in levels.values() if v]
            order = ("low", "medium", "high", "critical")
            description = _join(_plain(a.get("description")),
                                f"Why these C/I/A ratings (Threagile): "
                                f"{_plain(a.get('justification_cia_rating'))}"
                                if _plain(a.get("justification_cia_rating")) else None)
            self.draft.assets.append(DraftAsset(
                f"d:{a['id']}", title, max(known, key=order.index) if known else None,
                description, a["id"], classification=CLASSIFICATIONS.get(c),
                confidentiality=levels["C"], integrity=levels["I"], availability=levels["A"],
                tags=texts(a.get("tags")) + _flag_tags(a, (
                    "usage", "origin", "owner", "quantity", "confidentiality", "integrity",
                    "availability"))))
        if self.s["data_assets"]:
            self.draft.notes.append("Data asset ratings: Threagile's confidentiality is the "
                                    "classification (public, internal; restricted is "
                                    "confidential; confidential and strictly-confidential are "
                                    "restricted) and the C rating; integrity and availability "
                                    "words are levels (archive and operational low, important "
                                    "medium, critical high, mission-critical critical); an "
                                    "asset's impact is its highest rating. The words are "
                                    "kept as `threagile:` tags.")

    def _boundaries(self) -> None:
        by_id = {b["id"]: (title, b) for title, b in self.s["trust_boundaries"].items()}
        parent: dict[str, str] = {}
        for bid, (_title, b) in by_id.items():
            for nested in texts(b.get("trust_boundaries_nested")):
                if nested in by_id:
                    parent.setdefault(nested, bid)
        for bid, (title, b) in by_id.items():
            kind = str(b.get("type") or "")
            self.draft.boundaries.append(DraftBoundary(
                f"b:{bid}", title, f"b:{parent[bid]}" if bid in parent else None,
                _plain(b.get("description")), bid,
                kind="execution" if kind == "execution-environment" else "network",
                tags=texts(b.get("tags")) + _flag_tags(b, ("type",))))
        self.boundary_of: dict[str, str] = {}
        depth = {bid: self._depth(bid, parent) for bid in by_id}
        for bid, (_title, b) in sorted(by_id.items(), key=lambda x: depth[x[0]]):
            for asset in texts(b.get("technical_assets_inside")):
                self.boundary_of[asset] = bid  # the innermost wins (deepest last)

    @staticmethod
    def _depth(bid: str, parent: dict[str, str]) -> int:
        seen, n = {bid}, 0
        while bid in parent and parent[bid] not in seen:
            bid = parent[bid]
            seen.add(bid)
            n += 1
        return n

    def _technical_assets(self) -> None:
        d = self.draft
        data_ids = {a.source_id for a in d.assets}
        assets = self.s["technical_assets"]
        ids = {a["id"] for a in assets.values()}
        for title, a in assets.items():
            kind = TYPES.get(str(a.get("type") or ""), "process")
            self.kind[a["id"]] = kind
            held = texts(a.get("data_assets_processed")) + texts(a.get("data_assets_stored"))
            boundary = self.boundary_of.get(a["id"])
            scope = None
            if a.get("out_of_scope") is True:
                scope = _plain(a.get("justification_out_of_scope")) or \
                    "Threagile marks it out of scope without a reason."
            description = _join(_plain(a.get("description")),
                                f"Why these C/I/A ratings (Threagile): "
                                f"{_plain(a.get('justification_cia_rating'))}"
                                if _plain(a.get("justification_cia_rating")) else None)
            d.elements.append(DraftElement(
                f"t:{a['id']}", title, kind, f"b:{boundary}" if boundary else None,
                [f"d:{x}" for x in dict.fromkeys(held) if x in data_ids], description, a["id"],
                technology=text(str(a.get("technology") or "")),
                internet_facing=a.get("internet") is True, owner=_plain(a.get("owner")),
                out_of_scope=scope,
                tags=texts(a.get("tags")) + _flag_tags(a, (
                    "size", "encryption", "confidentiality", "integrity", "availability"))
                + [f"threagile:stored={x}" for x in texts(a.get("data_assets_stored"))],
                extra=_element_facts(a)))
        for a in assets.values():
            links = a.get("communication_links")
            if links is None:
                continue
            _need(isinstance(links, dict), self.path,
                  f"communication_links of '{a['id']}' must be a mapping")
            for title, link in links.items():
                _need(isinstance(link, dict) and isinstance(link.get("target"), str),
                      self.path, f"link '{title}' of '{a['id']}' has no text 'target'")
                self._link(a["id"], str(title), link, ids, data_ids)

    def _link(self, source: str, title: str, link: dict, ids: set, data_ids: set) -> None:
        d = self.draft
        lid = source + ">" + re.sub(r"[^A-Za-z0-9]+", "-", title.lower()).strip("- ")
        if link["target"] not in ids:
            d.unmapped.append(f"Link '{title}' of '{source}' goes to '{link['target']}', which "
                              "is not a technical asset of the model.")
            return
        protocol = text(str(link.get("protocol") or ""))
        encrypted = True if protocol and ("encrypted" in protocol or protocol in _ENCRYPTED) \
            else False if protocol in _PLAIN else None
        self.kind[lid] = "flow"
        self.flow_ids[lid] = f"l:{lid}"
        d.flows.append(DraftFlow(
            f"l:{lid}", f"t:{source}", f"t:{link['target']}", title, protocol, None,
            [f"d:{x}" for x in texts(link.get("data_assets_sent")) if x in data_ids],
            _plain(link.get("description")), lid,
            returns=[f"d:{x}" for x in texts(link.get("data_assets_received")) if x in data_ids],
            encrypted=encrypted,
            authentication=AUTHENTICATION.get(str(link.get("authentication") or "")),
            authorization=AUTHORIZATION.get(str(link.get("authorization") or "")),
            tags=texts(link.get("tags")), extra=_link_facts(link)))

    def _runtimes(self) -> None:
        d = self.draft
        lines = []
        for title, r in self.s["shared_runtimes"].items():
            running = texts(r.get("technical_assets_running"))
            for element in d.elements:
                if element.source_id in running:
                    element.tags.append(f"threagile:runtime={r['id']}")
            lines.append(f"- {title} (`{r['id']}`): {_plain(r.get('description')) or ''} "
                         f"Runs: {', '.join(running) or 'nothing'}."
                         + (f" Tags: {', '.join(texts(r.get('tags')))}." if texts(r.get("tags"))
                            else ""))
        if lines:
            d.sections.append(("Shared runtimes", "\n".join(lines)))
            d.unmapped.append("Shared runtimes: the format has no such entry (an element sits "
                              "in one boundary); each element carries a "
                              "`threagile:runtime=ID` tag and \"Shared runtimes\" lists them.")

    # -- risks ---------------------------------------------------------------------
    def _risks(self) -> None:
        tracking = self._tracking()
        held: list[str] = []
        for title, category in self.s["individual_risk_categories"].items():
            held += self._category(title, category, tracking)
        rows = []
        for key, track in tracking.items():
            pattern = re.compile("^" + "@".join(
                "[^@]+" if part == "*" else re.escape(part) for part in key.split("@")) + "$")
            matched = [r for r in held if pattern.match(r)]
            if "*" in key.split("@"):
                shown = ", ".join(f"`{m}`" for m in matched) or (
                    "no risk the file holds: risks of Threagile's built-in rules")
            else:
                shown = "itself" if matched else "a risk of Threagile's built-in rules"
            rows.append(f"- `{key}`: {track.get('status') or 'unchecked'}; expands to "
                        f"{shown}.")
            if not matched:
                self._tracked_rule(key, track)
        if rows:
            self.draft.sections.append(("Risk tracking", "\n".join(rows)))

    def _tracking(self) -> dict[str, dict]:
        out = {}
        for key, entry in self.s["risk_tracking"].items():
            status = str(entry.get("status") or "unchecked")
            if status not in STATUSES:
                self.draft.unmapped.append(f"Risk tracking '{key}' has status '{status}', "
                                           "which Threagile does not define: left unchecked.")
            out[key] = entry
        return out

    def _status(self, track: dict | None) -> dict:
        """Our status and its details from a tracking entry."""
        if not track:
            return {"status": "untriaged"}
        status = STATUSES.get(str(track.get("status") or ""), "untriaged")
        why = _plain(track.get("justification"))
        out: dict[str, Any] = {"status": status, "ticket": text(str(track.get("ticket") or ""))}
        checked = _join(_plain(track.get("checked_by")),
                        str(track.get("date")) if track.get("date") else None, sep=" on ")
        out["fact"] = "Threagile risk tracking: " + ", ".join(
            x for x in (str(track.get("status") or "unchecked"),
                        f"checked by {checked}" if checked else None,
                        f"ticket {out['ticket']}" if out["ticket"] else None,
                        f"justification: {why}" if why else None) if x) + "."
        if status == "accepted":
            out["acceptance"] = {"by": _plain(track.get("checked_by")),
                                 "date": str(track.get("date") or "") or None,
                                 "rationale": why}
        elif status == "mitigated":
            out["mitigation"] = why
        elif status == "not-applicable":
            out["rationale"] = why and f"False positive (Threagile): {why}"
        return out

    def _category(self, title: str, c: dict, tracking: dict[str, dict]) -> list[str]:
        d = self.draft
        cid = c["id"]
        risks = mapping(c.get("risks_identified"))
        placements, per_target, facts, ids = [], {}, [], []
        letter = stride_letter(c.get("stride"))
        statuses = []
        for rtitle, risk in risks.items():
            risk = mapping(risk)
            parts = [text(str(risk.get(k) or "")) for k in _RELEVANT]
            rid = "@".join([cid] + [p for p in parts if p])
            ids.append(rid)
            track = tracking.get(rid) or next(
                (t for k, t in tracking.items() if "*" in k and re.match(
                    "^" + "@".join("[^@]+" if p == "*" else re.escape(p)
                                   for p in k.split("@")) + "$", rid)), None)
            status = self._status(track)
            statuses.append(status)
            target = parts[1] if parts[1] in self.kind else (
                parts[2] if parts[2] in self.flow_ids else None)
            facts.append(f"Risk `{rid}` ({_plain(rtitle)}): severity "
                         f"{risk.get('severity') or '?'}, likelihood "
                         f"{risk.get('exploitation_likelihood') or '?'}, impact "
                         f"{risk.get('exploitation_impact') or '?'}, data breach "
                         f"{risk.get('data_breach_probability') or '?'}"
                         + (f" ({', '.join(texts(risk.get('data_breach_technical_assets')))})"
                            if texts(risk.get("data_breach_technical_assets")) else "") + "."
                         + (f" {status['fact']}" if status.get("fact") else ""))
            if target is None:
                d.unmapped.append(f"Risk `{rid}` names no technical asset or link: it is in "
                                  "the story of its category's threat only.")
                continue
            key = f"t:{target}" if target in self.kind and self.kind[target] != "flow" \
                else self.flow_ids[target]
            kind = "flow" if key.startswith("l:") else self.kind[target]
            placements.append((key, [letter] if letter and letter in APPLICABLE[kind] else []))
            detail = {"likelihood": LIKELIHOOD.get(str(risk.get("exploitation_likelihood"))),
                      "impact": IMPACT.get(str(risk.get("exploitation_impact")))}
            if status["status"] != "untriaged":
                detail.update(status=status["status"], ticket=status.get("ticket"))
            per_target[key] = {k: v for k, v in detail.items() if v}
        same = all(s == statuses[0] for s in statuses) if statuses else True
        first: dict[str, Any] = statuses[0] if statuses and same else {"status": "untriaged"}
        if not same:  # unchecked risks stay untriaged: no one judged them open
            unchecked = any(s["status"] == "untriaged" for s in statuses)
            first = {"status": "untriaged" if unchecked else "open"}
            d.notes.append(f"Risks of category '{cid}' are tracked differently: the threat is "
                           f"{first['status']}"
                           + (", as its unchecked risks are" if unchecked else "")
                           + "; each tracked target has its own status.")
        else:
            for kept in per_target.values():
                kept.pop("status", None)
                kept.pop("ticket", None)
        story = _join(_plain(c.get("description")),
                      *(f"{label}: {_plain(c.get(key))}" for key, label in (
                          ("impact", "Impact"), ("asvs", "ASVS"), ("cheat_sheet", "Cheat sheet"),
                          ("action", "Action"), ("check", "Check"), ("function", "Function"),
                          ("detection_logic", "Detection logic"),
                          ("risk_assessment", "Risk assessment"),
                          ("false_positives", "False positives"))
                        if _plain(c.get(key))))
        if not placements and letter is None:
            d.notes.append(f"Risk category '{cid}' has STRIDE '{c.get('stride')}', which is "
                           "not a STRIDE category: no letter.")
        order = ("low", "medium", "high", "critical")
        top = {}
        for what in ("likelihood", "impact"):
            rated = [x[what] for x in per_target.values() if x.get(what)]
            top[what] = max(rated, key=order.index) if rated else None
            for kept in per_target.values():
                if top[what] is not None and kept.get(what) == top[what]:
                    del kept[what]
        mitigation = _join(first.get("mitigation"), _plain(c.get("mitigation")))
        d.threats.append(DraftThreat(
            key=f"r:{cid}", title=title, placements=placements, status=first["status"],
            story=story, likelihood=top["likelihood"], impact=top["impact"],
            ticket=first.get("ticket"), mitigation=mitigation,
            acceptance=first.get("acceptance"), rationale=first.get("rationale"),
            references=[f"https://cwe.mitre.org/data/definitions/{c['cwe']}.html"]
            if isinstance(c.get("cwe"), int) and c["cwe"] > 0 else [],
            letters=[letter] if letter else [], facts=facts, source_id=cid,
            per_target={k: v for k, v in per_target.items() if v},
            tags=([IMPORTED] if first["status"] == "untriaged" else [])
            + [f"threagile:risk={r}" for r in ids]
            + (["threagile:model_failure_possible_reason"]
               if c.get("model_failure_possible_reason") is True else [])))
        return ids

    def _tracked_rule(self, key: str, track: dict) -> None:
        """A tracking entry of a built-in rule: a threat on what its key names."""
        parts = key.split("@")
        category, named = parts[0], [p for p in parts[1:] if p != "*"]
        placements: list[tuple[str, list[str]]] = []
        for name in named:
            if name in self.flow_ids:
                placements.append((self.flow_ids[name], []))
            elif name in self.kind:
                placements.append((f"t:{name}", []))
        status = self._status(track)
        facts = [status["fact"]] if status.get("fact") else []
        if "*" in parts[1:]:
            facts.append(f"The key `{key}` has wildcards: it applies to every risk of the rule "
                         "that Threagile finds at those positions; Threagile computes them, "
                         "the model file does not hold them."
                         + ("" if placements else " The threat is unplaced until someone "
                            "places it on the elements and flows concerned."))
        self.draft.threats.append(DraftThreat(
            key=f"k:{key}", title=f"{category.replace('-', ' ').capitalize()} "
            "(Threagile rule)", placements=placements, status=status["status"],
            story=f"Threagile's built-in rule '{category}' is tracked in the model as "
            f"`{key}`.", ticket=status.get("ticket"), mitigation=status.get("mitigation"),
            acceptance=status.get("acceptance"), rationale=status.get("rationale"),
            facts=facts, source_id=key,
            tags=([IMPORTED] if status["status"] == "untriaged" else [])
            + [f"threagile:tracking={key}"]))
        if not placements:
            return
        self.draft.notes.append(f"Tracking `{key}` names "
                                + ", ".join(f"'{n}'" for n in named if n in self.kind)
                                + ": its threat is placed there, without STRIDE letters "
                                "(Threagile's rules carry their own; add the letters by "
                                "hand).")


def _usage(entry: dict) -> dict:
    return {"usage": "devops"} if entry.get("usage") == "devops" else {}


def _element_facts(a: dict) -> dict[str, Any]:
    """The facts of a technical asset that are keys of the format.

    ``controls`` is written only with what Threagile's attributes prove: ``encryption`` other
    than ``none`` is encryption at rest. Threagile lists no controls, so an element whose
    encryption is ``none`` (or not given) gets no ``controls`` at all: nothing is assumed, and
    rules read Threagile's other facts (machine, data formats, usage, custom code) instead.
    """
    out: dict[str, Any] = {}
    if a.get("machine") in MACHINES:
        out["machine"] = a["machine"]
    formats = [x for x in texts(a.get("data_formats_accepted")) if x in DATA_FORMATS]
    if formats:
        out["data_formats"] = list(dict.fromkeys(formats))
    for theirs, ours in ELEMENT_FLAGS:
        if isinstance(a.get(theirs), bool):
            out[ours] = a[theirs]
    encryption = str(a.get("encryption") or "none")
    if encryption != "none":
        out["controls"] = ["encryption-at-rest"]
    return out | _usage(a)


def _link_facts(link: dict) -> dict[str, Any]:
    """A communication link's VPN, IP filter, read-only and usage as keys of the format."""
    out: dict[str, Any] = {ours: link[theirs] for theirs, ours in LINK_FLAGS
                           if isinstance(link.get(theirs), bool)}
    return out | _usage(link)


def _join(*parts: str | None, sep: str = "\n\n") -> str | None:
    kept = [p for p in parts if p]
    return sep.join(kept) if kept else None
