"""What every view needs: the models, where their pages are, staleness and options.

The MkDocs adapter fills a :class:`Site` once per build; views read it. Page
addresses are site URLs as MkDocs gives them (``threat-models/checkout/`` or
``threat-models/checkout.html``); views link between pages with relative URLs.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..format.model import Model, Threat
from ..format.spec import DEFAULT_CLASSIFICATIONS, OPEN_STATUSES, THREAT_STATUSES, UNTRIAGED
from ..workspace.repository import today
from .escape import safe_url

REDACT_CHOICES = ("none", "open", "unmitigated", "all")
_WITHHELD = {
    "none": frozenset(),
    "open": frozenset({*OPEN_STATUSES, UNTRIAGED}),
    "unmitigated": frozenset({*OPEN_STATUSES, UNTRIAGED, "accepted", "transferred"}),
}
KNOWN_STATUSES = THREAT_STATUSES
DEFAULT_TICKET_PATTERN = r"[A-Z][A-Z0-9]+-[0-9]+"


@dataclass
class Options:
    """How views render: redaction, ticket links, diagram direction and today's date."""

    redact: str = "none"
    ticket_url: str | None = None  # with "{ticket}", e.g. https://tracker.example/browse/{ticket}
    ticket_pattern: str = DEFAULT_TICKET_PATTERN
    direction: str = "TB"
    today: dt.date = field(default_factory=today)  # THREATMODEL_TODAY when set
    staleness_available: bool = False  # whether git staleness was judged for this build
    classifications: tuple[str, ...] = DEFAULT_CLASSIFICATIONS  # for the suggestion rules

    def __post_init__(self) -> None:
        self._ticket = re.compile(self.ticket_pattern)

    def withheld(self, threat: Threat) -> bool:
        """Whether a threat's details stay off the published pages: by its status, or the
        status of any target that has its own (a threat open on one flow is open)."""
        if self.redact == "all":
            return True
        hidden = _WITHHELD.get(self.redact, frozenset())
        if not hidden:  # redact: none
            return False
        statuses = [threat.status] + [d.status for d in threat.per_target.values() if d.status]
        return any((s if s in KNOWN_STATUSES else "open") in hidden for s in statuses)

    def ticket_href(self, ticket: str | None) -> str | None:
        """Where a ticket lives: its own http(s) URL, or the tracker URL for its id."""
        if not ticket:
            return None
        url = safe_url(ticket)
        if url is not None:
            return url
        if self.ticket_url and self._ticket.fullmatch(ticket.strip()):
            from urllib.parse import quote

            return self.ticket_url.replace("{ticket}", quote(ticket.strip(), safe=""))
        return None


def relative_url(target: str, current: str) -> str:
    """``target`` (a site URL, maybe with ``#fragment``) as seen from the page at ``current``."""
    path, hashmark, fragment = target.partition("#")
    return _relative_path(path, current) + (hashmark + fragment if hashmark else "")


@lru_cache(maxsize=65536)
def _relative_path(path: str, current: str) -> str:
    """A page's URL as seen from the page at ``current`` (one per pair of pages, not per
    anchor: a register links thousands of anchors on a few hundred pages)."""
    base = current if current.endswith("/") else posixpath.dirname(current)
    base = base.strip("/")
    if base in ("", "."):
        base = "."
    clean = path.strip("/")
    if clean in ("", "."):
        clean = "."
    rel = posixpath.relpath(clean, base)
    if path.endswith("/") and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel


class Site:
    """Every model of the build with its page, threats by id, and staleness by path."""

    def __init__(self, models: list[Model], page_urls: dict[str, str],
                 staleness: dict[str, Any] | None = None, options: Options | None = None,
                 titles: dict[str, str] | None = None,
                 doc_urls: dict[str, str] | None = None) -> None:
        self.models = sorted(models, key=lambda m: (m.title.lower(), m.path))
        self.page_urls = page_urls  # model path -> site URL of its page
        self.staleness = staleness or {}
        self.options = options or Options()
        self.titles = titles or {}  # site URL -> page title (for ADR links)
        self.doc_urls = doc_urls or {}  # repository path of any docs page -> its site URL
        self.by_path = {m.path: m for m in models}
        self._citing: dict[str, list[Model]] | None = None  # ADR path -> models (backlinks)
        # Set by the host when it has them: the models' git history (a diff.timeline
        # Timeline) and the pages citing each threat (threat id -> [(site URL, title)]).
        self.history: Any = None
        self.cited_by: dict[str, list[tuple[str, str]]] = {}
        # Digests of the model files' bytes (views.cache.digest_of), noted by a host that
        # drops the bytes to hold less; view keys read them.
        self.digests: dict[str, bytes] = {}
        self.by_id: dict[str, Model] = {}
        self.threats: dict[str, tuple[Threat, Model]] = {}
        for model in self.models:
            self.by_id.setdefault(model.id, model)
            for threat in model.threats:
                self.threats.setdefault(threat.id, (threat, model))

    def all_threats(self) -> Iterator[tuple[Threat, Model]]:
        for model in self.models:
            for threat in model.threats:
                yield threat, model

    def model_href(self, model: Model, current: str, fragment: str | None = None) -> str | None:
        """A link from the page at ``current`` to a model's page (or an anchor on it)."""
        url = self.page_urls.get(model.path)
        if url is None:
            return None
        if url == current:
            return f"#{fragment}" if fragment else "#"
        return relative_url(url + (f"#{fragment}" if fragment else ""), current)

    def threat_href(self, threat: Threat, model: Model, current: str) -> str | None:
        return self.model_href(model, current, threat.id)

    def stale(self, model: Model) -> Any:
        """The staleness judgement of a model (duck-typed), or ``None``."""
        return self.staleness.get(model.path)

    def due(self, model: Model) -> dt.date | None:
        """The next review date: the judgement's, else ``reviewed.date + review_every``."""
        judged = self.stale(model)
        if judged is not None and getattr(judged, "due", None) is not None:
            return judged.due
        if model.reviewed_date and model.review_every:
            return model.reviewed_date + dt.timedelta(days=model.review_every)
        return None

    def state(self, model: Model) -> str:
        """``current``, ``stale`` or ``unknown``: judged by git when available, else from
        the due date alone (``stale`` when overdue, ``unknown`` with no review recorded)."""
        judged = self.stale(model)
        if judged is not None:
            return judged.state
        due = self.due(model)
        if due is not None:
            return "stale" if due < self.options.today else "current"
        return "unknown"

