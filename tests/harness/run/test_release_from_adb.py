"""On a phone, which release's words the app shows is known before the first find, from the app's versionName.

UiAutomator2 does not say the app's version in its session answer (the virtual device does, as `appVersion`), so
without adb a real run looked for every target with the oldest release's words first, and only a miss taught it
the right ones. A stand-in adb server (tests/fake_adb.py) plays the phone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fake_adb import FakeAdbServer, FakePhone

from tiktok_promo.harness.run import doctor
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.pages.app import PACKAGE, TIKTOK

SERIAL = "R58M12ABCDE"


def _phone_session(monkeypatch: pytest.MonkeyPatch, port: int) -> AppiumSession:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    monkeypatch.setattr(doctor, "_read_by_adb", {})  # what adb said is kept per process: each test its own phone
    config = load_run_config(target="appium", caps="android-phone", udid=SERIAL, appium_url="http://127.0.0.1:4723",
                             env={})
    session = AppiumSession(config, "http://127.0.0.1:4723", TIKTOK)
    # What UiAutomator2 answers to a new session: the device, not the app's version.
    session.driver = SimpleNamespace(capabilities={"deviceUDID": SERIAL, "appPackage": PACKAGE})  # type: ignore[assignment]
    return session


@pytest.mark.parametrize(("version", "release"), [("47.0.3", "studio"), ("37.8.4", "current")])
def test_a_phone_s_app_version_read_through_adb_names_the_release_whose_words_are_looked_for_first(
        monkeypatch: pytest.MonkeyPatch, version: str, release: str) -> None:
    with FakeAdbServer([FakePhone(SERIAL, apps=((PACKAGE, version),))]) as adb:
        session = _phone_session(monkeypatch, adb.port)
        session._learn_release()
    assert session.memory.release == release


def test_a_phone_adb_cannot_see_keeps_every_release_s_words_in_play(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeAdbServer([]) as adb:  # the phone is on another machine (a Grid node, a cloud)
        session = _phone_session(monkeypatch, adb.port)
        session._learn_release()
    assert session.memory.release is None
