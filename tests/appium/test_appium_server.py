"""A real Appium 3 server with our TikTokSim driver, driven by the real appium-python-client.

The chain is the one users run, except the phone: client -> Appium 3 (node_modules) -> TikTokSim driver
(drivers/appium-tiktok-sim, in the repo's APPIUM_HOME) -> the virtual device it starts
(python -m tiktok_promo.simulator).
Needs the node tools: `make node` (npm ci + the driver install).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from appium import webdriver
from appium.options.common import AppiumOptions
from appium.webdriver.common.appiumby import AppiumBy
from appium.webdriver.webdriver import WebDriver
from runenv import started
from selenium.common.exceptions import NoSuchElementException, SessionNotCreatedException, WebDriverException
from urllib3.exceptions import MaxRetryError

from tiktok_promo.harness.errors import AppiumServerError
from tiktok_promo.harness.run.appium_server import REPO_ROOT, AppiumServer

pytestmark = pytest.mark.slow  # a real Appium 3 server (and Grid, devices) per test: seconds to minutes

PACKAGE = "com.zhiliaoapp.musically"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def options(**caps: Any) -> AppiumOptions:
    """Capabilities for our driver: Android, TikTokSim, the default world unless told otherwise."""
    opts = AppiumOptions()
    opts.set_capability("platformName", "Android")
    opts.set_capability("appium:automationName", "TikTokSim")
    opts.set_capability("sim:world", "default")
    opts.set_capability("timeouts", {"implicit": 0})
    for name, value in caps.items():
        opts.set_capability(name, value)
    return opts


def answers(url: str) -> bool:
    """Whether anything answers HTTP at `url`/status."""
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def until(condition: Any, timeout: float = 10.0) -> bool:
    """Wait for `condition()` to be true, up to `timeout` seconds; whether it became true."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() >= deadline:
            return False
        pause.wait(0.05)
    return True


def raw(url: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One HTTP request to Appium, bypassing the client: (status, JSON body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def driver(appium: AppiumServer) -> Iterator[WebDriver]:
    drv = webdriver.Remote(appium.url, options=options())
    yield drv
    drv.quit()


def test_a_session_through_appium_reaches_the_virtual_device(appium: AppiumServer) -> None:
    drv = webdriver.Remote(appium.url, options=options())
    try:
        caps = drv.capabilities
        assert caps["automationName"] == "TikTokSim"
        assert caps["appPackage"] == PACKAGE
        assert caps["sim:world"] == "default"
        sim_url = caps["simUrl"]
        assert sim_url.startswith("http://127.0.0.1:")
        assert answers(sim_url)

        me = drv.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
        me.click()
        assert drv.find_elements(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
        source = drv.page_source
        assert source.startswith("<?xml") and "<hierarchy" in source and PACKAGE in source
        assert drv.get_screenshot_as_png().startswith(PNG_MAGIC)

        assert drv.execute_script("mobile: deviceInfo", {})["world"] == "default"
        assert drv.execute_script("mobile: getCurrentPackage", {}) == PACKAGE
        before = drv.execute_script("mobile: simLedger", {})
        assert before["promotions"]
        clock = drv.execute_script("mobile: simAdvanceClock", {"hours": 2})
        assert isinstance(clock, str) and clock
        stats = drv.execute_script("mobile: simStats", {})
        routes = stats["by_route"]
        assert routes["POST /session/:sid/element/:eid/click"] == 1
        assert routes["GET /session/:sid/source"] == routes["GET /session/:sid/screenshot"] == 1
        assert routes["POST /session/:sid/execute/sync"] >= 2  # deviceInfo, getCurrentPackage at least
        assert stats["commands"] >= 7

        with pytest.raises(NoSuchElementException):
            drv.find_element(AppiumBy.ACCESSIBILITY_ID, "No such thing on this screen")
    finally:
        drv.quit()
    assert until(lambda: not answers(sim_url)), "quit left the virtual device the driver started running"


def test_device_routes_and_session_caps_answer_through_appium(appium: AppiumServer, driver: WebDriver) -> None:
    status, body = raw(appium.url, "GET", f"/session/{driver.session_id}/sim/stats")
    assert status == 200 and "commands" in body["value"]
    status, body = raw(appium.url, "GET", f"/session/{driver.session_id}")
    assert status == 200 and body["value"]["automationName"] == "TikTokSim"
    status, body = raw(appium.url, "POST", f"/session/{driver.session_id}/execute/sync",
                       {"script": "mobile: noSuchMethod", "args": [{}]})
    # Appium 3's executeMethod: 500 `unsupported operation` (appium/appium
    # packages/base-driver/lib/basedriver/commands/execute.ts), through Appium as on the device
    assert status == 500 and body["value"]["error"] == "unsupported operation"


def test_the_appium_sim_profile_starts_a_session(appium: AppiumServer) -> None:
    profile_file = REPO_ROOT / "harness" / "run" / "profiles" / "appium-sim.yaml"
    profile = yaml.safe_load(profile_file.read_text(encoding="utf-8"))
    opts = AppiumOptions().load_capabilities(profile["capabilities"])
    drv = webdriver.Remote(appium.url, options=opts)
    try:
        assert drv.capabilities["automationName"] == "TikTokSim"
        assert drv.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
    finally:
        drv.quit()


def test_a_world_the_device_does_not_know_is_session_not_created(appium: AppiumServer) -> None:
    with pytest.raises(SessionNotCreatedException, match="no-such-world"):
        webdriver.Remote(appium.url, options=options(**{"sim:world": "no-such-world"}))


def test_a_missing_appium_says_to_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(AppiumServerError, match=r"Appium is not installed: .* run `npm ci`"):
        AppiumServer(root=tmp_path).start()


def test_an_appium_that_dies_at_start_reports_its_last_log_lines() -> None:
    server = AppiumServer(extra_args=["--no-such-option"], start_timeout=30)
    began = time.monotonic()
    with pytest.raises(AppiumServerError, match=r"exited with code \d+ while starting; last log lines:\n.*\S"):
        server.start()
    assert time.monotonic() - began < 30
    assert not server.running


def test_an_appium_killed_mid_session_fails_the_client_promptly_and_stop_cleans_up() -> None:
    with started(AppiumServer(), AppiumServerError) as server:
        drv = webdriver.Remote(server.url, options=options())
        sim_url = drv.capabilities["simUrl"]
        assert drv.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
        assert server.pid is not None
        os.kill(server.pid, signal.SIGKILL)
        assert until(lambda: not server.running)
        began = time.monotonic()
        with pytest.raises(MaxRetryError, match="Connection refused"):
            drv.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
        assert time.monotonic() - began < 10, f"the client hung for {time.monotonic() - began:.1f} s"
    assert until(lambda: not answers(sim_url)), "stop() left the orphaned virtual device running"


def test_appium_answers_capabilities_commands_and_extensions_itself(appium: AppiumServer, driver: WebDriver) -> None:
    # appium/appium packages/base-driver lib/protocol/routes/appium.ts: getAppiumSessionCapabilities, listCommands,
    # listExtensions are Appium's own; the UiAutomator2 driver never proxies them (appium-uiautomator2-driver
    # lib/driver.ts, NO_PROXY), and neither does ours (drivers/appium-tiktok-sim getProxyAvoidList)
    sid = driver.session_id
    before = driver.execute_script("mobile: simStats", {})["by_route"]
    status, body = raw(appium.url, "GET", f"/session/{sid}/appium/capabilities")
    assert status == 200 and body["value"]["capabilities"]["automationName"] == "TikTokSim"
    status, body = raw(appium.url, "GET", f"/session/{sid}/appium/commands")
    assert status == 200 and "/session/:sessionId/appium/capabilities" in body["value"]["rest"]["base"]
    status, body = raw(appium.url, "GET", f"/session/{sid}/appium/extensions")
    assert status == 200 and set(body["value"]["rest"]) == {"driver", "plugins"}
    after = driver.execute_script("mobile: simStats", {})["by_route"]
    assert {k: v for k, v in after.items() if "appium/" in k} == {k: v for k, v in before.items() if "appium/" in k}


def test_session_list_and_settings_through_appium(appium: AppiumServer, driver: WebDriver) -> None:
    # appium/appium packages/appium/lib/appium.ts getAppiumSessions: refused without session_discovery; the settings
    # are the device's (it owns all of them), as UiAutomator2's server owns its own
    status, body = raw(appium.url, "GET", "/appium/sessions")
    assert status == 500 and "Potentially insecure feature 'session_discovery'" in body["value"]["message"]
    assert driver.get_settings()["waitForIdleTimeout"] == 10000


def test_insecure_features_appium_allows_reach_the_device_it_starts() -> None:
    # appium/appium packages/base-driver lib/basedriver/core.ts isFeatureEnabled; the driver passes what Appium
    # allows it on to the device (--allow-insecure), which checks them as UiAutomator2 would
    with started(AppiumServer(extra_args=["--allow-insecure", "tiktoksim:get_server_logs"]),
                 AppiumServerError) as server:
        drv = webdriver.Remote(server.url, options=options())
        try:
            drv.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
            assert any(entry["message"].startswith("[HTTP] -->") for entry in drv.get_log("server"))
            with pytest.raises(WebDriverException, match="Potentially insecure feature 'adb_shell'"):
                drv.execute_script("mobile: shell", {"command": "echo"})
        finally:
            drv.quit()
