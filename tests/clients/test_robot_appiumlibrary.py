"""Robot Framework with AppiumLibrary runs the cancel flow and the keywords a suite calls around it (device time,
key codes sent as strings, lock, notifications, network status, screen recording, adb shell refused as an insecure
feature), on the virtual device directly and through a real Appium 3 with our TikTokSim driver.

AppiumLibrary's keywords call the Appium Python client (serenity-bdd/robotframework-appiumlibrary
AppiumLibrary/keywords/_applicationmanagement.py, _keyevent.py, _android_utils.py, _screenrecord.py); `Press Keycode
4` sends the key code as the string "4", which UiAutomator2's server reads with Gson
(appium/appium-uiautomator2-server handler/PressKeyCode.java, utils/ModelUtils.java).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from robot import run as robot_run
from robot.api import ExecutionResult, ResultVisitor

from tiktok_promo.harness.run.appium_server import AppiumServer

SUITE = Path(__file__).with_name("robot") / "cancel_flow.robot"


WRAPPERS = ("Run Keyword And Expect Error", "Wait Until Keyword Succeeds")  # a failure inside is what they expect


@dataclass
class KeywordCount(ResultVisitor):
    """Every keyword call of a run: how many passed, and how many failed as the suite expected (inside a passing
    Run Keyword And Expect Error, or a retry of a passing Wait Until Keyword Succeeds)."""

    calls: int = 0
    passed: int = 0
    expected_failures: int = 0

    def start_keyword(self, keyword: Any) -> None:
        self.calls += 1
        if keyword.status == "PASS":
            self.passed += 1
            return
        parent = keyword.parent
        if getattr(parent, "status", None) == "PASS" and getattr(parent, "name", "") in WRAPPERS:
            self.expected_failures += 1


def run_suite(url: str, automation: str, out: Path) -> tuple[int, KeywordCount, list[str]]:
    code = robot_run(str(SUITE), outputdir=str(out), variable=[f"REMOTE_URL:{url}", f"AUTOMATION:{automation}"],
                     console="none", loglevel="INFO")
    result = ExecutionResult(str(out / "output.xml"))
    count = KeywordCount()
    result.visit(count)
    failed = [f"{test.name}: {test.message}" for test in result.suite.all_tests if test.status != "PASS"]
    return code, count, failed


@pytest.mark.parametrize("target", ["device", "appium"])
@pytest.mark.slow
def test_robot_appiumlibrary_suite_passes_every_keyword(request: pytest.FixtureRequest, target: str,
                                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if target == "device":
        url, automation = request.getfixturevalue("sim_url"), "UiAutomator2"
    else:
        appium: AppiumServer = request.getfixturevalue("appium")
        url, automation = appium.url, "TikTokSim"
    code, count, failed = run_suite(url, automation, tmp_path)
    with capsys.disabled():
        print(f"\nRobot Framework + AppiumLibrary, {target}: {count.passed} of {count.calls} keyword calls passed, "
              f"{count.expected_failures} failed as the suite expects (adb shell refused)")
    assert (code, failed) == (0, [])
    assert count.calls >= 60 and count.passed + count.expected_failures == count.calls
    assert count.expected_failures >= 1  # Execute Adb Shell was refused, and the suite saw it
    assert (tmp_path / "open-promotions.mp4").read_bytes()[4:8] == b"ftyp"
    assert "<video" in (tmp_path / "log.html").read_text(encoding="utf-8")
