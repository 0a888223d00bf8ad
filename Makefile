# `make run` and `make test` each do the whole setup on a fresh clone.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test test-later lint typecheck migrate shell catalogs clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up .venv, migrate ./yellowcard.db and serve on HOST:PORT (default 0.0.0.0:3000)"
	@echo "make test   set up .venv with test extras, then ruff, mypy --strict and the whole pytest suite"
	@echo "make test-later  the suite again with the clock 400 days ahead (needs faketime)"
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
	$(BIN)/mypy skills storage bot manifests evaluation

test: lint typecheck
	$(BIN)/pytest

# No test may depend on the day it runs: the suite again, every process's clock 400 days ahead
# (libfaketime, Debian's package faketime). The installed-package test builds and installs from
# the package index, which has nothing to do with dates, so it runs once, in `make test`.
test-later: $(INSTALLED)
	@command -v faketime >/dev/null || { echo "error: make test-later needs faketime (apt-get install faketime)" >&2; exit 1; }
	faketime -f +400d $(BIN)/pytest --deselect tests/test_installed_package.py

# Regenerate the message template after changing user-facing strings (see docs/languages.md).
# The keywords are Translator.n_ (singular, plural), Translator.p_ and NP_ (context, message).
catalogs: $(INSTALLED)
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k n_:1,2 -k p_:1c,2 -k NP_:1c,2 -o skills/locale/messages.pot skills bot
	@for lang in es ja zh_Hant; do \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i skills/locale/messages.pot -d skills/locale -l $$lang; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
