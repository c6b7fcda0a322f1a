"""Rules on stated controls (issue 26): a target that lists its ``controls`` says the others
are absent, and the rules that counter an absent one fire; a target that lists none says
nothing, and they stay silent; a listed control silences its rule."""

from __future__ import annotations

import pytest

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.suggest.catalogue import CATALOGUE
from mkdocs_threatmodel.suggest.engine import suggest

# {web} and {db} and {flow} are replaced by each element's or flow's `controls` key.
MODEL = """\
---
threatmodel: 1
id: stated
title: Comments
owner: team-test
assets:
  - {{id: token, name: Identity token, classification: restricted}}
boundaries:
  - {{id: internet, name: Internet}}
  - {{id: vpc, name: VPC}}
elements:
  - {{id: user, name: User, type: external, boundary: internet, used_by_humans: true}}
  - {{id: web, name: Web Server, type: process, boundary: vpc{web}}}
  - {{id: job, name: Cleaner, type: process, boundary: vpc, technology: AWS Lambda{job}}}
  - {{id: db, name: Comments, type: store, boundary: vpc, assets: [token]{db}}}
  - {{id: vault, name: Identity DB, type: store, boundary: vpc, assets: [token]{db}}}
  - {{id: bot, name: Moderator, type: process, boundary: vpc, technology: LLM{web}}}
flows:
  - {{id: post, from: user, to: web, label: Submit comment, encrypted: false{flow}}}
  - {{id: page, from: web, to: user, label: Show comments, encrypted: false{flow}}}
  - {{id: insert, from: web, to: db, label: Insert comment, encrypted: false{flow}}}
  - {{id: clean, from: job, to: db, label: Clean comments, encrypted: false{flow}}}
  - {{id: copy, from: db, to: vault, label: Copy token, encrypted: false{flow}}}
  - {{id: ask, from: web, to: bot, label: Moderate, encrypted: false{flow}}}
  - {{id: verdict, from: bot, to: web, label: Verdict, encrypted: false{flow}}}
---

# Stated controls
"""


def hits(web: str | None = "[]", job: str | None = "[]", db: str | None = "[]",
         flow: str | None = "[]") -> set[tuple[str, str]]:
    def key(value: str | None) -> str:
        return "" if value is None else f", controls: {value}"
    text = MODEL.format(web=key(web), job=key(job), db=key(db), flow=key(flow))
    src = read_source("docs/m.md", text.encode("utf-8"))
    assert src.ok, src.findings
    return {(s.rule, s.target) for s in suggest(build_model(src))}


NONE_STATED = hits(None, None, None, None)
ALL_ABSENT = hits()

# (rule, target, the control that silences it on that target, which of hits' keys states it)
CASES = [
    ("TS080", "insert", None, "flow"),  # only encryption or a VPN silences it
    ("TS044", "insert", "[integrity-protection]", "flow"),
    ("TS081", "web", "[input-validation, input-sanitization, input-bounds-checking]", "web"),
    ("TS081", "job", "[input-validation, input-sanitization, input-bounds-checking]", "job"),
    ("TS082", "web", "[strong-session-ids, authentication-scheme]", "web"),
    ("TS083", "web", "[server-side-validation]", "web"),
    ("TS020", "web", "[output-encoding, input-sanitization, input-validation]", "web"),
    ("TS028", "web", "[input-validation]", "web"),
    ("TS033", "web", "[access-control, source-authorization]", "web"),
    ("TS024", "job", "[resource-limits]", "job"),
    ("TS047", "job", "[input-validation, input-sanitization]", "job"),
    ("TS031", "db", "[least-privilege]", "db"),
    ("TS048", "vault", "[access-control]", "db"),
]


@pytest.mark.parametrize(("code", "target", "control", "where"), CASES)
def test_a_stated_missing_control_fires_and_stating_it_silences(code, target, control, where):
    assert (code, target) in ALL_ABSENT
    assert (code, target) not in NONE_STATED  # nothing stated: nothing assumed
    if control is not None:
        assert (code, target) not in hits(**{where: control})


def test_no_controls_stated_fires_none_of_the_control_rules():
    new = {r.code for r in CATALOGUE if "TS080" <= r.code <= "TS119"}
    assert len(new) >= 4
    assert not {c for c, _ in NONE_STATED} & new
    assert {c for c, _ in ALL_ABSENT} >= new


def test_a_vpn_or_encryption_silences_the_cleartext_rule():
    text = MODEL.format(web="", job="", db="", flow=", controls: [], vpn: true")
    src = read_source("docs/m.md", text.encode("utf-8"))
    assert "TS080" not in {s.rule for s in suggest(build_model(src))}


def test_ai_processes_are_left_to_the_llm_rules():
    for code in ("TS081", "TS082", "TS083", "TS020", "TS033"):
        assert (code, "bot") not in ALL_ABSENT


def test_a_reason_names_the_target_and_the_absent_control():
    text = MODEL.format(web=", controls: [output-encoding]", job="", db="", flow="")
    src = read_source("docs/m.md", text.encode("utf-8"))
    got = {(s.rule, s.target): s for s in suggest(build_model(src))}
    reason = got[("TS081", "web")].reason
    assert reason.startswith("`web` states its controls and `input-validation`, "
                             "`input-sanitization`, `input-bounds-checking` are not among them")
    assert "output-encoding" not in reason


def test_an_llm_answering_its_caller_is_no_tool_call():
    # the verdict goes back to the web server that sent the text: TS007 needs a real tool
    assert ("TS007", "bot") not in ALL_ABSENT
    text = MODEL.format(web="", job="", db="", flow="").replace(
        "  - {id: verdict,", "  - {id: tool, from: bot, to: db, label: Look up history}\n"
        "  - {id: verdict,")
    src = read_source("docs/m.md", text.encode("utf-8"))
    assert ("TS007", "bot") in {(s.rule, s.target) for s in suggest(build_model(src))}
