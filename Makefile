# Kindred: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kindred
TEST_REDIS_URL ?= redis://127.0.0.1:6379/8
# Two pytest-xdist workers, one per core, each with its own test database, Redis database
# (tests/per_worker.py) and live server port. PYTEST_WORKERS="-n 0" runs the suite in one process.
PYTEST_WORKERS ?= -n 2
# The port `make run` serves the demo on (make run PORT=8001).
PORT ?= 8000
# WeasyPrint prints the documents and loads Pango when it is imported: name what is missing, not a traceback.
CHECK_WEASYPRINT = $(PY) -c "import weasyprint" >/dev/null 2>&1 || { \
	echo "WeasyPrint, which prints Kindred's documents as PDF, cannot load its system libraries:"; \
	$(PY) -c "import weasyprint" 2>&1 | tail -n 1; \
	echo "Install Pango; on Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	exit 1; }

.PHONY: run check-port test bench lint format clean screenshots

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Kindred needs $(PYTHON) on the PATH (or run: make PYTHON=python3 ...)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Before the install, migrations and demo data (most of a minute): a port in use would only fail after them.
check-port:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Kindred needs $(PYTHON) on the PATH (or run: make PYTHON=python3 ...)."; exit 1; }
	@$(PYTHON) bin/check_port.py "$(PORT)"

# E-mailed links point at the port served, unless SITE_URL says otherwise.
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: check-port $(VENV)/.installed
	@$(CHECK_WEASYPRINT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Kindred is serving on http://127.0.0.1:$(PORT) with a Celery worker and beat. Ctrl-C stops all of them."
# Ctrl-C reaches every process of the terminal's group (runserver, its reloader child, Celery).
# The trap runs once (it clears itself first; a `kill 0` trap re-entered itself and flooded Celery
# with signals), stops the worker also when runserver ends on its own, and waits for the worker's
# warm shutdown, so nothing is left running when make returns.
	@trap 'trap - INT TERM EXIT; kill $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --beat --concurrency=1 --loglevel=INFO & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The README tour: each role's home page on a phone and a desktop, from the demo, in docs/tour/ (needs Chromium).
screenshots: $(VENV)/.installed-dev
	$(PY) manage.py migrate --noinput
	$(PY) manage.py tour_screenshots

test: $(VENV)/.installed-dev
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(PY) bin/check_services.py
	@$(CHECK_WEASYPRINT)
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then echo "Browser tests: running in $$(command -v chromium || echo /usr/bin/chromium)"; \
	else echo "Browser tests: SKIPPED, no Chromium found (apt-get install chromium)"; fi
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(PY) bin/check_services.py
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(PY) manage.py bench

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) data
