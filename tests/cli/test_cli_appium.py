"""`promo` through a real Appium 3 server, the way it drives phones: --target appium with an Appium URL.

The device behind Appium is the virtual one (profile appium-sim: our TikTokSim driver), so the chain is
promo -> appium-python-client -> Appium 3 -> driver -> device, with one session per device in parallel,
each with its own ports. Needs the node tools (`make node`), like tests/appium.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clikit import Promo

from harness.appium_server import AppiumServer, AppiumServerError


@pytest.fixture(scope="module")
def appium() -> Iterator[AppiumServer]:
    server = AppiumServer()
    try:
        server.start()
    except AppiumServerError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


def test_cancel_on_two_devices_through_appium(promo: Promo, appium: AppiumServer) -> None:
    run = promo("cancel", "--target", "appium", "--caps", "appium-sim", "--appium-url", appium.url,
                "--device", "sim-1", "--device", "sim-2=business", "--title", "Summer haul try-on",
                "--reason", "budget", "--yes", "--json")
    assert run.code == 0, run.err
    for name, word in (("sim-1", "Canceled"), ("sim-2", "Stopped")):
        [outcome] = run.device(name)["outcomes"]
        assert (outcome["outcome"], outcome["status_after"], outcome["spend_at_cancel"]) == ("cancelled", word, 21.4)
    assert run.device("sim-1")["ports"]["systemPort"] != run.device("sim-2")["ports"]["systemPort"]
    assert [e["outcome"] for e in promo.audit] == ["cancelled", "cancelled"]
