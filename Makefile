# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve serve-zensical render test browser bench bench-stale bench-stale-long bench-site \
	install clean

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

test: $(STAMP)
	$(BIN)/ruff check mkdocs_threatmodel tests bench
	$(BIN)/python -m pytest

# Figures, not tests: each script prints its measurements next to the targets.
bench: $(STAMP)
	$(BIN)/python bench/validate_bench.py

bench-stale: $(STAMP)
	$(BIN)/python bench/stale_bench.py

# A real long history: REPO is a clone or bare copy of one (git/git, mkdocs-material).
bench-stale-long: $(STAMP)
	cd bench && ../$(BIN)/python stale_long_bench.py "$(REPO)" --runs 3

bench-site: $(STAMP)
	$(BIN)/python bench/site_bench.py --models 500 --runs 3

clean:
	rm -rf $(VENV) site example-site/site example-site/site-zensical example-site/.cache \
		build/example-render .pytest_cache
