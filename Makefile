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

.PHONY: setup run test lint bench clean node browser report

setup: $(VENV)/.installed node

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The report is built whether the features passed or failed (a failure is what people open it for);
# the exit status stays the features'.
run: setup
	@$(PY) -m pytest features --alluredir reports/allure-results --clean-alluredir; status=$$?; \
	$(MAKE) --no-print-directory report || status=1; exit $$status

# The whole suite, which includes the feature suite run directly and through a real Appium 3 server
# (tests/appium/test_features_through_appium.py), and pytest -n 4 over four virtual devices.
test: setup browser
	$(PY) -m pytest

# Style, the type hints ([tool.mypy] in pyproject.toml), then the layer contracts ([tool.importlinter]):
# an upward import fails with the names of the two modules.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf reports/allure-results reports/allure-report reports/allure-report-single reports/appium

# npm ci when package.json or its lock changed; then our driver into APPIUM_HOME unless it is there.
# (Appium installs a local driver with `npm link`, whose global link step goes to .appium/npm-prefix.)
node: node_modules/.installed
	@if $(APPIUM) driver list --installed --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.exit("tiktoksim" in JSON.parse(s||"{}")?0:1))'; then \
	  echo "Appium driver tiktoksim is installed in $(APPIUM_HOME)"; \
	else \
	  mkdir -p $(APPIUM_HOME)/npm-prefix/lib && \
	  NPM_CONFIG_PREFIX=$(APPIUM_HOME)/npm-prefix APPIUM_OMIT_PEER_DEPS=1 \
	    $(APPIUM) driver install --source=local $(CURDIR)/drivers/appium-tiktok-sim; \
	fi

node_modules/.installed: package.json package-lock.json drivers/appium-tiktok-sim/package.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20.19+ with npm to get Appium 3 and Allure Report 3." >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Debian's chromium + chromium-driver, for the test that opens the HTML report in a real browser, and
# the DejaVu fonts the virtual device draws its screenshots with.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "Installing chromium, chromium-driver and fonts-dejavu-core with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-dejavu-core; \
	fi

# The HTML report of reports/allure-results with Allure Report 3 (settings: allurerc.mjs), and the same
# report as one self-contained HTML file for CI artifacts.
report: node
	@test -n "$$(ls reports/allure-results/*-result.json 2>/dev/null)" || { echo "There are no Allure results in reports/allure-results: run the features first (make run)." >&2; exit 1; }
	rm -rf reports/allure-report reports/allure-report-single
	npx allure generate reports/allure-results --config allurerc.mjs --output reports/allure-report
	ALLURE_SINGLE_FILE=1 npx allure generate reports/allure-results --config allurerc.mjs --output reports/allure-report-single
	@echo "HTML report: $(CURDIR)/reports/allure-report/index.html"
	@echo "Single-file HTML report (CI artifact): $(CURDIR)/reports/allure-report-single/index.html"
