# Värna: `make run` serves the app with demo data; `make test` runs every test.
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
PYTEST := $(BIN)/pytest -q -p no:cacheprovider
export CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: run test e2e fuzz lint translations messages install clean-db test-pg

$(BIN)/activate:
	@python3 -m venv $(VENV) || { echo "python3 -m venv failed: on Debian, install python3-venv (apt-get install python3-venv)."; exit 1; }

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# Compiled catalogues are build output (git-ignored); the .po files are the source.
translations: install
	@$(BIN)/pybabel -q compile -d app/translations

# Re-extract the messages after changing texts, then translate app/translations/en/LC_MESSAGES/messages.po.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

# Without VARNA_ENV=development Värna is production (it would refuse the development key).
run: export VARNA_ENV := development
# Links in e-mails (BASE_URL) point at the port Värna is served on, unless BASE_URL is set.
RUN_ENV = BASE_URL="$${BASE_URL:-http://127.0.0.1:$(PORT)}"
run: translations
	$(RUN_ENV) $(BIN)/flask --app wsgi db upgrade
	$(RUN_ENV) $(BIN)/flask --app wsgi demo load
	$(RUN_ENV) $(BIN)/flask --app wsgi demo cases
	@echo "Värna: http://127.0.0.1:$(PORT)"
	$(RUN_ENV) $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check .

# SQLite always; PostgreSQL too when TEST_DATABASE_URL points at one (.ci/run starts a throwaway server).
# The browser tests (tests/e2e, marked e2e) run once, in the SQLite pass; without Chromium they are
# skipped, and with CI=true they fail. The output ends with pytest's summary line of the last run.
test: translations lint
	@[ -n "$$TEST_DATABASE_URL" ] || echo "(SQLite only: TEST_DATABASE_URL is not set; 'make test-pg' adds a throwaway PostgreSQL)"
	@[ -x "$(CHROMIUM_PATH)" ] || echo "(Browser tests SKIPPED: Chromium is not installed at $(CHROMIUM_PATH); as root: apt-get install chromium)"
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "--- the same suite on PostgreSQL (without the browser tests)"; $(PYTEST) -m "not e2e"; fi

# Only the browser tests: the ten journeys in Chromium, with axe; screenshots in tests/screenshots/.
e2e: translations
	@[ -x "$(CHROMIUM_PATH)" ] || echo "(Browser tests SKIPPED: Chromium is not installed at $(CHROMIUM_PATH); as root: apt-get install chromium)"
	env -u TEST_DATABASE_URL $(PYTEST) -m e2e tests/e2e

# The long fuzzing run (tests marked fuzz: thousands of generated inputs per form and for the API's
# query parameters; a few minutes). `make test` runs only a small sample of each. On PostgreSQL too
# when TEST_DATABASE_URL is set.
fuzz: translations
	$(PYTEST) -m fuzz tests/test_fuzz.py

# Starts a throwaway PostgreSQL on loopback, runs `make test` against both databases, stops it.
test-pg:
	@bash scripts/with-throwaway-postgres.sh $(MAKE) --no-print-directory test

clean-db:
	rm -f instance/varna.db
