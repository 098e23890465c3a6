"""A session's screen recording (harness.run.session): started with the Appium session, stopped into an MP4, and
never an error of its own, on the virtual device (which answers start/stop_recording_screen as the UiAutomator2
driver does: appium-android-driver lib/commands/recordscreen.ts)."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.errors import SessionLost
from tiktok_promo.harness.run.session import VIDEO_TIME_LIMIT
from tiktok_promo.harness.ui.driver import CountingRemote
from tiktok_promo.pages.feed import PROFILE_TAB


@pytest.mark.slow  # an ffmpeg process makes the video
def test_a_recorded_session_gives_an_mp4_of_what_the_screen_showed(make_session) -> None:
    session = make_session("default")
    session.record_video()
    session.start().tap(PROFILE_TAB)
    assert session.recording
    video = session.stop_recording()
    assert video is not None and video[4:8] == b"ftyp"  # an MP4 file
    assert not session.recording and session.stop_recording() is None  # stopped once


def test_the_recording_is_asked_for_within_screenrecords_own_limit(make_session) -> None:
    session = make_session("default")
    session.record_video()
    session.start()
    assert 0 < VIDEO_TIME_LIMIT <= 180  # past 180 s the driver needs ffmpeg on the Appium host
    log = "\n".join(str(entry["message"]) for entry in session.driver.get_log("logcat"))
    assert f"screenrecord started, time limit {VIDEO_TIME_LIMIT}s" in log


def test_a_session_not_asked_to_record_sends_no_recording_command(make_session) -> None:
    session = make_session("default")
    session.start().tap(PROFILE_TAB)
    routes = session.stats()["by_route"]
    assert not any("recording" in route for route in routes)
    assert session.stop_recording() is None


def test_a_device_that_died_gives_no_video_and_no_error(make_session) -> None:
    session = make_session("default", faults={"crash_after": 3})
    session.record_video()
    finder = session.start()
    assert session.recording
    with pytest.raises(SessionLost):  # the scenario's own failure
        for _ in range(5):
            finder.tap(PROFILE_TAB)
    assert session.stop_recording() is None


def test_a_device_that_cannot_record_runs_on_and_says_so(make_session, monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    session = make_session("default", observer=lambda kind, message: said.append(message))
    session.record_video()

    def refuse(self, **options):
        raise RuntimeError("screenrecord is not available on this device")
    monkeypatch.setattr(CountingRemote, "start_recording_screen", refuse)
    session.start().tap(PROFILE_TAB)
    assert not session.recording and session.stop_recording() is None
    assert any("did not start a screen recording" in line and "screenrecord is not available" in line
               for line in said)
