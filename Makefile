# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install lint typecheck unit bench bench-quick bench-tools clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## Set up and serve the API + docs on 127.0.0.1:8000 with the embedded SQLite database.
run: install
	$(BIN)/patron serve --demo

## Set up and pass the whole suite: lint, format check, types, layering, tests on SQLite and PostgreSQL.
test: install lint typecheck
	$(BIN)/pytest -q

LINT_DIRS := src tests $(wildcard bench)

lint:
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/ruff format --check $(LINT_DIRS)
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

## Benchmark (not part of `make test`): 1,000,000 customers, then 100,000 rows imported into an
## organization of 100,000, then in an organization of 100,000 the access export and erasure,
## duplicates and merges, then segments and analytics over 10 x 100,000 customers with ~3,000,000 paid
## orders; bench-quick: 100,000 customers, 20,000 rows into 20,000, the rest at 20,000, segments at 10 x 10,000.
bench: install bench-tools
	$(BIN)/python bench/run.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/privacy.py
	$(BIN)/python bench/duplicates.py
	$(BIN)/python bench/merging.py
	$(BIN)/python bench/segments.py

bench-quick: install bench-tools
	$(BIN)/python bench/run.py --quick
	$(BIN)/python bench/imports.py --rows 20000 --existing 20000
	$(BIN)/python bench/privacy.py --quick
	$(BIN)/python bench/duplicates.py --quick
	$(BIN)/python bench/merging.py --quick
	$(BIN)/python bench/segments.py --quick

# The load comes from wrk (Debian's package), installed here when missing and we may; without
# it bench/run.py falls back to its own async httpx client, which costs more CPU than the server.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }; }; } || \
	  echo "wrk is not installed (apt-get install wrk): the benchmark drives the load with httpx"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
