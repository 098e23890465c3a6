"""Appium's Remote driver, counting the commands it sends and those that can change the screen.

The count of screen-changing commands is the screen's "epoch": a snapshot taken in an epoch stays
valid until a tap, a gesture or a clock step, so reading three values of one screen in three steps
costs one page source, not three.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

from appium import webdriver

# Commands that only look: they never change what the app shows.
_READ_ONLY = {
    "findElement", "findElements", "findChildElement", "findChildElements", "getPageSource", "screenshot",
    "elementScreenshot", "getElementText", "getElementAttribute", "getElementProperty", "getElementRect",
    "isElementDisplayed", "isElementEnabled", "isElementSelected", "getElementTagName", "getTimeouts",
    "getSession", "getWindowRect", "getCurrentContextHandle", "getContextHandles", "getSettings", "status",
    "getAlertText", "w3cGetAlertText",
}
_READ_ONLY_SCRIPTS = {
    "mobile: simStats", "mobile: simLedger", "mobile: deviceInfo", "mobile: getCurrentActivity",
    "mobile: getCurrentPackage", "mobile: queryAppState",
}


def changes_screen(command: str, params: dict | None) -> bool:
    """Whether a WebDriver command may change what the app shows."""
    if command in _READ_ONLY:
        return False
    if command in ("w3cExecuteScript", "executeScript", "w3cExecuteScriptAsync"):
        script = str((params or {}).get("script", "")).strip()
        if script == "mobile: alert":  # XCUITest's: reading an alert's buttons presses none of them
            args = (params or {}).get("args") or [{}]
            return not (isinstance(args[0], dict) and args[0].get("action") == "getButtons")
        return script not in _READ_ONLY_SCRIPTS
    return command != "quit"


class CountingRemote(webdriver.Remote):
    """An Appium driver that counts round trips (all commands) and screen changes, and times each command."""

    commands = 0
    screen_changes = 0
    # Told each command's name, parameters and wall seconds (the finder's cost model listens here).
    timer: Callable[[str, dict[str, Any] | None, float], None] | None = None
    started_in: float | None = None  # the session start's wall seconds (timed before any timer listens)

    def execute(self, driver_command: str | Generator[dict[str, Any], Any, Any],
                params: dict[str, Any] | None = None) -> Any:
        self.commands += 1
        # A BiDi command (a generator) has no name to look up: it counts as one that may change the screen.
        if not isinstance(driver_command, str) or changes_screen(driver_command, params):
            self.screen_changes += 1
        began = time.perf_counter()
        try:
            return super().execute(driver_command, params)
        finally:
            if driver_command == "newSession":
                self.started_in = time.perf_counter() - began
            elif self.timer is not None and isinstance(driver_command, str):
                self.timer(driver_command, params, time.perf_counter() - began)
