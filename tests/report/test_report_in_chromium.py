"""The HTML report, built with Allure Report 3, opened in a real headless Chromium: every test is on the page.

A throwaway pytest-bdd feature runs in a temporary directory with the allure-pytest-bdd adapter, as the
real features do; harness.report.html builds the report (a directory, and the single-file twin) from its
results; Debian's chromium + chromium-driver open it. The directory report is served over
http://127.0.0.1 (its app fetches data files, which file:// does not allow); the single file is opened
from disk. Chromium may resolve no host but 127.0.0.1. Needs `make node` and `make browser`.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness.errors import ReportError
from harness.report.html import REPORT_NAME, build_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
RENDER_TIMEOUT = 30

SCENARIOS = [
    "Cancel the summer promotion from its details",
    "Backing out of the confirmation leaves it Active",
    "A cancelled promotion offers no restart",
    "A failing check still shows in the report",
]

FEATURE = f"""\
Feature: Report check
  Scenario: {SCENARIOS[0]}
    Given a promotion "Summer sale" is active
    When I cancel it
    Then it shows "Cancelled"

  Scenario: {SCENARIOS[1]}
    Given a promotion "Winter sale" is active
    Then it shows "Active"

  @smoke
  Scenario: {SCENARIOS[2]}
    Given a promotion "Autumn sale" is active
    When I cancel it
    Then it shows "Cancelled"

  Scenario: {SCENARIOS[3]}
    Given a promotion "Spring sale" is active
    Then it shows "Gone"
"""

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("report_check.feature")


@given(parsers.parse('a promotion "{title}" is active'), target_fixture="promo")
def promo(title):
    return {"title": title, "status": "Active"}


@when("I cancel it")
def cancel(promo):
    promo["status"] = "Cancelled"


@then(parsers.parse('it shows "{status}"'))
def shows(promo, status):
    assert promo["status"] == status
"""


@pytest.fixture(scope="module")
def allure_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Allure results of a throwaway pytest-bdd run (one scenario fails on purpose)."""
    work = tmp_path_factory.mktemp("bdd")
    (work / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = .\n", encoding="utf-8")
    (work / "report_check.feature").write_text(FEATURE, encoding="utf-8")
    (work / "test_report_check.py").write_text(STEPS, encoding="utf-8")
    results = work / "allure-results"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ALLURE_"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(work),
         "-c", str(work / "pytest.ini"), f"--alluredir={results}", str(work)],
        cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 1, f"the throwaway run should have one failure:\n{done.stdout}\n{done.stderr}"
    names = sorted(json.loads(p.read_text(encoding="utf-8"))["name"] for p in results.glob("*-result.json"))
    assert names == sorted(SCENARIOS)
    return results


@pytest.fixture(scope="module")
def reports(allure_results: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    return {
        "directory": build_report(allure_results, out / "allure-report"),
        "single": build_report(allure_results, out / "allure-report-single", single_file=True),
    }


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"Chromium is not installed ({', '.join(missing)} missing); run `make browser` "
                    "(apt-get install chromium chromium-driver).", pytrace=False)
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--disable-default-apps", "--window-size=1400,1000",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(RENDER_TIMEOUT)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def http_root(reports: dict[str, Path]) -> Iterator[str]:
    """The directory report served on 127.0.0.1 by a tiny http.server thread."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(reports["directory"].parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="report-http", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def rendered_names(driver: webdriver.Chrome, url: str) -> str:
    """Open the report and wait until its app has rendered every scenario's name; the page text."""
    driver.get(url)

    def all_shown(drv: webdriver.Chrome) -> str | bool:
        text = drv.find_element(By.TAG_NAME, "body").text
        return text if all(name in text for name in SCENARIOS) else False

    try:
        return WebDriverWait(driver, RENDER_TIMEOUT, poll_frequency=0.2).until(all_shown)
    except TimeoutException:
        text = driver.find_element(By.TAG_NAME, "body").text
        missing = [name for name in SCENARIOS if name not in text]
        pytest.fail(f"{url} did not show {missing} within {RENDER_TIMEOUT} s; the page said:\n{text[:1500]}")


def test_the_report_directory_shows_every_test_in_chromium(chromium: webdriver.Chrome, http_root: str) -> None:
    text = rendered_names(chromium, f"{http_root}/index.html")
    assert chromium.title == REPORT_NAME
    assert REPORT_NAME in text


def test_the_single_file_report_shows_every_test_in_chromium(
    chromium: webdriver.Chrome, reports: dict[str, Path]
) -> None:
    single = reports["single"]
    assert [p.name for p in single.parent.iterdir() if p.suffix == ".html"] == ["index.html"]
    rendered_names(chromium, single.as_uri())
    assert chromium.title == REPORT_NAME


def test_missing_node_tools_is_one_clear_sentence(tmp_path: Path, allure_results: Path) -> None:
    with pytest.raises(ReportError, match=r"Allure Report 3 is not installed: .* run `npm ci`"):
        build_report(allure_results, tmp_path / "out", root=tmp_path)


def test_no_results_is_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="There are no Allure results"):
        build_report(tmp_path / "nothing-here", tmp_path / "out")
