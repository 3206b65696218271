# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# Tests and checks run with DEBUG off, like production; they need some secret key.
# Connections close after each request, so threads (live server, Celery worker) leave none open.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-not-for-production-3b1f0c2e9d} \
	DATABASE_CONN_MAX_AGE=0
# The demo always runs on the embedded default: SQLite, eager Celery, local-memory cache.
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL DEBUG=true PORT=$(PORT)
# Two test processes (the machines have two cores); a test file stays in one process.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: help install demo test lint format messages clean

help:
	@echo "make demo     install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test     install, lint, Django checks, the whole test suite"
	@echo "make install  create $(VENV) (Python >= 3.12) with the locked dependencies"
	@echo "make format   format the code with ruff"
	@echo "make messages extract translatable strings and compile the catalogues"

$(STAMP): pyproject.toml requirements.lock
	@py=$$(scripts/find-python) || exit 1; \
	if [ ! -x "$(PY)" ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving Juntos on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	DEBUG=true $(PY) manage.py makemessages --no-obsolete --no-location -l pt_BR -l es -l fr --ignore=.venv --ignore=tests --ignore=node_modules
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
