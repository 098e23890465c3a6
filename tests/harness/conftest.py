"""Fixtures for the harness tests: a virtual device of their own and sessions on chosen worlds.

These tests do not depend on the run's --target or --world: they pin what they need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.config import RunConfig, load_run_config
from harness.locators import MemoryBank
from harness.session import DeviceSession
from harness.simhost import SimulatorHost

SessionFactory = Callable[..., DeviceSession]


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
    """make_session(world=..., faults=..., memories=...) -> a DeviceSession, closed after the test."""
    sessions: list[DeviceSession] = []

    def make(world: str = "default", faults: Any = None, memories: MemoryBank | None = None,
             observer: Any = None) -> DeviceSession:
        session = DeviceSession(sim_config, sim_url, memories, observer=observer)
        session.use_world(world)
        if faults is not None:
            session.use_faults(faults)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
