# Kubernetes Field Notes. A newcomer needs two commands: `make serve` and `make test`.
# Every target bootstraps what it needs first; a second run does no install work.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.bootstrapped
ENSURE := scripts/ensure-tool

# Every command the project runs uses the venv's tools (its pinned kubectl before any system one).
export PATH := $(BIN):$(PATH)
# Material 9.8 prints an end-of-life banner on every run unless told not to.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help bootstrap graphviz chromium serve build live test links validate lint check diagrams bench lighthouse lock \
        clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "error: Python >= 3.11 is required ($(PYTHON) is $$($(PYTHON) --version))" >&2; exit 1; }
	@echo "==> creating $(VENV) from requirements.lock"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

graphviz:
	@$(ENSURE) dot graphviz graphviz

chromium:
	@$(ENSURE) chromium chromium "--cask chromium"

bootstrap: $(STAMP) graphviz ## create .venv and install Graphviz if missing

serve: bootstrap ## build and serve the site at http://127.0.0.1:8000 with live reload
	mkdocs serve --dev-addr 127.0.0.1:8000

build: bootstrap ## strict build of the site into site/
	mkdocs build --strict

live: bootstrap ## strict build with cluster blocks run against your local minikube/kind cluster (refuses any other context)
	KUBENOTES_LIVE=1 mkdocs build --strict

# axe-core for the browser tests' accessibility checks and Lighthouse for make lighthouse, pinned in
# package-lock.json; npm ci only when the lock changed (npm writes node_modules/.package-lock.json on every install).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@$(ENSURE) npm npm node
	npm ci --no-audit --no-fund
	@touch $@

test: bootstrap chromium $(NODE_STAMP) ## run the whole test suite (browser and accessibility tests included)
	pytest

links: build ## check the built site's external links (cached a week; says which it could not check, exit 3)
	kubenotes links --site site $(LINKS_FLAGS)

validate: bootstrap ## validate every manifest in snippets/ and docs/ for the supported Kubernetes versions
	kubenotes validate --matrix snippets docs

lint: bootstrap ## lint all Python: engine, hooks, diagram scripts, tests
	ruff check src hooks diagrams tests benchmarks scripts

check: lint build test ## lint, strict build and tests

diagrams: bootstrap ## render every diagram into the cache (kubenotes diagrams; FORCE=1 re-renders all)
	kubenotes diagrams $(if $(FORCE),--force)

bench: bootstrap chromium $(NODE_STAMP) ## measure build, cache, diagram, validator and page speed side by side; prints one table
	python benchmarks/run.py

lighthouse: build chromium $(NODE_STAMP) ## score every page with Lighthouse (mobile, gzip-served; RUNS=3 for medians); one table
	python scripts/lighthouse_report.py site --runs $(or $(RUNS),1) $(PAGES)

lock: ## re-pin requirements.lock from pyproject.toml in a throwaway venv
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip setuptools
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv

clean: ## remove generated files: site/, caches, test output
	rm -rf site .cache .pytest_cache .ruff_cache build src/*.egg-info test-artifacts
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules
