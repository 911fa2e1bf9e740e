# mentormesh — two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run serve test test-postgres lint bench e2e-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Hashed, compressed static files (whitenoise's manifest storage) for collectstatic and server alike.
# run: the task worker (emails, reminders, expiry, digests) runs beside gunicorn, stops with it.
run: export MENTORMESH_MANIFEST_STATIC = 1
run: install
	$(BIN)/mentormesh migrate --no-input -v0
	$(BIN)/mentormesh createcachetable
	$(BIN)/mentormesh collectstatic --no-input -v0
	$(BIN)/mentormesh demo --if-empty
	$(BIN)/mentormesh db_worker --no-reload --interval 2 & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn mentormesh.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mentormesh makemigrations --check --dry-run -v0

test: lint
	$(BIN)/pytest -q -n 2 --dist loadfile

test-postgres: install
	bash scripts/with-postgres.sh $(BIN)/pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var
