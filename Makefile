# Everything goes through .venv, which these targets create and fill themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: up up-postgres test lint proto proto-check bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

up: $(STAMP)  ## start NATS, every service and the gateway with demo data
	$(VENV)/bin/minzheng up

up-postgres: $(STAMP)  ## the same on an embedded PostgreSQL
	$(VENV)/bin/minzheng up --postgres

# Test files are spread over one worker per CPU (pytest-xdist; each worker starts its own NATS and
# PostgreSQL when it needs them); TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto

test: $(STAMP)  ## the whole suite: unit, contract (SQLite and PostgreSQL), e2e
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

proto: $(STAMP)  ## regenerate the checked-in Python stubs from proto/
	$(PY) -m services.kit.protogen

proto-check: $(STAMP)  ## fail when the checked-in stubs are stale
	$(PY) -m services.kit.protogen --check

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
