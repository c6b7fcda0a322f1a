"""``mkdocs serve``: a model edit is rebuilt without judging the git history again."""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.fixtures.sites import ADR, CHECKOUT, GIT_ENV, TODAY, FixtureSite, model, model_file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_rebuilds_a_model_edit_reusing_the_staleness_judgement(repo, tmp_path):
    repo.write("src/app.py", "print('v1')\n")
    repo.write("docs/adr/0001-checkout.md", ADR)
    repo.write("docs/models/checkout.md", model_file(model(CHECKOUT, covers=["src/**"])))
    for n in range(5):
        repo.write(f"docs/page-{n}.md", f"# Page {n}\n\nCites [[threat:CO-1]].\n")
    FixtureSite(repo.root).configure("mkdocs", {"staleness": "show"})
    repo.commit("site")
    repo.write("src/app.py", "print('v2')\n")
    repo.commit("change the app")
    calls = tmp_path / "git-calls.log"
    calls.write_text("")
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$1" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n')
    wrapper.chmod(0o755)
    port = free_port()
    env = {**os.environ, **GIT_ENV, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}",
           "THREATMODEL_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1",
           "THREATMODEL_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=repo.root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    seen: list[str] = []

    def wait_for(pattern: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(line)
            if re.search(pattern, line):
                return
        raise AssertionError(f"no {pattern!r} in:\n{''.join(seen)}")

    def get(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as r:
            return r.read().decode("utf-8")

    try:
        wait_for(r"Serving on")
        assert "Checkout threat model" in get("models/checkout/")
        assert "tm-header-stale" in get("models/checkout/")
        before = calls.read_text().split()
        assert "log" in before  # the history was read once, for the first build
        path = repo.root / "docs/models/checkout.md"
        path.write_text(path.read_text().replace("title: Checkout", "title: Checkout v2")
                        .replace("# Checkout threat model", "# Checkout threat model v2"))
        wait_for(r"Documentation built in")
        page = get("models/checkout/")
        assert "Checkout threat model v2" in page and "tm-header-stale" in page
        assert "Checkout v2" in get("page-3/")  # the citation's title follows the edit
        during = calls.read_text().split()[len(before):]
        assert "log" not in during and "cat-file" not in during, during
        assert len(during) <= 4, during  # a constant few, not one per page
    finally:
        proc.terminate()
        proc.wait(timeout=30)
