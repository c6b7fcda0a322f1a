"""The plugin's options, as ``mkdocs.yml`` spells them; MkDocs checks their types."""

from __future__ import annotations

from mkdocs.config import config_options
from mkdocs.config.base import Config

from ..findings.finding import Severity
from ..views.page import MODEL_SECTIONS
from ..views.site import DEFAULT_TICKET_PATTERN, REDACT_CHOICES

MERMAID_CDN = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
FAIL_RANK = {**{s.value: s.rank for s in Severity}, "never": 99}


class ThreatModelConfig(Config):
    """The plugin's options (``plugins: [threatmodel: {...}]`` in ``mkdocs.yml``)."""

    enabled = config_options.Type(bool, default=True)
    sections = config_options.ListOfItems(config_options.Choice(MODEL_SECTIONS),
                                          default=list(MODEL_SECTIONS))
    register_page = config_options.Type(str, default="threat-register.md")
    mitigations_page = config_options.Type(str, default="threat-mitigations.md")
    owners_page = config_options.Type(str, default="threat-owners.md")
    staleness_page = config_options.Type(str, default="threat-staleness.md")
    risk_page = config_options.Type(str, default="threat-risk.md")
    staleness = config_options.Choice(("report", "show", "off"), default="report")
    fail_on = config_options.Choice(tuple(FAIL_RANK), default="warning")
    redact = config_options.Choice(REDACT_CHOICES, default="none")
    citations = config_options.Type(bool, default=True)
    adr_backlinks = config_options.Type(bool, default=True)
    mermaid = config_options.Type(str, default=MERMAID_CDN)
    direction = config_options.Choice(("TB", "LR", "BT", "RL"), default="TB")
    ticket_url = config_options.Optional(config_options.Type(str))
    ticket_pattern = config_options.Type(str, default=DEFAULT_TICKET_PATTERN)
