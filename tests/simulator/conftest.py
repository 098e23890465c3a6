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

from simulator import SimulatorServer

DriverFactory = Callable[..., WebDriver]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    """The virtual device, serving on a free port of 127.0.0.1 for the whole run; it may read the world files
    tests write under their tmp_path (the run's base temporary folder)."""
    with SimulatorServer(port=0, worlds_dirs=[tmp_path_factory.getbasetemp()]) as running:
        yield running


def _sessions(server: SimulatorServer, options_of: Callable[..., Any], default_world: str) -> Iterator[DriverFactory]:
    """A factory of live sessions with these options, each quit after the test."""
    drivers: list[WebDriver] = []

    def make(world: str | None = default_world, faults: Any = None, **caps: Any) -> WebDriver:
        driver = webdriver.Remote(server.url, options=options_of(world, faults, **caps))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        with contextlib.suppress(Exception):  # a test may have ended or crashed the session on purpose
            driver.quit()


@pytest.fixture
def make_driver(server: SimulatorServer) -> Iterator[DriverFactory]:
    """make_driver(world=..., faults=..., **caps) -> a live webdriver session, quit after the test."""
    yield from _sessions(server, options, "default")


@pytest.fixture
def make_ios(server: SimulatorServer) -> Iterator[DriverFactory]:
    """make_ios(world=..., faults=..., **caps) -> a live session on the device's iOS face, quit after the test."""
    yield from _sessions(server, ios_options, "current")


@pytest.fixture
def driver(make_driver: DriverFactory) -> WebDriver:
    """A session on the default world."""
    return make_driver()
