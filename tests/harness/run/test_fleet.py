"""The fleet (harness.run.fleet), without a device: each real device its own ports and udid, every device adb sees
ready, and one failing device's work not stopping the others'."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.fleet import plan_devices, run_parallel


def test_every_real_device_gets_its_own_ports_and_udid() -> None:
    config = load_run_config(target="appium", caps="android-phone", appium_url="http://hub.example:4444/wd/hub",
                             env={})
    specs = plan_devices(config, ["R58M1", "R58M2", "emulator-5554"], all_devices=False)
    caps = [spec.config.capabilities() for spec in specs]
    assert [c["appium:udid"] for c in caps] == ["R58M1", "R58M2", "emulator-5554"]
    assert [c["appium:systemPort"] for c in caps] == [8200, 8201, 8202]
    assert [c["appium:mjpegServerPort"] for c in caps] == [7810, 7811, 7812]
    assert [c["appium:chromedriverPort"] for c in caps] == [9515, 9516, 9517]
    assert "appium:systemPort" not in config.profile.capabilities  # the shared profile is left as it was


def test_all_devices_takes_what_adb_sees_ready() -> None:
    config = load_run_config(target="appium", caps="android-phone", env={})
    specs = plan_devices(config, [], all_devices=True, adb_serials=lambda: ["A", "B"])
    assert [s.id for s in specs] == ["A", "B"]
    with pytest.raises(ConfigError, match="No device"):
        plan_devices(config, [], all_devices=True, adb_serials=list)


def test_one_failing_item_does_not_stop_the_others() -> None:
    def work(n: int) -> int:
        if n == 2:
            raise RuntimeError("boom")
        return n * 10

    results = run_parallel([1, 2, 3, 4], work)
    assert results[0] == 10 and results[2] == 30 and results[3] == 40
    assert isinstance(results[1], RuntimeError)
