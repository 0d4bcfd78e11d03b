# `make run` and `make test` are the whole setup: each creates .venv and installs what it needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run run-distributed test lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[test]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/openspeakers migrate
	$(BIN)/openspeakers serve

run-distributed: $(VENV)/.installed
	$(BIN)/openspeakers run-distributed

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	  exit $$rc

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.engine_vs_api
	$(BIN)/python -m bench.ttfa
	$(BIN)/python -m bench.queue_overhead

clean:
	rm -rf $(VENV) data audio_output model_cache test-artifacts
