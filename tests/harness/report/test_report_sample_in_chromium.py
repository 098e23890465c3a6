"""The report of a run with a failure of each class and a drifted pass, opened in a real headless Chromium,
checked for what a person looks at: the categories and their counts, the environment, the drift of a
passed scenario, a step's picture of the phone, outline rows told apart, no internal object anywhere.

The run is the report sample (tests/harness/report/sample/, what `make report-sample` runs) with the project's
own steps and hooks; the report is Allure Report 3 with allurerc.mjs. The categories are Allure 3's
`categories` rules (@allurereport/core-api categories.ts: label matchers, first match wins) rendered by
its awesome plugin (@allurereport/plugin-awesome categories.js). Needs `make node` and `make browser`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import reportkit
from reportkit import DRIFTED_PASS, OUTLINE_ROWS, SAMPLE_CATEGORIES, Report, SampleReports
from selenium import webdriver
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # a headless Chromium and the report sample's run

REPO = Path(__file__).resolve().parents[3]
FAILED_SCENARIO = "The app does not show what the guide says after a cancel"
DEAD_SESSION = "The session dies on the way"
VIDEO = "screen recording"

ENVIRONMENT = ("target", "device", "Android version", "app version", "app release", "Appium version", "run id")
NOISE_LABELS = ("host", "thread", "language", "framework", "worker", "device.ports")


@pytest.fixture
def report(sample: SampleReports) -> Report:
    return sample.directory


@pytest.fixture
def base(served_sample: str) -> str:
    return served_sample


def counts_after(text: str, name: str) -> int:
    """The count a row shows after its name: the badges (failed, broken, passed...) on the lines below it."""
    lines = text.splitlines()
    assert name in lines, f"{name!r} is not a line of the page:\n{text[:2000]}"
    total = 0
    for line in lines[lines.index(name) + 1:]:
        if not line.strip().isdigit():
            break
        total += int(line)
    return total


def description_text(driver: webdriver.Chrome) -> str:
    """The test's description, which Allure 3 renders in an iframe of its own."""
    reportkit.wait_for(driver, "the description", lambda d: d.find_elements(By.TAG_NAME, "iframe"))
    driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
    try:
        return reportkit.wait_for(driver, "the description's text", lambda d: reportkit.page_text(d).strip())
    finally:
        driver.switch_to.default_content()


def test_every_failure_class_and_the_drifted_pass_are_categories_with_their_counts(
        chromium: webdriver.Chrome, base: str) -> None:
    text = reportkit.open_categories(chromium, base)
    for name, expected in SAMPLE_CATEGORIES.items():
        assert counts_after(text, name) == expected, name
    # Only the project's categories: Allure's own "Product errors" / "Test errors" catch nothing left over.
    assert "Product errors" not in text and "Test errors" not in text
    assert f"Categories\n{len(SAMPLE_CATEGORIES)}" in text  # the overview's tab says how many


def test_the_overview_shows_the_environment_and_the_drift_count(chromium: webdriver.Chrome, base: str) -> None:
    reportkit.open_overview(chromium, base)
    more = chromium.find_elements(By.XPATH, "//button[normalize-space()='Show more']")
    if more:
        more[0].click()
    text = reportkit.wait_for_text(chromium, "run id")
    for key in ENVIRONMENT:
        assert f"\n{key}\n" in text, key
    assert "\nAndroid version\n14\n" in text
    assert re.search(r"\nrun id\n[0-9a-f]{12}\n", text)
    assert "\nlocator drift\n1 of 10 passed on a fallback\n" in text


def test_the_drifted_pass_says_what_matched_and_what_missed(chromium: webdriver.Chrome, base: str,
                                                            report: Report) -> None:
    text = reportkit.open_test(chromium, base, report, DRIFTED_PASS, "locator drift")
    assert "Passed" in text and f"Category: {next(iter(SAMPLE_CATEGORIES))}" in text
    assert "3 targets on a fallback" in text  # the label the filters and the category match
    for noise in NOISE_LABELS:
        assert f"\n{noise}\n" not in text, noise
    description = description_text(chromium)
    # The build says 48.0.0, a studio release by its version: the business words it kept are drift.
    assert description.startswith("Locator drift: 3 targets found by a fallback locator")
    assert ('"Creator tools": matched accessibility id "Business Suite" (business release); '
            'primary accessibility id "TikTok Studio" missed' in description)
    # The feature's description keeps its line breaks.
    assert "make report-sample runs it and\nsaves pictures of the report." in description


def test_a_steps_picture_of_the_phone_is_one_click_away(chromium: webdriver.Chrome, base: str, report: Report) -> None:
    # Every step is open on the test's page (allurerc.mjs stepTreeExpansion): the picture's row shows at once.
    reportkit.open_test(chromium, base, report, OUTLINE_ROWS[0], "When I cancel the promotion")
    attachment = reportkit.wait_for(chromium, "the step's attachment", lambda d: d.find_elements(
        By.XPATH, "//*[normalize-space()='screen after the step']"))
    attachment[0].click()
    picture = reportkit.wait_for(chromium, "the screenshot", lambda d: [
        img for img in d.find_elements(By.TAG_NAME, "img")
        if d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 200])
    width, height = chromium.execute_script(
        "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", picture[0])
    assert height > width > 200  # a phone's screen, upright


def test_outline_rows_have_names_of_their_own(chromium: webdriver.Chrome, base: str) -> None:
    text = reportkit.open_overview(chromium, base)
    text = reportkit.wait_for_text(chromium, *OUTLINE_ROWS)
    assert OUTLINE_ROWS[0] != OUTLINE_ROWS[1] and all(text.count(name) == 1 for name in OUTLINE_ROWS)


def test_no_internal_object_anywhere_in_the_report(chromium: webdriver.Chrome, base: str, report: Report) -> None:
    # Everything the report can show comes from its data files; then each failed test's page as rendered.
    data = [p for p in (report.root / "data").rglob("*") if p.is_file() and p.suffix in (".json", ".txt", ".xml")]
    assert len(data) > 10
    leaks = [p.name for p in data if "object at 0x" in p.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []
    for name in report.test_ids():
        text = reportkit.open_test(chromium, base, report, name)
        assert "object at 0x" not in text, name


def test_the_single_file_report_has_the_same_categories(chromium: webdriver.Chrome, sample: SampleReports) -> None:
    chromium.get(f"{sample.single.as_uri()}#/categories")  # one file with its data inside: opened from disk
    text = reportkit.wait_for_text(chromium, *SAMPLE_CATEGORIES)
    for name, expected in SAMPLE_CATEGORIES.items():
        assert counts_after(text, name) == expected, name


def results_of(report: Report) -> dict[str, dict]:
    """The run's Allure results by scenario name."""
    results = {}
    for path in (report.root.parent / "allure-results").glob("*-result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        results[data["name"]] = data
    return results


def videos_of(result: dict) -> list[dict]:
    return [a for a in result.get("attachments", []) if a["type"] == "video/mp4"]


def test_by_default_failed_and_drifted_scenarios_carry_their_video_and_passing_ones_none(report: Report) -> None:
    results = results_of(report)
    for name, result in results.items():
        drifted = any(label["name"] == "locator drift" for label in result["labels"])
        wanted = (result["status"] != "passed" or drifted) and name != DEAD_SESSION
        assert len(videos_of(result)) == (1 if wanted else 0), name
    assert all(not videos_of(results[row]) for row in OUTLINE_ROWS)  # the plain passes


def test_a_session_that_died_mid_scenario_still_says_why_with_no_recording_error(report: Report) -> None:
    result = results_of(report)[DEAD_SESSION]
    assert result["status"] == "broken"
    assert result["statusDetails"]["message"].startswith(
        "tiktok_promo.harness.errors.SessionLost: The Appium session ended")
    assert "record" not in json.dumps(result).lower()  # nothing about the video it could not give


def test_a_failed_scenarios_report_plays_its_screen_recording(chromium: webdriver.Chrome, base: str,
                                                              report: Report) -> None:
    reportkit.open_test(chromium, base, report, FAILED_SCENARIO, VIDEO)
    chromium.find_element(By.XPATH, f"//*[normalize-space()='{VIDEO}']").click()  # the attachment opens
    video = reportkit.wait_for(chromium, "the video player", lambda d: d.find_elements(By.TAG_NAME, "video"))[0]
    # Muted, as a browser plays a video it was not clicked for; looped, so the picture below shows it playing.
    chromium.execute_script("arguments[0].muted = true; arguments[0].loop = true; arguments[0].play();", video)
    reportkit.wait_for(chromium, "the video playing past its first screen", lambda d: d.execute_script(
        "return arguments[0].currentTime > 0.5 && arguments[0].videoHeight > arguments[0].videoWidth", video))
    assert chromium.execute_script("return arguments[0].duration", video) > 1
    assert not chromium.execute_script("return arguments[0].paused || arguments[0].error", video)
    reportkit.save(chromium, REPO / "reports" / "report-video" / "failed-scenario-video.png")
