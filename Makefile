# Guichet — the two commands a newcomer needs: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-test lock lint messages worker clean diagrams load bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions of requirements/*.txt, each file checked against its hash; the
# project itself is installed editable on top, without resolving anything again.
$(VENV)/.installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps --requirement requirements/base.txt
	$(BIN)/pip install --quiet --no-deps --editable .
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes --no-deps --requirement requirements/test.txt
	touch $@

## Pin again what pyproject.toml allows, with the hashes of every published file: after a
## change there, keeping the other pins; UPGRADE=1 takes the newest versions within bounds.
lock:
	$(PYTHON) -m venv /tmp/guichet-lock && /tmp/guichet-lock/bin/pip install --quiet pip-tools
	for extra in base test; do \
	  /tmp/guichet-lock/bin/pip-compile --quiet $(if $(UPGRADE),--upgrade) --generate-hashes --allow-unsafe \
	    --strip-extras --no-emit-find-links --no-emit-index-url \
	    $$([ $$extra = test ] && echo --extra test) --output-file requirements/$$extra.txt pyproject.toml; \
	done

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Install, migrate the SQLite database, load the demo data and serve on $(HOST):$(PORT);
## links in emails and certificates point there (SITE_URL, see portal/links.py).
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py demo
	@echo "Guichet is served on http://$(HOST):$(PORT)/ (Ctrl-C to stop)."
	DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Install the test tools and run every check and test, on $(WORKERS) processes.
## GUICHET_TEST_DATABASE_ONLY=1 (CI's PostgreSQL run) skips what the first run covered:
## the checks of the code, the browser tests and the tests that never touch the database.
WORKERS ?= 2
test: install-test
ifneq ($(GUICHET_TEST_DATABASE_ONLY),1)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/lint-imports --no-cache
endif
	$(BIN)/pytest --numprocesses $(WORKERS) --dist loadgroup

## Load-test gunicorn on the local PostgreSQL for two minutes, then check every accepted
## write in the database (docs/load.md; DURATION=, FOUNDERS=, … to change the run;
## SCENARIO=rush for the deadline-day rush).
load: install-test
	$(BIN)/python -m tests.load.run

## Benchmark at programme scale in a database of its own (docs/performance.md); QUICK=1 for a
## tenth of the data; on PostgreSQL with DATABASE_URL=postgres://….
bench: install
	$(BIN)/python manage.py bench $(if $(QUICK),--quick) --check --json bench.json

lint: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh the translation catalogues (needs gettext) and compile them.
messages: install
	cd portal && DEBUG=1 ../$(BIN)/python ../manage.py makemessages -l fr -l de -l nl -l en --no-obsolete
	cd portal && DEBUG=1 ../$(BIN)/python ../manage.py compilemessages -l fr -l de -l nl -l en

## Run a background worker for the database task backend (TASKS_BACKEND=database).
worker: install
	$(BIN)/python manage.py db_worker --queue-name default,exports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

## Redraw the state-machine diagrams in docs/diagrams from the code.
diagrams: install-test
	DEBUG=1 $(BIN)/python manage.py state_diagrams
