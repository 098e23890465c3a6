"""Fixtures for driving the virtual TikTok device with the real appium-python-client.

One `SimulatorServer` per test run (on a free port); one webdriver session per test, made by the
`make_driver` factory so each test picks its world and faults.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from appium import webdriver
from appium.webdriver.webdriver import WebDriver
from simkit import ios_options, options

from tiktok_promo.simulator import SimulatorServer

DriverFactory = Callable[..., WebDriver]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    """The virtual device, serving on a free port of 127.0.0.1 for the whole run; it may read the world files
    tests write under their tmp_path (the run's base temporary folder)."""
    with SimulatorServer(port=0, worlds_dirs=[tmp_path_factory.getbasetemp()]) as running:
        yield running


@pytest.fixture
def wait_for_idle_ms() -> int:
    """The sessions' waitForIdleTimeout: 0, as a TikTok client runs; a test given simkit.READS_AT_REST has
    IDLE_WAIT_MS instead, so the device itself waits for each screen coming in to rest before it reads."""
    return 0


@pytest.fixture
def transitions() -> bool:
    """Whether the sessions' screens come in over time: yes, as on a phone. A test given simkit.PROTOCOL_AT_REST
    has them rest at once: it is about what a screen holds and does, not about reaching it in time; a test of the
    timing (mid-slide, the never-idle feed, toasts) never does."""
    return True


def _sessions(server: SimulatorServer, options_of: Callable[..., Any], default_world: str,
              **always: Any) -> Iterator[DriverFactory]:
    """A factory of live sessions with these options (and the capabilities `always` gives), each quit after the
    test."""
    drivers: list[WebDriver] = []

    def make(world: str | None = default_world, faults: Any = None, **caps: Any) -> WebDriver:
        driver = webdriver.Remote(server.url, options=options_of(world, faults, **{**always, **caps}))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        with contextlib.suppress(Exception):  # a test may have ended or crashed the session on purpose
            driver.quit()


@pytest.fixture
def make_driver(server: SimulatorServer, wait_for_idle_ms: int, transitions: bool) -> Iterator[DriverFactory]:
    """make_driver(world=..., faults=..., **caps) -> a live webdriver session, quit after the test."""
    # waitForIdleTimeout 0, as the harness and any TikTok client runs: the feed is never idle, so at the default
    # (10 s) every find, page source and click on it would wait 10 s, and at any value above 0 each one on the
    # feed costs that value. So nothing waits, and a test that reads a tapped screen waits for it to rest by a
    # condition (simkit.shown, simkit.at_rest), or reads at rest by the device's own wait for idle (READS_AT_REST).
    # Given as a capability, so that it costs no command (fault plans count commands).
    always: dict[str, Any] = {"appium:settings[waitForIdleTimeout]": wait_for_idle_ms, "sim:transitions": transitions}
    yield from _sessions(server, options, "default", **always)


@pytest.fixture
def make_ios(server: SimulatorServer, wait_for_idle_ms: int, transitions: bool) -> Iterator[DriverFactory]:
    """make_ios(world=..., faults=..., **caps) -> a live session on the device's iOS face, quit after the test; its
    screens come in over time as an iPhone's do (a protocol test given simkit.PROTOCOL_AT_REST has them at rest).
    WDA's waitForIdleTimeout is in seconds: 0, as a TikTok client runs, or what simkit.IOS_READS_AT_REST gives from
    the first command on (the setting; the launch, on the never-idle feed, does not wait: the capability is 0)."""
    yield from _sessions(server, ios_options, "current", **{
        "sim:transitions": transitions, "appium:settings[waitForIdleTimeout]": wait_for_idle_ms / 1000})


@pytest.fixture
def driver(make_driver: DriverFactory) -> WebDriver:
    """A session on the default world."""
    return make_driver()
