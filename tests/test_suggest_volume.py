"""``threatmodel suggest`` readable at volume: text and Markdown grouped by rule or by target,
counts per model and per severity, ``--details``, ``--min-severity`` (also for ``--write``),
and the site's view grouped by rule."""

from __future__ import annotations

import json
import re

from mkdocs_threatmodel.format.model import build_model
from mkdocs_threatmodel.format.source import read_source
from mkdocs_threatmodel.suggest import report
from mkdocs_threatmodel.suggest.engine import Suggestion, suggest

from .suggest_models import SMALL

# The seven rules that fire on each API of the fleet (one flow from the internet each).
FLEET_RULES = ("TS001", "TS010", "TS020", "TS024", "TS042", "TS044", "TS047")


def fleet(n: int, model_id: str = "fleet") -> str:
    """A model of ``n`` APIs, each called from the internet without authentication: seven
    rules fire on each API or its flow, so 50 APIs give 350 suggestions."""
    lines = ["---", "threatmodel: 1", f"id: {model_id}", "title: Fleet", "owner: team-test",
             "assets:", "  - {id: pii, name: Guest PII, classification: confidential}",
             "boundaries:", "  - {id: internet, name: Internet}", "  - {id: vpc, name: VPC}",
             "elements:", "  - {id: browser, name: Browser, type: external, boundary: internet}"]
    lines += [f"  - {{id: api-{k:03d}, name: API {k}, type: process, boundary: vpc}}"
              for k in range(n)]
    lines.append("flows:")
    lines += [f'  - {{id: f-{k:03d}, from: browser, to: api-{k:03d}, label: "GET /o{k}/{{id}}", '
              "protocol: HTTPS, auth: none, data: [pii]}" for k in range(n)]
    return "\n".join([*lines, "---", "", "# Fleet", ""])


def model_of(text: str, rel: str):
    src = read_source(rel, text.encode("utf-8"))
    assert src.ok, src.findings
    return build_model(src)


# -- text ----------------------------------------------------------------------------------
def test_350_suggestions_are_a_header_a_line_per_rule_and_a_line_per_target(repo, cli):
    repo.write("docs/fleet.md", fleet(50))
    result = cli(repo.root, "suggest")
    assert result.code == 0, result.err
    lines = result.lines
    assert lines[0] == ("docs/fleet.md (fleet): 350 suggestions, 350 open, by severity: "
                        "300 high, 50 medium")
    heads = [line for line in lines if re.match(r"  TS\d{3} ", line)]
    assert [h.split()[0] for h in heads] == list(FLEET_RULES)
    assert all(", 50 targets: " in h for h in heads)
    assert heads[0] == ("  TS001 object-id-without-authorization (I), 50 targets: Other "
                        "users' objects read by changing the id in the target")
    assert len(lines) == 1 + 7 * (1 + 50)  # was four lines per suggestion: 1,400
    first = lines.index(heads[0])
    assert lines[first + 1] == "    f-000  high x high = high  open"
    assert "because" not in result.out and "rating:" not in result.out  # --details has them
    assert result.err == "350 suggestions in 1 model, 350 open (300 high, 50 medium)\n"


def test_group_by_target_puts_everything_on_one_target_together(repo, cli):
    repo.write("docs/fleet.md", fleet(3))
    result = cli(repo.root, "suggest", "--group-by", "target")
    assert result.code == 0
    lines = result.lines
    heads = [line for line in lines if re.match(r"  \S", line)]
    # elements, then flows, in the model's order
    assert heads == ["  api-000 (element), 5 suggestions:", "  api-001 (element), 5 suggestions:",
                     "  api-002 (element), 5 suggestions:", "  f-000 (flow), 2 suggestions:",
                     "  f-001 (flow), 2 suggestions:", "  f-002 (flow), 2 suggestions:"]
    api = lines.index(heads[0])
    assert [line.split()[0] for line in lines[api + 1:api + 6]] == [
        "TS010", "TS020", "TS024", "TS042", "TS047"]
    assert re.fullmatch(r"    TS010 unauthenticated-boundary-flow \(S\) +high x high = high"
                        r" +open", lines[api + 1])
    assert cli(repo.root, "suggest", "--group-by", "model").code == 2  # rule or target only


def test_details_keep_the_title_reason_rating_and_references(repo, cli):
    repo.write("docs/m.md", SMALL)
    plain = cli(repo.root, "suggest").out
    detailed = cli(repo.root, "suggest", "--details")
    assert detailed.code == 0
    text = detailed.out
    assert "because" not in plain
    s = next(s for s in suggest(model_of(SMALL, "docs/m.md")) if s.rule == "TS001")
    block = text[text.index("  TS001 "):text.index("  TS010 ")]
    assert f"    see: {', '.join(s.references)}\n" in block  # the rule's, once
    assert "    why: An id in a URL is not an authorization check" in block
    assert "    get-order  high x high = high  open\n" in block
    assert f"        {s.title}\n" in block
    assert f"        because {s.reason}\n" in block
    assert f"        rating: {s.rating}\n" in block
    by_target = cli(repo.root, "suggest", "--details", "--group-by", "target").out
    assert f"        because {s.reason}\n" in by_target and "        see: CWE-639" in by_target


def _made(target: str, reason: str, likelihood: str = "high", **kw) -> Suggestion:
    return Suggestion("m", "docs/m.md", "TS010", "unauthenticated-boundary-flow", "S", target,
                      ("elements", int(target[-1])), f"Anyone can call {target}", reason,
                      ["CWE-306"], likelihood, "high", "why this rating", **kw)


def test_a_reason_every_target_shares_is_said_once_under_its_rule():
    shared = [_made("api-1", "the gateway has `auth: none`"),
              _made("api-2", "the gateway has `auth: none`")]
    text = report.as_text(shared)
    assert text.count("because the gateway has `auth: none`") == 1
    assert text.index("because") < text.index("    api-1 ")
    detailed = report.as_text(shared, details=True)
    assert detailed.count("because") == 1
    apart = report.as_text([_made("api-1", "reason one"), _made("api-2", "reason two")])
    assert "because" not in apart  # not shared: --details says each
    assert report.as_text([_made("api-1", "reason one"), _made("api-2", "reason two")],
                          details=True).count("because") == 2


def test_model_text_cannot_send_control_characters_to_the_terminal(repo, cli):
    repo.write("docs/m.md", SMALL.replace('"GET /orders/{id}"', '"GET /\\e[2J\\e]0;x\\a{id}"'))
    result = cli(repo.root, "suggest", "--details")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "\\x1b[2J" in result.out


def test_addressed_and_dismissed_are_counted_and_listed_with_all(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "--all")
    assert result.lines[0] == ("docs/m.md (small): 7 suggestions, 6 open, by severity: "
                               "5 high, 1 medium")
    assert "  TS024 denial-of-service-across-boundary (D), 1 target, 0 open: " in result.out
    assert re.search(r"^    api  \S+ x \S+ = \S+  addressed by SM-001$", result.out, re.M)


# -- counts per model ----------------------------------------------------------------------
def test_the_footer_counts_each_model_then_the_run(repo, cli, monkeypatch):
    repo.write("docs/a.md", fleet(2, "fleet-a"))
    repo.write("docs/b.md", SMALL)
    result = cli(repo.root, "suggest")
    assert result.err.splitlines() == [
        "docs/a.md (fleet-a): 14 suggestions, 14 open, by severity: 12 high, 2 medium",
        "docs/b.md (small): 7 suggestions, 6 open, by severity: 5 high, 1 medium",
        "21 suggestions in 2 models, 20 open (17 high, 3 medium)"]
    assert "docs/a.md (fleet-a): 14 suggestions, 14 open" in result.lines[0]
    assert any(line.startswith("docs/b.md (small): 7 suggestions, 6 open")
               for line in result.lines)
    monkeypatch.setattr(report, "FOOTER_MODELS", 1)  # many models: those with most open
    err = cli(repo.root, "suggest").err.splitlines()
    assert err[0].startswith("docs/a.md (fleet-a): ")
    assert err[1] == "... and 1 more model with 6 open suggestions"
    assert err[2].startswith("21 suggestions in 2 models")


def test_cached_suggestions_give_the_same_report(repo, cli):
    repo.write("docs/fleet.md", fleet(4))
    cold = cli(repo.root, "suggest", "--details", "--min-severity", "high")
    warm = cli(repo.root, "suggest", "--details", "--min-severity", "high")
    assert cold.out == warm.out and cold.err == warm.err and "high" in cold.out


# -- --min-severity ------------------------------------------------------------------------
def test_min_severity_lists_only_that_level_or_above_and_counts_the_rest(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "--min-severity", "high")
    assert result.code == 0
    assert result.lines[0] == ("docs/m.md (small): 7 suggestions, 6 open, by severity: "
                               "5 high, 1 medium; 1 below high not shown")
    assert "TS044" not in result.out  # low x high: medium
    assert "TS001" in result.out and "TS010" in result.out
    assert result.err.endswith("6 open (5 high, 1 medium); 1 below high not shown\n")
    everything = cli(repo.root, "suggest", "--min-severity", "low").out
    assert "TS044" in everything and "not shown" not in everything
    assert cli(repo.root, "suggest", "--min-severity", "critical").out == ""


def test_min_severity_in_json_and_markdown(repo, cli):
    repo.write("docs/m.md", SMALL)
    doc = json.loads(cli(repo.root, "suggest", "--format", "json", "--min-severity",
                         "high").out)
    assert doc["version"] == 1 and doc["min_severity"] == "high"
    assert doc["hidden"] == 1  # TS044 (medium); JSON lists the addressed TS024 (high)
    assert {s["severity"] for s in doc["suggestions"]} == {"high"}
    assert any(s["rule"] == "TS024" for s in doc["suggestions"])
    md = cli(repo.root, "suggest", "--format", "markdown", "--min-severity", "high").out
    assert "1 below high not shown" in md and "TS044" not in md


def test_a_bad_level_is_a_usage_error(repo, cli):
    repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "--min-severity", "severe")
    assert result.code == 2 and "invalid choice: 'severe'" in result.err


def test_write_appends_only_the_suggestions_of_the_level(repo, cli):
    path = repo.write("docs/m.md", SMALL)
    result = cli(repo.root, "suggest", "--write", "--min-severity", "high")
    assert result.code == 0, result.err
    added = [t for t in model_of(path.read_text("utf-8"), "docs/m.md").threats
             if t.id != "SM-001"]
    assert sorted(t.tags[1] for t in added) == ["TS001", "TS010", "TS020", "TS042", "TS047"]
    assert all(t.status == "untriaged" for t in added)
    left = [s for s in suggest(model_of(path.read_text("utf-8"), "docs/m.md")) if s.open]
    assert [(s.rule, s.severity) for s in left] == [("TS044", "medium")]
    assert "docs/m.md: 5 untriaged threats appended" in result.err


# -- Markdown ------------------------------------------------------------------------------
def test_markdown_has_a_table_per_rule_or_per_target(repo, cli):
    repo.write("docs/fleet.md", fleet(3))
    md = cli(repo.root, "suggest", "--format", "markdown").out
    assert md.startswith("## fleet (docs/fleet.md)\n\n21 suggestions, 21 open, by severity: "
                         "18 high, 3 medium.\n")
    assert re.findall(r"^### (TS\d{3}) .*: (\d+)$", md, re.M) == [
        (code, "3") for code in FLEET_RULES]
    section = md[md.index("### TS010"):md.index("### TS020")]
    assert ("| target | suggestion | why | likelihood | impact | severity | state |"
            in section)
    assert len(re.findall(r"^\| `api-00\d` \| Anyone can call API \d ", section, re.M)) == 3
    by_target = cli(repo.root, "suggest", "--format", "markdown", "--group-by", "target").out
    assert re.findall(r"^### `([^`]+)` \((\w+)\): (\d+)$", by_target, re.M)[:4] == [
        ("api-000", "element", "5"), ("api-001", "element", "5"), ("api-002", "element", "5"),
        ("f-000", "flow", "2")]
    assert "| TS010 | `unauthenticated-boundary-flow` | S | Anyone can call API 0 " in by_target
    detailed = cli(repo.root, "suggest", "--format", "markdown", "--details").out
    assert "| state | rating | see |" in detailed and "| CWE-306" in detailed


# -- the site ------------------------------------------------------------------------------
def _site(*models, **options):
    import datetime as dt

    from mkdocs_threatmodel.views.site import Options, Site

    return Site(list(models), {m.path: f"models/{m.id}/" for m in models},
                options=Options(today=dt.date(2026, 11, 27), **options))


def test_the_model_page_folds_its_suggestions_by_rule_with_counts():
    from mkdocs_threatmodel.views import suggestions as view

    model = model_of(fleet(50), "docs/fleet.md")
    html = view.render(model, _site(model), "models/fleet/")
    assert "<strong>350 open suggestions</strong> from 7 rules" in html
    assert ('By severity: <span class="tm-badge tm-risk-high">300 high</span> '
            '<span class="tm-badge tm-risk-medium">50 medium</span>') in html
    sections = re.findall(r'<details class="tm-items tm-suggestion-rule" data-rule="(TS\d+)">'
                          r"<summary>(.*?)</summary>(.*?)</details>", html, re.S)
    assert [code for code, _, _ in sections] == list(FLEET_RULES)
    code, summary, body = sections[1]
    assert summary == ('<code>TS010</code> unauthenticated-boundary-flow '
                       '(<abbr title="Spoofing">S</abbr>): 50 targets, highest '
                       '<span class="tm-badge tm-risk-high">high</span>')
    assert body.count("<tr><td><code>api-0") == 50
    assert html.count("<table") == 7


def test_the_grouped_view_escapes_model_text_and_redacts_to_counts():
    from mkdocs_threatmodel.views import suggestions as view

    evil = '"GET /<img src=x onerror=alert(1)>/{id}"'
    hostile = model_of(SMALL.replace('"GET /orders/{id}"', evil)
                       .replace("name: Orders API", "name: <b>Orders</b>"), "docs/m.md")
    html = view.render(hostile, _site(hostile), "models/small/")
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;Orders&lt;/b&gt;" in html
    redacted = view.render(hostile, _site(hostile, redact="open"), "models/small/")
    assert "<strong>6 open suggestions</strong> from 6 rules" in redacted
    assert "5 high</span>" in redacted
    assert "<details" not in redacted and "TS001" not in redacted and "img" not in redacted
