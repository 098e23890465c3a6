"""Fixtures shared by more than one test folder: a real Appium 3 server, and a virtual device of the tests' own
with sessions on chosen worlds (these do not depend on the run's --target or --world: they pin what they need).

Also where `make test` (pytest -n 4 --dist loadgroup) keeps a costly shared thing made once: see `worker_groups`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from runenv import started

from tiktok_promo.harness.errors import AppiumServerError
from tiktok_promo.harness.run.appium_server import AppiumServer
from tiktok_promo.harness.run.config import RunConfig, load_run_config
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.run.simhost import SimulatorHost
from tiktok_promo.harness.ui.costs import CommandCosts
from tiktok_promo.harness.ui.locators import MemoryBank
from tiktok_promo.pages.app import TIKTOK

SessionFactory = Callable[..., AppiumSession]

# Session fixtures that take seconds to make (a headless Chromium, a child pytest run and its two reports): every
# test that uses one runs on the same xdist worker, so the run makes it once, not once per worker.
ONCE_PER_RUN = {"chromium": "chromium-report", "sample": "chromium-report"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    worker_groups(items)


def worker_groups(items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup`, tests that share a costly fixture go to one worker (an `xdist_group` mark).

    A module fixture (a real Appium server, a Selenium Grid, a built wheel, a child run) is made once per module
    serially; spread over four workers it would be made four times. So a test using one runs with the rest of its
    module, and a test using one of ONCE_PER_RUN with every other test that does. Without xdist the marks do nothing.
    """
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:  # not a Python test function (a doctest, say)
            continue
        scopes = {name: defs[-1].scope for name, defs in fixtures.name2fixturedefs.items() if defs}
        group = next((ONCE_PER_RUN[name] for name, scope in scopes.items()
                      if scope == "session" and name in ONCE_PER_RUN), None)
        if group is None and any(scope == "module" for name, scope in scopes.items()):
            group = item.nodeid.split("::")[0]
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="module")
def appium() -> Iterator[AppiumServer]:
    """A real Appium 3 server with our TikTokSim driver, for the tests of one module."""
    with started(AppiumServer(), AppiumServerError) as server:
        yield server

@pytest.fixture(scope="session")
def sim_config() -> RunConfig:
    """The sim profile, read without the environment so the run's options cannot change it."""
    return load_run_config(target="sim", env={})


@pytest.fixture(scope="session")
def sim_url() -> Iterator[str]:
    host = SimulatorHost()
    yield host.start()
    host.stop()


def still_config(config: RunConfig) -> RunConfig:
    """The same profile with `sim:transitions: false`: every screen at rest at once."""
    caps = {**config.profile.capabilities, "sim:transitions": False}
    return dataclasses.replace(config, profile=config.profile.model_copy(update={"capabilities": caps}))


@pytest.fixture(scope="session")
def still_sim_config(sim_config: RunConfig) -> RunConfig:
    """The sim profile with every screen at rest at once (still_config), for a test that makes its own session."""
    return still_config(sim_config)


@pytest.fixture
def make_session(sim_config: RunConfig, still_sim_config: RunConfig, sim_url: str) -> Iterator[SessionFactory]:
    """make_session(world=..., faults=..., memories=..., transitions=...) -> an AppiumSession, closed after the test.

    Screens come in over time, as a phone's do, unless `transitions=False`: a test that counts the commands a flow
    sends asks for screens at rest, since with screens moving a find made mid-slide misses and is made again, as
    many times as the machine's load decides.
    """
    sessions: list[AppiumSession] = []

    def make(world: str = "default", faults: Any = None, memories: MemoryBank | None = None,
             observer: Any = None, transitions: bool = True) -> AppiumSession:
        config = sim_config if transitions else still_sim_config
        session = AppiumSession(config, sim_url, TIKTOK, memories, observer=observer)
        session.use_world(world)
        if faults is not None:
            session.use_faults(faults)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def one_ms_per_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """The finder times each command to choose between finds and a page source (harness.ui.costs); on a loaded
    machine a find can take 50 ms and tip the choice. Here every command is timed at 1 ms, as this in-process
    device answers when the machine is idle, so the commands counted are the ones that choice makes there.
    In this process only: a `promo` or `pytest` child times its commands itself."""
    record = CommandCosts.record
    monkeypatch.setattr(CommandCosts, "record",
                        lambda costs, command, params, seconds: record(costs, command, params, 0.001))
