"""A cloud key planted in the environment and in a caps file reaches the device, and nothing a run leaves.

The caps file is the appium-sim profile plus two vendor options the whole chain passes through to the
virtual device: `bstack:options.accessKey` from ${BROWSERSTACK_ACCESS_KEY} (the way the cloud profiles
read keys) and `sauce:options.accessKey` written into the file itself. Then the features run through a
real Appium 3 (its log included), `promo list` and `promo cancel` run, and the HTML report is built; no
byte of either key may be anywhere under the run's reports directory (Allure results, attachments,
environment, audit log, Appium logs, HTML) or in anything printed.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from featurekit import APPIUM_SIM, REPO, files_containing, run_features
from runenv import clean_env

from tiktok_promo.harness.report.html import build_report

pytestmark = pytest.mark.slow  # a real Appium 3 server (and Grid, devices) per test: seconds to minutes


def test_no_planted_key_reaches_a_report_a_log_or_the_console(tmp_path: Path) -> None:
    # A quote, a backslash and a non-ASCII letter: Appium's log and our JSON write this key escaped.
    env_key = f'plant-"q\\z-é-{uuid.uuid4().hex[:12]}'
    tail = env_key[-12:]  # its last characters, found in every form that escapes the ones before them
    file_key = f"plant-FILE-{uuid.uuid4().hex[:12]}"
    caps = tmp_path / "cloud-keys-sim.yaml"
    caps.write_text(Path(APPIUM_SIM).read_text(encoding="utf-8") + (
        "  bstack:options:\n"
        "    userName: qa.team\n"
        "    accessKey: ${BROWSERSTACK_ACCESS_KEY}\n"
        "  sauce:options:\n"
        f"    accessKey: {file_key}\n"), encoding="utf-8")
    env = clean_env(BROWSERSTACK_ACCESS_KEY=env_key)
    reports = tmp_path / "reports"

    # The channel is what is checked, not the features: the shortest path and the pop-ups (with their faults, asked
    # as capabilities too) write every kind of evidence a run writes; all 22 scenarios, whose screens come in over a
    # phone's timing, would take minutes for no other kind of file.
    features = run_features(reports, "--target", "appium", "--caps", str(caps), "-m", "smoke or interruptions",
                            env=env)
    assert features.code == 0, features.describe()
    printed = [features.out, features.err]
    for args in (("list", "--json"),
                 ("cancel", "--title", "Summer haul try-on", "--reason", "budget", "--yes")):
        promo = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", *args, "--target", "appium",
                                "--caps", str(caps)], cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=120, check=False)
        assert promo.returncode == 0, promo.stdout + promo.stderr
        printed += [promo.stdout, promo.stderr]
    html = build_report(reports / "allure-results", reports / "allure-report", single_file=True)

    # The check is not vacuous: the run left every kind of evidence, and the keys did reach Appium.
    assert html.is_file()
    # step pictures (each the smaller of PNG and JPEG)
    assert [p for p in (reports / "allure-results").glob("*-attachment.*") if p.suffix in (".png", ".jpg")]
    assert (reports / "allure-results" / "environment.properties").is_file()
    assert (reports / "promo-audit.jsonl").is_file()
    appium_logs = sorted((reports / "appium").glob("*.log"))
    assert {p.name for p in appium_logs} >= {"appium-main.log", "appium-promo.log"}
    assert "***" in (reports / "appium" / "appium-main.log").read_text(encoding="utf-8")  # masked by Appium

    for key in (env_key, file_key, tail):
        assert files_containing(reports, key) == [], f"{key} was written under {reports}"
        assert not any(key in text for text in printed), f"{key} was printed"
    assert not list(REPO.glob(f"reports/**/*{env_key}*"))
