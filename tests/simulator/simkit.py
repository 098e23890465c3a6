"""What the simulator tests share: capabilities, and the few moves many tests make.

Imported by the tests as `simkit` (tests/simulator is on sys.path under pytest's default import mode).
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from appium.options.android import UiAutomator2Options
from appium.options.ios import XCUITestOptions
from appium.webdriver.common.appiumby import AppiumBy
from appium.webdriver.webdriver import WebDriver
from lxml import etree
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.remote.command import Command
from selenium.webdriver.support.wait import WebDriverWait

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.motion import DURATIONS_MS, IOS_DURATIONS_MS

PACKAGE = "com.zhiliaoapp.musically"
# waitForIdleTimeout just above the longest transition: the device waits for a screen coming in to rest before a
# read, as a phone's server does (and on the feed, never idle, each read costs that much).
IDLE_WAIT_MS = max(DURATIONS_MS.values()) + 50
# For a test of a user-visible flow that reads or taps at a place right after a tap: the device's own wait for idle
# has the screen at rest, as a phone's server does before a read (the feed, never idle, costs IDLE_WAIT_MS a command).
READS_AT_REST = pytest.mark.parametrize("wait_for_idle_ms", [IDLE_WAIT_MS], ids=["at-rest"])
# For a test of a protocol detail (a locator strategy, an element's attributes, a gesture's geometry, what the
# source holds) or of what a screen shows and does (its words, the app's rules, the ledger): screens rest at once
# (sim:transitions false). What it checks is the same at rest; the walk to the screen it checks is not what it is
# about: the timing has tests of its own (test_sim_timing.py, test_ios_timing.py), one walk per face stays on a
# phone's timing (marked slow), and the features walk with screens sliding in.
PROTOCOL_AT_REST = pytest.mark.parametrize("transitions", [False], ids=["no-transitions"])
# The same on the iOS face, where WDA waits for the app to be idle before each query and around each tap (XCTest's
# quiescence) up to waitForIdleTimeout: just above UIKit's longest transition, so every read is of the screen at
# rest, as at WDA's default; the feed, never idle, costs that much a query or a tap.
IOS_IDLE_WAIT_MS = max(IOS_DURATIONS_MS.values()) + 50
IOS_READS_AT_REST = pytest.mark.parametrize("wait_for_idle_ms", [IOS_IDLE_WAIT_MS], ids=["at-rest"])


def options(world: str | None = "default", faults: Any = None, **caps: Any) -> UiAutomator2Options:
    """The capabilities a harness sends: Android, UiAutomator2, the TikTok package, sim: extras."""
    opts = UiAutomator2Options()
    opts.platform_name = "Android"
    opts.automation_name = "UiAutomator2"
    opts.set_capability("appium:appPackage", PACKAGE)
    return _with(opts, "TikTokSim", world, faults, caps)


def ios_options(world: str | None = "default", faults: Any = None, **caps: Any) -> XCUITestOptions:
    """The capabilities an iOS harness sends: iOS, XCUITest, TikTok's bundle id, sim: extras."""
    opts = XCUITestOptions()
    opts.bundle_id = PACKAGE
    # As a TikTok client on an iPhone must (harness/run/profiles/ios-sim.yaml says why): the launch, every event and
    # every query would wait for the never-idle feed, and every page source for the cool-off. A test about that
    # sets them itself.
    opts.set_capability("appium:waitForIdleTimeout", 0)
    opts.set_capability("appium:settings[animationCoolOffTimeout]", 0)
    return _with(opts, "iPhone 15 Pro", world, faults, caps)


def _with(opts: Any, device: str, world: str | None, faults: Any, caps: dict[str, Any]) -> Any:
    opts.set_capability("appium:deviceName", device)
    opts.set_capability("appium:noReset", True)
    # As the harness and any TikTok client runs (harness.run.session says why): the feed is never idle, so at the
    # default (10 s) every find, click and page source there would wait 10 s. A test about that sets it itself.
    opts.set_capability("appium:settings[waitForIdleTimeout]", 0)
    if world is not None:
        opts.set_capability("sim:world", world)
    if faults is not None:
        opts.set_capability("sim:faults", faults)
    for name, value in caps.items():
        opts.set_capability(name, value)
    return opts


# --- small moves many tests share ---------------------------------------------------------------
def mobile(driver: WebDriver, name: str, **args: Any) -> Any:
    """Run `mobile: <name>` with named arguments, as the harness does."""
    return driver.execute_script(f"mobile: {name}", args)


# The sessions run at waitForIdleTimeout 0 (conftest.py), so a screen a tap opened may still be coming in: a find
# is made again until the view shows, as a client of a phone waits for what it needs (never a fixed sleep).
SHOWN_WITHIN = 3.0
_POLL = 0.02


def shown(driver: WebDriver, using: str, value: str):
    """The view the locator finds, once it shows (NoSuchElementException after SHOWN_WITHIN seconds)."""
    deadline = time.monotonic() + SHOWN_WITHIN
    while True:
        try:
            return driver.find_element(using, value)
        except NoSuchElementException:
            if time.monotonic() > deadline:
                raise
        time.sleep(_POLL)


def by_desc(driver: WebDriver, desc: str):
    return shown(driver, AppiumBy.ACCESSIBILITY_ID, desc)


def by_text(driver: WebDriver, text: str):
    return shown(driver, AppiumBy.ANDROID_UIAUTOMATOR, f'new UiSelector().text("{text}")')


def at_rest(driver: WebDriver) -> str:
    """A page source of the screen at rest: read again while its window's root neither fills the screen (where an
    activity's or a sheet's window rests) nor holds still between two reads (a dialog's)."""
    deadline, before = time.monotonic() + SHOWN_WITHIN, None
    while True:
        xml = driver.page_source
        root = etree.fromstring(xml.encode("utf-8"))
        window = next(iter(root), None)
        bounds = window.get("bounds") if window is not None else None
        if (bounds in (None, before, f"[0,0][{root.get('width')},{root.get('height')}]")
                or time.monotonic() > deadline):
            return xml
        before = bounds
        time.sleep(_POLL)


def texts(driver: WebDriver) -> list[str]:
    """Every non-empty text on the active window at rest, in document order, read in one command (once at rest).

    One page-source read rather than a find and a text per element: a toast lives only a few
    commands, and reading many elements one by one would watch it vanish half-way.
    """
    root = etree.fromstring(at_rest(driver).encode("utf-8"))
    return [node.get("text") for node in root.iter() if node.get("text")]


def open_promotions(driver: WebDriver, profile: str = "Me", tools: str = "Creator tools",
                    entry: str = "Promotions", menu: str = "Profile menu") -> None:
    """Feed -> profile tab -> menu -> creator tools -> promotions list (the guide's path)."""
    by_desc(driver, profile).click()
    by_desc(driver, menu).click()
    by_text(driver, tools).click()
    by_desc(driver, entry).click()


def open_details(driver: WebDriver, title: str, **labels: str) -> None:
    """From the feed to the details of the promotion whose video has `title`."""
    open_promotions(driver, **labels)
    by_text(driver, title).click()


def back_to_list(driver: WebDriver, timeout: float = 3.0) -> None:
    """BACK from a promotion's details, then wait until the list shows rows: the app may reload the list as it
    comes back to it (a progress indicator first), as a phone's does."""
    driver.back()
    wait_for_list(driver, timeout)


def wait_for_list(driver: WebDriver, timeout: float = 3.0) -> None:
    """Wait until no progress indicator shows (a reloading list shows one instead of its rows)."""
    WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        lambda d: not d.find_elements(AppiumBy.CLASS_NAME, "android.widget.ProgressBar"))


def ledger(driver: WebDriver, promo_id: str) -> dict[str, Any]:
    """One promotion as the app's server records it (`mobile: simLedger`)."""
    return next(p for p in mobile(driver, "simLedger")["promotions"] if p["id"] == promo_id)


def new_session_raw(driver: WebDriver, capabilities: dict[str, Any]) -> dict[str, Any]:
    """POST /session with exactly these W3C capabilities, through the client's own error mapping.

    The client's Options prefix every capability, so this is the only way to send what a
    hand-written client might send; errors still become the client's exceptions.
    """
    return driver.execute(Command.NEW_SESSION, {"capabilities": capabilities})


def raw(server: SimulatorServer, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    """One HTTP request without any client: (status, decoded JSON body)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def exchange(server: SimulatorServer, data: bytes, timeout: float = 10) -> tuple[int, dict[str, str], Any]:
    """Send these exact bytes on a fresh connection: (status, headers, decoded JSON body or None).

    For what no client library sends (a broken request line, a lying Content-Length): the device's answer
    as a client would read it, until the device closes the connection or one answer is complete.
    """
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock, method="HEAD" if data.startswith(b"HEAD ") else None)
        response.begin()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, json.loads(body) if body else None


def request_bytes(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """An HTTP/1.1 request as bytes, with Content-Length for a body unless `headers` frames it their own way."""
    lines = [f"{method} {path} HTTP/1.1", "Host: device", "Connection: close"]
    own = headers or {}
    if body and "Content-Length" not in own and "Transfer-Encoding" not in own:
        own = {**own, "Content-Length": str(len(body))}
    lines += [f"{name}: {value}" for name, value in own.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class StepClock:
    """A device clock that a test moves by hand (Device.clock): a tap's screen comes in over time, and a test of
    the app's rules lets it rest before the next tap, as a finger on a phone would wait."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def rest(self) -> None:
        self.now += 1.0  # longer than any transition
