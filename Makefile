# The two commands of the README's quick start, plus a few for developers and operators.
# Needs only Python 3.11+ on the machine: everything else goes into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format check migrations-check schema bench bench-search clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: set up, migrate, load demo data and serve http://127.0.0.1:8000 (SQLite, tasks inline by default)
# Links in e-mails point at the address served here (make run PORT=8811 → :8811) unless PORTAL_URL says otherwise.
RUN_ENV := PORTAL_URL="$${PORTAL_URL:-http://$(HOST):$(PORT)}"

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Portal:      http://$(HOST):$(PORT)/"
	@echo "  Back office: http://$(HOST):$(PORT)/admin/   (demo staff login printed above)"
	@echo "  E-mails:     printed here, and kept in the back office under 발송 메일 (/admin/common/outboxemail/)"
	@echo ""
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole test suite (on PostgreSQL when DATABASE_URL points at it).
## make test CLOCK=random (or CLOCK=2027-06-20T23:50+09:00, or TEST_CLOCK=… in the environment) runs the
## whole session at that moment; the moment is printed in the header (see tests/session_clock.py).
test: $(STAMP)
	$(if $(CLOCK),TEST_CLOCK='$(CLOCK)') $(BIN)/pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

## make backup: pg_dump (custom format) + media + a manifest of row counts and checksums, under backups/
backup: $(STAMP)
	$(BIN)/python manage.py backup_data --to backups

## make restore FROM=backups/<stamp> [TO=postgres://…]: restore into an empty database and verify it
restore: $(STAMP)
	$(BIN)/python manage.py restore_data $(FROM) $(if $(TO),--database-url $(TO))

## make schema: regenerate the OpenAPI snapshot docs/openapi.yaml (on the embedded default, as the test compares)
schema: $(STAMP)
	DATABASE_URL= $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

## make bench [BENCH_ARGS="--small --duration 5"]: seeds the large data set once (PostgreSQL database
## jeonju_bench), serves it with gunicorn under the production settings and prints the performance table
## (locust, 16 connections; see benchmarks/run.py). Takes about 10 minutes; not part of make test or CI.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## make bench-search: times /search/?q= on the demo data (seeded when the database has none) and prints
## p50/p95 per query; DATABASE_URL chooses the database (the embedded SQLite by default).
bench-search: $(STAMP)
	$(BIN)/python -m benchmarks.search_demo

check: lint migrations-check
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
