# Two commands do everything on a fresh clone (see README):
#   make warehouse   set up, then build the warehouse from the sample corpus
#   make test        set up with the test tools, then run the tests
#   make test-fast   the quick subset (no warehouse build), for the inner loop
# the interpreter the venv is made from: PYTHON=... when given, else the fastest
# Python >= 3.10 found here (tools/fastest_python.py, asked once, when .venv is made)
PYTHON ?=
VENV   := .venv
BIN    := $(VENV)/bin
export DO_NOT_TRACK := 1

.PHONY: warehouse test test-fast lint setup setup-test clean

# uv (from PyPI) installs the same pinned ranges several times faster than pip
# (~30 s instead of ~2 min for the test tools on a fresh machine); when uv can't
# be had or fails, pip does the install as before. Both leave the packages
# compiled to bytecode (uv only when asked: --compile-bytecode; pip does it by
# default), and so is the project's own code (COMPILE): where the environment
# sets PYTHONDONTWRITEBYTECODE, as this host does, Python never writes the .pyc
# it compiles on import, so every process that imports dbt compiled ~1 300 of its
# modules from source again (importing dbt: 2.8-3.1 CPU-s without, 1.4 with).
$(BIN)/python:
	py="$(PYTHON)"; test -n "$$py" || py=$$(python3 tools/fastest_python.py) || py=python3; \
	  $$py -m venv $(VENV) || { test -z "$(PYTHON)" && test "$$py" != python3 \
	    && echo "$$py could not make the venv: using python3" && rm -rf $(VENV) && python3 -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet uv || echo "uv not available: installing with pip"

PIP_INSTALL = { $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python $(1) || { echo "installing with pip"; \
	  $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/pip install --quiet $(1); }; }
COMPILE = $(BIN)/python -m compileall -q ingest
TEST_EXTRAS := test,ray,ocr

# Debian packages some tests use (each test skips without its package outside
# CI): one `apt-get update` and one install for whatever is missing.
APT_NEEDED = $(shell command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . \
	  || echo chromium fonts-wqy-zenhei) \
	$(shell command -v pdftotext >/dev/null 2>&1 || echo poppler-utils) \
	$(shell test -f /usr/share/unicode/EquivalentUnifiedIdeograph.txt || echo unicode-data)

setup: $(BIN)/python
	$(call PIP_INSTALL,-e .)
	$(COMPILE)

# the editable install is redone only when pyproject.toml changed (make test-fast starts at once)
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(call PIP_INSTALL,-e ".[$(TEST_EXTRAS)]")
	$(COMPILE)
	touch $@

setup-test: $(VENV)/.installed-test
	@test -z "$(strip $(APT_NEEDED))" || { \
	  echo "installing $(strip $(APT_NEEDED)) (chromium + a CJK font: the docs-site test;" \
	       "poppler-utils: tests/test_pdftotext.py; unicode-data: tests/test_radicals.py)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_NEEDED) >/dev/null) \
	  || echo "could not install $(strip $(APT_NEEDED)): the tests that need them will be skipped"; }

warehouse: setup
	$(BIN)/yibao run corpus

# the linters first: CI fails on a lint finding as on a failing test. sqlfluff
# runs as two processes, each on every other SQL file (its own --processes 2
# leaks a semaphore at exit, sqlfluff issue #4080); xargs fails if either does.
SQL_DIRS := models data-tests macros analyses
lint: setup-test
	$(BIN)/ruff check .
	find $(SQL_DIRS) -name '*.sql' | sort | awk '{ half[NR % 2] = half[NR % 2] " " $$0 } \
	  END { print half[1]; print half[0] }' | xargs -P 2 -L 1 $(BIN)/sqlfluff lint

test: lint
	$(BIN)/python -m pytest -n auto --dist loadscope

# the inner loop (< 60 s): everything but the tests that build a warehouse
test-fast: setup-test
	$(BIN)/python -m pytest -q -n auto -m "not slow and not ray"

clean:
	rm -rf warehouse target logs artifacts
