# Neuroscience for machine learners: one command to serve the site, one to test everything.
#   make serve   set up .venv, build the website and serve it at http://127.0.0.1:$(PORT)
#   make test    set up .venv, check the layers (lint-imports) and the code (ruff), run every test

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: serve build test check generate clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	# Week 7's reaction times live in hssm's data folder; --no-deps skips its heavy stack (no extra can say that).
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt hssm
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
	$(BIN)/python -m pytest

clean:
	rm -rf _build
