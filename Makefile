# Customer Center: `make run` starts the portal, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
CC_PORT ?= 8000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/1
TWO_WORKERS_REDIS_URL ?= redis://127.0.0.1:6379/3

# One port for every browser pass of a run, so that later passes serve the production build
# the first one made (tests/e2e/conftest.py checks it was built from the same sources).
ifeq ($(origin CC_E2E_PORT), undefined)
CC_E2E_PORT := $(shell python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endif
export CC_E2E_PORT

export REFLEX_USE_NPM := 1
export REFLEX_CHECK_LATEST_VERSION := false

.PHONY: setup run serve test lint typecheck unit e2e faults chromium bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(PY) -m customer_center.cli db-upgrade
	$(PY) -m customer_center.cli erp import-demo
	CC_PORT=$(CC_PORT) $(PY) -m customer_center.cli demo-info
	CC_PORT=$(CC_PORT) scripts/with-node reflex run --env prod --single-port --backend-port $(CC_PORT)

# Production (README "Production"): check the CC_* settings, migrate, build, start the
# backend workers and the outbox relay.
serve: setup
	$(PY) -m customer_center.cli serve

chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The import contracts of pyproject.toml ([tool.importlinter]): the layers of README
# "Architecture", checked on the import graph.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy customer_center

# Unit, state and integration tests on SQLite and on PostgreSQL: there only those that use
# the database, since the others ("pure", marked by tests/conftest.py) do not depend on it.
# The two passes run side by side (one per core): PostgreSQL in the foreground, SQLite into
# a log printed after it; each has Redis databases of its own, and the test OpenID
# provider's npm packages are installed once before either starts.
UNIT_TESTS := tests/unit tests/state tests/integration
unit: setup
	$(PY) -c 'from tests.oidc_provider import ensure_installed; ensure_installed()'
	@log=$$(mktemp); \
	redis='$(REDIS_TEST_URL)'; redis="$${redis%/*}"; \
	CC_PRICE_CACHE_TEST_REDIS_URL="$$redis/8" \
		$(PY) -m pytest $(UNIT_TESTS) -q -p no:cacheprovider >"$$log" 2>&1 & sqlite=$$!; \
	CC_TEST_DATABASE_URL=$(PG_TEST_URL) CC_TEST_REDIS_URL="$$redis/6" \
		CC_BENCH_TEST_REDIS_URL="$$redis/7" CC_PRICE_CACHE_TEST_REDIS_URL="$$redis/9" \
		$(PY) -m pytest $(UNIT_TESTS) -q -p no:cacheprovider -m "not pure"; pg=$$?; \
	wait $$sqlite; sqlite_status=$$?; \
	echo "--- the same tests on SQLite:"; cat "$$log"; rm -f "$$log"; \
	test $$pg = 0 && test $$sqlite_status = 0

# Browser tests against the production build: on SQLite; on PostgreSQL; and in production
# shape, PostgreSQL with Reflex's Redis state manager, where the backend runs several
# workers (2 x cores + 1) that share the sessions' state through Redis. Last, two backend
# processes behind a round-robin proxy (test_two_workers.py), in a pytest run of its own: it
# builds the frontend for the proxy's port; it needs PostgreSQL and Redis and fails without.
# The last pass: the ordering, activation and administration journeys once more with
# CC_ERP=http, against the reference ERP service (customer-center erp serve) on the same database.
e2e: setup chromium
	$(PY) -m pytest tests/e2e -q --ignore=tests/e2e/test_two_workers.py \
		--ignore=tests/e2e/test_erp_down.py
	CC_TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest tests/e2e -q \
		--ignore=tests/e2e/test_two_workers.py --ignore=tests/e2e/test_erp_down.py
	CC_TEST_DATABASE_URL=$(PG_TEST_URL) CC_REDIS_URL=$(REDIS_TEST_URL) $(PY) -m pytest \
		tests/e2e/test_administration.py tests/e2e/test_approvals.py tests/e2e/test_ordering.py -q
	CC_TEST_DATABASE_URL=$(PG_TEST_URL) CC_REDIS_URL=$(TWO_WORKERS_REDIS_URL) $(PY) -m pytest \
		tests/e2e/test_two_workers.py -q
	CC_E2E_ERP=http $(PY) -m pytest tests/e2e/test_ordering.py tests/e2e/test_order_journey.py \
		tests/e2e/test_activation_journey.py tests/e2e/test_administration.py \
		tests/e2e/test_erp_down.py -q

# Faults provoked for real (docs/operations.md): backend workers and the outbox relay killed
# with SIGKILL mid-work, PostgreSQL and Redis stopped and started again, a SQLite disk that
# fills up or turns read-only, a backup restored. Each test starts throwaway servers of its
# own (PostgreSQL from Debian's packages, redis-server, a small tmpfs: run as root, as CI
# does) and the backend without a frontend build, so it needs nothing the other passes made.
faults: setup
	@test -n "$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)
	@command -v redis-server >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	$(PY) -m pytest tests/faults -q -p no:cacheprovider

# PostgreSQL and Redis as PG_TEST_URL and REDIS_TEST_URL name them; where they do not answer,
# scripts/test-services starts throwaway ones (Debian's packages, installed when missing) on
# free ports for the run and stops them at its end.
test: setup chromium
	PG_TEST_URL='$(PG_TEST_URL)' REDIS_TEST_URL='$(REDIS_TEST_URL)' \
		TWO_WORKERS_REDIS_URL='$(TWO_WORKERS_REDIS_URL)' VENV='$(abspath $(VENV))' \
		scripts/test-services $(MAKE) --no-print-directory lint typecheck unit faults e2e

# The benchmark suite, printed as tables and written to docs/benchmarks.md: the user list
# (SQLite, then PostgreSQL), then on the generated large dataset (PostgreSQL database
# cc_bench, generated once into cc_bench_pristine, about 5 minutes, and copied from it anew
# at the start of every run: bench/dataset.py) the hot queries, browser latency against a
# blank Reflex app, concurrency, memory per session and cold start, then a page of 25 prices
# over CC_ERP=http against the reference ERP service (bench/erp_prices.py). Builds the production
# frontend in .web: not while browser tests run. A quiet machine gives honest figures.
BENCH_DB_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/cc_bench
BENCH := CC_BENCH_DATABASE_URL=$(BENCH_DB_URL) $(PY) -m
bench: setup chromium
	rm -rf bench/results
	$(PY) -m bench.user_list
	CC_BENCH_DATABASE_URL=$(PG_TEST_URL) $(PY) -m bench.user_list
	$(PY) -m bench.quick_order
	CC_BENCH_DATABASE_URL=$(PG_TEST_URL) $(PY) -m bench.quick_order
	CC_DATABASE_URL=$(BENCH_DB_URL) $(PY) -m bench.dataset --fresh
	$(BENCH) bench.hot_queries
	$(BENCH) bench.documents_list
	$(BENCH) bench.browser_latency
	$(BENCH) bench.concurrency
	$(BENCH) bench.memory
	$(BENCH) bench.cold_start
	$(PY) -m bench.erp_prices
	$(PY) -m bench.report

clean:
	rm -rf .web .states data $(VENV)
