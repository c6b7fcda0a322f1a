"""The review loop: every review is a new value that `stale` sees, even two on one day, and
under pre-commit the messages name the command that works there (the manual-stage hook)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from mkdocs_threatmodel.staleness.review import AlreadyRecorded, new_stamp

from .test_stale import MODEL, PATH, history  # noqa: F401  (the fixture)
from .test_stale_hooks import BIN, PROJECT, _env

NOW = dt.datetime(2026, 7, 1, 14, 5, 9)


def test_a_second_review_on_one_day_gets_the_time():
    first = {"date": "2026-06-01", "by": "Ann"}
    assert new_stamp("2026-07-01", "Ann", first, now=NOW) == "2026-07-01"
    same_day = {"date": "2026-07-01", "by": "Ann"}
    assert new_stamp("2026-07-01", "Ann", same_day, now=NOW) == "2026-07-01T14:05"
    same_minute = {"date": "2026-07-01T14:05", "by": "Ann"}
    assert new_stamp("2026-07-01", "Ann", same_minute, now=NOW) == "2026-07-01T14:05:09"
    seconds = {"date": "2026-07-01T14:05:09", "by": "Ann"}
    assert new_stamp("2026-07-01", "Ann", seconds, now=NOW) == "2026-07-01T14:05"
    # another reviewer that day is another value already: the date alone
    assert new_stamp("2026-07-01", "Bo", same_day, now=NOW) == "2026-07-01"


def test_a_date_given_is_written_as_given():
    recorded = {"date": "2026-06-01", "by": "Ann"}
    assert new_stamp("2026-06-02", "Ann", recorded, given=True, now=NOW) == "2026-06-02"
    assert new_stamp("2026-06-01T09:30", "Ann", recorded, given=True) == "2026-06-01T09:30"
    with pytest.raises(AlreadyRecorded, match=r"already records this review \(2026-06-01, "
                       r"Ann\): nothing written; to record another that day, give its time: "
                       r"--date 2026-06-01T14:05"):
        new_stamp("2026-06-01", "Ann", recorded, given=True, now=NOW)


def test_a_repeated_review_with_a_given_date_says_nothing_was_written(history, cli):  # noqa: F811
    assert cli(history.root, "review", PATH, "--by", "Ann", "--date", "2026-07-01").code == 0
    once = (history.root / PATH).read_bytes()
    again = cli(history.root, "review", PATH, "--by", "Ann", "--date", "2026-07-01")
    assert again.code == 0 and (history.root / PATH).read_bytes() == once
    assert "already records this review (2026-07-01, Ann): nothing written" in again.err
    assert "review recorded" not in again.err


def test_two_reviews_on_one_day_are_both_review_points(history, cli):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.commit("change", "2026-07-01")
    assert cli(history.root, "review", PATH, "--by", "Dana Reyes", today="2026-07-01").code == 0
    first = history.commit("first review", "2026-07-01")
    history.write("services/checkout/api.py", "v3\n")
    history.commit("change again", "2026-07-01")
    stale = json.loads(cli(history.root, "stale", "--format", "json", today="2026-07-01").out)
    assert stale["models"][0]["state"] == "stale"
    assert stale["models"][0]["review_point"]["sha"] == first

    before = (history.root / PATH).read_bytes()
    result = cli(history.root, "review", PATH, "--by", "Dana Reyes", today="2026-07-01")
    assert result.code == 0, result.err
    after = (history.root / PATH).read_bytes()
    stamp = re.search(rb"reviewed: \{date: (2026-07-01T[0-9:]+), by: Dana Reyes\}", after)
    assert stamp and after == before.replace(b"date: 2026-07-01,", b"date: " + stamp[1] + b",")
    assert f"review recorded ({stamp[1].decode()}, Dana Reyes)" in result.err
    second = history.commit("second review", "2026-07-01")
    doc = json.loads(cli(history.root, "stale", "--format", "json", today="2026-07-01").out)
    (model,) = doc["models"]
    assert model["state"] == "current" and model["review_point"]["sha"] == second
    assert model["reviewed"] == "2026-07-01"  # the day; the time only tells reviews apart
    assert cli(history.root, "validate", PATH).code == 0


def test_a_review_time_is_checked_like_a_date(history, cli):  # noqa: F811
    for bad in ("2026-07-01T25:00", "2026-02-30T10:00", "2026-07-01 10:00", "2026-07-01T1:00"):
        history.write(PATH, MODEL.replace("2026-06-01", bad))
        result = cli(history.root, "validate", PATH)
        assert result.code == 1 and " TM104 'reviewed.date' " in result.out, bad
    for good in ("2026-07-01T10:00", "2026-07-01T10:00:59Z", "2026-07-01T10:00+02:00"):
        history.write(PATH, MODEL.replace("2026-06-01", good))
        assert cli(history.root, "validate", PATH).code == 0, good
    assert cli(history.root, "review", PATH, "--date", "2026-07-01T25:00").code == 2


def test_messages_name_the_command_of_their_context(history, cli, monkeypatch):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "-A")
    plain = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert f"run: threatmodel review {PATH} and stage" in plain.out
    monkeypatch.setenv("PRE_COMMIT", "1")
    hooked = cli(history.root, "stale", "--staged", today="2026-07-01")
    assert (f"run: pre-commit run threatmodel-review --hook-stage manual --files {PATH} "
            "and stage") in hooked.out


def _pre_commit(repo, env, *args):
    return subprocess.run([str(BIN / "pre-commit"), *args], cwd=repo.root, env=env,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_the_review_loop_inside_pre_commit(history, tmp_path):  # noqa: F811
    """Adoption day with the real framework: refused, reviewed through the manual hook,
    accepted; and again the same day."""
    from .test_hooks import _shadow_copy_of_project

    env = {**_env(), "PRE_COMMIT_HOME": str(PROJECT / ".venv" / "pre-commit-home")}
    env.pop("PRE_COMMIT", None)
    shadow = tmp_path / "hook-repo"
    shadow.mkdir()
    rev = _shadow_copy_of_project(shadow)
    history.write(".pre-commit-config.yaml",
                  f"repos:\n  - repo: {shadow.as_posix()}\n    rev: {rev}\n    hooks:\n"
                  "      - id: threatmodel-stale\n      - id: threatmodel-review\n")
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=history.root, env=env,
                   check=True, capture_output=True)
    history.git("config", "user.name", "Dana Reyes")
    history.commit("hook config", "2026-06-02")
    command = f"pre-commit run threatmodel-review --hook-stage manual --files {PATH}"
    stamps = []
    for version in ("v2", "v3"):  # twice on 2026-07-01 (THREATMODEL_TODAY)
        history.write("services/checkout/api.py", f"{version}\n")
        history.git("add", "-A")
        refused = subprocess.run(["git", "commit", "-m", version], cwd=history.root, env=env,
                                 capture_output=True, text=True)
        output = refused.stdout + refused.stderr
        assert refused.returncode != 0, output
        assert "TM507 the staged change touches 1 path" in output
        assert f"run: {command} and stage the model" in output  # what works here
        assert "Blocked: 1 model needs a review" in output
        # the manual hook never runs at commit time, only when asked
        assert re.search(r"^threatmodel stale\.+Failed", output, re.M), output
        assert not re.search(r"^threatmodel review\.", output, re.M), output
        reviewed = _pre_commit(history, env, *command.split()[1:])
        # pre-commit calls a hook that changed files failed: that change is the review
        assert "files were modified by this hook" in reviewed.stdout, reviewed.stdout
        stamps.append(re.search(r"reviewed: \{date: ([^,]+), by: Dana Reyes\}",
                                (history.root / PATH).read_text())[1])
        history.git("add", "-A")
        accepted = subprocess.run(["git", "commit", "-m", version], cwd=history.root, env=env,
                                  capture_output=True, text=True)
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert stamps[0] == "2026-07-01" and re.fullmatch(r"2026-07-01T\d\d:\d\d", stamps[1])
    plain = subprocess.run([str(BIN / "threatmodel"), "stale"], cwd=history.root, env=env,
                           capture_output=True, text=True)
    assert plain.returncode == 0 and plain.stderr.startswith("0 of 1 model stale")
