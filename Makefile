# The README's two commands: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the port of `make serve`: `make serve PORT=8080`
PORT ?= 8000

.PHONY: serve test test-quick check-readme system-packages wrk bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## validate and load the curated data, then serve it on http://127.0.0.1:$(PORT) (default 8000)
serve: $(STAMP)
	$(BIN)/twinkg validate
	$(BIN)/twinkg load
	$(BIN)/twinkg serve --port $(PORT)

## the README's examples (curl, Python, twinkg) against a server on a freshly loaded store
check-readme: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_readme.py

## Debian packages the tests drive for real: chromium (browser tests through Playwright, which
## never downloads a browser), nginx and Apache httpd (the static site's generated configurations;
## the tests start them on loopback ports with their own config), rapper (raptor2-utils: an
## independent RDF client dereferencing the served IRIs), Virtuoso (virtuoso-opensource: a remote
## SPARQL store the remote-backend tests start on loopback with their own virtuoso.ini).
## One apt run installs what is missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	[ -x /usr/sbin/apache2 ] || missing="$$missing apache2"; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	[ -x /usr/bin/virtuoso-t ] || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## all tests: unit, HTTP (test client and real servers on loopback), browser
test: $(STAMP) system-packages
	$(BIN)/python -m pytest -n 2 -q

## the quick subset (README, "Tests"): no slow tests, no server processes, no browser
test-quick: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not server and not browser"

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
