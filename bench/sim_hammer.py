"""Hammer the virtual device: N clients for S seconds, on keep-alive connections and with a new connection
per request; then H half-open connections; then clients that leave mid-answer. Prints a table.

    .venv/bin/python bench/sim_hammer.py                      # 50 clients, 20 s per mode, 350 half-open
    .venv/bin/python bench/sim_hammer.py --clients 50 --seconds 5 --half-open 350 --timeout 2

What it shows: requests answered, connection errors (resets, refusals, timeouts), latency, how many of the
half-open connections the device had dropped after its connection timeout, and how many tracebacks the
device printed. Run it from another checkout (`--repo` its folder) to compare before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import socket
import statistics
import struct
import sys
import threading
import time
from collections import Counter
from pathlib import Path


def _client(host: str, port: int, until: float, keep_alive: bool, seen: Counter, latencies: list[float],
            lock: threading.Lock) -> None:
    local: Counter = Counter()
    times: list[float] = []
    conn = None
    while time.monotonic() < until:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            started = time.perf_counter()
            conn.request("GET", "/status", headers={} if keep_alive else {"Connection": "close"})
            answer = conn.getresponse()
            answer.read()
            times.append(time.perf_counter() - started)
            local[f"HTTP {answer.status}"] += 1
            if not keep_alive:
                conn.close()
                conn = None
        except OSError as error:
            local[type(error).__name__] += 1
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()
    with lock:
        seen.update(local)
        latencies.extend(times)


def hammer(host: str, port: int, clients: int, seconds: float, keep_alive: bool) -> tuple[Counter, list[float]]:
    seen: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(host, port, until, keep_alive, seen, latencies, lock))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen, latencies


def half_open(host: str, port: int, count: int, wait: float) -> int:
    """Open `count` connections that send half a request; how many the device closed within `wait` s."""
    sockets = []
    for index in range(count):
        sock = socket.create_connection((host, port), timeout=wait)
        if index % 2:
            sock.sendall(b"GET /status HTTP/1.1\r\n")
        sockets.append(sock)
    closed = 0
    deadline = time.monotonic() + wait
    for sock in sockets:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        with contextlib.suppress(OSError):
            if sock.recv(1) == b"":
                closed += 1
        sock.close()
    return closed


def leave_mid_answer(host: str, port: int, count: int) -> None:
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
        sock.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--half-open", type=int, default=350)
    parser.add_argument("--timeout", type=float, default=2.0, help="the device's connection timeout (s)")
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose simulator to measure")
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo))
    from tiktok_promo.simulator import SimulatorServer

    stderr, sys.stderr = sys.stderr, io.StringIO()  # the device's tracebacks, counted instead of shown
    try:
        try:
            server = SimulatorServer(port=0, connection_timeout=args.timeout).start()
            timeout_note = f"{args.timeout:g} s"
        except TypeError:  # a device from before connection timeouts
            server = SimulatorServer(port=0).start()
            timeout_note = "none"
        host, port = server.httpd.server_address[:2]
        rows = []
        for keep_alive in (True, False):
            seen, latencies = hammer(host, port, args.clients, args.seconds, keep_alive)
            answered = sum(n for key, n in seen.items() if key.startswith("HTTP"))
            errors = sum(n for key, n in seen.items() if not key.startswith("HTTP"))
            q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
            rows.append(("keep-alive" if keep_alive else "new connection each", answered, errors,
                         ", ".join(f"{k} {n}" for k, n in seen.items() if not k.startswith("HTTP")) or "-",
                         f"{q[49] * 1000:.1f}", f"{q[98] * 1000:.1f}", f"{answered / args.seconds:.0f}"))
        closed = half_open(host, port, args.half_open, args.timeout + 3)
        leave_mid_answer(host, port, 100)
        time.sleep(0.5)  # a benchmark, not a test: let the device finish writing to the leavers
        server.stop()
        tracebacks = sys.stderr.getvalue().count("Traceback")
    finally:
        sys.stderr = stderr
    print(f"device: {args.repo}  backlog {server.httpd.request_queue_size}  connection timeout {timeout_note}")
    print(f"{'mode':<22}{'answered':>10}{'errors':>8}  {'kinds':<30}{'p50 ms':>8}{'p99 ms':>8}{'req/s':>8}")
    for mode, answered, errors, kinds, p50, p99, rate in rows:
        print(f"{mode:<22}{answered:>10}{errors:>8}  {kinds:<30}{p50:>8}{p99:>8}{rate:>8}")
    print(f"half-open connections closed by the device within {args.timeout + 3:g} s: {closed}/{args.half_open}")
    print(f"tracebacks printed by the device (incl. 100 clients leaving mid-answer): {tracebacks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
