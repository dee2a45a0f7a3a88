# The two commands in the README: `make run` (the demo on SQLite) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
BENCH_INSTALLED := $(VENV)/.bench-installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
SCALE ?= 100000

.PHONY: run serve test test-fast lint format bench axe soak backup restore clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

# Write the local .env once (debug on, a random secret key: git-ignored, read by the settings so
# that `python manage.py ...` works with nothing exported), migrate, load the seed data, make sure
# the demo accounts exist, serve on 127.0.0.1:$(PORT).
PORT ?= 8000
run: $(INSTALLED) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

.env:
	@printf '# Local development only (make run wrote this; git-ignored).\nDEBUG=1\nSECRET_KEY=%s\n' \
	  "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (DEBUG=1 and a random SECRET_KEY) for manage.py commands."

# Production on this machine, against DATABASE_URL (default: the demo's SQLite file): static
# files collected (hashed, compressed), migrations applied, then gunicorn (gunicorn.conf.py) on
# 127.0.0.1:8000, one worker per core and then some. DEBUG is off, so SECRET_KEY must be set.
serve: export DEBUG := 0
serve: export STATIC_COLLECTED := 1
serve: $(INSTALLED)
	@[ -n "$$SECRET_KEY" ] || { echo "make serve runs with DEBUG off: set SECRET_KEY, e.g."\
	  "SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') make serve"; exit 1; }
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	exec $(VENV)/bin/gunicorn claimtrack.wsgi

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
/usr/bin/chromium:
	@[ "$$(id -u)" = 0 ] || { echo "Chromium is missing: sudo apt-get install -y chromium"; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The whole suite, browser tests included. On PostgreSQL: DATABASE_URL=postgres://... make test
test: $(INSTALLED) /usr/bin/chromium
	DEBUG=0 SECRET_KEY=test-only-not-secret $(PY) -m pytest $(PYTEST_ARGS)

# Everything but the browser tests.
test-fast: $(INSTALLED)
	DEBUG=0 SECRET_KEY=test-only-not-secret $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

$(BENCH_INSTALLED): $(INSTALLED)
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	rm -f $(VENV)/.bench-installed-* && touch $@

# The scripts in bench/, then every page at scale under gunicorn and wrk, written to
# BENCHMARKS.md (PostgreSQL running, as .ci/run starts it; Debian's wrk): make bench SCALE=1000000
bench: $(BENCH_INSTALLED)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	DEBUG=1 $(PY) bench/export_bench.py
	$(PY) bench/reanchor_cases.py
	$(PY) bench/candidate_marking.py
	$(PY) bench/retractions_bench.py
	$(PY) bench/dumps_bench.py
	SCALE=$(SCALE) $(PY) bench/serve_bench.py

# axe-core on every public page of the demo at 1,280 and 390 pixels, every impact, as a table
# (the browser tests fail on the serious and critical ones only).
axe: $(INSTALLED) /usr/bin/chromium
	$(PY) bench/axe_pages.py

# Readers and flagging reviewers at once against gunicorn on PostgreSQL (a fresh claimtrack_soak
# database), SOAK_SECONDS long (default 60): fails on any 5xx, a flag stored twice or lost, or
# the workers' memory growing by 10% or more.
soak: $(INSTALLED)
	$(PY) bench/soak.py

# Dump DATABASE_URL's database (default: the demo's SQLite file) into var/backups/.
# The last line printed is the file's path. An environment's own DEBUG/SECRET_KEY are kept.
backup: $(INSTALLED)
	DEBUG=$${DEBUG:-1} $(PY) manage.py backup

# Load a dump into DATABASE_URL's database, which must be empty or not exist yet:
# make restore FILE=var/backups/claimtrack-<timestamp>.sqlite3
restore: $(INSTALLED)
	@[ -n "$(FILE)" ] || { echo "Which dump? make restore FILE=var/backups/<file>"; exit 1; }
	DEBUG=$${DEBUG:-1} $(PY) manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .env
