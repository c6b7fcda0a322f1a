"""How the example site prints: each model page and the register printed to an A4 PDF by a
headless Chromium, with the number of pages and the share of table columns whose header and
longest cell are in the PDF's text (target: all of them).

It builds the example site with Material (web fonts off) in a temporary folder, serves it from
127.0.0.1 and prints with Playwright's ``page.pdf``. Mermaid is read from ``--mermaid`` (by
default the copy the browser tests cache under ``.venv``); Chromium is ``--chromium`` or the
first of ``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``.

Usage::

    .venv/bin/python bench/print_bench.py [--chromium PATH] [--mermaid PATH] [--keep]

Nothing is asserted: the script prints the figures.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import shutil
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.sites import build, example_config  # noqa: E402
from tests.test_browser_look import COLUMNS  # noqa: E402

PAGES = ("threat-models/guest-checkout/", "threat-models/shipping-webhook/",
         "threat-models/support-assistant/", "threat-models/register/")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _alnum(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default=None)
    parser.add_argument("--mermaid", default=str(ROOT / ".venv/cache/mermaid/mermaid.min.js"))
    parser.add_argument("--keep", action="store_true", help="keep the built site")
    args = parser.parse_args()
    chromium = args.chromium or next(
        (found for name in ("chromium", "chromium-browser", "google-chrome")
         if (found := shutil.which(name))), None)
    if chromium is None or not Path(args.mermaid).is_file():
        print("needs a Chromium (--chromium) and mermaid.min.js (--mermaid)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    folder = Path(tempfile.mkdtemp(prefix="print-bench-"))
    try:
        result = build(example_config(folder, options=f"      mermaid: {args.mermaid}\n"),
                       folder / "site", cache=folder / "cache")
        if result.code != 0:
            print(result.log, file=sys.stderr)
            return 1
        handler = functools.partial(_Quiet, directory=str(folder / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"{'page':40} {'A4 pages':>8} {'columns in the PDF':>19}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--headless=new", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for path in PAGES:
                page.goto(base + path)
                page.wait_for_load_state("load")
                page.wait_for_timeout(2000)  # Mermaid draws after load
                columns = page.evaluate(COLUMNS)
                pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
                text = _alnum(" ".join(p.extract_text() or "" for p in pdf.pages))
                whole = sum(1 for c in columns
                            if _alnum(c["column"]) in text and _alnum(c["sample"]) in text)
                print(f"{path:40} {len(pdf.pages):8} {whole:>12} of {len(columns):<4}")
            browser.close()
        server.shutdown()
    finally:
        if args.keep:
            print(f"site kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
