"""The reference: the cancel flow by hand with raw appium-python-client calls, no page objects.

It does the fewest commands that still cancel safely:
- the account on the profile is checked;
- the row is found with find_elements, so that two rows of the title on screen refuse (same cost);
- on the details screen, the promotion id when one is given, else the title, is checked before Cancel;
  without an id, the title is the only thing that says which promotion the details are of, and it is
  what keeps a tap that lands on the next row (rows sit close together on a phone) from cancelling a
  promotion nobody asked for;
- after the confirm, the status is read, and the view checked before is read again (one command, no
  find): the status counts only while that view still shows the same promotion.
On the virtual device's iOS face (`--ios`) it asks as an XCUITest user does: the account and the row by an
`-ios predicate string`, everything else by accessibility id, as on Android.
It knows one app version (the guide's wording) and handles no pop-up: it is the floor a harness is
measured against, not a tool. Like any client of TikTok on a phone it runs with waitForIdleTimeout at 0 (the
feed is never idle: at the default every find and click on it waits 10 s), so it meets screens coming in: a
find that misses while the next screen slides in is made again, every 100 ms, for up to 5 s.

    python bench/minimal_cancel.py --url http://127.0.0.1:4723 --title "Summer haul try-on" --account mia.creates
    python bench/minimal_cancel.py --url http://127.0.0.1:4724 --title "Summer haul try-on" --account mia.creates --ios
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from appium import webdriver
from appium.options.android import UiAutomator2Options
from appium.options.ios import XCUITestOptions
from appium.webdriver.common.appiumby import AppiumBy
from appium.webdriver.webelement import WebElement
from selenium.common.exceptions import NoSuchElementException

BY_DESC = AppiumBy.ACCESSIBILITY_ID
BY_UI = AppiumBy.ANDROID_UIAUTOMATOR
BY_PREDICATE = AppiumBy.IOS_PREDICATE
PACKAGE = "com.zhiliaoapp.musically"


@dataclass
class Outcome:
    """What the minimal script saw: the status after the confirm and the session it used."""

    status: str
    session_id: str


def until_shown(look: Callable[[], list[WebElement]], timeout: float = 5.0) -> list[WebElement]:
    """What `look` finds once the screen coming in shows it: looked for again every 100 ms until the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        found = look()
        if found or time.monotonic() >= deadline:
            return found
        threading.Event().wait(0.1)


def find(driver: webdriver.Remote, by: str, value: str) -> WebElement:
    """One find_element (a UiSelector's find_elements would search once more per match on a phone), made again
    while the screen coming in does not show it yet."""
    def look() -> list[WebElement]:
        try:
            return [driver.find_element(by, value)]
        except NoSuchElementException:
            return []

    found = until_shown(look)
    if not found:
        raise NoSuchElementException(f"{value} did not show")
    return found[0]


def tap(driver: webdriver.Remote, by: str, value: str) -> None:
    find(driver, by, value).click()


def read(driver: webdriver.Remote, by: str, value: str) -> str:
    return find(driver, by, value).text


def cancel(driver: webdriver.Remote, title: str, account: str, promotion_id: str | None = None) -> str:
    """Profile, menu, Creator tools, Promotions, the row, checks, Cancel, Confirm; the status after.

    The status counts only while the view checked before Cancel still shows the same promotion: read again
    (one command, no find), it proves the status read beside it is that promotion's, not another screen's.
    """
    ios = str(driver.capabilities.get("platformName", "")).lower() == "ios"
    tap(driver, BY_DESC, "Me")
    shown = read(driver, BY_PREDICATE, 'label BEGINSWITH "@"') if ios else read(
        driver, BY_UI, 'new UiSelector().textStartsWith("@")')
    if shown.lstrip("@") != account.lstrip("@"):
        raise SystemExit(f"refused: logged in as {shown}, not @{account.lstrip('@')}")
    tap(driver, BY_DESC, "Profile menu")
    tap(driver, BY_DESC, "Creator tools")  # a menu row's content-desc is its label: no UiSelector search again
    tap(driver, BY_DESC, "Promotions")
    row = f'new UiSelector().text("{title}")'
    # find_elements, not find_element: two rows with the title on screen must refuse, not tap the first.
    # The list by its class: the screen's first scrollable view is a strip that scrolls sideways.
    listing = 'new UiSelector().scrollable(true).classNameMatches(".*(RecyclerView|ListView|WebView)")'
    if ios:  # a cell's label is its texts joined by ", ", the title first (the default world's rows are on screen)
        cell = f'type == "XCUIElementTypeCell" AND label BEGINSWITH "{title}, "'
        rows = until_shown(lambda: driver.find_elements(BY_PREDICATE, cell))
    else:
        rows = until_shown(lambda: driver.find_elements(BY_UI, f"new UiScrollable({listing}).scrollIntoView({row})"))
    if len(rows) != 1:
        raise SystemExit(f'refused: {len(rows)} rows show "{title}"')
    rows[0].click()
    if promotion_id:
        checked, expected = find(driver, BY_DESC, "Promotion ID"), f"ID {promotion_id}"
    else:
        checked, expected = find(driver, BY_DESC, "Video"), title
    if checked.text != expected:
        raise SystemExit(f'refused: the details show "{checked.text}", not "{expected}"')
    tap(driver, BY_DESC, "Cancel")
    tap(driver, BY_DESC, "Confirm")
    status = read(driver, BY_DESC, "Status")
    if checked.text != expected:
        raise SystemExit(f'the app now shows "{checked.text}", not "{expected}": its status is not that promotion\'s')
    return status


def start(url: str, capabilities: dict[str, Any], ios: bool = False) -> webdriver.Remote:
    options: UiAutomator2Options | XCUITestOptions
    if ios:
        options = XCUITestOptions()
        # WDA waits for the never-idle feed from the launch on unless the capability says 0, and before a page
        # source for the cool-off unless that setting does (docs/ios.md)
        options.load_capabilities({"platformName": "iOS", "appium:automationName": "XCUITest",
                                   "appium:bundleId": PACKAGE, "appium:waitForIdleTimeout": 0,
                                   "appium:settings[animationCoolOffTimeout]": 0, **capabilities})
    else:
        options = UiAutomator2Options()
        options.load_capabilities({"platformName": "Android", "appium:automationName": "UiAutomator2",
                                   "appium:settings[waitForIdleTimeout]": 0, **capabilities})
    return webdriver.Remote(url, options=options)


def run(url: str, title: str, account: str, capabilities: dict[str, Any] | None = None, ios: bool = False) -> Outcome:
    driver = start(url, capabilities or {}, ios)
    try:
        return Outcome(cancel(driver, title, account), driver.session_id)
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="Appium server or virtual device URL")
    parser.add_argument("--title", required=True, help="title of the promotion to cancel")
    parser.add_argument("--account", required=True, help="the account that must be logged in")
    parser.add_argument("--ios", action="store_true", help="an iOS session (XCUITest) instead of Android's")
    args = parser.parse_args(argv)
    outcome = run(args.url, args.title, args.account, ios=args.ios)
    print(outcome.status)
    return 0 if outcome.status in ("Canceled", "Stopped") else 1


if __name__ == "__main__":
    sys.exit(main())
