# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install install-dev pytest pytest-sqlite pytest-postgres bench clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/dailypapers migrate --no-input -v 0
	$(BIN)/dailypapers ingest sample --if-empty
	$(BIN)/dailypapers serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy src

format: install-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Every database test runs twice: SQLite, then a real PostgreSQL the suite starts itself.
pytest-sqlite: install-dev
	$(BIN)/pytest

pytest-postgres: install-dev
	DAILYPAPERS_TEST_DB=postgres $(BIN)/pytest

test: lint pytest-sqlite pytest-postgres

# Re-export the shipped embedding model (torch in a throwaway venv; see search/model/README.md).
model:
	bash tools/export_model.sh

clean:
	rm -rf $(VENV) var
