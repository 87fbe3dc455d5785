# Two commands are the whole set-up: `make app` and `make test`.
# Each creates .venv when missing and re-installs only when pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: app test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp is newer than pyproject.toml once its dependencies are installed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false

# The browser test drives Debian's Chromium; install it once when missing.
$(VENV)/.chromium: | $(BIN)/python
	command -v chromium || (apt-get update && apt-get install -y chromium)
	touch $@

test: $(STAMP) $(VENV)/.chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/parse_accuracy.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
