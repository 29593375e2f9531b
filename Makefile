# Sincerely: one entry point for setup, the app, the model and the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup run test lint train evaluate bench validate clean

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-dask.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(VENV)/.installed ## create the virtual environment, install pinned dependencies and build the model
	$(PY) -m classifier train --if-needed

run: setup ## set up (builds the model if needed) and start the app on http://localhost:$(PORT)
	$(PY) -m streamlit run app.py --server.port $(PORT)

lint: setup
	$(PY) -m ruff check .

test: setup lint ## set up and run the whole test suite (lint, unit, notebooks, app, browser)
	$(PY) -m pytest

validate: $(VENV)/.installed ## check the corpus
	$(PY) -m classifier data validate

train: setup ## rebuild the model from data/
	$(PY) -m classifier train

evaluate: setup ## write reports/metrics.{json,md} and plots (with the A/B results when reports/ab.json exists)
	$(PY) -m classifier evaluate $(if $(wildcard reports/ab.json),--ab reports/ab.json)

bench: setup ## latency, throughput, load and training time: reports/bench.json
	$(PY) -m benchmarks.bench

clean:
	rm -rf $(VENV) models .pytest_cache .ruff_cache test-output
