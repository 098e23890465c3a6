"""What a real Appium 3 server in the loop costs: the same commands direct to the virtual device and through
Appium with our TikTokSim driver (a benchmark, not a test).

    python bench/appium_proxy_bench.py [--iterations 200]

Direct: a `SimulatorServer` in this process. Through Appium: `harness.run.appium_server.AppiumServer` (needs
`make node`), whose driver starts its own device and proxies every command to it. Prints the Appium start
time, the session start time and the median / p95 client wall time per command of each path.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from appium import webdriver
from appium.options.common import AppiumOptions
from appium.webdriver.common.appiumby import AppiumBy
from appium.webdriver.webdriver import WebDriver

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from tiktok_promo.harness.run.appium_server import AppiumServer
from tiktok_promo.simulator import SimulatorServer


def options(automation: str) -> AppiumOptions:
    return AppiumOptions().load_capabilities({
        "platformName": "Android",
        "appium:automationName": automation,
        "sim:world": "default",
        "timeouts": {"implicit": 0},
    })


COMMANDS: dict[str, Callable[[WebDriver], object]] = {
    "find (accessibility id)": lambda d: d.find_element(AppiumBy.ACCESSIBILITY_ID, "Me"),
    "find + text": lambda d: d.find_element(AppiumBy.ACCESSIBILITY_ID, "Me").text,
    "page source": lambda d: d.page_source,
    "mobile: simStats": lambda d: d.execute_script("mobile: simStats", {}),
    "screenshot": lambda d: d.get_screenshot_as_png(),
}


def measure(url: str, automation: str, iterations: int) -> tuple[float, dict[str, list[float]]]:
    started = time.perf_counter()
    driver = webdriver.Remote(url, options=options(automation))
    session_ms = (time.perf_counter() - started) * 1000
    timings: dict[str, list[float]] = {name: [] for name in COMMANDS}
    try:
        for name, command in COMMANDS.items():
            command(driver)  # warm up
            for _ in range(iterations if name != "screenshot" else max(5, iterations // 10)):
                t0 = time.perf_counter()
                command(driver)
                timings[name].append((time.perf_counter() - t0) * 1000)
    finally:
        driver.quit()
    return session_ms, timings


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    with SimulatorServer(port=0) as sim:
        direct_session, direct = measure(sim.url, "UiAutomator2", args.iterations)
    started = time.perf_counter()
    with AppiumServer() as appium:
        appium_start = (time.perf_counter() - started) * 1000
        appium_session, through = measure(appium.url, "TikTokSim", args.iterations)
    print(f"Appium 3 start (to /status ready): {appium_start:.0f} ms")
    print(f"session start: direct {direct_session:.0f} ms, through Appium {appium_session:.0f} ms "
          "(includes starting the device process)")
    print(f"{'command':<26}{'direct p50':>12}{'p95':>8}{'Appium p50':>13}{'p95':>8}{'added p50':>11}")
    for name in COMMANDS:
        d, a = direct[name], through[name]
        print(f"{name:<26}{statistics.median(d):>10.2f}ms{p95(d):>6.2f}ms{statistics.median(a):>11.2f}ms"
              f"{p95(a):>6.2f}ms{statistics.median(a) - statistics.median(d):>9.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
