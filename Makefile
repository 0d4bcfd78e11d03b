# `make run` and `make test` are the whole setup: each creates .venv and installs what it needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run run-distributed test lint bench clean ui ui-dev test-ui worker-env test-engines \
  containers-setup test-containers

# The web UI (frontend/) is built into src/openspeakers/static, which the API serves at `/`.
FRONTEND := frontend
UI_STAMP := src/openspeakers/static/.built
NODE_STAMP := $(FRONTEND)/node_modules/.installed
UI_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/static -type f 2>/dev/null) \
  $(addprefix $(FRONTEND)/,package.json package-lock.json svelte.config.js vite.config.ts tsconfig.json)

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
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory ui; else \
	  echo "npm not found: serving the API without the web UI (install Node.js 20 and npm, then run make run again)"; fi
	$(BIN)/openspeakers migrate
	$(BIN)/openspeakers serve

run-distributed: $(VENV)/.installed
	$(BIN)/openspeakers run-distributed

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory ui; fi
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	  exit $$rc
	@$(MAKE) --no-print-directory test-ui

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.engine_vs_api
	$(BIN)/python -m bench.ttfa
	$(BIN)/python -m bench.cache
	$(BIN)/python -m bench.queue_overhead
	$(BIN)/python -m bench.short_request
	$(BIN)/python -m bench.pronunciation
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.concurrency

# One queue group's engine environment (.venv-<GROUP>): torch 2.13.0 from disk + the extras of
# the group's engines in configs/models.yaml + their scripted installs. `make worker-env GROUP=tts.dia`;
# SOURCE=1 also installs the engines whose code comes from GitHub (CosyVoice, Fish S2, VibeVoice RT);
# TEST=1 adds pytest for the tiny-model tests: .venv-$(GROUP)/bin/python -m pytest tests/engines
worker-env: $(VENV)/.installed
	@test -n "$(GROUP)" || { echo "usage: make worker-env GROUP=<queue group in configs/models.yaml>"; exit 2; }
	$(BIN)/python scripts/worker_env.py $(GROUP) --python $(PYTHON) $(if $(SOURCE),--source) \
	  $(if $(TEST),--with-test)

# The tiny-model engine tests, each in its group's environment (built first; 2.3-3.3 GB each,
# ~14 min for all six on 2 cores). GROUPS="tts.dia tts.orpheus" narrows it; .ci/run runs all.
test-engines: $(VENV)/.installed
	$(BIN)/python scripts/test_engines.py --python $(PYTHON) $(GROUPS)

# containers -------------------------------------------------------------------------------
# podman, runc, docker-compose and the base images on this machine kind (idempotent, cached).
containers-setup:
	bash scripts/containers/podman_setup.sh

# Build the API, CPU-worker and Kokoro-worker images with podman, bring compose.yaml up and
# check it from outside (jobs, /v1, UI, a worker killed mid-job, down + up), then build the
# tts.dia image with the CPU torch and run its tiny-model test inside it. PASS/FAIL lines.
test-containers: $(VENV)/.installed-test
	$(BIN)/python tests/containers/stack_check.py

# web UI -----------------------------------------------------------------------------------
$(NODE_STAMP): $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

$(UI_STAMP): $(NODE_STAMP) $(UI_SOURCES)
	cd $(FRONTEND) && npm run build
	@touch $@

ui: $(UI_STAMP)

ui-dev: $(NODE_STAMP) ## dev server on FRONTEND_PORT (5200), proxying to the API on BACKEND_PORT
	cd $(FRONTEND) && npm run dev

# API types up to date, svelte-check, unit tests, then the browser tests against a real server.
# Without npm the UI checks are skipped locally and fail with CI=true.
test-ui: $(VENV)/.installed
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$CI" = "true" ]; then echo "npm is required for the web UI tests (CI=true)"; exit 1; fi; \
	  echo "npm not found: skipping the web UI checks and browser tests"; exit 0; fi; \
	$(MAKE) --no-print-directory $(NODE_STAMP) && cd $(FRONTEND) && npm run -s check:api && \
	  npm run -s check && npm run -s test:unit && cd .. && $(MAKE) --no-print-directory ui && \
	  cd $(FRONTEND) && npm run -s test:e2e

clean:
	rm -rf $(VENV) data audio_output model_cache test-artifacts \
	  src/openspeakers/static $(FRONTEND)/.svelte-kit $(FRONTEND)/node_modules
