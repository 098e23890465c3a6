"""The device's HTTP wire: whatever bytes a client sends, the answer is W3C JSON with the status Appium
uses, and a client's mistake is one log line, never a traceback.

Appium 3 is a Node HTTP server with Express: appium/appium packages/base-driver/lib/express/server.ts
(`app.all('/*all', catch404Handler)`: any method or path no route has is 404 `unknown command`;
`bodyParser.json({limit})`) and middleware.ts (`catchAllHandler`: a body that is not JSON is `invalid
argument`, any other error `unknown error`). Node itself answers 400 to a request it cannot parse and 431
to a request line plus headers over 16 KiB (its max-http-header-size).
"""

from __future__ import annotations

import json
import logging

import pytest
from simkit import exchange, request_bytes

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.errors import InvalidArgument
from tiktok_promo.simulator.faults import parse_faults
from tiktok_promo.simulator.wire import MAX_BODY_BYTES, encode_answer, parse_body


def _strict(body: object) -> None:
    """A body JSON.parse would read: no NaN, no Infinity (json.loads lets them through by default)."""
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in an answer")
    json.loads(json.dumps(body), parse_constant=refuse)


def _w3c(answer: object, error: str) -> str:
    assert isinstance(answer, dict) and set(answer["value"]) == {"error", "message", "stacktrace"}
    assert answer["value"]["error"] == error
    _strict(answer)
    return answer["value"]["message"]


@pytest.fixture
def quiet_log(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]):
    """After the test: no record with a traceback in the device's log, nothing on stderr."""
    caplog.set_level(logging.DEBUG, logger="simulator")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(("method", "status", "error"), [
    ("OPTIONS", 404, "unknown command"),  # Express: no route for it, the catch-all answers
    ("TRACE", 404, "unknown command"),
    ("PUT", 404, "unknown command"),
    ("FOO", 400, "invalid argument"),  # not an HTTP method: Node refuses the request with 400
])
def test_a_method_no_route_has_is_a_w3c_error(server: SimulatorServer, quiet_log, method: str, status: int,
                                              error: str) -> None:
    code, headers, answer = exchange(server, request_bytes(method, "/status"))
    assert (code, headers["content-type"]) == (status, "application/json; charset=utf-8")
    _w3c(answer, error)


def test_head_answers_like_get_without_a_body(server: SimulatorServer, quiet_log) -> None:
    # Express runs the GET route for a HEAD request and sends its headers only.
    get_status, get_headers, _ = exchange(server, request_bytes("GET", "/status"))
    status, headers, body = exchange(server, request_bytes("HEAD", "/status"))
    assert (status, body) == (get_status, None) == (200, None)
    assert headers["content-length"] == get_headers["content-length"]


@pytest.mark.parametrize(("data", "status", "words"), [
    (b"GARBAGE\r\n\r\n", 400, "is not an HTTP request line"),
    (b"GET /status HTTP/1.1 extra\r\n\r\n", 400, "is not an HTTP request line"),
    (b"GET /status HTTP/2.0\r\n\r\n", 505, "HTTP/2.0 is not spoken here"),
    (request_bytes("GET", "/" + "a" * 70_000), 431, "longer than 16,384 bytes"),
    (request_bytes("GET", "/status", headers={f"X-Padding-{i}": "x" * 100 for i in range(200)}), 431,
     "longer than 16,384 bytes"),
    (request_bytes("POST", "/session", b"{}", {"Content-Length": "abc"}), 400, "'abc' is not a number of bytes"),
    (request_bytes("POST", "/session", b"{}", {"Content-Length": "-1"}), 400, "is not a number of bytes"),
    (request_bytes("POST", "/session", b"{}", {"Transfer-Encoding": "gzip"}), 400, "is not supported"),
])
def test_a_malformed_request_is_refused_in_w3c_json_and_the_connection_closed(
        server: SimulatorServer, quiet_log, data: bytes, status: int, words: str) -> None:
    code, headers, answer = exchange(server, data)
    assert code == status and headers["connection"] == "close"
    assert words in _w3c(answer, "invalid argument")
    assert any("refused a request" in r.getMessage() for r in quiet_log.records)  # one line, at INFO


def test_150_headers_are_served_as_node_serves_them(server: SimulatorServer, quiet_log) -> None:
    headers = {f"X-Header-{i}": "v" for i in range(150)}  # Node reads up to 2,000 headers within 16 KiB
    status, _, answer = exchange(server, request_bytes("GET", "/status", headers=headers))
    assert status == 200 and answer["value"]["ready"] is True


def test_a_huge_content_length_is_refused_before_any_body_is_read(server: SimulatorServer, quiet_log) -> None:
    # Nothing of the 10**15 bytes is ever sent: an answer at all proves the device did not wait for them.
    status, headers, answer = exchange(server, request_bytes("POST", "/session", b"", {"Content-Length": str(10**15)}),
                                       timeout=5)
    assert status == 500 and headers["connection"] == "close"  # Appium: body-parser's 413, through catchAllHandler
    assert "request entity too large" in _w3c(answer, "unknown error")
    assert f"{MAX_BODY_BYTES:,}" in answer["value"]["message"]


@pytest.mark.parametrize(("body", "words"), [
    (b"[" * 100_000 + b"]" * 100_000, "nests more than 100 levels deep"),
    (b'{"capabilities": "\xff\xfe"}', "not UTF-8 text"),
    (b'{"capabilities": NaN}', "NaN is not a JSON number"),
    (b'{"capabilities": -Infinity}', "-Infinity is not a JSON number"),
    (b'{"capabilities": 1e999}', "too large to be a finite number"),
    (b'{"capabilities": 1' + b"0" * 5000 + b"}", "too large to be a finite number"),
    (b'{"capabilities": "\\ud800"}', "lone UTF-16 surrogate"),
    (b'{"capabilities": ', "not valid JSON"),
])
def test_a_body_json_does_not_allow_is_an_invalid_argument(server: SimulatorServer, quiet_log, body: bytes,
                                                           words: str) -> None:
    status, _, answer = exchange(server, request_bytes("POST", "/session", body))
    assert status == 400
    assert words in _w3c(answer, "invalid argument")


def test_a_chunked_body_is_read_like_any_other(server: SimulatorServer, quiet_log) -> None:
    caps = json.dumps({"capabilities": {"alwaysMatch": {"platformName": "Android", "sim:world": "default"}}})
    half = len(caps) // 2
    chunked = "".join(f"{len(part):x}\r\n{part}\r\n" for part in (caps[:half], caps[half:])) + "0\r\n\r\n"
    status, _, answer = exchange(server, request_bytes("POST", "/session", chunked.encode(),
                                                       {"Transfer-Encoding": "chunked"}))
    assert status == 200 and answer["value"]["sessionId"]
    exchange(server, request_bytes("DELETE", f"/session/{answer['value']['sessionId']}"))


@pytest.mark.parametrize(("value", "error"), [
    ("//node\u0000[@text='x']", "invalid selector"),  # XML cannot hold NUL: not an XPath UiAutomator2 compiles
    ("//*[@text='\ud800']", "invalid argument"),  # not a character at all: refused with the body
])
def test_a_selector_with_a_character_xml_cannot_hold_is_refused_not_a_500(server: SimulatorServer, driver,
                                                                          quiet_log, value: str, error: str) -> None:
    # UiAutomator2 evaluates XPath with javax.xml.xpath over a page source cleaned of such characters
    # (appium/appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/utils/XMLHierarchy.java);
    # an expression that does not compile is an InvalidSelectorException.
    body = json.dumps({"using": "xpath", "value": value}).encode()
    status, _, answer = exchange(server, request_bytes("POST", f"/session/{driver.session_id}/element", body))
    assert status == 400
    _w3c(answer, error)


@pytest.mark.parametrize("faults", [
    b'{"latency_ms": NaN}', b'{"latency_ms": Infinity}', b'{"seed": 1e999}', b'{"crash_after": Infinity}',
    b'{"latency_sigma": NaN}', b'{"popup_rate": NaN}',
])
def test_non_finite_fault_settings_are_refused_as_invalid_argument(server: SimulatorServer, quiet_log,
                                                                   faults: bytes) -> None:
    body = b'{"capabilities": {"alwaysMatch": {"platformName": "Android", "sim:faults": ' + faults + b"}}}"
    status, _, answer = exchange(server, request_bytes("POST", "/session", body))
    assert status == 400
    _w3c(answer, "invalid argument")


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("1e999"), -0.5])
def test_parse_faults_refuses_what_is_not_a_finite_number_itself(raw: float) -> None:
    # The same check without the HTTP layer: a mapping built in Python reaches parse_faults unfiltered.
    for name in ("latency_ms", "seed", "crash_after", "latency_sigma", "popup_rate", "slow_list_ms"):
        with pytest.raises(InvalidArgument, match=f"sim:faults {name} must be a finite number >= 0"):
            parse_faults({name: raw})


def test_fault_settings_that_would_wait_for_hours_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="latency_ms may be at most 60000"):
        parse_faults({"latency_ms": 1e300})
    with pytest.raises(InvalidArgument, match="latency_sigma may be at most 3"):
        parse_faults({"latency_sigma": 800})  # exp(800) overflows the latency draw


@pytest.mark.parametrize(("path", "body"), [
    ("timeouts", b'{"implicit": NaN}'),
    ("timeouts", b'{"implicit": 1e300}'),  # finite, but over W3C's 2**53 - 1 milliseconds
    ("execute/sync", b'{"script": "mobile: simAdvanceClock", "args": [{"days": 1e999}]}'),
    ("execute/sync", b'{"script": "mobile: simAdvanceClock", "args": [{"days": 1e300}]}'),  # past 2100
    ("execute/sync", b'{"script": "mobile: simAdvanceClock", "args": [{"seconds": NaN}]}'),
    ("execute/sync", b'{"script": "mobile: clickGesture", "args": [{"x": NaN, "y": 5}]}'),
    ("actions", b'{"actions": [{"type": "pointer", "id": "f", "parameters": {"pointerType": "touch"}, "actions": '
                b'[{"type": "pointerMove", "duration": 0, "x": Infinity, "y": 100}]}]}'),
])
def test_non_finite_or_unbounded_numbers_in_commands_are_invalid_arguments(server: SimulatorServer, driver,
                                                                           quiet_log, path: str,
                                                                           body: bytes) -> None:
    status, _, answer = exchange(server, request_bytes("POST", f"/session/{driver.session_id}/{path}", body))
    assert status == 400
    _w3c(answer, "invalid argument")


def test_an_answer_with_nan_is_never_sent(server: SimulatorServer, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ValueError):
        encode_answer({"value": float("nan")})
    monkeypatch.setattr(server, "status", lambda body: {"ready": float("nan")})
    # The route table holds the bound method; setitem puts the real one back for the tests after this one.
    monkeypatch.setitem(server._routes[0].methods, "GET", server.status)
    status, _, answer = exchange(server, request_bytes("GET", "/status"))
    assert status == 500
    _w3c(answer, "unknown error")  # our bug: logged with its traceback, but the client still gets JSON
    assert any("not be written as JSON" in r.getMessage() for r in caplog.records)


def test_parse_body_accepts_what_webdriver_sends() -> None:
    assert parse_body(b"") == {}
    assert parse_body(b'{"x": 1.5, "y": [1, 2], "t": "\\ud83d\\ude00"}') == {"x": 1.5, "y": [1, 2], "t": "\U0001F600"}
