"""The reference: the cancel flow by hand with raw appium-python-client calls, no page objects.

It does the fewest commands that still cancel safely: check the account on the profile and the
promotion id on the details screen before tapping Cancel, and read the status after the confirm.
It knows one app version (the guide's wording) and handles no pop-up: it is the floor a harness is
measured against, not a tool.

    python bench/minimal_cancel.py --url http://127.0.0.1:4723 --title "Summer haul try-on" --account mia.creates
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

from appium import webdriver
from appium.options.android import UiAutomator2Options
from appium.webdriver.common.appiumby import AppiumBy

BY_DESC = AppiumBy.ACCESSIBILITY_ID
BY_UI = AppiumBy.ANDROID_UIAUTOMATOR


@dataclass
class Outcome:
    """What the minimal script saw: the status after the confirm and the session it used."""

    status: str
    session_id: str


def tap(driver: webdriver.Remote, by: str, value: str) -> None:
    driver.find_element(by, value).click()


def read(driver: webdriver.Remote, by: str, value: str) -> str:
    return driver.find_element(by, value).text


def cancel(driver: webdriver.Remote, title: str, account: str, promotion_id: str | None = None) -> str:
    """Profile, menu, Creator tools, Promotions, the row, checks, Cancel, Confirm; the status after."""
    tap(driver, BY_DESC, "Me")
    shown = read(driver, BY_UI, 'new UiSelector().textStartsWith("@")')
    if shown.lstrip("@") != account.lstrip("@"):
        raise SystemExit(f"refused: logged in as {shown}, not @{account.lstrip('@')}")
    tap(driver, BY_DESC, "Menu")
    tap(driver, BY_UI, 'new UiSelector().text("Creator tools")')
    tap(driver, BY_DESC, "Promotions")
    row = f'new UiSelector().text("{title}")'
    tap(driver, BY_UI, f"new UiScrollable(new UiSelector().scrollable(true)).scrollIntoView({row})")
    shown_id = read(driver, BY_DESC, "Promotion ID")
    if promotion_id and shown_id != f"ID {promotion_id}":
        raise SystemExit(f"refused: the details show {shown_id}, not ID {promotion_id}")
    tap(driver, BY_DESC, "Cancel")
    tap(driver, BY_DESC, "Confirm")
    return read(driver, BY_DESC, "Status")


def start(url: str, capabilities: dict[str, Any]) -> webdriver.Remote:
    options = UiAutomator2Options()
    options.load_capabilities({"platformName": "Android", "appium:automationName": "UiAutomator2", **capabilities})
    return webdriver.Remote(url, options=options)


def run(url: str, title: str, account: str, capabilities: dict[str, Any] | None = None) -> Outcome:
    driver = start(url, capabilities or {})
    try:
        return Outcome(cancel(driver, title, account), driver.session_id)
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="Appium server or virtual device URL")
    parser.add_argument("--title", required=True, help="title of the promotion to cancel")
    parser.add_argument("--account", required=True, help="the account that must be logged in")
    args = parser.parse_args(argv)
    outcome = run(args.url, args.title, args.account)
    print(outcome.status)
    return 0 if outcome.status in ("Canceled", "Stopped") else 1


if __name__ == "__main__":
    sys.exit(main())
