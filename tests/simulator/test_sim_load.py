"""The device under many clients: a burst of connections is queued, not reset; a silent connection is let
go after its timeout; a client that leaves mid-answer costs one debug line, not a traceback.

Appium (Node) listens with a backlog of 511 and times out idle sockets (appium/appium
packages/base-driver/lib/express/server.ts: keepAliveTimeout, headersTimeout, socket.setTimeout). The
heavier version of the first test (50 clients for 20 s) is bench/sim_hammer.py.
"""

from __future__ import annotations

import http.client
import logging
import socket
import struct
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tiktok_promo.simulator import SimulatorServer
from tiktok_promo.simulator.wire import LISTEN_BACKLOG

CLIENTS = 50


def _address(server: SimulatorServer) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname, parts.port


def _together(work, count: int = CLIENTS) -> Counter:
    """Run `work()` in `count` threads released at the same moment; the outcomes they counted."""
    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        local = work()
        with lock:
            outcomes.update(local)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_the_listen_backlog_is_nodes(server: SimulatorServer) -> None:
    assert server.httpd.request_queue_size == LISTEN_BACKLOG == 511


def _statuses(server: SimulatorServer, requests: int, new_connection_each: bool) -> Counter:
    """What one client saw sending `requests` GET /status: HTTP statuses, or connection errors by name."""
    host, port = _address(server)
    seen: Counter = Counter()
    conn = None
    for _ in range(requests):
        try:
            conn = conn or http.client.HTTPConnection(host, port, timeout=20)
            conn.request("GET", "/status", headers={"Connection": "close"} if new_connection_each else {})
            answer = conn.getresponse()
            answer.read()
            seen[answer.status] += 1
        except OSError as error:
            seen[type(error).__name__] += 1
            new_connection_each = True  # a broken connection is not reused
        if new_connection_each and conn is not None:
            conn.close()
            conn = None
    if conn is not None:
        conn.close()
    return seen


def test_50_clients_on_keep_alive_connections_are_all_answered(server: SimulatorServer) -> None:
    assert _together(lambda: _statuses(server, 30, new_connection_each=False)) == Counter({200: CLIENTS * 30})


def test_50_clients_connecting_at_once_are_queued_not_reset(server: SimulatorServer) -> None:
    # A new connection per request: every round is a burst of 50 connects (a backlog of 5 dropped them).
    assert _together(lambda: _statuses(server, 5, new_connection_each=True)) == Counter({200: CLIENTS * 5})


def test_silent_connections_are_dropped_after_the_timeout() -> None:
    with SimulatorServer(port=0, connection_timeout=0.5) as device:
        threads_before = threading.active_count()
        sockets = []
        for index in range(100):
            sock = socket.create_connection(_address(device), timeout=10)
            if index % 2:
                sock.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n")  # half a request, then nothing
            sockets.append(sock)
        try:
            deadline = time.monotonic() + 5
            while threading.active_count() < threads_before + 100 and time.monotonic() < deadline:
                time.sleep(0.01)  # waiting for the device to accept them all
            assert threading.active_count() >= threads_before + 100  # one thread per connection, while it lasts
            for sock in sockets:
                assert sock.recv(1) == b""  # the device closed it (recv returns at once then, within 10 s)
            deadline = time.monotonic() + 5
            while threading.active_count() > threads_before and time.monotonic() < deadline:
                time.sleep(0.01)
            assert threading.active_count() <= threads_before  # and its thread is gone
        finally:
            for sock in sockets:
                sock.close()


@pytest.mark.slow
def test_a_client_leaving_mid_answer_leaves_no_traceback(server: SimulatorServer, driver,
                                                         caplog: pytest.LogCaptureFixture,
                                                         capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG, logger="simulator")
    request = f"GET /session/{driver.session_id}/screenshot HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    for _ in range(20):
        sock = socket.create_connection(_address(server), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
        sock.sendall(request)
        sock.close()
    assert driver.get_screenshot_as_png().startswith(b"\x89PNG")  # still serving, and every leaver handled
    assert "Traceback" not in capfd.readouterr().err
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
