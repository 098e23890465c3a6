"""The iOS face records the screen as the XCUITest driver does (appium-xcuitest-driver lib/commands/recordscreen.ts):
ffmpeg over WDA's MJPEG stream, `mjpeg` in an MP4 by default, `libx264` when asked; a time limit of 1 to 4200 s;
videoQuality low/medium/high/photo or a number; videoFps a number; start stops a running recording and answers it;
stop without start answers ''; an option ffmpeg cannot run with is a capture process that died.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import WebDriverException
from simkit import PROTOCOL_AT_REST

from tiktok_promo.simulator.ios.screen_recording import scaled

BROWSER_PLAYS = {"videoType": "libx264", "pixelFormat": "yuv420p", "videoScale": "trunc(iw/4)*2:trunc(ih/4)*2"}


def video_stream(video: bytes, tmp_path: Path) -> tuple[str, tuple[int, int], int]:
    """The codec, frame size and frame count of an MP4, as ffmpeg reads it."""
    path = tmp_path / "screen.mp4"
    path.write_bytes(video)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    count = sum(1 for _ in reader)
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                           capture_output=True, text=True, check=False).stderr
    codec = probe.split("Video: ", 1)[1].split(" ", 1)[0]
    return codec, meta["size"], count


@pytest.mark.slow  # an ffmpeg process makes the video
@PROTOCOL_AT_REST
def test_an_iphone_recording_is_an_mp4_of_mjpeg_frames_by_default(make_ios, tmp_path: Path) -> None:
    driver = make_ios()
    assert driver.stop_recording_screen() == ""  # nothing started: nothing to stop
    assert driver.start_recording_screen() == ""
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile").click()
    video = base64.b64decode(driver.stop_recording_screen())
    assert video[4:8] == b"ftyp"
    codec, size, count = video_stream(video, tmp_path)
    assert codec == "mjpeg" and size == (1179, 2556) and count >= 2  # the feed, then the profile
    assert driver.stop_recording_screen() == ""  # stopped once


@pytest.mark.slow  # an ffmpeg process makes the video
@PROTOCOL_AT_REST
def test_asked_for_h264_at_even_sides_the_recording_is_what_a_browser_plays(make_ios, tmp_path: Path) -> None:
    driver = make_ios()
    driver.start_recording_screen(**BROWSER_PLAYS)
    first = driver.start_recording_screen(**BROWSER_PLAYS)  # a second start answers the first recording
    codec, size, _ = video_stream(base64.b64decode(first), tmp_path)
    assert (codec, size) == ("h264", (588, 1278))
    assert driver.stop_recording_screen()


@PROTOCOL_AT_REST
def test_h264_of_the_iphone_s_odd_width_makes_ffmpeg_die_as_on_a_mac(make_ios) -> None:
    driver = make_ios()
    with pytest.raises(WebDriverException, match="The screen capture process 'ffmpeg' died unexpectedly"):
        driver.start_recording_screen(videoType="libx264", pixelFormat="yuv420p")  # 1179 pixels wide
    with pytest.raises(WebDriverException, match="died unexpectedly"):
        driver.start_recording_screen(videoType="no-such-encoder")
    assert driver.stop_recording_screen() == ""  # nothing was started


@pytest.mark.slow  # an ffmpeg process makes the video
@PROTOCOL_AT_REST
def test_the_driver_s_option_checks(make_ios) -> None:
    driver = make_ios()
    with pytest.raises(WebDriverException, match=r"The timeLimit value must be in range \[1, 4200\] seconds"):
        driver.start_recording_screen(timeLimit=5000)
    driver.start_recording_screen(timeLimit=3600)  # past Android's 1800 s, within the driver's 4200 s
    with pytest.raises(WebDriverException, match=r"videoQuality value should be one of .*'superb' is given"):
        driver.start_recording_screen(videoQuality="superb")
    with pytest.raises(WebDriverException, match=r"videoFps value should be a valid number in range 1\.\.60"):
        driver.start_recording_screen(videoFps="fast")


def test_ffmpeg_scale_expressions_as_the_filter_reads_them() -> None:
    assert scaled("trunc(iw/4)*2:trunc(ih/4)*2", 1179, 2556) == (588, 1278)
    assert scaled("720:-2", 1179, 2556) == (720, 1560)
    assert scaled("w=iw/3:h=ih/3", 1179, 2556) == (393, 852)
    with pytest.raises(ValueError):
        scaled("720", 1179, 2556)
