# Two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What WeasyPrint needs from the system, plus poppler for the tests that read PDFs back
# and chromium for the test that opens the HTML report and guide in a real browser.
# libharfbuzz-subset0 makes PDF output up to 3x faster; fonts-noto-cjk covers Chinese.
# zsh and fish: the completion tests type into each real shell (bash is always there).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk poppler-utils chromium zsh fish

.PHONY: demo test test-latest lock bench bench-detail lint docs readme-pictures system-deps clean fuzz

# Installs come from the committed locks in requirements/ (exact versions, sha256 hashes):
# `--require-hashes --no-deps` installs exactly those files, and hiring itself is then built
# by the locked hatchling without build isolation, so nothing is resolved from the index.
LOCK_RUN := requirements/run.lock
LOCK_TEST := requirements/test.lock
AXE := tests/axe/node_modules/.installed
PIP_LOCKED := -m pip install -q --require-hashes --no-deps -r
PIP_SELF := -m pip install -q --no-deps --no-build-isolation -e .
# uv resolves the locks (`make lock`) only; installing them needs nothing but pip.
UV_VERSION := 0.13.8
UV_COMPILE := uv pip compile --generate-hashes --universal --python-version 3.11 --quiet \
	--custom-compile-command "make lock"

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing (install them: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "hiring needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(BIN)/python
	$(BIN)/python $(PIP_LOCKED) $(LOCK_TEST)
	$(BIN)/python $(PIP_SELF)
	touch $@

$(VENV)/.installed: $(LOCK_RUN) pyproject.toml | $(BIN)/python
	$(BIN)/python $(PIP_LOCKED) $(LOCK_RUN)
	$(BIN)/python $(PIP_SELF)
	touch $@

# Re-resolve both locks from pyproject.toml's ranges (after changing a dependency, or to take
# updates once `make test-latest` is green). The run lock is constrained by the test lock, so
# both hold the same version of every package they share.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q uv==$(UV_VERSION)
	PATH="$(CURDIR)/.venv-lock/bin:$$PATH" $(UV_COMPILE) pyproject.toml requirements/build.in \
	  --extra test --extra docs -o $(LOCK_TEST)
	PATH="$(CURDIR)/.venv-lock/bin:$$PATH" $(UV_COMPILE) pyproject.toml requirements/build.in \
	  -c $(LOCK_TEST) -o $(LOCK_RUN)
	rm -rf .venv-lock

# The suite against the newest versions pyproject.toml's ranges allow, in a throw-away venv:
# drift shows here before `make lock` takes it into the lock.
test-latest: system-deps $(AXE)
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install -q --upgrade pip
	.venv-latest/bin/python -m pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
	.venv-latest/bin/python -m pip freeze --exclude-editable > .venv-latest/versions.txt
	HIRING_TEST_LATEST=1 .venv-latest/bin/python -m pytest -q -p no:cacheprovider; \
	  status=$$?; echo "versions tested: .venv-latest/versions.txt"; exit $$status

demo: system-deps $(VENV)/.installed
	$(BIN)/hiring demo
	@echo "(the command is $(BIN)/hiring; '. $(BIN)/activate' puts it on your PATH)"

test: system-deps $(VENV)/.installed-test $(AXE)
	$(BIN)/python -m pytest -q

# axe-core (the accessibility rules the browser test runs on the HTML report and kit), exactly
# as tests/axe/package-lock.json pins it (version and sha512). Needs the machine's Node.js and
# npm; without npm the test says it is skipped and why.
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/axe && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
	  echo "npm not found: the axe-core accessibility test will be skipped (install Node.js and npm)"; \
	fi

# The fuzz suite run long: FUZZ_SCALE times the examples CI runs per reader (CSV 300, XLSX
# 200, filled PDF 150, backup 300, bank YAML 300), with fresh random inputs each time.
FUZZ_SCALE ?= 20
fuzz: system-deps $(VENV)/.installed-test
	HIRING_FUZZ_SCALE=$(FUZZ_SCALE) HIRING_FUZZ_LONG=1 $(BIN)/python -m pytest -q \
	  -p no:cacheprovider --durations=0 tests/test_fuzz_readers.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check hiring tests benchmarks docs/hooks
	$(BIN)/mypy hiring

# The reference pages generated from the code, then the site (site/) with the pictures of kit
# and report pages made from the demo (pdftoppm: poppler-utils, in SYSTEM_PACKAGES).
docs: system-deps $(VENV)/.installed-test
	$(BIN)/python -m hiring.cli.reference
	$(BIN)/mkdocs build --strict

# The README's two pictures (committed: a Git host shows the README without the site).
readme-pictures: system-deps $(VENV)/.installed-test
	$(BIN)/python docs/hooks/pictures.py

# The speed table (issue 28) in one run: each row as a ratio against its anchor (the
# weasyprint CLI on the same HTML, the numpy floor, `import typer`), CPU and wall time, with
# the load average. PostgreSQL rows need HIRING_TEST_PG_URL; `BENCH_ARGS=--large` adds the
# 10,000-candidate report on PostgreSQL. `make bench-detail`: every area's own benchmark.
BENCH_ARGS ?=
bench: system-deps $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.table $(BENCH_ARGS)

bench-detail: system-deps $(VENV)/.installed-test
	for b in benchmarks/bench_*.py; do $(BIN)/python -m benchmarks.$$(basename $$b .py) || exit 1; done

clean:
	rm -rf $(VENV) .venv-latest .venv-lock build dist site hiring-demo .pytest_cache tests/axe/node_modules
