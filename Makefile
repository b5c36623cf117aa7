# Alongside: the one entry point. `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: demo test lint format messages serve worker bench bench-pairing bench-matching bench-checkins bench-screening bench-directory bench-community train-screening clean help

help:
	@echo "make demo   - set up and serve the app with demo data at http://127.0.0.1:$(PORT)"
	@echo "make test   - set up and run every test (browser tests included)"
	@echo "make lint   - ruff check, ruff format --check, mypy, makemigrations --check"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.base-installed: requirements/base.lock | $(PY)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(PY)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements/dev.lock
	@touch $@ $(VENV)/.base-installed

demo: $(VENV)/.base-installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py serve --port $(PORT)

# Production-style processes, one each (see docs/production.md).
serve: $(VENV)/.base-installed
	$(PY) manage.py serve --port $(PORT) --no-worker

worker: $(VENV)/.base-installed
	$(PY) manage.py run_huey

# One worker per core: each has its own test database, Redis key prefix and browser.
test: $(VENV)/.dev-installed
	$(PY) -m pytest -n auto

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy alongside
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks: never run by `make test`; each prints a table of figures.
bench: bench-pairing bench-matching bench-checkins bench-screening bench-directory bench-community

bench-pairing: $(VENV)/.dev-installed
	$(PY) -m bench.pairing_solve

# Exact matching CLI vs greedy and SciPy dense LSA at 1k/10k/100k members; instant-match latency.
bench-matching: $(VENV)/.dev-installed
	$(PY) -m bench.matching

# Check-in submission and the 90-day trend page with 10,000 members' history, on PostgreSQL.
bench-checkins: $(VENV)/.dev-installed
	$(PY) -m bench.checkins

# Screening quality on the held-out part of ../shared/data/crisis, and its speed on one core.
bench-screening: $(VENV)/.dev-installed
	$(PY) -m bench.screening

# Directory search and its results page with 100,000 meetings, and a 10,000-meeting feed
# import, on PostgreSQL.
bench-directory: $(VENV)/.dev-installed
	$(PY) -m bench.directory

# The page of a 5,000-reply thread and the space index: 16 clients, 2 uvicorn workers, PostgreSQL
# and Redis, against django-machina serving the same thread from its own virtualenv.
bench-community: $(VENV)/.dev-installed
	$(PY) -m bench.community

# Re-train the screening classifier from ../shared/data/crisis; the model file is committed.
train-screening: $(VENV)/.dev-installed
	$(PY) -m alongside.safety.screening.train

# Regenerate the translation catalogues after changing strings (needs GNU gettext).
messages: $(VENV)/.dev-installed
	cd alongside && ../$(PY) ../manage.py makemessages -l es --ignore "*/tests/*"
	cd alongside && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var staticfiles
