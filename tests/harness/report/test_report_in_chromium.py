"""The HTML report, built with Allure Report 3, opened in a real headless Chromium: every test is on the page.

The run is the report sample (tests/harness/report/sample/, with the project's own steps and hooks, as the real
features run); harness.report.html builds its report as a directory and as the single-file twin
(tests/harness/report/conftest.py builds both once); Debian's chromium + chromium-driver open them. The directory
report is served over http://127.0.0.1 (its app fetches data files, which file:// does not allow); the
single file is opened from disk. Chromium may resolve no host but 127.0.0.1. Needs `make node` and
`make browser`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reportkit
from reportkit import SampleReports
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tiktok_promo.harness.errors import ReportError
from tiktok_promo.harness.report.html import REPORT_NAME, build_report

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # a headless Chromium and the report sample's run

RENDER_TIMEOUT = reportkit.RENDER_TIMEOUT


def result_names(results: Path) -> list[str]:
    """The name of every test the run left a result of."""
    return sorted(json.loads(p.read_text(encoding="utf-8"))["name"] for p in results.glob("*-result.json"))


def rendered_names(driver: webdriver.Chrome, url: str, names: list[str]) -> str:
    """Open the report and wait until its app has rendered every test's name; the page text."""
    driver.get(url)

    def all_shown(drv: webdriver.Chrome) -> str | bool:
        text = drv.find_element(By.TAG_NAME, "body").text
        return text if all(name in text for name in names) else False

    try:
        return WebDriverWait(driver, RENDER_TIMEOUT, poll_frequency=0.2).until(all_shown)
    except TimeoutException:
        text = driver.find_element(By.TAG_NAME, "body").text
        missing = [name for name in names if name not in text]
        pytest.fail(f"{url} did not show {missing} within {RENDER_TIMEOUT} s; the page said:\n{text[:1500]}")


def test_the_report_directory_shows_every_test_in_chromium(chromium: webdriver.Chrome, served_sample: str,
                                                           sample: SampleReports) -> None:
    names = result_names(sample.results)
    assert len(names) >= 8
    text = rendered_names(chromium, f"{served_sample}/index.html", names)
    assert chromium.title == REPORT_NAME
    assert REPORT_NAME in text


def test_the_single_file_report_shows_every_test_in_chromium(chromium: webdriver.Chrome,
                                                             sample: SampleReports) -> None:
    assert [p.name for p in sample.single.parent.iterdir() if p.suffix == ".html"] == ["index.html"]
    rendered_names(chromium, sample.single.as_uri(), result_names(sample.results))
    assert chromium.title == REPORT_NAME


def test_missing_node_tools_is_one_clear_sentence(tmp_path: Path, sample: SampleReports) -> None:
    with pytest.raises(ReportError, match=r"Allure Report 3 is not installed: .* run `npm ci`"):
        build_report(sample.results, tmp_path / "out", root=tmp_path)


def test_no_results_is_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="There are no Allure results"):
        build_report(tmp_path / "nothing-here", tmp_path / "out")
