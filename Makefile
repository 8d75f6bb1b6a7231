# Two commands do all setup: `make demo` and `make test` (each installs into .venv first when needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo dev test test-slow lint bench chaos sandbox clean-state

install: $(STAMP)

# Reinstall whenever a dependency list changes. The sandbox (sandbox/, a distribution of its own that the dev
# extra names) is installed from its folder in the same command, never looked up in an index.
$(STAMP): pyproject.toml sandbox/pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 needed, found {sys.version.split()[0]}"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" -e ./sandbox
	touch $(STAMP)

demo: install  ## run the whole pipeline on the embedded defaults and print the summary
	$(BIN)/palimpsest demo

dev: install  ## Dagster UI + daemon on http://127.0.0.1:3000, sandbox beside it
	$(BIN)/palimpsest dev

test: install  ## the test suite (real Postgres, real sockets, real Dagster) but the drills of test-slow
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist worksteal -m "not drill"

test-slow: install  ## the drills that start Dagster processes (daemon, code servers, dev, demo, runs or the code location in children)
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist worksteal -m drill

lint: install
	$(BIN)/ruff check palimpsest_pipeline palimpsest_pipeline_tests sandbox
	$(BIN)/ruff format --check palimpsest_pipeline palimpsest_pipeline_tests sandbox
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile
	$(BIN)/deptry .
	cd sandbox && ../$(BIN)/deptry .

bench: install  ## benchmarks; each prints one JSON object on its last line
	@for b in palimpsest_pipeline_tests/benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

chaos: install  ## every fault and hostile value on every book, and kill -9 of the run; one JSON object last
	$(BIN)/python palimpsest_pipeline_tests/benchmarks/chaos.py

sandbox: install  ## the simulated books on http://127.0.0.1:8765 (palimpsest-sandbox)
	$(BIN)/palimpsest-sandbox

clean-state:  ## stop the embedded Postgres and delete all local state (.palimpsest, and the server's data wherever they live)
	-test ! -x $(BIN)/palimpsest || $(BIN)/palimpsest db clean
	rm -rf .palimpsest
