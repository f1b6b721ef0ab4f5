# Two commands do everything on a fresh machine with Python 3.11+:
#   make run    set up, migrate an SQLite database, load the catalogue and the demo, serve on :5000
#   make test   set up and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in emails and calendars point here; given in the environment, that address wins.
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
export FLASK_APP := wsgi

.PHONY: run test install db lint format clean lock audit messages translations

# Installs the versions pinned in requirements.lock (make lock renews them from pyproject.toml).
# axe-core and HTML_CodeSniffer (npm) are the browser tests' accessibility engines; without npm they are skipped.
$(STAMP): pyproject.toml requirements.lock package-lock.json scripts/system-packages.sh
	WITH_BROWSER=0 ./scripts/system-packages.sh
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	touch $(STAMP)

# The compiled catalogues Flask-Babel reads: built from each language's messages.po whenever it
# is newer, never committed (git ignores *.mo). tests/conftest.py builds them too, for a bare
# `pytest`.
CATALOGUES := $(wildcard tracker/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

translations: $(COMPILED)

lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	( echo "# Every package the tracker and its tests install, pinned: make lock renews it."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable ) > requirements.lock
	rm -rf .venv-lock

# Known vulnerabilities in the pinned packages (PyPI's OSV data; needs the network).
audit:
	$(PYTHON) scripts/audit_dependencies.py requirements.lock

install: $(STAMP) translations

db: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask tracker load-catalogue
	$(BIN)/flask tracker seed-demo

# The scheduler (reminders, email) runs beside the web server, as in production, and stops with it.
run: export PUBLIC_BASE_URL := $(PUBLIC_BASE_URL)
run: db
	@echo "Serving on http://$(HOST):$(PORT)/ (links in emails: $(PUBLIC_BASE_URL)) - sign in with one of the demo accounts above."
	$(BIN)/flask tracker scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check tracker tests bench migrations/env.py config.py wsgi.py
	$(BIN)/ruff format --check tracker tests bench config.py wsgi.py
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix tracker tests bench config.py wsgi.py
	$(BIN)/ruff format tracker tests bench config.py wsgi.py

# The interface's text for translators, in the template Flask-Babel's translations start from,
# merged into every language's messages.po (new messages empty, changed ones marked fuzzy).
# A new language: pybabel init -i tracker/translations/messages.pot -d tracker/translations -l xx.
# The .pot is generated, so git ignores it. N_ and NP_ mark sentences kept in the database
# (tracker/messages.py).
messages: install
	mkdir -p tracker/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -k N_ -k NP_:1,2 -o tracker/translations/messages.pot .
	if [ -n "$(CATALOGUES)" ]; then \
	  $(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations; fi

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache *.egg-info
