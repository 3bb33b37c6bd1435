# jamlik — the two entry points are `make demo` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO ?= demo
DB ?= $(DEMO)/jamlik.duckdb
PORT ?= 8000
# The demo's workflow store (plans, follow-ups, decisions, users) lives beside its indicator
# store. Re-running `make demo` rebuilds the indicator store from the sample but keeps this file.
WORKFLOW_DB := $(abspath $(DEMO))/styrning.sqlite
DEMO_ENV := JAMLIK_DATABASE_URL=sqlite:///$(WORKFLOW_DB)

.PHONY: setup system-deps demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# Test-only JavaScript tools (axe-core for the accessibility browser tests), pinned in
# package.json and package-lock.json; npm comes from scripts/install_system_deps.sh.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

system-deps:
	bash scripts/install_system_deps.sh

demo: system-deps setup
	mkdir -p $(DEMO) && rm -rf $(DB) $(DB).versions $(DB).wal
	$(BIN)/jamlik init --sample --db $(DB)
	$(BIN)/jamlik show --area 2080 --indicator N00957 --years 2015-2022 --db $(DB)
	$(BIN)/jamlik profile --area 2080 --indicator N00957,N00938,U01405,N02797,N05400 --db $(DB)
	$(DEMO_ENV) $(BIN)/jamlik plan import jamlik/steering/examples/falun_plan.toml --db $(DB)
	$(DEMO_ENV) $(BIN)/jamlik followup --org 2080 --year 2022 --db $(DB)
	@echo "Databas: $(abspath $(DB)); styrning (planer, analyser, användare): $(WORKFLOW_DB)"
	@echo "Logga in på /styrning/: skapa först en användare (en gång) med"
	@echo "  $(DEMO_ENV) $(BIN)/jamlik user add DITT-NAMN --role admin"
	@echo "Portalen startar på http://127.0.0.1:$(PORT)/ (avsluta med Ctrl-C)"
	$(DEMO_ENV) $(BIN)/jamlik serve --db $(DB) --port $(PORT)

# ruff (style), import-linter (the layer contracts in .importlinter: no cycles, portal and
# steering independent) and mypy (types of the jamlik package, settings in pyproject.toml).
lint: setup
	$(BIN)/ruff check jamlik tests bench scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

test: system-deps setup lint
	bash scripts/run_tests.sh

bench: setup
	$(PY) bench/bench_ingest.py
	$(PY) bench/bench_profile.py
	$(PY) bench/bench_portal.py
	$(PY) bench/bench_stats.py
	$(PY) bench/bench_prioritisation.py
	$(PY) bench/bench_economics.py

clean:
	rm -rf demo tests/artifacts bench/out node_modules
