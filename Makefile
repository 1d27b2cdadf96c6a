# The words the README uses: `make run` and `make test`; the rest are for developers and CI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
MANAGE := $(PY) manage.py
# `make run PORT=8001` when 8000 is taken; a bad PORT stops `make run` before it sets anything up.
PORT ?= 8000
ifneq ($(filter run,$(MAKECMDGOALS)),)
  ifeq ($(shell [ "$(PORT)" -ge 1 ] 2>/dev/null && [ "$(PORT)" -le 65535 ] && echo ok),)
    $(error PORT must be a port number from 1 to 65535, not '$(PORT)')
  endif
endif

.PHONY: run test messages lint format typecheck migrations-check check-deploy docker-lint bench clean help
.DEFAULT_GOAL := help

help:
	@echo "make run               set up, migrate, load demo data, serve http://127.0.0.1:$(PORT) (SQLite;"
	@echo "                       another port: make run PORT=8001)"
	@echo "make test              the whole test suite, in parallel (PostgreSQL and Redis when reachable)"
	@echo "make messages          compile the translations (locale/*/LC_MESSAGES/*.po) to .mo"
	@echo "make lint              ruff check and format check, and the layers contracts (lint-imports)"
	@echo "make format            fix what ruff can: lint fixes and formatting"
	@echo "make typecheck         mypy with django-stubs on the typed layers (TYPED below)"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make check-deploy      manage.py check --deploy with production-like settings"
	@echo "make docker-lint       hadolint on the Dockerfile"
	@echo "make bench             requests/s and p50/p99 against gunicorn (PostgreSQL, Redis)"
	@echo "make bench BENCH=frontdoor  the same through HAProxy and gunicorn, 256-2,048 connections"
	@echo "make clean             remove .venv, test artefacts, caches and compiled translations"
	@echo "make help              this list"

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.run-installed

# Translations: .po (committed) to .mo (build output) with Babel; no GNU gettext needed.
messages: $(VENV)/.run-installed
	$(PY) scripts/compilemessages.py

# Development server on SQLite and local folders; a fresh demo login is printed every time.
run: export DEBUG = 1
run: $(VENV)/.run-installed messages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo
	$(MANAGE) create_demo_login
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev-installed messages
	$(PY) scripts/test.py $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The typed layers: settings and helpers, the service and selector packages, text matching.
TYPED := traceobject objects/services tips/selectors tips/services tips/matching \
  backoffice/services.py

# DEBUG=1: the plugin imports the settings, which need no secrets then (as for migrations-check).
typecheck: export DEBUG = 1
typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy $(TYPED)

migrations-check: export DEBUG = 1
migrations-check: $(VENV)/.dev-installed
	$(MANAGE) makemigrations --check --dry-run

# The deploy check with production-like settings and nothing else from the environment; the
# hosts in the URLs are never contacted (the check does not connect).
check-deploy: $(VENV)/.dev-installed
	env -i PATH="$$PATH" LANG=C.UTF-8 DEBUG=0 VAR_DIR=var/check-deploy \
	  SECRET_KEY=check-deploy-only-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))') \
	  RECEIPT_KEY=check-deploy-only-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))') \
	  TIP_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  ALLOWED_HOSTS=traceanobject.example \
	  OPERATOR_NAME="Check Deploy Police" OPERATOR_CONTACT_EMAIL=contact@traceanobject.example \
	  DATABASE_URL=postgres://tao@db.invalid:5432/tao REDIS_URL=redis://cache.invalid:6379/0 \
	  $(MANAGE) check --deploy --fail-level WARNING

docker-lint: $(VENV)/.dev-installed
	$(VENV)/bin/hadolint Dockerfile

# Needs PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL; see bench/run.py).
# BENCH=frontdoor: bench/frontdoor.py, the HAProxy front door and gunicorn in one run.
BENCH ?= run
bench: $(VENV)/.dev-installed
	$(PY) bench/$(BENCH).py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/test var/mypy .pytest_cache .ruff_cache
	find locale -name '*.mo' -delete
