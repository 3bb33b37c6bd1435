# jamlik — the two entry points are `make demo` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DB ?= demo/jamlik.duckdb
PORT ?= 8000

.PHONY: setup system-deps demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

system-deps:
	bash scripts/install_system_deps.sh

demo: setup system-deps
	mkdir -p demo && rm -f $(DB)
	$(BIN)/jamlik init --sample --db $(DB)
	$(BIN)/jamlik show --area 2080 --indicator N00957 --years 2015-2022 --db $(DB)
	-$(BIN)/jamlik profile --area 2080 --db $(DB)
	@echo "Databas: $(abspath $(DB))"
	@echo "Portalen startar på http://127.0.0.1:$(PORT)/ (avsluta med Ctrl-C)"
	$(BIN)/jamlik serve --db $(DB) --port $(PORT)

lint: setup
	$(BIN)/ruff check jamlik tests bench scripts

test: setup system-deps lint
	bash scripts/run_tests.sh

bench: setup
	$(PY) bench/bench_ingest.py

clean:
	rm -rf demo tests/artifacts bench/out
