# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/risk-service
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run serve test train corpus-check agreement bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The stamp re-installs whenever setup.cfg changes.
$(VENV)/.installed: setup.cfg pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(CLI) train --if-missing
	$(CLI) serve --host $(HOST) --port $(PORT)

serve: $(VENV)/.installed
	$(CLI) serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest

train: $(VENV)/.installed
	$(CLI) train

agreement: $(VENV)/.installed
	$(PY) -m training.agreement

corpus-check: $(VENV)/.installed
	$(PY) -m training.validate_corpus

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check risk_service training tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
