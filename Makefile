# Two commands do everything on a fresh clone (see README):
#   make warehouse   set up, then build the warehouse from the sample corpus
#   make test        set up with the test tools, then run the tests
#   make test-fast   the quick subset (no warehouse build), for the inner loop
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export DO_NOT_TRACK := 1

.PHONY: warehouse test test-fast lint setup setup-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,ray,ocr]"
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  echo "installing Debian's chromium and a CJK font for the docs-site test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) \
	  || echo "could not install chromium: the browser test will be skipped outside CI"; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "installing poppler-utils (pdftotext) for the space-aligned text test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	  || echo "could not install poppler-utils: tests/test_pdftotext.py will be skipped"; }
	@test -f /usr/share/unicode/EquivalentUnifiedIdeograph.txt || { \
	  echo "installing unicode-data (Unicode's data files) to check ingest/vocabularies/cjk_radicals.csv"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unicode-data >/dev/null) \
	  || echo "could not install unicode-data: tests/test_radicals.py checks the table against NFKC only"; }

warehouse: setup
	$(BIN)/yibao run corpus

# the linters first: CI fails on a lint finding as on a failing test
lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint --processes 2 models data-tests macros analyses

test: lint
	$(BIN)/python -m pytest -n auto --dist loadscope

# the inner loop (< 60 s): everything but the tests that build a warehouse
test-fast: setup-test
	$(BIN)/python -m pytest -q -n auto -m "not slow and not ray"

clean:
	rm -rf warehouse target logs artifacts
