# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve serve-zensical render test test-fast browser bench bench-suggest bench-stale \
	bench-stale-long bench-site \
	install clean dist release

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs,test]'
	$(BIN)/python -m compileall -q mkdocs_threatmodel
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	cd example-site && ../$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# The same site built by Zensical from example-site/zensical.toml (the Markdown extension
# makes the views; --clean first, so pages showing other models start fresh).
serve-zensical: $(STAMP)
	cd example-site && ../$(BIN)/zensical build --clean && \
		../$(BIN)/zensical serve --dev-addr 127.0.0.1:8001

# The example site's pages as plain CommonMark, for any site generator.
render: $(STAMP)
	$(BIN)/threatmodel render example-site/docs --out build/example-render --staleness show

# Optional: Playwright's own Chromium for the browser tests, without root. Without any Chromium
# those tests are skipped with a line saying how to get one (tests/tools.py finds it).
browser: $(STAMP)
	$(BIN)/python -m playwright install chromium

# The whole suite on every core (pytest-xdist), after the linter and the type checker.
test: $(STAMP)
	$(BIN)/ruff check mkdocs_threatmodel tests bench release
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

# The inner loop: the suite without the tests marked slow or browser (about a minute).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow and not browser"

# Figures, not tests: each script prints its measurements next to the targets.
bench: $(STAMP)
	$(BIN)/python bench/validate_bench.py

bench-suggest: $(STAMP)
	$(BIN)/python bench/suggest_bench.py --runs 3

bench-stale: $(STAMP)
	$(BIN)/python bench/stale_bench.py

# A real long history: REPO is a clone or bare copy of one (git/git, mkdocs-material).
bench-stale-long: $(STAMP)
	cd bench && ../$(BIN)/python stale_long_bench.py "$(REPO)" --runs 3

bench-site: $(STAMP)
	$(BIN)/python bench/site_bench.py --runs 3

# The sdist and the wheel in dist/, checked as the release workflow checks them.
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*
	$(BIN)/python release/check_dist.py dist/* --tag v$(VERSION)

# The one step of a release: check, then tag vVERSION and push the tag; the release workflow
# (.github/workflows/release.yml) builds, checks and publishes it by trusted publishing.
release: dist
	git diff --quiet HEAD -- || { echo "commit your changes first"; exit 1; }
	git tag -a v$(VERSION) -m "mkdocs-threatmodel $(VERSION)"
	git push origin v$(VERSION)

clean:
	rm -rf $(VENV) site example-site/site example-site/site-zensical example-site/.cache \
		build/example-render .pytest_cache dist
