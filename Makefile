# partnerkit: the two README commands (`make demo`, `make test`) plus `make bench`.
# Each target bootstraps .venv (created if missing, reused if present).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.partnerkit-installed

.PHONY: demo test lint typecheck unit unit-sql docs bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "partnerkit needs Python >= 3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m partnerkit demo

test: lint typecheck unit unit-sql docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs

typecheck: $(STAMP)
	$(BIN)/mypy --strict src tests benchmarks

unit: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

# The service tests again, every in-memory store replaced by SQLite (tests/support/sql_stores.py).
SERVICE_TESTS := $(wildcard tests/unit/test_*service*.py) tests/unit/test_tenancy.py tests/unit/test_cli.py
unit-sql: $(STAMP)
	$(BIN)/pytest -q -p tests.support.sql_stores -p no:cacheprovider --no-cov $(SERVICE_TESTS) \
	    tests/support/every_repository.py

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	$(BIN)/sphinx-build -W --keep-going -q -b doctest docs docs/_build/doctest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) docs/_build .coverage .hypothesis .mypy_cache .ruff_cache .pytest_cache
