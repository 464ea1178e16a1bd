# MotCua: two commands. `make run` serves the demo; `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(PYTHON) -m uv
HOST ?= 127.0.0.1
PORT ?= 8000
OIDC_PORT ?= 9400
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export OMP_THREAD_LIMIT := 1

.PHONY: install run test check test-sqlite test-postgres bench messages clean

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml uv.lock scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

messages: install
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt missing: English translations not compiled"; fi

run: install messages
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py create_dev_pki   # demo root CA + a signing certificate per unit: results come out signed
	DEBUG=1 $(PY) manage.py publish_index    # this week's public 766 index per unit (/chi-so/)
	DEBUG=1 $(PY) manage.py collectstatic --no-input -v 0
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops the server and the worker)"
	@echo "National SSO simulator (OpenID Connect) on http://$(HOST):$(OIDC_PORT)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) -m simulators.oidc.server --host $(HOST) --port $(OIDC_PORT) & \
	  DEBUG=1 $(PY) manage.py db_worker --interval 1 & \
	  DEBUG=1 OIDC_PROVIDER_URL=$${OIDC_PROVIDER_URL:-http://$(HOST):$(OIDC_PORT)} $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - & \
	  wait

check: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(PY) -m mypy motcua config
	$(VENV)/bin/lint-imports
	env -u DATABASE_URL DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v 1

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests run apart from the others: two Chromiums on two cores are slower than one.
test-sqlite: install messages node_modules/.package-lock.json
	env -u DATABASE_URL $(PY) -m pytest -n 2 -q -m "not browser"
	env -u DATABASE_URL MOTCUA_REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:xdist -m browser

test-postgres: install messages node_modules/.package-lock.json
	@if [ -n "$$DATABASE_URL" ]; then \
	  MOTCUA_REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:xdist -m browser && \
	  $(PY) -m pytest -n 2 -q -m "not browser"; \
	else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test: check test-sqlite test-postgres

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
