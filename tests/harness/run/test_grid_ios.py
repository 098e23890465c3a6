"""A Selenium Grid 4 with an iOS relay node next to an Android one: each request goes to the node of its platform.

Grid 4 matches a request to a slot by the stereotype's capabilities the request also names, platformName
included, strings ignoring case (SeleniumHQ/selenium java/src/org/openqa/selenium/grid/data/DefaultSlotMatcher.java),
so one Grid holds Android phones and iPhones, as a team's does; each relay node hands its sessions to its own
Appium 3, whose TikTokSim driver takes both platforms (appium/appium packages/appium/lib/extension/driver-config.ts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from appium import webdriver
from appium.options.common import AppiumOptions
from runenv import started

from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.grid import GridError, SeleniumGrid, run_grid

DRIVER = {"appium:automationName": "TikTokSim"}
IOS_NODE = {"platformName": "iOS"}


def test_a_pool_iphone_gets_a_relay_node_offering_ios_next_to_the_android_ones(tmp_path: Path) -> None:
    profile = tmp_path / "mixed.yaml"
    profile.write_text("appium_url: local-grid\nvirtual_device: true\nper_device_ports: false\n"
                       "capabilities: {platformName: Android, 'appium:automationName': TikTokSim}\n"
                       "devices:\n  - udid: sim-1\n  - udid: iphone-1\n"
                       "    capabilities: {platformName: iOS, 'appium:bundleId': com.zhiliaoapp.musically}\n",
                       encoding="utf-8")
    grid = run_grid(load_run_config(target="appium", caps=str(profile), env={}), devices=2)
    assert [node.stereotype for node in grid.nodes] == [{}, IOS_NODE]  # the bundle id is asked, not offered
    assert grid.stereotype == {"platformName": "Android", **DRIVER}


def test_the_ios_grid_profile_offers_ios_on_every_node() -> None:
    grid = run_grid(load_run_config(target="appium", caps="grid-ios-sim", env={}), devices=2)
    assert grid.stereotype == {"platformName": "iOS", **DRIVER} and len(grid.nodes) == 2


def test_a_stereotype_per_node_needs_one_per_node() -> None:
    with pytest.raises(GridError, match=r"^2 Grid nodes need 2 stereotypes, not 1\.$"):
        SeleniumGrid(2, stereotype=DRIVER, node_stereotypes=[IOS_NODE])


@pytest.fixture(scope="module")
def mixed_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    grid = SeleniumGrid(2, stereotype={"platformName": "Android", **DRIVER}, udids=["sim-1", "iphone-1"],
                        node_stereotypes=[{}, IOS_NODE], reports_dir=tmp_path_factory.mktemp("grid"))
    with started(grid, GridError) as running:
        yield running


def _session(grid: SeleniumGrid, platform: str, **caps: str | int) -> webdriver.Remote:
    options = AppiumOptions().load_capabilities({"platformName": platform, **DRIVER, "sim:world": "default", **caps})
    return webdriver.Remote(grid.url, options=options)


@pytest.mark.slow
def test_an_ios_request_goes_to_the_ios_relay_node_and_an_android_one_to_the_android_node(mixed_grid) -> None:
    # WDA's wait for an idle app off from the launch on, as a TikTok client asks (the feed is never idle: at WDA's
    # default the launch alone would wait 10 s, past the hub's wait for a new session)
    iphone = _session(mixed_grid, "iOS", **{"appium:bundleId": "com.zhiliaoapp.musically",
                                           "appium:waitForIdleTimeout": 0})
    try:
        # The hub merged the iOS node's stereotype (its udid), and its Appium reached the device's iOS face.
        assert iphone.capabilities["appium:udid"] == "iphone-1"
        assert iphone.page_source.lstrip().startswith("<?xml") and "<XCUIElementTypeApplication" in iphone.page_source
        # While the iPhone is busy, an Android request still finds its own node.
        phone = _session(mixed_grid, "Android", **{"appium:appPackage": "com.zhiliaoapp.musically"})
        try:
            assert phone.capabilities["appium:udid"] == "sim-1"
            assert "<hierarchy" in phone.page_source
        finally:
            phone.quit()
    finally:
        iphone.quit()
    ios_node = mixed_grid.nodes[1]
    assert ios_node.stereotype == {"platformName": "iOS", **DRIVER, "appium:udid": "iphone-1"}
