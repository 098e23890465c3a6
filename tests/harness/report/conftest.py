"""The Chromium tests' two costly things, made once per test run and shared by every module that needs them:
the headless Chromium, and the report sample's run with its two reports (the directory and the single file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reportkit
from reportkit import Report, SampleReports
from runenv import started
from selenium import webdriver

from tiktok_promo.harness.report.html import build_report


@pytest.fixture(scope="session")
def chromium() -> Iterator[webdriver.Chrome]:
    """One headless Chromium for every Chromium test of the run."""
    with started(reportkit.chromium(), reportkit.ChromiumMissing) as driver:
        yield driver


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleReports:
    """The report sample run once, with the project's steps and hooks; both of its reports."""
    out = tmp_path_factory.mktemp("report-sample")
    results = reportkit.run_sample(out)
    return SampleReports(results, Report(build_report(results, out / "allure-report")),
                         build_report(results, out / "allure-report-single", single_file=True))


@pytest.fixture(scope="session")
def served_sample(sample: SampleReports) -> Iterator[str]:
    """The directory report served on 127.0.0.1 (its app fetches data files, which file:// does not allow)."""
    with reportkit.served(sample.directory.root) as base:
        yield base
