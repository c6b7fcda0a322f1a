"""Issue 10, input families: values, globs, nesting, configuration, paths that leave the
repository, control characters in output, and random mutations of the example models.

Every situation runs the real ``threatmodel`` on a real git repository: in-process through
the ``cli`` fixture, or in a subprocess with a timeout where a hang must be caught.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import GIT_ENV
from .fixtures.sites import FixtureSite, model, model_file
from .models import MITIGATED, VALID, install, mutate, where

MODEL = "docs/models/checkout.md"
FINDING = re.compile(r"^[^\s:][^:]*:\d+:\d+: TM\d{3} ")
DEEP = "[" * 600 + "]" * 600
EXAMPLES = Path(__file__).resolve().parents[1] / "example-site" / "docs" / "threat-models"
ESC = "\x1b]0;owned\x07\x1b[31m\u009b2J\u202e"  # OSC, BEL, CSI, C1 CSI, bidi override


def tm(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """``threatmodel ARGS`` in a subprocess; a hang fails the test with TimeoutExpired."""
    env = {**os.environ, **GIT_ENV, "THREATMODEL_TODAY": "2026-11-27"}
    return subprocess.run([sys.executable, "-m", "mkdocs_threatmodel", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)


def controls(text: str) -> list[str]:
    """Control characters of ``text`` other than the line break (bidirectional overrides
    included)."""
    return [c for c in text if c != "\n" and (unicodedata.category(c) == "Cc"
                                              or unicodedata.bidirectional(c) in _BIDI)]


_BIDI = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def one_line_each(out: str) -> bool:
    return all(FINDING.match(line) for line in out.splitlines())


# -- 2. values that look valid and are not ---------------------------------------------------
def test_duration_with_a_final_newline_is_not_a_duration(repo, cli):
    text = mutate("review_every: 180d", 'review_every: "1d\\n"')
    install(repo, text)
    repo.commit("model")
    result = cli(repo.root, "validate")
    line, column = where(text, '"1d')
    assert result.code == 1
    assert f"{MODEL}:{line}:{column}: TM107 " in result.out


@pytest.mark.parametrize("old,new,needle", [
    ("    targets: [sql]\n", '    targets: [sql]\n    per_target: {"sql\\n": {}}\n', '"sql\\n"'),
    ("    targets: [sql]\n", '    targets: [sql]\n    per_target: {"sql x": {}}\n', '"sql x"'),
    ("id: guest-checkout", 'id: "guest-checkout\\n"', '"guest-checkout'),
    ("{id: browser,", '{id: "browser\\n",', '"browser'),
    ("id: CHK-002", 'id: "CHK-002\\n"', '"CHK-002'),
])
def test_id_with_a_final_newline_is_not_an_id(repo, cli, old, new, needle):
    text = mutate(old, new)
    install(repo, text)
    result = cli(repo.root, "validate")
    line, column = where(text, needle)
    assert result.code == 1
    assert f"{MODEL}:{line}:{column}: TM107 " in result.out


def test_a_final_newline_does_not_escape_uniqueness(repo, cli):
    install(repo)
    install(repo, mutate("id: guest-checkout", "id: other").replace(
        "id: CHK-001", 'id: "CHK-001\\n"').replace("id: CHK-002", "id: OTH-2").replace(
        "id: CHK-006", "id: OTH-6"), rel="docs/models/other.md")
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert "TM107" in result.out or "TM211" in result.out


@pytest.mark.parametrize("value", ["x\n", "x\r\n", "\nx", "x y", "", "-x"])
def test_every_id_check_takes_the_whole_value(value):
    from mkdocs_threatmodel.format.spec import is_id
    from mkdocs_threatmodel.interop.common import is_slug

    assert not is_id(value) and not is_slug(value)
    assert is_id("x.y-z_1") and is_slug("x.y-z_1")


def test_date_with_a_final_newline_is_not_a_date(repo, cli):
    text = mutate("date: 2026-11-20, by: Dana", 'date: "2026-11-20\\n", by: Dana')
    install(repo, text)
    result = cli(repo.root, "validate")
    line, column = where(text, '"2026-11-20\\n"')
    assert result.code == 1
    assert f"{MODEL}:{line}:{column}: TM104 " in result.out


@pytest.mark.parametrize("key,value", [("id", "x\n"), ("review_every", "1d\n"),
                                       ("reviewed", {"date": "2026-11-20\n"})])
def test_json_schema_patterns_match_the_whole_value(cli, tmp_path, key, value):
    result = cli(tmp_path, "schema")
    schema = json.loads(result.out)
    front = {"threatmodel": 1, "id": "x", "title": "t", key: value}
    assert not jsonschema.Draft7Validator(schema).is_valid(front)


def test_json_schema_still_accepts_plain_values(cli, tmp_path):
    schema = json.loads(cli(tmp_path, "schema").out)
    front = {"threatmodel": 1, "id": "x.y-z_1", "title": "t", "review_every": "26w",
             "reviewed": {"date": "2026-11-20"}}
    assert jsonschema.Draft7Validator(schema).is_valid(front)


def test_new_refuses_an_id_with_a_final_newline(cli, tmp_path):
    result = cli(tmp_path, "new", "m.md", "--id", "abc\n", "--title", "T")
    assert result.code == 2
    assert not (tmp_path / "m.md").exists()


def test_import_refuses_an_id_with_a_final_newline(repo, cli):
    repo.write("in.json", json.dumps(_otm()))
    result = cli(repo.root, "import", "in.json", "-o", "m.md", "--owner", "team",
                 "--id", "abc\n")
    assert result.code == 2
    assert not (repo.root / "m.md").exists()


def test_import_does_not_keep_source_ids_with_a_final_newline(repo, cli):
    data = _otm()
    data["trustZones"][0]["id"] = "tz\n"
    data["components"][0]["id"] = "web\n"
    data["components"][0]["parent"]["trustZone"] = "tz\n"
    repo.write("in.json", json.dumps(data))
    result = cli(repo.root, "import", "in.json", "-o", "m.md", "--owner", "team")
    front = yaml.safe_load((repo.root / "m.md").read_text("utf-8").split("---\n")[1])
    ids = [front["id"]] + [e["id"] for k in ("boundaries", "elements") for e in front[k]]
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", i) for i in ids), ids
    assert result.code == 0, result.out


def _otm() -> dict:
    return {"otmVersion": "0.2.0", "project": {"name": "Shop", "id": "shop"},
            "trustZones": [{"id": "tz", "name": "Internet", "risk": {"trustRating": 10}}],
            "components": [{"id": "web", "name": "Web", "parent": {"trustZone": "tz"}}],
            "dataflows": []}


# -- 4. globs never backtrack catastrophically ----------------------------------------------
BACKTRACKING_GLOB = "**a" * 12 + "**b"
LONG_PATH = "a" * 60 + "/" + "a" * 100 + ".txt"


def test_covers_glob_with_many_double_stars_does_not_hang_stale(repo):
    install(repo, mutate("covers: [services/checkout-api/**]",
                         f'covers: ["{BACKTRACKING_GLOB}", "services/checkout-api/**"]'))
    repo.commit("model", date="2026-11-20")
    repo.write(LONG_PATH, "x\n")
    repo.commit("a long path", date="2026-11-21")
    result = tm(repo.root, "stale", "--no-cache", timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_exclude_glob_with_many_double_stars_does_not_hang_validate(repo):
    install(repo)
    repo.write(LONG_PATH[:-4] + ".md", "# Notes\n")
    repo.write(".threatmodel.yaml", f'exclude: ["{BACKTRACKING_GLOB}"]\n')
    repo.commit("model")
    result = tm(repo.root, "validate", "--no-cache", timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr


def test_glob_with_double_stars_still_matches(repo, cli):
    install(repo, mutate("covers: [services/checkout-api/**]",
                         'covers: ["**/checkout-*/**/*.py"]'))
    repo.commit("model", date="2026-11-20")
    repo.write("services/checkout-api/src/deep/handler.py", "x\n")
    repo.commit("handler", date="2026-11-21")
    result = cli(repo.root, "stale")
    assert result.code == 1
    assert "TM501" in result.out and "handler.py" in result.out


_GLOB_CHARS = st.sampled_from(list("ab/*?[]!-\\"))
_PATH_CHARS = st.sampled_from(list("ab/.-"))


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, database=None, derandomize=True)
@given(st.text(_GLOB_CHARS, max_size=10), st.text(_PATH_CHARS, max_size=12))
def test_the_linear_glob_automaton_agrees_with_the_regex(glob, path):
    from mkdocs_threatmodel.workspace.globs import _Automaton, compile_glob, parse

    expected = compile_glob(glob).fullmatch(path) is not None
    read = parse(glob)
    assert _Automaton(read.tokens, read.tail).fullmatch(path) == expected


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, database=None, derandomize=True)
@given(st.text(_GLOB_CHARS, max_size=10), st.text(_PATH_CHARS, max_size=12))
def test_every_fast_matcher_agrees_with_the_linear_automaton(glob, path):
    """The string comparisons, the per-name matcher and the guarded regex that
    ``matcher`` picks answer as the automaton does."""
    from mkdocs_threatmodel.workspace.globs import _Automaton, glob_match, parse

    read = parse(glob)
    assert glob_match(glob, path) == _Automaton(read.tokens, read.tail).fullmatch(path)


@pytest.mark.parametrize("glob,path,expected", [
    ("src/**/*.py", "src/a/b/c.py", True), ("src/**/*.py", "src/c.py", True),
    ("src/**/*.py", "src/c.pyc", False), ("**/*.md", "a.md", True), ("/*.md", "a/b.md", False),
    ("*.md", "a/b.md", True),
    ("a/**/b/**/c/*.py", "a/x/b/y/z/c/d.py", True), ("a/**/b/**/c/*.py", "a/b/c/e.py", True),
    ("a/**/b/**/c/*.py", "a/b/d/e.py", False), ("a/[bc]d/**", "a/cd/x", True),
    ("a/[!bc]d", "a/xd", True), ("a[!b]c", "a/c", False), ("a[/]c", "a/c", False),
    ("[z-a]", "z", False), ("[z-a]", "[z-a]", False), ("docs", "docs/a/b.md", True),
    (BACKTRACKING_GLOB, LONG_PATH, False), (BACKTRACKING_GLOB, "a" * 12 + "b", True),
    ("*a" * 12 + "*b", "a" * 4000, False), ("**a**b", "a" * 4000 + "b", True),
])
def test_glob_matching(glob, path, expected):
    from mkdocs_threatmodel.workspace.globs import glob_match

    assert glob_match(glob, path) is expected


# -- 5. crashes: nesting, bad globs, configuration types ------------------------------------
NESTING_REASON = "issue 10: 600 levels of nesting raise RecursionError in the YAML walker"


def test_deep_nesting_in_a_model_breaks_no_other_command(repo, cli):
    install(repo)
    base = repo.commit("model")
    install(repo, mutate("owner: team-checkout", f"owner: {DEEP}"))
    for args in (["diff", base], ["review", MODEL, "--by", "Dana"],
                 ["export", MODEL, "--to", "json"], ["validate", "--format", "sarif", MODEL]):
        result = cli(repo.root, *args)  # a traceback here fails the test
        assert result.code in (0, 1), (args, result.err)
        assert "TM109" in result.out + result.err or args[0] == "diff", args
    assert "TM109" in cli(repo.root, "diff", base).out


@pytest.mark.parametrize("command", ["validate", "stale"])
def test_deep_nesting_in_a_model_is_one_finding(repo, cli, command):
    text = mutate("owner: team-checkout", f"owner: {DEEP}")
    install(repo, text)
    repo.commit("model")
    result = cli(repo.root, command)
    assert result.code == (1 if command == "validate" else 0)
    lines = result.out.splitlines()
    if command == "validate":
        assert len(lines) == 1 and lines[0].startswith(f"{MODEL}:5:") and " TM109 " in lines[0]
    assert one_line_each(result.out)


def test_deep_nesting_in_reviewed_does_not_crash_stale(repo, cli):
    install(repo, mutate("by: Dana Reyes}", f"by: {DEEP}}}"))
    repo.commit("model")
    result = cli(repo.root, "stale")
    assert result.code in (0, 1)
    assert one_line_each(result.out)


def test_deep_nesting_in_an_adr_does_not_crash_stale(repo, cli):
    install(repo)
    repo.write("docs/adr/0007-guest-checkout.md", f"---\nstatus: {DEEP}\n---\n# ADR\n")
    repo.commit("model")
    result = cli(repo.root, "stale")
    assert result.code in (0, 1)
    assert one_line_each(result.out)


def test_deep_nesting_in_the_configuration_is_one_finding(repo, cli):
    install(repo)
    repo.write(".threatmodel.yaml", f"exclude: {DEEP}\n")
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert [line for line in result.out.splitlines() if " TM109 " in line] == [
        line for line in result.out.splitlines() if line.startswith(".threatmodel.yaml:")]
    assert len(result.out.splitlines()) == 1


def test_deep_nesting_in_an_imported_yaml_file_is_one_line(repo, cli):
    repo.write("in.yaml", "otmVersion: 0.2.0\nproject: {name: P, id: p, description: "
               + DEEP + "}\n")
    result = cli(repo.root, "import", "in.yaml")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err.splitlines()) == 1 and "in.yaml:2:" in result.err


def test_deep_nesting_in_an_imported_json_file_is_one_line(repo, cli):
    repo.write("in.json", '{"otmVersion": "0.2.0", "project": {"name": "P", "id": "p", '
               '"description": ' + "[" * 5000 + "]" * 5000 + "}}")
    result = cli(repo.root, "import", "in.json")
    assert result.code == 1
    assert len(result.err.splitlines()) == 1 and "in.json" in result.err


def test_deep_nesting_does_not_crash_the_site_build(tmp_path):
    site = FixtureSite(tmp_path / "site-src")
    site.write("docs/index.md", "# Home\n")
    text = model_file(model()).replace("owner: team-checkout", f"owner: {DEEP}", 1)
    site.write("docs/models/checkout.md", text)
    site.configure("mkdocs")
    built = site.build()
    assert "Traceback" not in built.log and "RecursionError" not in built.log, built.log[-2000:]
    assert "TM109" in built.log
    assert built.code == 0


def test_invalid_glob_is_reported_by_validate_at_its_line(repo, cli):
    text = mutate("covers: [services/checkout-api/**]", "covers: ['[z-a]']")
    install(repo, text)
    result = cli(repo.root, "validate")
    line, column = where(text, "'[z-a]'")
    assert result.code == 1
    assert result.out.startswith(f"{MODEL}:{line}:{column}: TM110 ")


def test_invalid_glob_does_not_crash_stale(repo, cli):
    install(repo, mutate("covers: [services/checkout-api/**]",
                         "covers: ['[z-a]', services/checkout-api/**]"))
    repo.commit("model", date="2026-11-20")
    repo.write("services/checkout-api/x.py", "x\n")
    repo.commit("change", date="2026-11-21")
    result = cli(repo.root, "stale")
    assert result.code == 1
    assert "TM501" in result.out and one_line_each(result.out)


CONFIG_CRASHES = ["rules: {TM402: [warning]}", "rules: {TM402: {level: warning}}",
                  "exclude: ['[z-a]']"]
CONFIG_FINDINGS = ["rules: [TM402]", "strict: [1]", "stale_existing: {a: b}",
                   "exclude: [{a: b}]", "exclude: '*.md'", "rules: {TM402: 1.5}",
                   "rules: {TM402: null}", "rules: {TM999: warning}", "- strict"]


@pytest.mark.parametrize("config", CONFIG_CRASHES)
def test_configuration_of_wrong_type_is_a_finding(repo, cli, config):
    _configuration_is_one_finding(repo, cli, config)


@pytest.mark.parametrize("config", CONFIG_FINDINGS)
def test_configuration_of_wrong_type_is_a_finding_already(repo, cli, config):
    _configuration_is_one_finding(repo, cli, config)


def _configuration_is_one_finding(repo, cli, config: str) -> None:
    install(repo)
    repo.write(".threatmodel.yaml", config + "\n")
    repo.commit("model")
    result = cli(repo.root, "validate")
    assert result.code == 1
    assert len(result.out.splitlines()) == 1
    assert result.out.startswith(".threatmodel.yaml:1:") and " TM901 " in result.out
    stale = cli(repo.root, "stale")  # says the same of the configuration, and blocks
    assert stale.code == 1 and one_line_each(stale.out)
    assert [line for line in stale.out.splitlines() if " TM901 " in line] == result.out.splitlines()
    assert stale.err.startswith("Blocked: .threatmodel.yaml has 1 problem (TM901 bad-config).")


# -- 6. tests and adrs that leave the repository ---------------------------------------------
_MIT_TEST = "tests: [services/checkout-api/tests/test_order_access.py]}"
OUTSIDE = [
    ("mitigations", _MIT_TEST, "tests: [{secret}]}"),
    ("mitigations", _MIT_TEST, "tests: [services/../../secret.py]}"),
    ("tests", "services/checkout-api/tests/test_order_access.py", "{secret}"),
    ("tests", "services/checkout-api/tests/test_order_access.py", "../secret.py"),
    ("tests", "services/checkout-api/tests/test_order_access.py", "services/../../secret.py"),
    ("adrs", "../adr/0007-guest-checkout.md", "{secret}"),
    ("adrs", "../adr/0007-guest-checkout.md", "../../../secret.py"),
]


@pytest.mark.parametrize("key,old,entry", OUTSIDE)
def test_paths_outside_the_repository_are_errors_and_never_opened(tmp_path, repo, cli, key,
                                                                  old, entry):
    secret = tmp_path / "secret.py"
    entry = entry.replace("{secret}", str(secret))
    text = mutate(old, entry, MITIGATED if key == "mitigations" else VALID)
    install(repo, text)
    outputs = []
    for content in (None, "# CHK-001 is here\n", "nothing\n"):
        if content is None:
            secret.unlink(missing_ok=True)
        else:
            secret.write_text(content, encoding="utf-8")
        outputs.append(cli(repo.root, "validate"))
    assert len({(r.code, r.out) for r in outputs}) == 1, [r.out for r in outputs]
    line, column = where(text, entry.removeprefix("tests: [").removesuffix("]}"))
    assert outputs[0].code == 1
    assert f"{MODEL}:{line}:{column}: TM212 " in outputs[0].out


@pytest.mark.parametrize("path,expected", [
    ("a/b.py", "a/b.py"), ("a/./b/../c.py", "a/c.py"), ("a:b.py", "a:b.py"), ("", "."),
    ("../x", None), ("a/../../x", None), ("/etc/passwd", None), ("C:\\x", None),
    ("C:/x", None), ("\\\\server\\x", None), ("..\\..\\x", None),
])
def test_repository_path_refuses_what_leaves_the_repository(path, expected):
    from mkdocs_threatmodel.workspace.repository import repository_path

    assert repository_path(path) == expected


def test_paths_that_stay_inside_the_repository_are_fine(repo, cli):
    test = "services/checkout-api/tests/test_order_access.py"
    install(repo, mutate(f"tests: [{test}]", f"tests: [services/gone/../{test[9:]}]"))
    repo.commit("model")
    for args in (["validate"], ["validate", "--staged"]):
        result = cli(repo.root, *args)
        assert result.code == 0, result.out


@pytest.mark.parametrize("entry", ["../secret.py", "{secret}"])
def test_paths_outside_the_repository_are_errors_when_staged(tmp_path, repo, cli, entry):
    entry = entry.format(secret=tmp_path / "secret.py")
    text = mutate("tests: [services/checkout-api/tests/test_order_access.py]",
                  f"tests: ['{entry}']")
    install(repo, text)
    repo.git("add", "-A")
    result = cli(repo.root, "validate", "--staged")
    line, column = where(text, f"'{entry}'")
    assert result.code == 1
    assert f"{MODEL}:{line}:{column}: TM212 " in result.out


def test_a_symlink_out_of_the_repository_is_never_opened(tmp_path, repo, cli):
    secret = tmp_path / "secret.py"
    (repo.root / "services/checkout-api/tests").mkdir(parents=True)
    (repo.root / "services/checkout-api/tests/link.py").symlink_to(secret)
    install(repo, mutate("tests: [services/checkout-api/tests/test_order_access.py]",
                         "tests: [services/checkout-api/tests/link.py]"))
    outputs = []
    for content in (None, "# CHK-001 is here\n", "nothing\n"):
        if content is None:
            secret.unlink(missing_ok=True)
        else:
            secret.write_text(content, encoding="utf-8")
        outputs.append(cli(repo.root, "validate"))
    assert len({(r.code, r.out) for r in outputs}) == 1, [r.out for r in outputs]
    assert outputs[0].code == 1 and " TM208 " in outputs[0].out


# -- 7. control characters never reach text output raw ---------------------------------------
def test_validate_escapes_control_characters_in_keys(repo, cli):
    install(repo, mutate("    ticket: HC-142", '    "tick\\e]0;owned\\ail": HC-142'))
    result = cli(repo.root, "validate")
    assert result.code == 1 and "TM101" in result.out
    assert controls(result.out) == [] and "\\x1b" in result.out


def test_validate_escapes_control_characters_in_paths(repo, cli):
    install(repo, mutate("expires: 2027-05-20", "expires: 2026-11-01"),
            rel=f"docs/models/a{ESC}b.md")
    result = cli(repo.root, "validate")
    assert result.code == 1 and "TM404" in result.out
    assert controls(result.out + result.err) == []


def test_usage_errors_escape_control_characters(repo, cli):
    result = cli(repo.root, "validate", f"no{ESC}such.md")
    assert result.code == 2
    assert controls(result.err) == []


def test_stale_escapes_control_characters_in_commit_subjects(repo, cli):
    install(repo)
    repo.commit("model", date="2026-11-20")
    repo.write("services/checkout-api/x.py", "x\n")
    repo.commit(f"evil {ESC} subject", date="2026-11-21", author=f"Mallory{ESC}")
    result = cli(repo.root, "stale")
    assert result.code == 1 and "TM501" in result.out
    assert controls(result.out + result.err) == []
    assert "\\x1b" in result.out


def test_site_build_log_escapes_control_characters(tmp_path):
    site = FixtureSite(tmp_path / "site-src")
    site.write("docs/index.md", "# Home\n")
    text = model_file(model()).replace("owner: team-checkout",
                                       'owner: team-checkout\n"own\\e[2Jer": x', 1)
    site.write("docs/models/checkout.md", text)
    site.configure("mkdocs")
    built = site.build()
    assert "TM101" in built.log and "\\x1b" in built.log
    assert controls(built.log) == []


def test_json_and_sarif_reports_escape_control_characters(repo, cli):
    install(repo, mutate("    ticket: HC-142", '    "tick\\e\\u009b\\u202e": HC-142'))
    repo.commit("model", date="2026-11-20")
    repo.write("services/checkout-api/x.py", "x\n")
    repo.commit(f"evil {ESC} subject", date="2026-11-21")
    for args in (["stale", "--format", "json"], ["stale", "--format", "sarif"],
                 ["validate", "--format", "json"], ["validate", "--format", "sarif"]):
        result = cli(repo.root, *args)
        assert result.code == 1 and controls(result.out) == [], args
        assert json.loads(result.out)
    assert "evil" in cli(repo.root, "stale", "--format", "json").out


def test_review_escapes_control_characters(repo, cli):
    install(repo)
    repo.commit("model")
    result = cli(repo.root, "review", MODEL, "--by", f"Eve{ESC}")
    assert controls(result.out + result.err) == []


def test_diff_escapes_control_characters(repo, cli):
    install(repo)
    base = repo.commit("model")
    install(repo, mutate("  - id: CHK-006\n",
                         '  - id: CHK-007\n    title: "Evil \\e]0;owned\\a \\e[31mred"\n'
                         "    stride: [R]\n    targets: [checkout-api]\n"
                         '    status: not-applicable\n    rationale: "n\\e[2Ja"\n'
                         '    owner: "own\\e[2Jer"\n  - id: CHK-006\n'))
    assert cli(repo.root, "validate").code == 0
    result = cli(repo.root, "diff", base)
    assert result.code == 0 and "CHK-007" in result.out
    assert controls(result.out + result.err) == []


@pytest.mark.parametrize("output", [True, False])
def test_import_never_writes_nul_or_esc(repo, cli, output):
    data = _otm()
    data["project"].update(name="Shop\u001b[31m\u0000X", description="d\u001b]0;x\u0007")
    data["trustZones"][0]["name"] = "Inter\u0000net"
    data["components"][0].update(name="W\u001beb", threats=[{"threat": "t1", "state": "open"}])
    data["threats"] = [{"id": "t1", "name": "Thr\u001b[2Jeat", "categories": ["Spoofing"],
                        "risk": {"likelihood": 50, "impact": 50}, "description": "x\u0000y"}]
    repo.write("in.json", json.dumps(data))
    args = ["-o", "m.md"] if output else []
    result = cli(repo.root, "import", "in.json", "--owner", "team", *args)
    written = (repo.root / "m.md").read_text("utf-8") if output else result.out
    assert "Shop" in written and "Thr" in written
    assert "\x00" not in written and "\x1b" not in written
    assert controls(written.replace("\t", "")) == []


def test_threat_dragon_import_never_writes_nul_or_esc(repo, cli):
    sample = Path(__file__).parent / "data/interop/threat-dragon/v2-threat-model.json"
    data = json.loads(sample.read_text("utf-8"))

    def taint(value):
        if isinstance(value, dict):
            return {k: (v + "\u001b[31m\u0000\u009b2J" if k in _TAINTED and isinstance(v, str)
                        else taint(v)) for k, v in value.items()}
        return [taint(v) for v in value] if isinstance(value, list) else value

    repo.write("td.json", json.dumps(taint(data)))
    result = cli(repo.root, "import", "td.json", "--owner", "team")
    assert result.code == 0, result.err
    assert "Demo Threat Model" in result.out
    assert controls(result.out.replace("\t", "")) == []


_TAINTED = {"title", "name", "description", "owner", "text", "mitigation"}


# -- also: random mutations of the example models ----------------------------------------------
def _examples() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md"))
            if p.read_text("utf-8").startswith("---\nthreatmodel:")]


_PIECES = ["\n", ": ", "- ", "[", "]", "{", "}", "'", '"', "#", "&a ", "*a", "!!str ", "\t",
           "\x1b", "\x00", "\ufeff", "---\n", "...\n", "**", "[z-a]", "\\", "..", "/", "?",
           "|\n", ">\n", "%", "@", "`", "1e3", "no", "~", "2026-13-45", "\r\n", "é"]


_EDITS = st.tuples(st.sampled_from(["insert", "delete", "duplicate"]), st.integers(0, 1 << 20),
                   st.sampled_from(_PIECES) | st.text(max_size=8), st.integers(1, 40))


def _mutate(text: str, edits: list[tuple[str, int, str, int]]) -> str:
    """``text`` after each (action, position, piece, length) edit."""
    for action, at, piece, length in edits:
        at %= len(text) + 1
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + length:]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = at % len(lines)
                lines.insert(i, lines[i])
            text = "".join(lines)
    return text


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.lists(_EDITS, min_size=1, max_size=6)),
                min_size=1, max_size=6))
@pytest.mark.slow
def test_random_mutations_of_the_examples_never_crash_or_hang(repo, mutants):
    examples = _examples()
    for n, (which, edits) in enumerate(mutants):
        text = _mutate(examples[which % len(examples)], edits)
        repo.write(f"models/m{n}.md", text.encode("utf-8", "surrogatepass"))
    result = tm(repo.root, "validate", "--no-cache", timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert one_line_each(result.stdout), result.stdout
    for n in range(len(mutants)):
        (repo.root / f"models/m{n}.md").unlink()
