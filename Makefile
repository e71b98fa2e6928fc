# Shortlist: `make run` serves the app, `make test` runs the whole test suite.
# Each target sets up .venv on its own and reinstalls only when requirements change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test worker bench screenshots lint messages clean

# Translations: locale/<lang>/LC_MESSAGES/django.po is committed, its .mo compiled
# here with gettext's msgfmt (Debian: gettext) whenever the .po changes.
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=node_modules \
	--ignore=tests --ignore=benchmarks --ignore=docs

%.mo: %.po
	msgfmt --check -o $@ $<

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed $(MO)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_surveys
	$(BIN)/python manage.py load_builtins
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Shortlist is starting: open http://$(HOST):$(PORT)/ in your browser."
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed $(MO)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: $(VENV)/.runtime-installed $(MO)
	$(BIN)/celery -A config worker --beat --schedule=$(VENV)/celerybeat-schedule --loglevel=INFO --concurrency=2

bench: $(VENV)/.dev-installed
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

screenshots: $(VENV)/.dev-installed
	SAVE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Collect every string marked for translation into the .po files (new ones empty).
messages: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemessages -l fr --add-location=file $(MAKEMESSAGES_IGNORE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache $(MO)
