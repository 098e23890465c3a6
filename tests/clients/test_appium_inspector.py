"""Appium Inspector's browser build, in real Chromium, starts a session on the virtual device started with
--allow-cors (and on Appium 3 started with --allow-cors) and taps through the cancel by selecting each element on
its screenshot and pressing Tap, as a person does.

The browser build is the one appium-inspector-plugin ships (dist-browser, served here as static files under
/inspector/); the preflight it sends first is answered as Appium's allowCrossDomain answers it (appium/appium
packages/base-driver lib/express/middleware.ts). Screenshots of every step go to reports/inspector/<target>/.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from runenv import started
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.harness.report import reportkit
from tiktok_promo.harness.errors import AppiumServerError
from tiktok_promo.harness.run.appium_server import AppiumServer
from tiktok_promo.simulator import SimulatorServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # a headless Chromium, and a real Appium 3 for one test

REPO = Path(__file__).resolve().parents[2]
INSPECTOR = REPO / "node_modules" / "appium-inspector-plugin" / "dist-browser"
SHOTS = REPO / "reports" / "inspector"
WAIT = 20  # seconds for the Inspector to draw a screen on a busy 2-core machine
# (how to find it, the words its Selected Element panel shows): the cancel, step by step
CANCEL = [
    ("accessibility id", "Me"), ("accessibility id", "Profile menu"), ("-android uiautomator", 'text("Creator tools")'),
    ("accessibility id", "Promotions"), ("-android uiautomator", 'text("Summer haul try-on")'),
    ("accessibility id", "Cancel"), ("accessibility id", "Confirm"),
]


@pytest.fixture
def inspector(tmp_path: Path) -> Iterator[str]:
    """The Inspector's browser build served at /inspector/ of a local static server; its URL."""
    if not (INSPECTOR / "index.html").exists():
        pytest.fail("Appium Inspector's browser build is not installed in node_modules: run `make node`",
                    pytrace=False)
    (tmp_path / "inspector").symlink_to(INSPECTOR)
    with reportkit.served(tmp_path) as base:
        yield f"{base}/inspector/"


@pytest.fixture
def chromium() -> Iterator[WebDriver]:
    with started(reportkit.chromium("1400,1000"), reportkit.ChromiumMissing) as driver:
        yield driver


def start_session(browser: WebDriver, url: str, server: str, caps: str) -> None:
    """Fill the Inspector's server and capabilities (its JSON editor) and press Start Session."""
    browser.get(url)
    wait = WebDriverWait(browser, WAIT)
    host = wait.until(lambda b: b.find_element(By.ID, "customServerHost"))
    parts = urlsplit(server)
    host.send_keys(parts.hostname or "127.0.0.1")
    browser.find_element(By.ID, "customServerPort").send_keys(str(parts.port))
    browser.find_element(By.ID, "customServerPath").send_keys("/")
    # the JSON panel's two buttons: edit, then (once editing) save
    edit = [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.is_displayed() and not b.text
            and b.location["x"] > 1200 and 300 < b.location["y"] < 400]
    edit[-1].click()
    editor = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "textarea"))
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(caps)
    save = [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.is_displayed() and not b.text
            and b.location["x"] > 1200 and 300 < b.location["y"] < 400]
    save[-1].click()
    browser.find_element(By.ID, "btnStartSession").click()
    wait.until(lambda b: b.find_elements(By.ID, "screenshot") and b.find_elements(By.ID, "sourceContainer"))


def shows(browser: WebDriver, label: str) -> bool:
    """Whether the Selected Element panel shows an element with this text or content-desc, found on the device (its
    elementId filled in: the Inspector finds an element before it can tap it)."""
    return bool(browser.find_elements(By.XPATH, f"//td[normalize-space()='{label}']")) and bool(
        browser.find_elements(By.XPATH, "//tr[td[normalize-space()='elementId']]/td[2][string-length(normalize-space())"
                                        " > 30]"))


Locate = Callable[[str, str], "dict[str, int] | None"]


def on_device(session: Any) -> Locate:
    """Where an element is now, asked of the device's session in-process (its pixels)."""
    def rect(using: str, value: str) -> dict[str, int] | None:
        with session.lock:
            found = session.find(using, value, None, True)
            return session.rect(next(iter(found[0].values()))) if found else None
    return rect


def through(url: str, sid: str) -> Locate:
    """Where an element is now, asked over HTTP of the server the Inspector talks to, in the same session."""
    def rect(using: str, value: str) -> dict[str, int] | None:
        found = call(url, "POST", f"/session/{sid}/elements", {"using": using, "value": value})
        if not found:
            return None
        element = next(iter(found[0].values()))
        return call(url, "GET", f"/session/{sid}/element/{element}/rect")
    return rect


def call(url: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["value"]


def select(browser: WebDriver, locate: Locate, using: str, value: str, label: str) -> bool:
    """Click where the element is on the Inspector's screenshot, then give the panel a few seconds to show it; false
    while the Inspector still draws the screen before (the caller clicks again)."""
    rect = locate(using, f"new UiSelector().{value}" if using.startswith("-android") else value)
    if rect is None:
        return False
    picture = browser.find_element(By.ID, "screenshot")
    scale = picture.size["width"] / 1080
    x = (rect["x"] + rect["width"] / 2) * scale - picture.size["width"] / 2
    y = (rect["y"] + rect["height"] / 2) * scale - picture.size["height"] / 2
    ActionChains(browser).move_to_element_with_offset(picture, int(x), int(y)).click().perform()
    try:
        WebDriverWait(browser, 3).until(lambda b: shows(b, label))
    except TimeoutException:
        # The point picks the deepest view under it (a tab's icon, as in a phone's real tree): a person then picks
        # the view they meant in the App Source tree, by its label.
        node = tree_node(browser, label)
        if node is None:
            return False
        node.click()
        try:
            WebDriverWait(browser, 3).until(lambda b: shows(b, label))
        except TimeoutException:
            return False
    return True


def tree_node(browser: WebDriver, label: str) -> Any:
    """The App Source tree's line of the view whose content-desc (else text) is `label`, or None."""
    for attribute in ("content-desc", "text"):
        found = browser.find_elements(By.XPATH, "//*[@id='sourceContainer']//span[contains(@class, 'ant-tree-title')]"
                                                f"[contains(., '{attribute}=\"{label}\"')]")
        if found:
            return found[0]
    return None


def tap_through(browser: WebDriver, locate: Locate, shots: Path) -> None:
    """Each step: wait for the Inspector to show the element, select it on the screenshot, press Tap."""
    wait = WebDriverWait(browser, WAIT)
    shots.mkdir(parents=True, exist_ok=True)
    for number, (using, value) in enumerate(CANCEL, start=1):
        label = value.split('"')[1] if '"' in value else value
        wait.until(lambda b, using=using, value=value, label=label: select(b, locate, using, value, label))
        tap = browser.find_element(By.ID, "btnTapElement")
        browser.save_screenshot(str(shots / f"{number:02d}-{label.replace(' ', '-')}.png"))
        # the button sits in a tooltip wrapper that swallows a synthesised pointer click in headless Chromium;
        # the DOM click is the press a person's mouse makes
        browser.execute_script("arguments[0].click()", tap)
    wait.until(lambda b: '"Canceled"' in b.find_element(By.ID, "sourceContainer").text)
    browser.save_screenshot(str(shots / f"{len(CANCEL) + 1:02d}-canceled.png"))


# waitForIdleTimeout 0, as a person driving TikTok sets it in the Inspector: the feed plays a video and is never
# idle, so at the default (10 s) every command on it waits 10 s (appium-uiautomator2-server
# model/settings/WaitForIdleTimeout.java).
CAPS = ('{"platformName": "Android", "appium:automationName": "%s", "sim:world": "default", '
        '"appium:settings[waitForIdleTimeout]": 0}')


def test_inspector_taps_through_the_cancel_on_the_device(inspector: str, chromium: WebDriver) -> None:
    with SimulatorServer(port=0, allow_cors=True) as device:
        start_session(chromium, inspector, device.url, CAPS % "UiAutomator2")
        session = next(iter(device.sessions.values()))
        tap_through(chromium, on_device(session), SHOTS / "device")
        summer = [p for p in session.device.model.snapshot()["promotions"] if p["title"] == "Summer haul try-on"]
        assert summer and summer[0]["status"] == "canceled"


def test_inspector_taps_through_the_cancel_through_appium(inspector: str, chromium: WebDriver) -> None:
    # Appium's own --allow-cors (base-driver lib/express/server.ts); session_discovery lets the test find the
    # session the Inspector opened, to know where each element is
    with started(AppiumServer(extra_args=["--allow-cors", "--allow-insecure", "*:session_discovery"]),
                 AppiumServerError) as server:
        start_session(chromium, inspector, server.url, CAPS % "TikTokSim")
        (listed,) = call(server.url, "GET", "/appium/sessions")
        tap_through(chromium, through(server.url, listed["id"]), SHOTS / "appium")
        ledger = call(server.url, "POST", f"/session/{listed['id']}/execute/sync",
                      {"script": "mobile: simLedger", "args": [{}]})
        summer = [p for p in ledger["promotions"] if p["title"] == "Summer haul try-on"]
        assert summer and summer[0]["status"] == "canceled"
