# Kubernetes Field Notes. A newcomer needs two commands: `make serve` and `make check`.
# Every target bootstraps what it needs first; a second run does no install work.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.bootstrapped
ENSURE := scripts/ensure-tool
UV_PIP := $(BIN)/uv pip install --quiet --no-config --python $(BIN)/python

# Every command the project runs uses the venv's tools (its pinned kubectl before any system one).
export PATH := $(BIN):$(PATH)
# Material 9.8 prints an end-of-life banner on every run unless told not to.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help bootstrap graphviz chromium serve build build-zensical live test links validate lint format-check \
        typecheck workflows check diagrams bench lighthouse lock \
        clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "error: Python >= 3.11 is required ($(PYTHON) is $$($(PYTHON) --version))" >&2; exit 1; }
	@echo "==> creating $(VENV) from requirements.lock"
	$(PYTHON) -m venv --clear $(VENV)
	@# pip installs uv from its hash-pinned lines in the lock; uv installs the rest of the lock the same way
	@# (--require-hashes --no-deps: exactly those files, nothing resolved) in seconds where pip takes half a
	@# minute. --no-config: the [tool.uv] settings in pyproject.toml are for `make lock`, not installs.
	awk '/^[^ #]/ { keep = /^uv==/ } keep' requirements.lock > $(VENV)/uv.lock.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary :all: \
	  -r $(VENV)/uv.lock.txt
	$(UV_PIP) --require-hashes --no-deps --only-binary :all: -r requirements.lock
	$(UV_PIP) --no-deps --no-build-isolation -e .
	@# Bytecode for the engine, as a wheel install has it: under PYTHONDONTWRITEBYTECODE an editable
	@# install would compile every module again in every run (50 ms of each `kubenotes validate`).
	$(BIN)/python -m compileall -q src
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

build-zensical: bootstrap ## the same site built by Zensical (pinned) into site-zensical/; every problem as file:line
	python -m kubenotes.adapters.zensical --site-dir site-zensical

# axe-core for the browser tests' accessibility checks, pinned in package-lock.json, and Lighthouse for make
# lighthouse and make bench, pinned in tools/lighthouse (146 packages make test does not need); npm ci only
# when a lock changed (npm writes node_modules/.package-lock.json on every install).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@$(ENSURE) npm npm node
	npm ci --no-audit --no-fund
	@touch $@

LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE_STAMP): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	@$(ENSURE) npm npm node
	npm ci --prefix tools/lighthouse --no-audit --no-fund
	@touch $@

test: bootstrap chromium $(NODE_STAMP) ## run the whole test suite (browser and accessibility tests included)
	pytest

links: build ## check the built site's external links (cached a week; says which it could not check, exit 3)
	kubenotes links --site site $(LINKS_FLAGS)

validate: bootstrap ## validate every manifest in snippets/ and docs/ for the supported Kubernetes versions
	kubenotes validate --matrix snippets docs

PY_DIRS := src diagrams tests benchmarks scripts

lint: bootstrap ## lint all Python: engine, diagram scripts, tests, benchmarks
	ruff check $(PY_DIRS)

format-check: bootstrap ## check the formatting of all Python
	ruff format --check $(PY_DIRS)

typecheck: bootstrap ## type-check the engine and scripts/ with mypy (settings in pyproject.toml)
	mypy

workflows: bootstrap ## check .github/ against GitHub's schemas and with zizmor's security audits
	check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	zizmor --offline --no-progress .github

check: lint format-check typecheck workflows test ## the gate (CI runs it): lint, format, types, workflows, tests

diagrams: bootstrap ## render every diagram into the cache (kubenotes diagrams; FORCE=1 re-renders all)
	kubenotes diagrams $(if $(FORCE),--force)

bench: bootstrap chromium $(NODE_STAMP) $(LIGHTHOUSE_STAMP) ## measure build, cache, diagram, validator and page speed side by side; prints one table
	python benchmarks/run.py

lighthouse: build chromium $(LIGHTHOUSE_STAMP) ## score every page with Lighthouse (mobile, gzip-served; RUNS=3 for medians); one table
	python scripts/lighthouse_report.py --runs $(or $(RUNS),1) site $(PAGES)

# uv's settings for the lock (universal, hashes, the test extra, exclusions) live in pyproject.toml; the
# build backend (setuptools, for the editable install without build isolation) comes from [build-system];
# uv itself is locked too, at the version that locks, because the bootstrap installs with it.
UV_VERSION := 0.13.9
lock: ## re-pin requirements.lock, with hashes, from the dependencies in pyproject.toml (UPGRADE=1: newest)
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	{ $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'; \
	  echo uv==$(UV_VERSION); } | .lock-venv/bin/uv pip compile --quiet $(if $(UPGRADE),--upgrade) pyproject.toml - -o requirements.lock
	rm -rf .lock-venv

clean: ## remove generated files: site/, caches, test output
	rm -rf site site-zensical .cache .kubenotes-cache .pytest_cache .ruff_cache build src/*.egg-info test-artifacts
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules tools/lighthouse/node_modules
