# Two entry points: `make run` opens the bundled example, `make test` checks the layers
# (import-linter), lints (ruff), type-checks (mypy) and runs every test.
# Both create .venv on first use and install the project into it from pyproject.toml.
# `make run ARGS="--screenshot out.png"` renders the window instead (no display needed
# with QT_QPA_PLATFORM=offscreen).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := resources/examples/transactions.json

.PHONY: run test bench clean

$(BIN)/cfn-doctor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/cfn-doctor
	$(BIN)/cfn-doctor $(EXAMPLE) $(ARGS)

test: $(BIN)/cfn-doctor
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --quiet .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(BIN)/cfn-doctor
	$(BIN)/python bench/core.py && $(BIN)/python bench/fallback.py && $(BIN)/python bench/impact.py && $(BIN)/python bench/check.py && $(BIN)/python bench/gui.py

clean:
	rm -rf $(VENV) build *.egg-info
