"""`promo devices`, and finding real devices for --target appium, through adb (a stand-in adb server here)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from clikit import Promo
from fake_adb import FakeAdbServer, FakePhone
from runenv import clean_env, free_port

PHONES = [FakePhone("R58M123ABC", model="Galaxy S23", android="14"),
          FakePhone("emulator-5554", model="sdk gphone64 x86 64", android="15"),
          FakePhone("0A1B2C", state="unauthorized")]


@pytest.fixture
def adb() -> Iterator[FakeAdbServer]:
    with FakeAdbServer(PHONES) as server:
        yield server


@pytest.mark.slow
def test_devices_lists_the_virtual_device_and_what_adb_sees(promo: Promo, adb: FakeAdbServer) -> None:
    run = promo("devices", "--json", env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert run.code == 0, run.err
    data = run.json()
    assert data["adb"] == "ok"
    listed = {d["id"]: d for d in data["devices"]}
    assert listed["sim-1"]["target"] == "sim"
    assert listed["R58M123ABC"] == {"id": "R58M123ABC", "target": "appium", "model": "Galaxy S23", "android": "14",
                                    "state": "device", "note": ""}
    assert (listed["emulator-5554"]["model"], listed["emulator-5554"]["android"]) == ("sdk gphone64 x86 64", "15")
    assert listed["0A1B2C"]["state"] == "unauthorized" and "allow USB debugging" in listed["0A1B2C"]["note"]

    table = promo("devices", env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert table.code == 0 and "Galaxy S23" in table.out and table.err == ""


@pytest.mark.slow
def test_devices_without_adb_says_so_in_one_line(promo: Promo) -> None:
    run = promo("devices")
    assert run.code == 0
    assert "sim-1" in run.out
    assert run.one_error_line().startswith("promo: adb is not installed")


@pytest.mark.slow
def test_devices_when_the_adb_server_does_not_answer(promo: Promo) -> None:
    # An "adb" that starts nothing: the server still does not answer afterwards.
    run = promo("devices", env=clean_env(ADBUTILS_ADB_PATH="/bin/true"))
    assert run.code == 0
    assert "does not answer" in run.one_error_line()


@pytest.mark.slow
def test_all_devices_with_no_phone_ready_is_no_device(promo: Promo) -> None:
    with FakeAdbServer([FakePhone("0A1B2C", state="unauthorized")]) as adb:
        run = promo("cancel", "--target", "appium", "--caps", "android-phone", "--account", "me", "--all-devices",
                    "--title", "X", "--reason", "budget", env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert run.code == 2
    assert run.one_error_line().startswith("promo: No device: adb sees no phone or emulator ready")


@pytest.mark.slow
def test_a_device_adb_does_not_see_is_named_before_any_session(promo: Promo, adb: FakeAdbServer) -> None:
    run = promo("list", "--target", "appium", "--caps", "android-phone", "--device", "R58M999",
                env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert run.code == 2
    assert run.one_error_line() == "promo: Device R58M999 is not connected (adb sees: R58M123ABC, emulator-5554)."


@pytest.mark.slow
def test_unreachable_appium_is_one_sentence_without_credentials(promo: Promo, adb: FakeAdbServer) -> None:
    port = free_port()
    run = promo("list", "--target", "appium", "--caps", "android-phone", "--udid", "R58M123ABC",
                "--appium-url", f"http://user:hunter2hunter2@127.0.0.1:{port}",
                env=clean_env(ANDROID_ADB_SERVER_PORT=str(adb.port)))
    assert run.code == 2
    line = run.one_error_line()
    assert line.startswith(f"promo: Nothing answers at the Appium URL http://127.0.0.1:{port}")
    assert "hunter2" not in run.err + run.out
