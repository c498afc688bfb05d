# Strategy Portal — the two commands: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
PYTEST_ARGS ?= -n auto

.DEFAULT_GOAL := help
.PHONY: help run test lint format check-deploy migrate demo assets pdf-libraries worker beat clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMPS)/runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/runtime

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

build/static/vendor: node_modules/.package-lock.json scripts/build-assets.mjs
	npm run --silent build
	@touch $@

assets: build/static/vendor  ## Copy GOV.UK / MOJ Frontend and Chart.js into static files

# WeasyPrint draws the performance pack's PDF with Pango and needs a font: Debian packages,
# installed here when missing (on a system without dpkg, install Pango yourself).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

pdf-libraries:  ## Install the system libraries the PDF pack needs (Debian/Ubuntu), when missing
	@if command -v dpkg >/dev/null && ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  echo "Installing $(PDF_PACKAGES) for PDFs"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES); \
	fi

migrate: $(STAMPS)/runtime
	$(BIN)/python manage.py migrate --no-input

demo: migrate  ## Load the demo data and demo users (safe to repeat)
	$(BIN)/python manage.py load_demo

run: $(STAMPS)/runtime assets pdf-libraries demo  ## Install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
	@echo "Serving http://127.0.0.1:$(PORT)/ — sign in with a demo user above."
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The test databases are kept after a run that passed (--reuse-db), and made afresh when a
# migration or the database changed since, or the last run failed or was stopped (it may have
# left rows behind): the stamp names a hash of the migrations and the database URL.
TEST_DB_STAMP = $(STAMPS)/test-db-$(shell cat */migrations/*.py | { cat; echo "$(DATABASE_URL)"; } | sha1sum | cut -c1-16)

test: $(STAMPS)/dev assets pdf-libraries  ## The whole suite (DATABASE_URL / CELERY_BROKER_URL when set)
	$(BIN)/python manage.py makemigrations --check --dry-run
	@fresh="$(if $(wildcard $(TEST_DB_STAMP)),,--create-db)"; rm -f $(STAMPS)/test-db-*; \
	echo "$(BIN)/pytest $(PYTEST_ARGS) --reuse-db $$fresh"; \
	$(BIN)/pytest $(PYTEST_ARGS) --reuse-db $$fresh
	@touch $(TEST_DB_STAMP)

lint: $(STAMPS)/dev  ## ruff, formatting and the import layers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMPS)/dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(STAMPS)/runtime assets  ## Django's deployment checklist under production settings
	DJANGO_SETTINGS_MODULE=strategy_portal.settings_production \
	DJANGO_SECRET_KEY=check-deploy-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=strategy-portal.example DATABASE_URL=sqlite:///:memory: \
	CACHE_URL=redis://127.0.0.1:6379/1 PSEUDONYMISATION_KEY=check-deploy-dummy-pseudonymisation-key \
	SITE_URL=https://strategy-portal.example EMAIL_HOST=smtp.strategy-portal.example \
	DEFAULT_FROM_EMAIL=portal@strategy-portal.example \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

worker: $(STAMPS)/runtime  ## A Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A strategy_portal worker -l info

beat: $(STAMPS)/runtime  ## Celery beat, the nightly schedule (exactly one per deployment)
	$(BIN)/celery -A strategy_portal beat -l info

.PHONY: bench
bench: $(STAMPS)/dev  ## Benchmarks on PostgreSQL, one table of figures (drops and recreates BENCH_DATABASE_URL)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:  ## Remove the venv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules build staticfiles $(STAMPS) db.sqlite3
