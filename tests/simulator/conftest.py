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


@pytest.fixture
def make_driver(server: SimulatorServer) -> Iterator[DriverFactory]:
    """make_driver(world=..., faults=..., **caps) -> a live webdriver session, quit after the test."""
    drivers: list[WebDriver] = []

    def make(world: str | None = "default", faults: Any = None, **caps: Any) -> WebDriver:
        driver = webdriver.Remote(server.url, options=options(world, faults, **caps))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        with contextlib.suppress(Exception):  # a test may have ended or crashed the session on purpose
            driver.quit()


@pytest.fixture
def make_ios(server: SimulatorServer) -> Iterator[DriverFactory]:
    """make_ios(world=..., faults=..., **caps) -> a live session on the device's iOS face, quit after the test."""
    drivers: list[WebDriver] = []

    def make(world: str | None = "current", faults: Any = None, **caps: Any) -> WebDriver:
        driver = webdriver.Remote(server.url, options=ios_options(world, faults, **caps))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        with contextlib.suppress(Exception):
            driver.quit()


@pytest.fixture
def driver(make_driver: DriverFactory) -> WebDriver:
    """A session on the default world."""
    return make_driver()
