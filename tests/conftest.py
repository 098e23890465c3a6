"""Fixtures shared by more than one test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.appium_server import AppiumServer, AppiumServerError


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
