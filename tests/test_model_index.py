"""The hook's index of what each model blob declares: read once per blob, then kept."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from mkdocs_threatmodel.workspace.cache import seal, unseal

from .test_stale import PATH, history, stale  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _cache_of_this_test(tmp_path, monkeypatch):
    monkeypatch.setenv("THREATMODEL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def index_file(cache: Path) -> Path:
    (found,) = cache.glob("models/*.bin")
    return found


def blob(repo, path: str) -> str:
    return repo.git("rev-parse", f":{path}").strip()


def test_declarations_are_kept_by_blob_and_read_from_there(history, cli,  # noqa: F811
                                                           _cache_of_this_test):
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "-A")
    assert stale(cli, history, "--staged").code == 1  # blocks, and keeps what it read
    stored = index_file(_cache_of_this_test)
    version, known = marshal.loads(unseal(stored.read_bytes()))
    sha = blob(history, PATH)
    assert known[sha] == (("services/checkout/**", "openapi/check out.yaml"),
                          ("../adr/0007-checkout.md",))
    assert known[blob(history, "docs/adr/0007-checkout.md")] is None  # Markdown, no model
    known[sha] = (("elsewhere/**",), ())
    stored.write_bytes(seal(marshal.dumps((version, known))))
    assert stale(cli, history, "--staged").code == 0  # what was kept (sealed) is what decides
    stored.write_bytes(marshal.dumps((version, known)))
    assert stale(cli, history, "--staged").code == 1  # unsealed: read afresh


def test_a_staged_model_edit_is_read_afresh(history, cli, _cache_of_this_test):  # noqa: F811
    history.write("services/payments/api.py", "v1\n")
    history.git("add", "-A")
    assert stale(cli, history, "--staged").code == 0  # payments is not covered yet
    text = (history.root / PATH).read_text()
    history.write(PATH, text.replace("covers: [", "covers: [services/payments/**, "))
    history.write("services/payments/api.py", "v2\n")
    history.git("add", "-A")
    result = stale(cli, history, "--staged")
    assert result.code == 1
    assert "TM507" in result.out and "services/payments/api.py" in result.out


def test_unreadable_index_is_replaced(history, cli, _cache_of_this_test):  # noqa: F811
    history.write("services/checkout/api.py", "v2\n")
    history.git("add", "-A")
    expected = stale(cli, history, "--staged")
    stored = index_file(_cache_of_this_test)
    stored.write_bytes(b"not marshal data")
    again = stale(cli, history, "--staged")
    assert (again.code, again.out) == (expected.code, expected.out)
    assert blob(history, PATH) in marshal.loads(unseal(stored.read_bytes()))[1]
