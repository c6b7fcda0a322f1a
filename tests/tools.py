"""The outside programs some tests drive (a Chromium, Mermaid from the npm registry): where to
find them, and what happens when they cannot be had.

Nothing here installs system packages or needs root. Where a program is missing, the tests that
need it are skipped with one line saying how to get it; with ``THREATMODEL_REQUIRE_BROWSER=1``
(``.ci/run`` sets it) that skip becomes a failure, so CI never passes without them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIRE = "THREATMODEL_REQUIRE_BROWSER"
CHROMIUM_VARIABLE = "THREATMODEL_CHROMIUM"
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MERMAID_CACHE = ROOT / ".venv" / "cache" / "mermaid"
HOW_TO_GET_CHROMIUM = (
    f"set {CHROMIUM_VARIABLE} to a Chromium, or run `.venv/bin/python -m playwright install "
    "chromium`, or install the system package (`chromium` on Debian and Ubuntu)")


def required() -> bool:
    """Whether a missing browser or Mermaid must fail the run instead of skipping (CI)."""
    return os.environ.get(REQUIRE, "") not in ("", "0")


def unavailable(reason: str) -> None:
    """Skip the calling test with ``reason``, or fail it where the tools are required."""
    if required():
        pytest.fail(f"{reason} ({REQUIRE} is set, so this is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(reason)


def _playwright_chromium() -> Path | None:
    """The Chromium that ``python -m playwright install chromium`` put in place, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = Path(playwright.chromium.executable_path)
    except Exception:  # the driver could not start: no Playwright browser either
        return None
    return path if path.is_file() else None


def find_chromium() -> tuple[Path | None, str]:
    """Find a Chromium: the environment variable, then Playwright's own, then the system's.

    Returns the executable (or ``None``) and a one-line account of the search.
    """
    named = os.environ.get(CHROMIUM_VARIABLE)
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return path, f"{CHROMIUM_VARIABLE}={named}"
        return None, f"{CHROMIUM_VARIABLE}={named} is not an executable file"
    own = _playwright_chromium()
    if own is not None:
        return own, f"Playwright's Chromium at {own}"
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return Path(found), f"the system's {name} at {found}"
    return None, f"no Chromium found: {HOW_TO_GET_CHROMIUM}"


def fetch_mermaid(cache: Path = MERMAID_CACHE) -> Path:
    """``mermaid.min.js`` of Mermaid 11, fetched once with ``npm pack`` into ``cache``.

    Skips (or fails, where required) with one line when npm is missing or the registry cannot
    be reached.
    """
    target = cache / "mermaid.min.js"
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is needed once to fetch Mermaid from the npm registry: install Node.js "
                    "and npm (the `npm` package on Debian and Ubuntu)")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        out = subprocess.run([npm, "pack", "mermaid@11", "--pack-destination", str(cache),
                              "--silent"], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        unavailable("`npm pack mermaid@11` did not answer in 300 s: is the npm registry "
                    "reachable?")
    if out.returncode != 0 or not out.stdout.strip():
        first = (out.stderr.strip().splitlines() or ["no output"])[0]
        unavailable(f"`npm pack mermaid@11` failed ({first}): is the npm registry reachable?")
    tarball = cache / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(archive.getmember("package/dist/mermaid.min.js"))
        data = member.read() if member else b""
    tarball.unlink()
    if not data:
        unavailable(f"{tarball.name} holds no dist/mermaid.min.js")
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target
