# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck install dev system-deps bench clean

$(BIN)/observatory: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/observatory
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/observatory
dev: $(VENV)/.dev

demo: install
	$(BIN)/observatory demo

# Debian packages the suite needs: a browser for the page tests, a PostgreSQL server for the store tests.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v pg_ctlcluster >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

lint: dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: dev
	$(BIN)/mypy

test: dev system-deps lint typecheck
	OBSERVATORY_REQUIRE_POSTGRES=1 scripts/with-postgres $(BIN)/pytest -n 2

bench: install
	$(BIN)/observatory bench

clean:
	rm -rf $(VENV) var
