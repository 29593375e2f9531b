# Sincerely: one entry point for setup, the app, the model and the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup run test lint train evaluate bench validate rewrites clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed ## create the virtual environment and install pinned dependencies

run: setup ## set up and start the app on http://localhost:$(PORT)
	$(PY) -m classifier train --if-needed
	$(PY) -m streamlit run app.py --server.port $(PORT)

lint: setup
	$(PY) -m ruff check .

test: setup lint ## set up and run the whole test suite (lint, unit, notebooks, app, browser)
	$(PY) -m pytest

validate: setup ## check the corpus
	$(PY) -m classifier.data validate

train: setup ## rebuild the model from data/
	$(PY) -m classifier train

evaluate: setup ## write reports/metrics.{json,md} and plots
	$(PY) -m classifier evaluate

bench: setup
	$(PY) -m classifier bench

clean:
	rm -rf $(VENV) models .pytest_cache .ruff_cache test-output
