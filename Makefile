# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CLI    := $(VENV)/bin/risk-service
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run serve test test-fast train corpus-check agreement eval bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps re-install whenever setup.cfg or constraints.txt (the exact versions) changes.
# run/train/eval install the `train` extra (it includes `batch`; serving alone needs no extra);
# tests, benchmarks and lint the `dev` extra, which holds every other extra and the tools
# (browser driver, schemathesis, ruff, …).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

$(RUN_STAMP): setup.cfg pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[train]'
	touch $@

$(DEV_STAMP): setup.cfg pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(CLI) train --if-missing
	$(CLI) serve --host $(HOST) --port $(PORT)

serve: $(RUN_STAMP)
	$(CLI) serve --host $(HOST) --port $(PORT)

# Everything: unit, service and system tiers, and the package's doctests.
test: $(DEV_STAMP)
	$(PY) -m pytest

# The unit tier and the doctests: no trained model, no servers (well under a minute).
test-fast: $(DEV_STAMP)
	$(PY) -m pytest tests/unit risk_service

train: $(RUN_STAMP)
	$(CLI) train

agreement: $(RUN_STAMP)
	$(PY) -m training.agreement

corpus-check: $(RUN_STAMP)
	$(PY) -m training.validate_corpus

# Held-out figures on text no model or parser was tuned on: duty finding on the labelled ads,
# title resolution on the labelled job-board titles, and the current model on the dev set.
eval: $(RUN_STAMP)
	$(PY) -m training.adset --split heldout
	$(PY) -m training.titles_eval --split heldout
	$(CLI) evaluate --data training/data/dev

bench: $(DEV_STAMP)
	$(PY) -m benchmarks.run

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check risk_service training tests benchmarks
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
