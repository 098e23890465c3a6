"""How fast the virtual TikTok device answers the real Appium client: a benchmark, not a test.

    python bench/simulator_bench.py [--iterations 200] [--json reports/simulator-bench.json]

Starts a `SimulatorServer` in this process on a free port and drives it with appium-python-client.
For each command it records the server's own time (the per-route totals of `mobile: simStats`, read
after every command and differenced) and the client's wall time (which adds HTTP and the client's
JSON work). It prints median and p95 of both against its targets (the
`median <= N ms` column).

The 200-node screen: UiAutomator2 reports only the rows of a RecyclerView that are on screen, so a
long promotions list alone stays near 60 nodes however many promotions it holds. The benchmark
world therefore also stacks pop-up windows over the list, and the session turns on the
`enableMultiWindows` setting, so every window's views are in the page source and in every search;
the node count printed is counted from the page source the client received.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from appium import webdriver
from appium.options.android import UiAutomator2Options
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from tiktok_promo.simulator import SimulatorServer

PACKAGE = "com.zhiliaoapp.musically"
FILLER_POPUPS = 30  # permission dialogs stacked over the list: five views each
TARGET_DESC = "Sync contacts"  # the one view with this content-desc, in the topmost window


@dataclass
class Row:
    """One line of the table."""

    measure: str
    screen: str
    samples: int
    server_median_ms: float | None
    server_p95_ms: float | None
    client_median_ms: float
    client_p95_ms: float
    target: str
    passed: bool | None  # None: shown for information, no target


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_world(directory: Path) -> Path:
    """A world with 60 promotions and a pile of pop-ups that open over the promotions list."""
    promotions = [
        {"id": f"B-{i:03d}", "title": f"Bench video {i}", "status": "active", "budget": 40, "duration_days": 7,
         "start": "2026-11-18T10:00:00Z", "spend": round(i * 0.37, 2)}
        for i in range(60)
    ]
    popups = [{"kind": "notifications", "on": "promotions"}] * FILLER_POPUPS
    popups.append({"kind": "contacts", "on": "promotions"})
    world = {
        "name": "bench",
        "clock": "2026-11-20T10:00:00Z",
        "accounts": [{"username": "bench.creator", "display_name": "Bench Creator"}],
        "logged_in": "bench.creator",
        "promotions": promotions,
        "popups": popups,
    }
    path = directory / "bench-world.yaml"
    path.write_text(yaml.safe_dump(world, sort_keys=False), encoding="utf-8")
    return path


def options(world: str) -> UiAutomator2Options:
    opts = UiAutomator2Options()
    opts.platform_name = "Android"
    opts.automation_name = "UiAutomator2"
    opts.set_capability("appium:appPackage", PACKAGE)
    opts.set_capability("sim:world", world)
    return opts


def open_promotions(driver: webdriver.Remote) -> None:
    for desc in ("Me", "Profile menu"):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, desc).click()
    driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Creator tools")').click()
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Promotions").click()


def node_count(driver: webdriver.Remote) -> int:
    root = etree.fromstring(driver.page_source.encode("utf-8"))
    return sum(1 for _ in root.iter()) - 1  # every view, not the <hierarchy> root


def measure(driver: webdriver.Remote, route: str, command: Callable[[], Any], iterations: int,
            warmup: int = 5) -> tuple[list[float], list[float]]:
    """(server ms, client ms) per call of `command`, the server's from simStats differences."""
    for _ in range(warmup):
        command()
    server, client = [], []
    before = driver.execute_script("mobile: simStats")["server_ms_by_route"].get(route, 0.0)
    for _ in range(iterations):
        started = time.perf_counter()
        command()
        client.append((time.perf_counter() - started) * 1000)
        after = driver.execute_script("mobile: simStats")["server_ms_by_route"][route]
        server.append(after - before)
        before = after
    return server, client


def timed_row(name: str, screen: str, target_ms: float | None, server: list[float], client: list[float]) -> Row:
    median = statistics.median(server)
    return Row(name, screen, len(server), round(median, 3), round(p95(server), 3),
               round(statistics.median(client), 3), round(p95(client), 3),
               f"median <= {target_ms:g} ms" if target_ms is not None else "(information)",
               median <= target_ms if target_ms is not None else None)


def sessions_row(url: str, world: str, count: int, target_per_second: float) -> Row:
    """Sessions started (and quit) through the client one after another; the rate counts both."""
    walls = []
    began = time.perf_counter()
    for _ in range(count):
        started = time.perf_counter()
        driver = webdriver.Remote(url, options=options(world))
        walls.append((time.perf_counter() - started) * 1000)
        driver.quit()
    per_second = count / (time.perf_counter() - began)
    return Row(f"new session ({per_second:,.0f}/s with quit)", world, count, None, None,
               round(statistics.median(walls), 3), round(p95(walls), 3), f">= {target_per_second:g} sessions/s",
               per_second >= target_per_second)


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "screen", "n", "server med", "server p95", "client med", "client p95", "target", "")
    cells = [
        (r.measure, r.screen, str(r.samples),
         *(f"{v:.3f} ms" if v is not None else "-" for v in (r.server_median_ms, r.server_p95_ms)),
         f"{r.client_median_ms:.3f} ms", f"{r.client_p95_ms:.3f} ms", r.target,
         {True: "PASS", False: "FAIL", None: ""}[r.passed])
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    for line in (headers, tuple("-" * w for w in widths), *cells):
        print("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=200, help="timed calls per measure (default 200)")
    parser.add_argument("--sessions", type=int, default=100, help="sessions to start for the rate (default 100)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp, SimulatorServer(port=0, worlds_dirs=[tmp]) as server:
        world = str(bench_world(Path(tmp)))
        driver = webdriver.Remote(server.url, options=options(world))
        try:
            open_promotions(driver)
            driver.update_settings({"enableMultiWindows": True})
            nodes = node_count(driver)
            if nodes < 200:
                print(f"the benchmark screen has only {nodes} nodes; it must have at least 200", file=sys.stderr)
                return 1
            big = f"{nodes}-node screen"
            rows = []
            found = driver.find_elements(AppiumBy.ACCESSIBILITY_ID, TARGET_DESC)
            assert len(found) == 1, f"expected one {TARGET_DESC!r}, found {len(found)}"
            rows.append(timed_row("find by accessibility id", big, 2, *measure(
                driver, "POST /session/:sid/element",
                lambda: driver.find_element(AppiumBy.ACCESSIBILITY_ID, TARGET_DESC), args.iterations)))
            rows.append(timed_row("page source", big, 5, *measure(
                driver, "GET /session/:sid/source", lambda: driver.page_source, args.iterations)))
            # Each stacked pop-up dims the whole screen once more: a picture no real phone shows, so
            # this one is for information; the screenshot target is measured on the plain list below.
            rows.append(timed_row(f"screenshot ({FILLER_POPUPS + 1} stacked windows)", big, None, *measure(
                driver, "GET /session/:sid/screenshot", driver.get_screenshot_as_png, 10, warmup=1)))
            driver.update_settings({"enableMultiWindows": False})
            for _ in range(FILLER_POPUPS + 1):
                driver.back()  # BACK closes the pop-ups: the promotions list as a report would show it
            list_nodes = node_count(driver)
            rows.append(timed_row("screenshot", f"promotions list ({list_nodes} nodes)", 30, *measure(
                driver, "GET /session/:sid/screenshot", driver.get_screenshot_as_png, max(20, args.iterations // 2))))
        finally:
            driver.quit()
        rows.append(sessions_row(server.url, "default", args.sessions, target_per_second=50))

    print(f"Virtual TikTok device benchmark: {args.iterations} timed calls per measure; "
          f"benchmark screen: {nodes} nodes (enableMultiWindows on)\n")
    print_table(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"nodes": nodes, "rows": [asdict(r) for r in rows]}, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
