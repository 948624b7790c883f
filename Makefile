# OpenAmt: every target bootstraps what it needs (.venv, npm assets, Chromium).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# `openamt` defaults to openamt.conf.dev, pytest to openamt.conf.test (pyproject.toml).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench bootstrap assets pdflibs browser loadtool data demo schema format clean

bootstrap: $(VENV)/.installed assets pdflibs

# Pango for WeasyPrint (PDFs of receipts, decisions and data exports).
pdflibs:
	@if ! ldconfig -p | grep -q libpangoft2-1.0; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (Playwright may not download browsers).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# wrk, the HTTP load tool `make bench` measures throughput with.
loadtool:
	@if ! command -v wrk >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

# The official data the package ships (newer editions: OPENAMT_DATA_DIR), the
# authorities of the Land, search terms, service texts, responsibility rules and the
# shipped forms.
data: bootstrap
	$(BIN)/openamt migrate --noinput -v0
	$(BIN)/openamt import-regions
	$(BIN)/openamt import-postcodes
	$(BIN)/openamt sync-authorities
	$(BIN)/openamt import-services
	$(BIN)/openamt load-service-terms
	$(BIN)/openamt load-service-texts
	$(BIN)/openamt load-responsibility-rules
	$(BIN)/openamt forms load

run: data
	$(BIN)/openamt create-demo-staff --site http://$(HOST):$(PORT)
	$(BIN)/openamt collectstatic --noinput -v0
	@echo "OpenAmt läuft auf http://$(HOST):$(PORT)/ (Strg+C beendet)"
	@trap 'kill 0' EXIT; \
	  $(BIN)/openamt db_worker --no-reload & \
	  $(BIN)/openamt runserver --noreload $(HOST):$(PORT)

test: bootstrap browser
	$(BIN)/pytest $(PYTEST_ARGS)

lint: bootstrap
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=openamt.conf.test $(BIN)/openamt makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=openamt.conf.test $(BIN)/openamt openapi --check docs/openapi.json

schema: bootstrap
	DJANGO_SETTINGS_MODULE=openamt.conf.test $(BIN)/openamt openapi docs/openapi.json

format: bootstrap
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

bench: bootstrap loadtool
	@for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules var
