# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck install dev pdf-deps system-deps fonts bench clean messages

$(BIN)/observatory: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/observatory
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Optional extras: `pdf` (Playwright, for PDF reports) and `bench` (the peers the benchmarks compare against).
$(VENV)/.pdf: $(BIN)/observatory
	$(BIN)/python -m pip install --quiet -e '.[pdf]'
	touch $@

$(VENV)/.bench: $(BIN)/observatory
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

install: $(BIN)/observatory
dev: $(VENV)/.dev

# PDF reports need Chromium; the demo runs without it (they answer 503 pdf-unavailable) and says so.
demo: install $(VENV)/.pdf
	@$(MAKE) --no-print-directory fonts || echo "warning: could not install the Noto fonts; PDF reports in Arabic and Chinese will lack glyphs"
	@$(MAKE) --no-print-directory pdf-deps || echo "warning: could not install chromium (needs apt-get and root); PDF reports will answer 503 until it is installed"
	$(BIN)/observatory demo

# Debian's chromium: PDF reports print through it (policy/pdf.py), and the page tests drive it.
pdf-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian packages the suite needs: the browser (pdf-deps), a PostgreSQL server for the store tests.
system-deps: pdf-deps fonts
	@command -v pg_ctlcluster >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

# Noto fonts: PDF reports in Arabic and Chinese (and every other script of the six languages) with embedded glyphs.
fonts:
	@dpkg -s fonts-noto-core fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk; }

lint: dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: dev
	$(BIN)/mypy

test: dev system-deps lint typecheck
	OBSERVATORY_REQUIRE_POSTGRES=1 scripts/with-postgres $(BIN)/pytest -n 2

bench: install $(VENV)/.bench
	$(BIN)/observatory bench

# Message catalogues: extract the strings of the code and templates (babel.cfg) into locale/messages.pot, then bring
# each language's catalogue up to date (new messages untranslated, never fuzzy: tests/i18n checks none is left).
LOCALE := src/observatory/locale
LANGUAGES := ar es fr ru zh
messages: dev
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 \
		--no-location --sort-output --omit-header -o $(LOCALE)/messages.pot .
	for lang in $(LANGUAGES); do \
		if [ -f $(LOCALE)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang; \
		else \
			$(BIN)/pybabel init -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang; \
		fi; \
	done

clean:
	rm -rf $(VENV) var
