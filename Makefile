# The README's two commands: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test browser webservers wrk bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## validate and load the curated data, then serve it on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/twinkg validate
	$(BIN)/twinkg load
	$(BIN)/twinkg serve

## Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's nginx and Apache httpd, to test the configurations generated for the static site
## (the tests start them on loopback ports with their own config; no service is enabled)
webservers:
	@{ [ -x /usr/sbin/nginx ] && [ -x /usr/sbin/apache2 ]; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends nginx-light apache2 >/dev/null; }

## all tests: unit, HTTP (test client and real servers on loopback), browser
test: $(STAMP) browser webservers
	$(BIN)/python -m pytest -n 2 -q

## wrk (Debian) drives bench/run.py; it is a benchmark, not a test
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }

bench: $(STAMP) wrk
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
