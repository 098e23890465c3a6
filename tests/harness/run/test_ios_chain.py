"""The iOS chain: what `promo doctor` and a run's preflight say for an iOS profile, and the iPhones and
simulators `promo devices` lists, with Xcode's tools played by small scripts on PATH (this machine has no Mac).

The fake `xcrun` answers as Xcode's do: `simctl list devices --json` maps runtimes
(com.apple.CoreSimulator.SimRuntime.iOS-17-5) to simulators with udid, name, state and isAvailable;
`xctrace list devices` prints "Name (version) (UDID)" lines under "== Devices ==" and "== Simulators ==".
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tiktok_promo.harness.run import ios
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.doctor import Chain, Health, check_chain, preflight

SIM_UDID = "A1B2C3D4-0000-4000-8000-000000000001"
PHONE_UDID = "00008110-001A2B3C4D5E801E"
SIMCTL = {"devices": {
    "com.apple.CoreSimulator.SimRuntime.iOS-17-5": [
        {"udid": SIM_UDID, "name": "iPhone 15 Pro", "state": "Booted", "isAvailable": True},
        {"udid": "A1B2C3D4-0000-4000-8000-000000000002", "name": "iPhone SE (3rd generation)", "state": "Shutdown",
         "isAvailable": False}],
    "com.apple.CoreSimulator.SimRuntime.watchOS-10-5": [
        {"udid": "W1", "name": "Apple Watch Series 9 (45mm)", "state": "Shutdown", "isAvailable": True}]}}
XCTRACE = f"""== Devices ==
QA Mac mini (ABCDEF01-2345-6789-ABCD-EF0123456789)
QA iPhone (17.5.1) ({PHONE_UDID})
== Simulators ==
iPhone 15 Pro Simulator (17.5) ({SIM_UDID})
"""
URL = "http://127.0.0.1:4723"


def _tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def xcode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Xcode's command-line tools as a Mac has them: xcrun (simctl, xctrace) and xcodebuild, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "simctl.json").write_text(json.dumps(SIMCTL), encoding="utf-8")
    (tmp_path / "xctrace.txt").write_text(XCTRACE, encoding="utf-8")
    _tool(bin_dir, "xcrun", f'case "$1" in\n  simctl) cat "{tmp_path}/simctl.json" ;;\n'
                            f'  xctrace) cat "{tmp_path}/xctrace.txt" ;;\n  *) exit 64 ;;\nesac\n')
    _tool(bin_dir, "xcodebuild", 'echo "Xcode 15.4"\necho "Build version 15F31d"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path('/usr/bin')}:{Path('/bin')}")
    return bin_dir


def ios_chain(udid: str | None = None, device_name: str | None = None) -> Chain:
    caps = {"platformName": "iOS", "appium:automationName": "XCUITest", "appium:bundleId": "com.zhiliaoapp.musically"}
    if device_name:
        caps |= {"appium:deviceName": device_name, "appium:platformVersion": "17.5"}
    return Chain.from_capabilities(URL, caps, udid, virtual_device=False)


def test_on_linux_the_ios_chain_stops_at_macos_in_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios.platform, "system", lambda: "Linux")
    checkup = check_chain(ios_chain(PHONE_UDID), URL)
    assert [(link.name, link.health) for link in checkup.links][:2] == [("macOS", Health.BROKEN),
                                                                          ("Xcode", Health.NOT_CHECKED)]
    macos = checkup.links[0]
    assert macos.found.startswith("this machine runs Linux, and the XCUITest driver needs macOS with Xcode")
    assert "browserstack-ios" in macos.fix
    # Nothing of Android's chain is asked for an iPhone.
    assert not {"Java", "Android SDK", "adb"} & {link.name for link in checkup.links}


def test_a_run_on_an_iphone_from_linux_is_stopped_by_one_sentence_naming_macos(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios.platform, "system", lambda: "Linux")
    run = load_run_config(target="appium", caps="ios-simulator", env={})
    said = preflight(run, [None])
    assert said is not None and said.count(". ") == 0 and said.endswith("no scenario was run.")
    assert "failed at macOS: this machine runs Linux" in said


def test_on_a_mac_the_chain_finds_xcode_and_the_booted_simulator(xcode: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(ios.platform, "mac_ver", lambda: ("14.5", ("", "", ""), "arm64"))
    checkup = check_chain(ios_chain(device_name="iPhone 15 Pro"), URL)
    rows = {link.name: link for link in checkup.links}
    assert (rows["macOS"].health, rows["macOS"].found) == (Health.OK, "macOS 14.5")
    assert (rows["Xcode"].health, rows["Xcode"].found) == (Health.OK, "Xcode 15.4")
    assert rows["device"].health is Health.OK
    assert rows["device"].found == f"{SIM_UDID}: iPhone 15 Pro, iOS 17.5 simulator (Booted)"


def test_an_iphone_xcode_does_not_see_is_named_with_what_it_does_see(xcode: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios.platform, "system", lambda: "Darwin")
    checkup = check_chain(ios_chain("00008110-FFFFFFFFFFFFFFFF"), URL)
    device = next(link for link in checkup.links if link.name == "device")
    assert device.health is Health.BROKEN
    assert device.found == (f"00008110-FFFFFFFFFFFFFFFF is not seen by Xcode (it sees: QA iPhone ({PHONE_UDID}), "
                            f"iPhone 15 Pro ({SIM_UDID}))")


def test_a_mac_without_xcode_is_told_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ios.platform, "system", lambda: "Darwin")
    monkeypatch.setenv("PATH", str(tmp_path))
    checkup = check_chain(ios_chain(PHONE_UDID), URL, first_broken=True)
    broken = checkup.first_broken()
    assert broken is not None and (broken.name, broken.found) == ("Xcode", "xcodebuild is not on PATH")


def test_xcodes_tools_list_the_iphone_and_the_available_ios_simulators(xcode: Path) -> None:
    listed = {d.udid: d for d in ios.ios_devices()}
    assert set(listed) == {PHONE_UDID, SIM_UDID}  # no unavailable simulator, no watch, no Mac
    assert (listed[PHONE_UDID].name, listed[PHONE_UDID].version, listed[PHONE_UDID].simulator) == (
        "QA iPhone", "17.5.1", False)
    assert listed[SIM_UDID].state == "Booted" and listed[SIM_UDID].simulator
    rows = {d.id: d for d in ios.listed_devices()}
    assert rows[PHONE_UDID].note.endswith(f"--caps ios-phone --udid {PHONE_UDID}")
    assert "--caps ios-simulator" in rows[SIM_UDID].note


def test_without_xcodes_tools_no_ios_device_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ios.ios_devices() == []
