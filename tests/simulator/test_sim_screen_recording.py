"""Screen recording answers a real MP4 of what the screen showed, as the UiAutomator2 driver's two recorders do.

appium-android-driver lib/commands/recordscreen.ts (start_recording_screen / stop_recording_screen: a time limit
of 1 to 1800 s, start stops a running recording first and answers it, stop without start answers '') and
lib/commands/media-projection.ts (mobile: startMediaProjectionRecording answers false while one runs; stop
without any start is an error).
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image, ImageChops, ImageStat
from selenium.common.exceptions import WebDriverException
from simkit import PROTOCOL_AT_REST, by_desc, mobile


def frames(video: bytes, tmp_path: Path) -> tuple[tuple[int, int], list[bytes]]:
    path = tmp_path / "screen.mp4"
    path.write_bytes(video)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    return meta["size"], list(reader)


def difference(frame: bytes, size: tuple[int, int], png: bytes) -> float:
    """Mean per-channel difference (0..255) between a decoded frame and a screenshot brought to its size."""
    decoded = Image.frombytes("RGB", size, frame)
    with Image.open(io.BytesIO(png)) as shot:
        expected = shot.convert("RGB").resize(size)
    return sum(ImageStat.Stat(ImageChops.difference(decoded, expected)).mean) / 3


@pytest.mark.slow  # an ffmpeg process makes the video
@PROTOCOL_AT_REST
def test_stop_recording_screen_answers_an_mp4_of_the_screens_shown(driver, tmp_path: Path) -> None:
    first = driver.get_screenshot_as_png()
    assert driver.start_recording_screen() == ""  # nothing recorded before
    by_desc(driver, "Me").click()
    last = driver.get_screenshot_as_png()
    video = base64.b64decode(driver.stop_recording_screen())
    assert video[4:8] == b"ftyp"  # an ISO media file
    size, decoded = frames(video, tmp_path)
    assert size == (540, 1200) and decoded
    assert difference(decoded[0], size, first) < 8 < difference(decoded[0], size, last)  # the feed first
    assert difference(decoded[-1], size, last) < 8  # the profile at the end
    assert driver.stop_recording_screen() == ""  # stopped already: nothing to stop


def test_a_time_limit_outside_1_to_1800_seconds_is_refused(driver) -> None:
    with pytest.raises(WebDriverException, match=r"The timeLimit value must be in range \[1, 1800\] seconds"):
        driver.start_recording_screen(timeLimit=3600)


@pytest.mark.slow  # an ffmpeg process makes the video
def test_media_projection_recording_runs_once_and_answers_its_video(driver, tmp_path: Path) -> None:
    with pytest.raises(WebDriverException, match="No recent media projection recording have been found"):
        mobile(driver, "stopMediaProjectionRecording")
    assert mobile(driver, "startMediaProjectionRecording") is True
    assert mobile(driver, "startMediaProjectionRecording") is False  # one runs already
    assert mobile(driver, "isMediaProjectionRecordingRunning") is True
    by_desc(driver, "Me").click()
    video = base64.b64decode(mobile(driver, "stopMediaProjectionRecording"))
    assert mobile(driver, "isMediaProjectionRecordingRunning") is False
    size, decoded = frames(video, tmp_path)
    assert size == (540, 1200) and decoded


def test_a_screen_the_device_cannot_draw_misses_a_frame_and_fails_no_command(tmp_path: Path) -> None:
    # screenrecord films beside the app: a picture it could not take never turns a command into an error, and the
    # video is drawn from the screens it could keep (the device keeps views and draws them only when asked).
    import io as _io

    from tiktok_promo.simulator.screen_recording import ScreenRecording

    def png() -> bytes:
        out = _io.BytesIO()
        Image.new("RGB", (64, 128), (200, 30, 30)).save(out, format="PNG")
        return out.getvalue()

    def broken() -> bytes:
        raise IndexError("a row one pixel tall at the screen's edge")  # as a painter bug would raise

    shown = [object()]
    kept = iter([png, broken])

    def keep_screen():  # type: ignore[no-untyped-def]
        return next(kept)  # then StopIteration: keeping the screen fails too

    recording = ScreenRecording(keep_screen, lambda *line: None, lambda: tuple(shown))
    recording.start_screen({})
    for _ in range(2):
        shown[0] = object()  # the screen changed
        recording.after_command()  # raises nothing, though the second screen cannot be kept
    assert recording.screen is not None and len(recording.screen.frames) == 2
    size, decoded = frames(base64.b64decode(recording.stop_screen({})), tmp_path)
    assert size == (32, 64) and decoded  # the video holds the screen that could be drawn


def test_a_screen_coming_in_keeps_one_picture_per_video_frame_and_every_screen_at_rest_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Each look at a page sliding in shows it elsewhere (a new screen each command): a video at FPS shows one picture
    # per frame of the slide, so drawing each look would cost the device a picture per command for nothing seen.
    from tiktok_promo.simulator import screen_recording
    from tiktok_promo.simulator.screen_recording import FPS, ScreenRecording

    now = [100.0]
    monkeypatch.setattr(screen_recording.time, "monotonic", lambda: now[0])
    shown, passing = [object()], [False]
    recording = ScreenRecording(lambda: lambda: b"", lambda *line: None, lambda: tuple(shown), lambda: passing[0])
    recording.start_screen({})

    def command(seconds: float, coming_in: bool) -> None:
        now[0] += seconds
        shown[0], passing[0] = object(), coming_in  # the screen changed
        recording.after_command()

    for _ in range(30):  # 300 ms of a slide, looked at every 10 ms
        command(0.01, True)
    command(0.01, False)  # at rest
    command(0.01, False)  # a dialog at rest shown for 10 ms, then the next screen
    command(0.01, False)
    kept = recording.screen.frames if recording.screen else []
    slide = [at for at, _, coming_in in kept if coming_in]
    assert len(slide) == math.ceil(0.3 * FPS)  # one per 1/FPS of the slide: the last look of each
    assert [coming_in for _, _, coming_in in kept] == [False, *[True] * len(slide), False, False, False]
