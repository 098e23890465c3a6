"""The W3C / Appium routes and their error answers, as appium-python-client sees them."""

from __future__ import annotations

import json
import re
import socket
from urllib.parse import urlsplit

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import (
    InvalidArgumentException,
    InvalidSessionIdException,
    NoSuchElementException,
    SessionNotCreatedException,
    UnknownMethodException,
    WebDriverException,
)
from simkit import PACKAGE, by_desc, exchange, mobile, new_session_raw, raw

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.security import FeatureNameError, InsecureFeatures, parse_feature_names

W3C_ERROR_KEYS = {"error", "message", "stacktrace"}


# --- session life ---------------------------------------------------------------------------------
def test_status_says_ready(server) -> None:
    status, body = raw(server, "GET", "/status")
    assert status == 200
    assert body["value"]["ready"] is True
    assert body["value"]["build"]["version"]


def test_new_session_answers_the_device_capabilities(make_driver) -> None:
    driver = make_driver(world="current")
    caps = driver.capabilities
    assert caps["platformName"] == "Android"
    assert caps["automationName"] == "UiAutomator2"
    assert caps["appPackage"] == PACKAGE
    assert caps["deviceScreenSize"] == "1080x2400"
    assert caps["sim:world"] == "current"
    assert caps["sim:release"] == "current"
    assert caps["sim:uiVariant"] == "current"  # the older name, still answered for clients that read it


def test_get_session_shows_the_live_session(server, driver) -> None:
    status, body = raw(server, "GET", f"/session/{driver.session_id}")
    assert status == 200
    assert body["value"]["sim:world"] == "default"


def _start(server: SimulatorServer) -> str:
    # waitForIdleTimeout 0: the session starts on the feed, never idle, where a page source would wait the default 10 s.
    caps = {"platformName": "Android", "appium:automationName": "UiAutomator2",
            "appium:settings[waitForIdleTimeout]": 0}
    status, body = raw(server, "POST", "/session", json.dumps({"capabilities": {"alwaysMatch": caps}}).encode())
    assert status == 200, body
    return body["value"]["sessionId"]


def test_session_list_needs_session_discovery_as_appium_3_does() -> None:
    # appium/appium packages/appium/lib/appium.ts getAppiumSessions asserts session_discovery; the umbrella driver
    # has no automation name, so only `*:session_discovery` (or --relaxed-security) allows it
    with SimulatorServer(port=0) as closed, SimulatorServer(
            port=0, insecure=InsecureFeatures(parse_feature_names("*:session_discovery"))) as open_:
        status, body = raw(closed, "GET", "/appium/sessions")
        assert (status, body["value"]["error"]) == (500, "unknown error")
        assert "Potentially insecure feature 'session_discovery' has not been enabled" in body["value"]["message"]
        sid = _start(open_)
        status, body = raw(open_, "GET", "/appium/sessions")
        assert status == 200 and [s["id"] for s in body["value"]] == [sid]
        assert set(body["value"][0]) == {"id", "created", "capabilities"}


def test_insecure_features_follow_appiums_allow_deny_and_relaxed_rules() -> None:
    # appium/appium packages/base-driver lib/basedriver/core.ts isFeatureEnabled: deny beats allow beats relaxed
    allowed = InsecureFeatures(parse_feature_names("uiautomator2:adb_shell"))
    assert allowed.enabled("adb_shell") and not allowed.enabled("get_server_logs")
    assert not InsecureFeatures(parse_feature_names("xcuitest:adb_shell")).enabled("adb_shell")
    relaxed = InsecureFeatures(denied=parse_feature_names("*:adb_shell"), relaxed=True)
    assert relaxed.enabled("get_server_logs") and not relaxed.enabled("adb_shell")
    with pytest.raises(FeatureNameError, match="<automation name>:<feature>"):
        parse_feature_names("adb_shell")


def test_cors_preflight_is_answered_only_with_allow_cors(server) -> None:
    # appium/appium packages/base-driver lib/express/middleware.ts allowCrossDomain: 200 `OK` to any OPTIONS, and
    # the same three headers on every answer
    preflight = (b"OPTIONS /session HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:8080\r\n"
                 b"Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n")
    status, _, _ = exchange(server, preflight)
    assert status == 404  # without --allow-cors, as Appium without it
    with SimulatorServer(port=0, allow_cors=True) as cors:
        parts = urlsplit(cors.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(preflight)
            answer = sock.makefile("rb").read()
        head, _, text = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and text == b"OK"
        assert b"Access-Control-Allow-Origin: *" in head
        assert b"Access-Control-Allow-Methods: GET, POST, PUT, OPTIONS, DELETE" in head
        status, headers, _ = exchange(cors, b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status == 200 and headers["access-control-allow-origin"] == "*"


# --- logs ---------------------------------------------------------------------------------------------------
THREADTIME = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [VDIWEF] [^:]+: .+$")


def test_logcat_has_the_phones_events_in_threadtime_each_read_once(driver) -> None:
    # appium-android-driver lib/commands/log.ts (types), appium-adb lib/logcat.js (threadtime, {timestamp, level
    # 'ALL', message}, only the lines since the last read)
    assert driver.log_types == ["logcat", "bugreport", "server"]
    by_desc(driver, "Me").click()
    lines = driver.get_log("logcat")
    assert lines and all(THREADTIME.match(line["message"]) and line["level"] == "ALL" for line in lines)
    messages = "\n".join(line["message"] for line in lines)
    assert f"START u0 {{flg=0x10200000 cmp={PACKAGE}/" in messages and "screen shown: profile" in messages
    assert driver.get_log("logcat") == []  # read once
    driver.terminate_app(PACKAGE)
    assert any("Force stopping" in line["message"] for line in driver.get_log("logcat"))


def test_server_log_needs_get_server_logs_and_unknown_types_are_listed(server, driver) -> None:
    # appium-android-driver lib/commands/log.ts (server: assertFeatureEnabled(get_server_logs)); base-driver
    # lib/basedriver/commands/log.ts (Unsupported log type ... Supported types: {...})
    with pytest.raises(WebDriverException, match="'get_server_logs' has not been enabled"):
        driver.get_log("server")
    with pytest.raises(WebDriverException, match=r"Unsupported log type 'crash'. Supported types: \{\"logcat\""):
        driver.get_log("crash")
    with SimulatorServer(port=0, insecure=InsecureFeatures(relaxed=True)) as relaxed:
        sid = _start(relaxed)
        raw(relaxed, "GET", f"/session/{sid}/source")
        status, body = raw(relaxed, "POST", f"/session/{sid}/se/log", b'{"type": "server"}')
        assert status == 200 and "[HTTP] --> GET /session/:sid/source" in [e["message"] for e in body["value"]]


def test_quit_ends_the_session_and_later_commands_are_invalid_session_id(server, make_driver) -> None:
    driver = make_driver()
    sid = driver.session_id
    driver.quit()
    status, body = raw(server, "GET", f"/session/{sid}/source")
    assert status == 404
    assert body["value"]["error"] == "invalid session id"
    with pytest.raises(InvalidSessionIdException):
        _ = driver.page_source


def test_first_match_entries_are_tried_in_order(driver) -> None:
    answer = new_session_raw(driver, {
        "alwaysMatch": {"platformName": "Android", "appium:automationName": "UiAutomator2"},
        "firstMatch": [{"appium:appPackage": "com.example.other"}, {"sim:world": "business"}],
    })
    value = answer["value"]
    assert value["capabilities"]["sim:world"] == "business"
    driver.execute("quit", {"sessionId": value["sessionId"]})


@pytest.mark.parametrize(
    ("caps", "words"),
    [
        ({"platformName": "iOS"}, "platformName"),
        ({"appium:automationName": "XCUITest"}, "XCUITest"),
        ({"appium:appPackage": "com.example.notinstalled"}, "not installed"),
        ({"world": "no-such-world"}, "no-such-world"),
    ],
)
def test_new_session_refusals_are_session_not_created(make_driver, caps: dict, words: str) -> None:
    with pytest.raises(SessionNotCreatedException, match=words):
        make_driver(**caps)


def test_unprefixed_non_standard_capability_is_invalid_argument(driver) -> None:
    with pytest.raises(InvalidArgumentException, match=r"vendor prefix.*deviceName"):
        new_session_raw(driver, {"alwaysMatch": {"platformName": "Android", "deviceName": "Pixel"}})


@pytest.mark.parametrize(
    ("caps", "words"),
    [
        ({"sim:colour": "red"}, "sim:colour"),
        ({"sim:faults": "apocalyptic"}, "apocalyptic"),
        ({"sim:faults": {"error_rate": 3}}, "error_rate"),
        ({"sim:faults": {"gremlins": 1}}, "gremlins"),
        ({"appium:newCommandTimeout": -5}, "newCommandTimeout"),
    ],
)
def test_bad_capability_values_are_invalid_argument(make_driver, caps: dict, words: str) -> None:
    with pytest.raises(InvalidArgumentException, match=words):
        make_driver(**caps)


# --- settings, window, timeouts ------------------------------------------------------------------
def test_timeouts_round_trip(driver) -> None:
    # GET /timeouts answers {command, implicit} only (base-driver getTimeouts), so Selenium's
    # `driver.timeouts` (which reads pageLoad and script too) cannot be used against Appium.
    driver.implicitly_wait(1.5)
    assert driver.execute("getTimeouts")["value"]["implicit"] == 1500


def test_window_rect_is_a_portrait_phone_and_turns_with_orientation(driver) -> None:
    assert driver.get_window_rect() == {"x": 0, "y": 0, "width": 1080, "height": 2400}
    assert driver.orientation == "PORTRAIT"
    driver.orientation = "LANDSCAPE"
    assert driver.orientation == "LANDSCAPE"
    assert driver.get_window_size() == {"width": 2400, "height": 1080}
    driver.orientation = "PORTRAIT"
    assert driver.get_window_size() == {"width": 1080, "height": 2400}


def test_settings_round_trip(driver) -> None:
    settings = driver.get_settings()
    assert settings["enableMultiWindows"] is False
    driver.update_settings({"enableMultiWindows": True, "waitForIdleTimeout": 0})
    updated = driver.get_settings()
    assert updated["enableMultiWindows"] is True
    assert updated["waitForIdleTimeout"] == 0


def test_contexts_are_native_only(driver) -> None:
    assert driver.contexts == ["NATIVE_APP"]
    assert driver.current_context == "NATIVE_APP"
    with pytest.raises(WebDriverException, match="No such context"):
        driver.switch_to.context("WEBVIEW_1")


# --- errors and the client's exceptions -----------------------------------------------------------
def test_unknown_mobile_method_is_unsupported_operation(driver) -> None:
    # 500 `unsupported operation` (base-driver executeMethod), which Selenium maps to UnknownMethodException
    with pytest.raises(UnknownMethodException, match="mobile: fly"):
        driver.execute_script("mobile: fly", {})


def test_non_mobile_script_is_unknown_method(driver) -> None:
    with pytest.raises(UnknownMethodException):
        driver.execute_script("return document.title")


def test_unknown_command_is_a_webdriver_exception_with_the_404_body(server, driver) -> None:
    driver.command_executor.add_command("simNoSuchThing", "GET", "/session/$sessionId/no/such/thing")
    with pytest.raises(WebDriverException, match="could not be found"):
        driver.execute("simNoSuchThing")
    status, body = raw(server, "GET", f"/session/{driver.session_id}/no/such/thing")
    assert status == 404
    assert set(body["value"]) == W3C_ERROR_KEYS
    assert body["value"]["error"] == "unknown command"


def test_find_without_using_is_invalid_argument(driver) -> None:
    driver.command_executor.add_command("simBareFind", "POST", "/session/$sessionId/element")
    with pytest.raises(InvalidArgumentException, match="using"):
        driver.execute("simBareFind", {"value": "x"})


def test_bad_mobile_arguments_are_invalid_argument(driver) -> None:
    with pytest.raises(InvalidArgumentException, match="direction"):
        mobile(driver, "scrollGesture", left=0, top=300, width=1080, height=1800, direction="sideways")
    with pytest.raises(InvalidArgumentException, match="appId"):
        mobile(driver, "activateApp")
    with pytest.raises(InvalidArgumentException):
        mobile(driver, "simAdvanceClock", hours=-1)
    with pytest.raises(WebDriverException, match="Invalid timeout value"):
        driver.implicitly_wait(-1)  # base-driver parseTimeoutArgument: an unknown error, not invalid argument


def test_malformed_json_body_is_400_invalid_argument_with_w3c_shape(server, driver) -> None:
    status, body = raw(server, "POST", f"/session/{driver.session_id}/element", b"{not json")
    assert status == 400
    assert set(body["value"]) == W3C_ERROR_KEYS
    assert body["value"]["error"] == "invalid argument"
    # The session is unharmed: the next well-formed command works.
    assert by_desc(driver, "Home").is_displayed()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/nowhere", None),
        ("POST", "/session/abc/unknown/route", b"{}"),
        ("DELETE", "/status", None),
        ("PUT", "/session", b"{}"),
        ("PATCH", "/nowhere", b"{}"),
        ("POST", "/session", b"[1, 2]"),
        ("POST", "/session", b'{"capabilities": {"alwaysMatch": [], "firstMatch": 3}}'),
    ],
)
def test_bad_requests_are_4xx_never_tracebacks(server, method, path, body) -> None:
    status, answer = raw(server, method, path, body)
    assert 400 <= status < 500
    assert set(answer["value"]) == W3C_ERROR_KEYS
    assert answer["value"]["message"]
    assert "Traceback" not in json.dumps(answer)


def test_commands_on_an_unknown_session_are_invalid_session_id(server) -> None:
    status, body = raw(server, "GET", "/session/00000000-dead-beef/source")
    assert (status, body["value"]["error"]) == (404, "invalid session id")


def test_no_such_element_keeps_the_session_usable(driver) -> None:
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Not on this screen")
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Not on this screen") == []
    assert by_desc(driver, "Home").is_displayed()


def test_sim_routes_answer_without_the_execute_detour(server, driver) -> None:
    sid = driver.session_id
    status, body = raw(server, "POST", f"/session/{sid}/sim/clock", b'{"hours": 1}')
    assert (status, body["value"]) == (200, "2026-11-20T11:00:00+00:00")
    status, body = raw(server, "GET", f"/session/{sid}/sim/ledger")
    assert body["value"]["clock"] == "2026-11-20T11:00:00+00:00"
    before = driver.execute_script("mobile: simStats")["commands"]
    status, body = raw(server, "GET", f"/session/{sid}/sim/stats")
    # The sim's own probes watch the device: they are not counted as the session's commands.
    assert status == 200
    assert body["value"]["commands"] == before
    assert not any("/sim/" in route for route in body["value"]["by_route"])


def test_execute_async_and_press_keycode_reach_the_same_methods(driver) -> None:
    assert driver.execute_async_script("mobile: getCurrentPackage") == "com.zhiliaoapp.musically"
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    driver.press_keycode(4)  # BACK, through the client's own helper
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    assert "Creator tools" not in driver.page_source


def test_timeouts_capability_is_not_applied(make_driver) -> None:
    # Appium keeps `timeouts` as a standard capability but no driver applies it: the implicit wait
    # stays 0 until POST /timeouts (appium/appium packages/base-driver/lib/basedriver/commands/timeout.ts).
    driver = make_driver(timeouts={"implicit": 1500})
    assert driver.execute("getTimeouts")["value"]["implicit"] == 0
