# sscard: the two commands that matter are `make run` and `make test`.
# Everything else is bootstrapped here: uv (if missing), the locked environment, translations, Chromium.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
PYTEST_ARGS ?=
# e.g. BENCH_ARGS="--quick --profile sqlite --scenario progress_warm"
BENCH_ARGS ?=
# Languages `make messages` extracts strings for (Django locale names).
MESSAGE_LOCALES ?= zh_Hans es

# Never let uv fetch its own Python: the machine's Python 3.11 is the one we use.
export UV_PYTHON_DOWNLOADS := never

# uv from PATH, else the one `pip install --user uv` puts in ~/.local/bin (installed by the `uv` target).
UV := $(or $(shell command -v uv 2>/dev/null),$(HOME)/.local/bin/uv)
MANAGE := $(UV) run python manage.py

.PHONY: help run test bench lint migrate demo messages clean sync translations uv

help:
	@echo "make run       start the portal at http://127.0.0.1:$(PORT) (migrates and loads demo data)"
	@echo "make test      run the whole test suite (installs Chromium for browser tests when root)"
	@echo "make lint      ruff, the architecture contracts (import-linter) and missing migrations"
	@echo "make migrate   apply database migrations"
	@echo "make demo      load the demo accounts"
	@echo "make messages  extract translatable strings into sscard/locale ($(MESSAGE_LOCALES))"
	@echo "make bench     run the benchmarks"
	@echo "make clean     remove caches and generated files (keeps var/ data)"

# --- bootstrap -------------------------------------------------------------------------------------

uv:
	@if [ ! -x "$(UV)" ]; then \
	  echo ">>> uv not found: installing it with pip (python3 -m pip install --user uv)"; \
	  if ! python3 -m pip --version >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo ">>> pip is missing: installing Debian's python3-pip"; \
	      DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null; \
	    else \
	      echo "*** pip is missing and we are not root: install uv (https://docs.astral.sh/uv/) or python3-pip ***"; \
	      exit 1; \
	    fi; \
	  fi; \
	  export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1; \
	  python3 -m pip install --user --quiet uv 2>/dev/null \
	    || python3 -m pip install --user --quiet --break-system-packages uv; \
	fi
	@test -x "$(UV)" || { echo "*** uv was installed but is not at $(UV) ***"; exit 1; }

sync: uv
	@$(UV) sync --frozen --quiet

translations: sync
	@$(MANAGE) compile_translations

# --- everyday targets ------------------------------------------------------------------------------

run: export SSCARD_DEBUG := 1
run: translations
	@$(MANAGE) migrate --noinput
	@if $(MANAGE) help load_demo >/dev/null 2>&1; then \
	  $(MANAGE) load_demo; \
	else \
	  echo ">>> load_demo is not available yet: skipping demo data"; \
	fi
	@echo
	@echo "=================================================================="
	@echo "  sscard portal:  http://127.0.0.1:$(PORT)/"
	@echo "  (development server, debug on; stop it with Ctrl-C)"
	@echo "=================================================================="
	@echo
	@$(MANAGE) runserver 127.0.0.1:$(PORT)

test: translations
	@scripts/ensure-chromium.sh
	@$(UV) run pytest $(PYTEST_ARGS)

bench: sync
	@if { ! command -v wrk || ! command -v haproxy; } >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo ">>> installing Debian's wrk (the load generator) and haproxy (python -m bench threads)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 install -y wrk haproxy >/dev/null \
	    || { apt-get -q update >/dev/null \
	         && DEBIAN_FRONTEND=noninteractive apt-get -q install -y wrk haproxy >/dev/null; }; \
	fi
	@$(UV) run python -m bench $(BENCH_ARGS)

# The same three checks as CI (.ci/run). makemigrations needs the system checks to pass: the `rules` identity
# provider of a development checkout is acknowledged (accounts.E002), as in the tests.
lint: sync
	@echo ">>> ruff check"
	@$(UV) run ruff check .
	@echo ">>> lint-imports (architecture contracts in pyproject.toml)"
	@$(UV) run lint-imports
	@echo ">>> makemigrations --check (every model change has its migration)"
	@SSCARD_ACCEPT_UNVERIFIED_IDENTITY=1 $(MANAGE) makemigrations --check --dry-run

# The local database of `make run`: debug on unless the environment says otherwise (system check accounts.E002).
migrate: export SSCARD_DEBUG ?= 1
migrate: sync
	@$(MANAGE) migrate --noinput

demo: export SSCARD_DEBUG := 1
demo: migrate
	@$(MANAGE) load_demo

messages: sync
	@if ! command -v msguniq >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo ">>> GNU gettext is missing: installing Debian's gettext"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "*** make messages needs GNU gettext: apt-get install gettext (as root) ***"; \
	    exit 1; \
	  fi; \
	fi
	@$(MANAGE) makemessages $(foreach l,$(MESSAGE_LOCALES),--locale $(l)) \
	  --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'docs/*' --ignore 'var/*' \
	  --ignore 'scripts/*' --add-location file --no-obsolete
	@$(MANAGE) compile_translations

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find sscard/locale -name '*.mo' -delete
