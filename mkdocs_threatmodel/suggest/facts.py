"""The facts a suggestion rule reads, each with the words its reason quotes.

Structured keys come first (``technology``, ``internet_facing``, ``third_party``,
``authentication``, ``authorization``, ``encrypted``, ``classification``); where a key is
missing, the free text is read conservatively (an element's name, a flow's ``auth`` and
``label``, a boundary's id and name), and the phrase returned says which text it was.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..format.model import Element, Flow, Model
from ..format.spec import DEFAULT_CLASSIFICATIONS, LEVELS

if TYPE_CHECKING:
    from typing import Any

_RANK = {level: i for i, level in enumerate(LEVELS)}


def words(*alternatives: str) -> re.Pattern:
    """A case-insensitive pattern matching any of the words or phrases as whole words."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])", re.I)


def higher(a: str, b: str) -> str:
    """The higher of two levels."""
    return a if _RANK[a] >= _RANK[b] else b


_NO_AUTH = re.compile(r"\s*(?:none|no auth\w*|anonymous|unauthenticated|public|open)\b", re.I)
_INTERNET = words("internet", "public", "dmz", "www")
_THIRD_PARTY = words("third[- ]party", "3rd[- ]party", "saas", "vendor", "partner",
                     "supplier")
_SECRET = words("secret", "secrets", "password", "passwords", "credential", "credentials",
                "api[- ]key", "api[- ]keys", "private[- ]key", "signing[- ]key", "key",
                "keys", "token", "tokens", "certificate", "certificates")
_PUBLIC_TOKENS = words("lookup[- ]tokens?", "session", "sessions")


class Kind:
    """What an element is: kinds of the format's technology vocabulary, and the words of a
    name that say so when the technology's kind is not known.

    An element whose ``technology`` has a known kind is what that kind says, and its name is
    not read (``Git Client`` with technology ``devops-client`` is no build pipeline), unless
    ``always``: a role such as an admin console or an audit log is said by the name whatever
    the technology. ``search`` matches the words in other text (labels, protocols).
    """

    def __init__(self, kinds: set[str], name: re.Pattern, always: bool = False):
        self.kinds = frozenset(kinds)
        self.name = name
        self.always = always

    def search(self, text: str) -> re.Match | None:
        return self.name.search(text)


class Facts:
    """One model's facts, indexed for the rules."""

    def __init__(self, model: Model, classifications: tuple[str, ...] = DEFAULT_CLASSIFICATIONS):
        self.model = model
        self.elements: dict[str, Element] = {}
        for e in reversed(model.elements):
            self.elements[e.id] = e
        self.assets = {a.id: a for a in reversed(model.assets)}
        self.boundaries = {b.id: b for b in reversed(model.boundaries)}
        self.flows_in: dict[str, list[Flow]] = defaultdict(list)
        self.flows_out: dict[str, list[Flow]] = defaultdict(list)
        for f in model.flows:  # a flow without an end is no element's (rules look up ids)
            if f.target is not None:
                self.flows_in[f.target].append(f)
            if f.source is not None:
                self.flows_out[f.source].append(f)
        self.classes = {c: i for i, c in enumerate(classifications)}
        self.n_classes = max(1, len(classifications))
        self._crossing: dict[str, bool] = {}
        self._is_a: dict[tuple[int, int], str | None] = {}
        self._sensitive: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        self._texts: dict[str, str] = {}
        # What several rules derive once (see catalogue): each key's value has its own type,
        # which the one function that fills and reads it declares.
        self.memo: dict[str, Any] = {}

    # -- elements -----------------------------------------------------------------
    def element(self, eid: str | None) -> Element | None:
        """The (first) element with this id; ``None`` for none (a flow without that end)."""
        return self.elements.get(eid) if eid is not None else None

    def of_type(self, *types: str) -> list[Element]:
        """In-scope elements of these types, in model order."""
        return [e for e in self.model.elements if e.type in types and not e.out_of_scope]

    def is_a(self, e: Element | None, what: Kind) -> str | None:
        """The fact naming what ``e`` is: its technology's kind, else (when that kind is not
        known, or for a role) whole words of its name or id. Tags are never read."""
        if e is None:
            return None
        key = (id(e), id(what))
        if key not in self._is_a:
            self._is_a[key] = self._what(e, what)
        return self._is_a[key]

    @staticmethod
    def _what(e: Element, what: Kind) -> str | None:
        kind = e.technology_kind
        if kind is not None and kind in what.kinds:
            return f"`{e.id}` has technology `{e.technology}` ({kind})"
        if kind is not None and not what.always:
            return None
        if what.name.search(e.name) or (e.name != e.id and what.name.search(e.id)):
            return f"`{e.id}` is named `{e.name}`"
        return None

    def internet_facing(self, e: Element | None) -> str | None:
        """Why ``e`` is reached from the internet: its key, else a flow from an internet zone."""
        if e is None:
            return None
        if e.internet_facing:
            return f"`{e.id}` is `internet_facing`"
        for f in self.flows_in[e.id]:
            src = self.element(f.source)
            zone = self.zone(src)
            if src is not None and src.type == "external" and zone and self.crosses(f):
                return f"`{e.id}` is reached by `{src.id}` from boundary `{zone}`"
        return None

    def zone(self, e: Element | None) -> str | None:
        """The boundary around ``e`` that reads as the internet, or ``None``."""
        if e is None or e.internet_facing:
            return e.boundary or "outside" if e is not None else None
        b = self.boundaries.get(e.boundary or "")
        if b is not None and (_INTERNET.search(b.id) or _INTERNET.search(b.name)):
            return b.id
        return None

    def third_party(self, e: Element | None) -> str | None:
        """Why ``e`` is another organisation's: its key, else its boundary's id or name."""
        if e is None:
            return None
        if e.third_party:
            return f"`{e.id}` is `third_party`"
        b = self.boundaries.get(e.boundary or "")
        if b is not None and (_THIRD_PARTY.search(b.id) or _THIRD_PARTY.search(b.name)):
            return f"`{e.id}` sits in boundary `{b.id}` ({b.name})"
        return None

    def missing(self, x: Element | Flow | None, *controls: str, every: bool = False
                ) -> str | None:
        """The fact that ``x`` states its ``controls`` and any (``every``: all) of
        ``controls`` is not among them; ``None`` when it states none (nothing is assumed)
        or they are there."""
        if x is None or x.controls is None:
            return None
        absent = [c for c in controls if c not in x.controls]
        if not absent or (every and len(absent) < len(controls)):
            return None
        names = ", ".join(f"`{c}`" for c in absent)
        return (f"`{x.id}` states its controls and {names} "
                f"{'is' if len(absent) == 1 else 'are'} not among them")

    def human_flow(self, e: Element, outgoing: bool = False) -> Flow | None:
        """The first flow into ``e`` from an element ``used_by_humans`` (``outgoing``: from
        ``e`` to one), or ``None``."""
        flows = self.flows_out[e.id] if outgoing else self.flows_in[e.id]
        for x in flows:
            other = self.element(x.target if outgoing else x.source)
            if other is not None and other.used_by_humans:
                return x
        return None

    def name(self, eid: str | None) -> str:
        e = self.elements.get(eid or "")
        return e.name if e is not None else (eid or "?")

    # -- flows --------------------------------------------------------------------
    def crosses(self, f: Flow) -> bool:
        if f.id not in self._crossing:
            self._crossing[f.id] = self.model.crosses_trust(f)
        return self._crossing[f.id]

    def entry(self, f: Flow) -> str:
        """``flow `x` enters `b` from `a` ``: where a flow comes from and goes to."""
        a, b = self.elements.get(f.source or ""), self.elements.get(f.target or "")
        where_a = (a.boundary if a is not None else None) or "outside"
        where_b = (b.boundary if b is not None else None) or "outside"
        label = f" (`{f.label}`)" if f.label else ""
        if self.crosses(f):
            return (f"flow `{f.id}`{label} enters `{where_b}` from `{where_a}` "
                    f"(`{f.source}` to `{f.target}`)")
        return f"flow `{f.id}`{label} goes from `{f.source}` to `{f.target}`"

    def from_outside(self, f: Flow) -> str | None:
        """Why a flow brings untrusted input: it crosses a trust boundary from an external
        entity or from an internet-facing element."""
        if not self.crosses(f):
            return None
        src = self.elements.get(f.source or "")
        if src is None:
            return None
        if src.type == "external":
            return f"`{src.id}` is an external entity"
        return self.internet_facing(src)

    def authentication(self, f: Flow) -> tuple[str, str]:
        """``none``, ``unknown``, ``shared`` (an API key) or ``present``, with the fact."""
        if f.authentication:
            state = {"none": "none", "api-key": "shared"}.get(f.authentication, "present")
            return state, f"`authentication: {f.authentication}`"
        if f.auth:
            if _NO_AUTH.match(f.auth):
                return "none", f"`auth: {f.auth}`"
            if words("api[- ]key", "shared secret", "basic").search(f.auth):
                return "shared", f"`auth: {f.auth}`"
            return "present", f"`auth: {f.auth}`"
        return "unknown", "no `authentication` or `auth` given"

    def authorization(self, f: Flow) -> tuple[str, str]:
        """The flow's authorization value (or ``unknown``), with the fact."""
        if f.authorization:
            return f.authorization, f"`authorization: {f.authorization}`"
        return "unknown", "no `authorization` given"

    def encryption(self, f: Flow) -> tuple[bool | None, str]:
        """Whether the flow is encrypted, with the fact that says so."""
        if f.encrypted_given is not None:
            return f.encrypted_given, f"`encrypted: {str(f.encrypted_given).lower()}`"
        if f.protocol:
            state = f.encrypted
            word = {True: "encrypted", False: "plain", None: "of unknown encryption"}[state]
            return state, f"protocol `{f.protocol}` ({word})"
        return None, "no `protocol` or `encrypted` given"

    def text(self, f: Flow) -> str:
        """A flow's free text: label, protocol and description (never its tags)."""
        if f.id not in self._texts:
            self._texts[f.id] = " ".join(x for x in (f.label, f.protocol, f.description) if x)
        return self._texts[f.id]

    # -- data -----------------------------------------------------------------------
    def level(self, aid: str) -> tuple[str, str] | None:
        """An asset's level (low..critical) with its fact: classification first, else the
        confidentiality rating, else its impact."""
        a = self.assets.get(aid)
        if a is None:
            return None
        if a.classification in self.classes:
            rank = self.classes[a.classification]
            return LEVELS[min(3, rank * 4 // self.n_classes)], f"`{a.id}` ({a.classification})"
        if a.confidentiality in _RANK:
            return a.confidentiality, f"`{a.id}` (confidentiality {a.confidentiality})"
        if a.impact in _RANK:
            return a.impact, f"`{a.id}` (impact {a.impact})"
        return None

    def sensitive(self, ids: list[str]) -> list[tuple[str, str]]:
        """The assets among ``ids`` rated high or critical: (level, fact), highest first."""
        key = tuple(ids)
        if key not in self._sensitive:
            found = [x for x in (self.level(i) for i in dict.fromkeys(ids)) if x is not None
                     and _RANK[x[0]] >= _RANK["high"]]
            self._sensitive[key] = sorted(found, key=lambda x: -_RANK[x[0]])
        return self._sensitive[key]

    def secrets(self, ids: list[str]) -> list[str]:
        """Ids of the assets among ``ids`` that read as secrets (keys, passwords, tokens)."""
        out = []
        for aid in dict.fromkeys(ids):
            a = self.assets.get(aid)
            if a is None:
                continue
            text = f"{a.id} {a.name} {' '.join(a.tags)}"
            if _SECRET.search(text) and not _PUBLIC_TOKENS.search(text):
                out.append(aid)
        return out

    def carried(self, f: Flow) -> list[str]:
        """Asset ids a flow carries either way."""
        return f.data + f.returns

    def held(self, e: Element) -> list[str]:
        """Asset ids an element holds, and those written to it."""
        return e.assets + [a for f in self.flows_in[e.id] for a in f.data]


def data_phrase(found: list[tuple[str, str]], limit: int = 3) -> str:
    """``carries `a` (confidential), `b` (impact high)``: the facts of sensitive data."""
    facts = [fact for _, fact in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return ", ".join(facts) + more
