"""Fixtures shared by more than one test folder: a real Appium 3 server, and a virtual device of the tests' own
with sessions on chosen worlds (these do not depend on the run's --target or --world: they pin what they need)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.errors import AppiumServerError
from harness.run.appium_server import AppiumServer
from harness.run.config import RunConfig, load_run_config
from harness.run.session import AppiumSession
from harness.run.simhost import SimulatorHost
from harness.ui.locators import MemoryBank
from pages.app import TIKTOK

SessionFactory = Callable[..., AppiumSession]


@pytest.fixture(scope="module")
def appium() -> Iterator[AppiumServer]:
    """A real Appium 3 server with our TikTokSim driver, for the tests of one module."""
    server = AppiumServer()
    try:
        server.start()
    except AppiumServerError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()

@pytest.fixture(scope="session")
def sim_config() -> RunConfig:
    """The sim profile, read without the environment so the run's options cannot change it."""
    return load_run_config(target="sim", env={})


@pytest.fixture(scope="session")
def sim_url() -> Iterator[str]:
    host = SimulatorHost()
    yield host.start()
    host.stop()


@pytest.fixture
def make_session(sim_config: RunConfig, sim_url: str) -> Iterator[SessionFactory]:
    """make_session(world=..., faults=..., memories=...) -> an AppiumSession, closed after the test."""
    sessions: list[AppiumSession] = []

    def make(world: str = "default", faults: Any = None, memories: MemoryBank | None = None,
             observer: Any = None) -> AppiumSession:
        session = AppiumSession(sim_config, sim_url, TIKTOK, memories, observer=observer)
        session.use_world(world)
        if faults is not None:
            session.use_faults(faults)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
