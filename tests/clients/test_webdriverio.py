"""WebdriverIO 9 (npm `webdriverio`, pinned in package.json) runs the cancel flow and its users' idioms, on the
virtual device directly and through a real Appium 3 with our TikTokSim driver.

The Node script (wdio_cancel_flow.mjs) prints one `ok <step>` per step; every step must pass. What it checks
was read from: appium/appium-uiautomator2-driver lib/css/ (the `#id` css WebdriverIO sends),
@appium/base-driver lib/protocol/routes/appium-device.js (activateApp, terminateApp, queryAppState,
hideKeyboard, isKeyboardShown), appium/appium packages/base-driver/lib/basedriver/commands/timeout.ts
(setTimeout, getTimeouts) and execute.ts (an unknown `mobile:` method), appium/appium-android-driver
lib/commands/execute.ts (JavaScript refused in NATIVE_APP).

The iOS script (wdio_ios_cancel_flow.mjs) runs the same flow on the device's iOS face with XCUITest's locators,
WebdriverIO's `-ios predicate string:` and `-ios class chain:` selectors: appium/appium-xcuitest-driver
lib/commands/find.ts (a lookup WDA cannot parse is retried and ends as no such element), lib/commands/alert.ts
(`mobile: alert` getButtons), lib/commands/app-management.ts (apps by `bundleId`, queryAppState 1 and 4).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tiktok_promo.harness.run.appium_server import AppiumServer

pytestmark = pytest.mark.slow  # a real Appium 3 server and a Node client per test

SCRIPT = Path(__file__).with_name("wdio_cancel_flow.mjs")
IOS_SCRIPT = Path(__file__).with_name("wdio_ios_cancel_flow.mjs")
STEPS = [
    "start a session", "timeouts", "find by accessibility id, class name, id and css", "attributes, rect, text",
    "page source and screenshot", "feed -> profile (W3C tap)", "back",
    "profile -> menu -> creator tools -> promotions", "W3C swipe on the list",
    "child finds and mobile: gestures with element objects", "details -> cancel -> confirm -> status",
    "app state, terminate and activate", "end the session",
]
IOS_STEPS = [
    "start a session", "find by predicate string and class chain", "page source and screenshot",
    "profile -> menu -> creator tools -> promotions", "a row by its title -> details", "cancel -> keep -> still active",
    "cancel -> confirm -> status", "app state, terminate and activate", "end the session",
]


def run_script(url: str, automation: str, script: Path = SCRIPT) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH; the WebdriverIO client test needs Node 20+ (make node)", pytrace=False)
    done = subprocess.run([node, str(script), url, automation], capture_output=True, text=True, timeout=180,
                          cwd=SCRIPT.parent)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, "\n".join(lines[-5:]) + done.stderr[-2000:]
    return [line.removeprefix("ok ") for line in lines if line.startswith("ok ")]


def test_webdriverio_runs_the_cancel_flow_on_the_device(sim_url: str) -> None:
    assert run_script(sim_url, "UiAutomator2") == STEPS


def test_webdriverio_runs_the_cancel_flow_through_appium(appium: AppiumServer) -> None:
    assert run_script(appium.url, "TikTokSim") == STEPS


def test_webdriverio_cancels_on_the_ios_face_with_predicate_and_class_chain_selectors(sim_url: str) -> None:
    assert run_script(sim_url, "XCUITest", IOS_SCRIPT) == IOS_STEPS


def test_webdriverio_cancels_on_the_ios_face_through_appium(appium: AppiumServer) -> None:
    assert run_script(appium.url, "TikTokSim", IOS_SCRIPT) == IOS_STEPS
