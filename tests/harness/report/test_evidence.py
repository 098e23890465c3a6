"""The report's environment (harness.report.evidence): the device and the app named, credentials hidden, written as
Allure reads a .properties file."""

from __future__ import annotations

from pathlib import Path

from tiktok_promo.harness.report import evidence
from tiktok_promo.harness.run.config import load_run_config


def test_environment_names_the_device_and_hides_credentials(tmp_path: Path) -> None:
    config = load_run_config(target="appium", env={"APPIUM_URL": "https://alice:k3y@hub.example.com/wd/hub"})
    props = evidence.environment(config, {"platformVersion": "14", "deviceName": "Pixel 8", "appVersion": "37.9.1"},
                                 server="Appium 3.8.0", run_id="r-1")
    assert props["Appium URL"] == "https://hub.example.com/wd/hub" and props["device"] == "Pixel 8"
    assert props["platform"] == "Android"
    assert (props["Android version"], props["app version"], props["Appium version"], props["run id"]) == (
        "14", "37.9.1", "Appium 3.8.0", "r-1")
    evidence.write_environment(tmp_path, props)
    text = (tmp_path / "environment.properties").read_text()
    # A space ends a key in a .properties file: Allure 3 reads "Android\ version" as "Android version".
    assert "k3y" not in text and "alice" not in text and "Android\\ version=14" in text


def test_environment_names_the_iphone_s_platform_and_its_ios_version() -> None:
    config = load_run_config(target="sim", caps="ios-sim", env={})
    props = evidence.environment(config, {"platformName": "iOS", "platformVersion": "17.5",
                                          "deviceName": "iPhone 15 Pro"})
    assert (props["platform"], props["iOS version"], props["device"]) == ("iOS", "17.5", "iPhone 15 Pro")
    assert "Android version" not in props
