# Two entry points: `make run` starts the bot, `make test` runs linters, type checks and tests.
# Each builds its own virtualenv from pyproject.toml (pinned through constraints.txt) on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run sandbox test lint typecheck pytest bench import-example clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# With BOT_TOKEN (environment or .env): the bot against Telegram. Without: the local sandbox.
run: $(STAMP)
	$(BIN)/python -m sandbox --bot-if-token

sandbox: $(STAMP)
	$(BIN)/python -m sandbox

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/wizard.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
