"""Every `mobile:` method the device answers takes the arguments the installed UiAutomator2 driver's map gives it.

The driver validates `mobile:` arguments against its execute-method map before anything reaches its server
(appium/appium packages/base-driver/lib/basedriver/commands/execute.ts, validateExecuteMethodParams); the
TikTokSim driver proxies them untouched, so the device checks the same required and optional names. This reads
the map of the driver in node_modules (appium-uiautomator2-driver lib/execute-method-map.js) and compares.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tiktok_promo.simulator.faults import parse_faults
from tiktok_promo.simulator.session import Session
from tiktok_promo.simulator.world import resolve_world

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("execute_methods_of_the_driver.mjs")


def driver_map() -> dict[str, dict[str, list[str]]]:
    node = shutil.which("node")
    mapped = ROOT / "node_modules" / "appium-uiautomator2-driver" / "build" / "lib" / "execute-method-map.js"
    if node is None or not mapped.exists():
        pytest.fail("the UiAutomator2 driver is not installed in node_modules: run `make node`", pytrace=False)
    done = subprocess.run([node, str(SCRIPT), str(ROOT)], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.mark.slow
def test_every_mobile_method_of_the_device_has_the_drivers_arguments() -> None:
    session = Session({}, resolve_world("default"), parse_faults(None))
    ours = {f"mobile: {name}": entry for name, entry in session.mobile.items() if not name.startswith("sim")}
    theirs = driver_map()
    assert set(ours) <= set(theirs), set(ours) - set(theirs)  # no method a phone lacks
    for name, (_, required, optional) in ours.items():
        assert (set(required), set(optional)) == (set(theirs[name]["required"]), set(theirs[name]["optional"])), name


# What suites call around the flow (device time, lock, notifications, radios, battery, screen, windows, clipboard,
# activities, keys, keyboard, apps, shell as an insecure feature, recording): each must be served.
CALLED_AROUND_THE_FLOW = (
    "getDeviceTime", "isLocked", "lock", "unlock", "openNotifications", "getConnectivity", "setConnectivity",
    "batteryInfo", "getDisplayDensity", "getSystemBars", "viewportRect", "listWindows", "getClipboard",
    "setClipboard", "startActivity", "pressKey", "hideKeyboard", "isKeyboardShown", "isAppInstalled", "shell",
    "startMediaProjectionRecording", "isMediaProjectionRecordingRunning", "stopMediaProjectionRecording",
)


@pytest.mark.slow
def test_the_methods_suites_call_around_the_flow_are_served_with_the_drivers_arguments() -> None:
    session = Session({}, resolve_world("default"), parse_faults(None))
    theirs = driver_map()
    for name in CALLED_AROUND_THE_FLOW:
        assert name in session.mobile, name
        _, required, optional = session.mobile[name]
        assert (set(required), set(optional)) == (set(theirs[f"mobile: {name}"]["required"]),
                                                  set(theirs[f"mobile: {name}"]["optional"])), name
