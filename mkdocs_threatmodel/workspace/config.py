"""The repository's configuration file, ``.threatmodel.yaml`` at its root.

The command line, the pre-commit hook and the MkDocs plugin all read it::

    strict: true              # every applicable STRIDE letter (TM303), placed threats (TM218)
    rules:                    # severity per rule code: error | warning | note | off
      TM402: warning
      TM408: off
    exclude: [vendor/**]      # globs of model paths to skip, as covers reads them
    stale_existing: warn      # stale --staged / a range: staleness already there warns
                              # (block: it fails too)
    classifications: [public, internal, confidential, restricted]   # lowest first
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..findings.finding import Finding, Position, Severity
from ..findings.rules import RULES
from ..format.source import read_yaml
from .files import Unreadable, read_file
from .globs import glob_match, glob_problem

CONFIG_NAME = ".threatmodel.yaml"
_KEYS = ("strict", "rules", "exclude", "stale_existing", "classifications")
_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE,
           "off": None}

STRICT_RULES = ("TM303", "TM218")  # off by default, on in strict mode


def _default_classifications() -> tuple[str, ...]:
    from ..format.spec import DEFAULT_CLASSIFICATIONS  # the format's tables: when needed

    return DEFAULT_CLASSIFICATIONS


@dataclass
class Config:
    """Rule severities, strict mode and excluded paths."""

    strict: bool = False
    severities: dict[str, Severity | None] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    stale_existing: str = "warn"
    classifications: tuple[str, ...] = field(default_factory=_default_classifications)
    findings: list[Finding] = field(default_factory=list)

    def severity(self, code: str) -> Severity | None:
        """The severity of a rule's findings, or ``None`` when the rule is off."""
        if code in self.severities:
            return self.severities[code]
        rule = RULES.get(code)
        if rule is None:
            return Severity.ERROR
        if not rule.enabled and not (code in STRICT_RULES and self.strict):
            return None
        return rule.severity

    def excluded(self, relpath: str) -> bool:
        return any(glob_match(pattern, relpath) for pattern in self.exclude)


def load_config(root: Path) -> Config:
    """Read ``.threatmodel.yaml`` at ``root``; problems become TM901 findings."""
    path = root / CONFIG_NAME
    config = Config()
    try:
        raw = read_file(path)
    except Unreadable as refusal:  # a FIFO, a device, a folder or a huge file is said
        if refusal.kind != "missing":
            config.findings.append(Finding(CONFIG_NAME, Position(1, 1), "TM901",
                                           f"the configuration file {refusal.reason}"))
        return config
    src = read_yaml(CONFIG_NAME, raw)
    config.findings.extend(src.findings)
    if src.findings:
        return config
    data = src.data if src.data is not None else {}
    if not isinstance(data, dict):
        config.findings.append(Finding(CONFIG_NAME, Position(1, 1), "TM901",
                                       "configuration must be a mapping"))
        return config

    def bad(where: tuple, message: str, hint: str | None = None, key: bool = False) -> None:
        config.findings.append(Finding(CONFIG_NAME, src.at(where, key=key), "TM901", message,
                                       hint))

    for key, value in data.items():
        if key not in _KEYS:
            bad((key,), f"unknown configuration key '{key}'", "allowed: " + ", ".join(_KEYS),
                key=True)
        elif key == "strict":
            if isinstance(value, bool):
                config.strict = value
            else:
                bad((key,), "'strict' must be true or false")
        elif key == "stale_existing":
            if value in ("warn", "block"):
                config.stale_existing = value
            else:
                bad((key,), "'stale_existing' must be warn or block")
        elif key == "classifications":
            if isinstance(value, list) and value and all(isinstance(v, str) and v
                                                         for v in value) \
                    and len(set(value)) == len(value):
                config.classifications = tuple(value)
            else:
                bad((key,), "'classifications' must be a list of distinct words, lowest "
                    "first", "the default is [public, internal, confidential, restricted]")
        elif key == "exclude":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                config.exclude = value
                for i, glob in enumerate(value):
                    problem = glob_problem(glob)
                    if problem is not None:
                        bad((key, i), f"exclude glob {glob!r} is not usable: {problem}")
            else:
                bad((key,), "'exclude' must be a list of globs")
        elif not isinstance(value, dict):
            bad((key,), "'rules' must map rule codes to error, warning, note or off")
        else:
            for code, level in value.items():
                if code not in RULES:
                    bad(("rules", code), f"unknown rule code '{code}'",
                        "`threatmodel rules` lists them", key=True)
                elif level is False:  # YAML reads a bare off as false
                    config.severities[code] = None
                elif isinstance(level, str) and level in _LEVELS:
                    config.severities[code] = _LEVELS[level]
                else:
                    bad(("rules", code), f"severity of {code} must be error, warning, "
                        "note or off")
    return config
