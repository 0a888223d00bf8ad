# `make run` and `make test` each do the whole setup on a fresh clone.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint typecheck migrate shell catalogs clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up .venv, migrate ./yellowcard.db and serve on HOST:PORT (default 0.0.0.0:3000)"
	@echo "make test   set up .venv with test extras, then ruff, mypy --strict and the whole pytest suite"
	@echo "make shell  the local chat shell (yellowcard shell)"

$(BIN)/python:
	@py=$$(command -v python3.12 2>/dev/null || true); \
	if [ -z "$$py" ] || ! "$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; then \
		echo "error: Yellowcard needs Python 3.12, and no working 'python3.12' is on PATH." >&2; \
		echo "       Install it (for example 'pyenv install 3.12', or your system's python3.12 package) and run make again." >&2; \
		exit 1; \
	fi; \
	"$$py" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

run: $(INSTALLED)
	$(BIN)/yellowcard serve

shell: $(INSTALLED)
	$(BIN)/yellowcard shell

migrate: $(INSTALLED)
	$(BIN)/yellowcard migrate

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy skills storage bot

test: lint typecheck
	$(BIN)/pytest

# Regenerate the message template after changing user-facing strings (see docs/languages.md).
catalogs: $(INSTALLED)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k n_:1,2 -o skills/locale/messages.pot skills bot
	@for lang in es ja zh_Hant; do \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i skills/locale/messages.pot -d skills/locale -l $$lang; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
