# Neuroscience for machine learners: one command to serve the site, one to test everything.
#   make serve   set up .venv, build the website and serve it at http://127.0.0.1:$(PORT)
#   make test    set up .venv, check the layers (lint-imports) and the code (ruff), then run every test
#                (unit, notebooks, site build, browser, hub, PyPI) on two
#                pytest-xdist workers, which share one build of the site
#   make test-network   only the tests that need PyPI (each week's Colab install, measured; the shipped data's source);
#                `make test` runs them too (-m "" lifts pyproject's default "not network")

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: serve build test test-network check generate clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -m pip check
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/neuro4ml serve --port $(PORT)

build: $(STAMP)
	$(BIN)/neuro4ml build

check: $(STAMP)
	$(BIN)/neuro4ml check

generate: $(STAMP)
	$(BIN)/neuro4ml generate

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check
	$(BIN)/python -m pytest -n 2 --durations=25 -m ""

test-network: $(STAMP)
	$(BIN)/python -m pytest -m network

clean:
	rm -rf _build
