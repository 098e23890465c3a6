"""`promo doctor` and `promo devices` for iOS, as a person runs them on this machine (Linux, no Xcode), and
`promo devices` on a machine whose PATH has Xcode's tools (a fake `xcrun` that answers as Xcode's does); `promo list`
and `promo cancel` on the virtual device's iOS face, the audit log naming the platform."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import REPO, Promo
from runenv import clean_env

SIM_UDID = "A1B2C3D4-0000-4000-8000-000000000001"
SUMMER = "Summer haul try-on"


@pytest.mark.slow
def test_doctor_for_an_iphone_on_linux_says_macos_is_missing(promo: Promo) -> None:
    run = promo("doctor", "--json", "--target", "appium", "--caps", "ios-simulator", env=clean_env())
    assert run.code == 1, run.err
    report = json.loads(run.out)
    first = report["links"][0]
    assert (first["name"], first["health"]) == ("macOS", "broken")
    assert "the XCUITest driver needs macOS with Xcode" in first["found"]
    assert [link["health"] for link in report["links"][1:]] == ["not checked"] * (len(report["links"]) - 1)

    table = promo("doctor", "--target", "appium", "--caps", "ios-simulator", env=clean_env())
    assert table.code == 1
    assert "Broken at macOS: fix the first broken row, then run promo doctor again." in table.out


@pytest.mark.slow
def test_devices_lists_the_simulators_xcode_sees(promo: Promo, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    listing = {"devices": {"com.apple.CoreSimulator.SimRuntime.iOS-17-5": [
        {"udid": SIM_UDID, "name": "iPhone 15 Pro", "state": "Booted", "isAvailable": True}]}}
    (tmp_path / "simctl.json").write_text(json.dumps(listing), encoding="utf-8")
    xcrun = bin_dir / "xcrun"
    xcrun.write_text(f'#!/bin/sh\n[ "$1" = simctl ] && cat "{tmp_path}/simctl.json"\nexit 0\n', encoding="utf-8")
    xcrun.chmod(xcrun.stat().st_mode | stat.S_IXUSR)
    run = promo("devices", "--json", env=clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}"))
    assert run.code == 0, run.err
    listed = {d["id"]: d for d in run.json()["devices"]}
    assert listed[SIM_UDID]["model"] == "iPhone 15 Pro" and listed[SIM_UDID]["state"] == "booted"
    assert listed[SIM_UDID]["note"] == (f"iOS 17.5 simulator: --target appium --caps ios-simulator --udid {SIM_UDID}")
    assert "sim-1" in listed


@pytest.mark.slow
def test_list_and_cancel_by_title_on_the_ios_face_with_the_audit_record_naming_ios(promo: Promo) -> None:
    listed = promo("list", "--caps", "ios-sim", "--json")
    assert listed.code == 0, listed.err
    [device] = listed.json()["devices"]
    assert {p["title"]: p["status"] for p in device["promotions"]}[SUMMER] == "active"

    run = promo("cancel", "--caps", "ios-sim", "--title", SUMMER, "--reason", "budget", "--yes", ledger=True)
    assert run.code == 0, run.err
    assert f'sim-1: "{SUMMER}" (P-1001) cancelled, $21.40 spent' in run.out
    assert run.statuses()["P-1001"] == "canceled" and run.statuses()["P-1002"] == "active"  # only the one asked
    [entry] = promo.audit
    assert (entry["outcome"], entry["promotion_id"], entry["platform"]) == ("cancelled", "P-1001", "iOS")
    assert entry["device_facts"]["ios.version"] == "17.5"
    evidence = promo.evidence("P-1001")
    [picture] = [p for p in evidence if p.endswith(".png")]  # the screen after the cancel, as an iPhone draws it
    # the cancel's screen recording, kept as on Android (promo keeps each cancel's video unless told otherwise)
    [video] = [p for p in evidence if p.endswith(".mp4")]
    assert Path(video).read_bytes()[4:8] == b"ftyp"
    assert Path(picture).read_bytes()[16:24] == (1179).to_bytes(4, "big") + (2556).to_bytes(4, "big")


@pytest.mark.slow
def test_capture_walk_on_the_iphone_then_check_locators_checks_the_ios_locators(promo: Promo, tmp_path: Path) -> None:
    walk = promo("capture", "--walk", "--caps", "ios-sim", str(tmp_path / "rec"))
    assert walk.code == 0, walk.err
    manifest = json.loads((tmp_path / "rec" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["device"]["platform"] == "iOS" and manifest["device"]["ios"] == "17.5"
    assert manifest["device"]["screen"] == {"width": 393, "height": 852}  # points: the unit of WDA's source and taps
    check = promo("check-locators", "--json", str(tmp_path / "rec"))
    assert check.code == 0, check.out + check.err
    result = check.json()
    assert result["ok"] is True
    # the sheet over the profile is told as the sheet, though WDA's source still holds the profile under it
    assert {s["page"] for s in result["screens"]} >= {"feed", "profile", "menu sheet", "promotions list",
                                                      "promotion details"}
    # each file is named after the screen its page source shows (not one still going as the source was read)
    assert all(s["screen"][4:] == s["page"].replace(" ", "-") for s in result["screens"]), result["screens"]
    # checked with the candidates an iPhone answers: Android's own XPath is never the one that "drifted"
    assert "android" not in json.dumps(result).lower()


@pytest.mark.slow
def test_an_iphone_recording_is_refused_by_the_replay_and_may_not_mix_in_android_sources(promo: Promo,
                                                                                         tmp_path: Path) -> None:
    folder = tmp_path / "rec"
    assert promo("capture", "--caps", "ios-sim", str(folder)).code == 0
    replay = subprocess.run([sys.executable, "-m", "tiktok_promo.simulator", "--replay", str(folder), "--port", "0"],
                            cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=30, check=False)
    assert replay.returncode == 2
    assert replay.stderr.strip() == (f"simulator: recording {folder}: it is of an iPhone, and the replay serves "
                                     "Android recordings only (promo check-locators checks an iPhone's)")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    android = dict(manifest["screens"][0], name="001-android", source="001-android.xml", screenshot=None,
                   reached_by={"from": "000-feed", "action": "back"})
    (folder / "001-android.xml").write_text("<hierarchy><node/></hierarchy>", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(dict(manifest, screens=[*manifest["screens"], android])),
                                          encoding="utf-8")
    check = promo("check-locators", str(folder))
    assert check.code == 2
    assert check.one_error_line() == (f"promo: recording {folder}: 001-android.xml is a page source of Android among "
                                      "the other platform's; a recording is of one phone.")
