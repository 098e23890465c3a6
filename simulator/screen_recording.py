"""Screen recording as the UiAutomator2 driver serves it: `start_recording_screen` / `stop_recording_screen`
(appium-android-driver lib/commands/recordscreen.ts, Android's `screenrecord`) and the `mobile:
startMediaProjectionRecording` family (lib/commands/media-projection.ts), each answering a real MP4 in base64.

The device keeps the screen (its views, not yet a picture) after every command that changed it, with the moment it
appeared, and on stop draws and encodes them as an H.264 MP4 at a steady frame rate, each held as long as it was on
screen (at least one frame, so no screen shown is missing from the video). Drawing only at the stop keeps a recording
that nobody fetches (a scenario that passed) at no cost beyond a reference per screen. Encoding
uses imageio-ffmpeg, whose wheel ships an ffmpeg binary: nothing to install beside Python packages.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from tiktok_promo.simulator.errors import UnknownError, WebDriverError

MAX_TIME_SEC = 60 * 30  # recordscreen.ts: a time limit past 30 minutes is refused
DEFAULT_TIME_SEC = 60 * 3  # recordscreen.ts: screenrecord's own limit, the default
FPS = 5  # what a screen of discrete steps needs; screenrecord writes frames only when the screen changes too
SCALE = 2  # half the phone's pixels per side: 540 x 1200, what a report plays without blowing up its size


def driver_failure(message: str) -> WebDriverError:
    """A failure of the driver's own recorder as Appium answers it: an unknown server-side error quoting the
    driver's message (both drivers' recorders, Android's and iOS's, say it so)."""
    return UnknownError("An unknown server-side error occurred while processing the command. "
                        f"Original error: {message}")


Frame = Callable[[], bytes]  # draws one kept screen as a PNG


def time_limit(options: dict, default: float, most: float) -> float:
    """The `timeLimit` option in seconds, refused outside 1..most as both drivers' recordscreen.ts word it."""
    limit = options.get("timeLimit", default)
    try:
        seconds = float(limit) if not isinstance(limit, bool) else float("nan")
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 < seconds <= most:  # NaN too
        raise driver_failure(f"The timeLimit value must be in range [1, {most}] seconds. "
                        f"The value of '{limit}' has been passed instead.")
    return seconds


@dataclass(frozen=True)
class Encoding:
    """How a recording becomes a video: frame rate, codec, pixel format, encoder options and the frame size."""

    fps: int
    codec: str
    pixels: str
    options: tuple[str, ...]
    size: Callable[[int, int], tuple[int, int]]  # the phone's picture size to the video's


ANDROID_ENCODING = Encoding(FPS, "libx264", "yuv420p", ("-preset", "veryfast", "-crf", "30"),
                            lambda w, h: (w // SCALE // 2 * 2, h // SCALE // 2 * 2))


class Recorder:
    """One recording: the screens shown and when each appeared, until stopped or out of time."""

    def __init__(self, time_limit: float, fps: int = FPS) -> None:
        self.time_limit = time_limit
        self.fps = fps  # the video's frame rate: pictures of a passing screen closer than a frame are one
        self.started = time.monotonic()
        self.stopped: float | None = None
        # (seconds since start, the screen to draw, whether it was a screen still coming in)
        self.frames: list[tuple[float, Frame, bool]] = []

    @property
    def running(self) -> bool:
        return self.stopped is None and time.monotonic() - self.started < self.time_limit

    def add(self, frame: Frame, passing: bool = False) -> None:
        """Keep a screen. One still coming in (a page sliding, a sheet rising) changes at every command that looks
        at it; the video shows one picture per frame of it, so such pictures closer than a frame replace one
        another (the later one, where the screen had come to), and only they: every screen at rest is kept."""
        if not self.running:
            return
        at = time.monotonic() - self.started
        if passing and self.frames and self.frames[-1][2] and at - self.frames[-1][0] < 1 / self.fps:
            self.frames[-1] = (self.frames[-1][0], frame, True)
        else:
            self.frames.append((at, frame, passing))

    def _pictures(self) -> list[tuple[float, bytes]]:
        """The kept screens drawn, a screen the device cannot draw left out (screenrecord never fails the command
        it films: that frame is missed), and a picture the same as the one before it merged into it."""
        pictures: list[tuple[float, bytes]] = []
        last = b""
        for at, frame, _ in self.frames:
            try:
                png = frame()
            except Exception:
                continue
            digest = hashlib.blake2b(png, digest_size=16).digest()
            if digest != last:
                last = digest
                pictures.append((at, png))
        if not pictures:
            raise driver_failure("screenrecord could not draw any frame of the screen")
        return pictures

    def stop(self) -> None:
        if self.stopped is None:
            self.stopped = min(time.monotonic(), self.started + self.time_limit)

    def mp4(self, encoding: Encoding | None = None) -> bytes:
        """The recording as an MP4 (by default H.264, yuv420p, fast start so a browser plays it while loading)."""
        import imageio_ffmpeg  # type: ignore[import-untyped]

        encoding = encoding or ANDROID_ENCODING
        fps = encoding.fps
        self.stop()
        assert self.stopped is not None
        pictures = self._pictures()
        # Each picture is held as long as it was on screen, at least one frame: every screen shown is seen, in order,
        # and the video lasts about as long as the recording (a little longer when screens changed within a frame).
        ends = [at for at, _ in pictures[1:]] + [self.stopped - self.started]
        holds = [max(1, round((end - at) * fps)) for (at, _), end in zip(pictures, ends, strict=True)]
        with Image.open(io.BytesIO(pictures[0][1])) as first:
            size = encoding.size(first.width, first.height)
        with tempfile.TemporaryDirectory(prefix="sim-recording-") as folder:
            target = Path(folder) / "screen.mp4"
            writer = imageio_ffmpeg.write_frames(
                str(target), size, fps=fps, codec=encoding.codec, pix_fmt_in="rgb24", pix_fmt_out=encoding.pixels,
                macro_block_size=1, ffmpeg_log_level="error", quality=None, bitrate=None,
                output_params=[*encoding.options, "-movflags", "+faststart"])
            writer.send(None)
            for (_, png), hold in zip(pictures, holds, strict=True):
                with Image.open(io.BytesIO(png)) as picture:
                    rgb = picture.convert("RGB").resize(size, Image.Resampling.BILINEAR).tobytes()
                for _ in range(hold):
                    writer.send(rgb)
            writer.close()
            return target.read_bytes()


class ScreenRecording:
    """A session's two recorders (screenrecord and media projection) and how the driver answers for them."""

    def __init__(self, keep_screen: Callable[[], Frame], log: Callable[[str, str, str], None],
                 screen: Callable[[], tuple[Any, ...]], passing: Callable[[], bool] = lambda: False) -> None:
        self._keep_screen = keep_screen  # the screen as it is now, drawn when the video is asked for
        self._passing = passing  # whether the screen is still coming in (simulator.motion)
        self._log = log
        # What is on screen, as objects the device rebuilds whenever it changes: the same objects, the same picture,
        # so a command that changed nothing costs no drawing
        self._screen = screen
        self._shown: tuple[Any, ...] | None = None
        self._lock = threading.Lock()
        self.screen: Recorder | None = None
        self.projection: Recorder | None = None
        self.projection_done: Recorder | None = None

    @property
    def active(self) -> bool:
        return any(r is not None and r.running for r in (self.screen, self.projection))

    def after_command(self) -> None:
        """Keep the screen as it is now for the recordings that run."""
        if not self.active:
            return
        shown = self._screen()
        if self._shown is not None and len(shown) == len(self._shown) and all(
                a is b or (isinstance(a, str) and a == b) for a, b in zip(shown, self._shown, strict=True)):
            return
        self._shown = shown
        try:
            frame = self._keep_screen()
        except Exception:  # screenrecord never fails the command it films: the frame is missed
            return
        passing = self._passing()
        with self._lock:
            for recorder in (self.screen, self.projection):
                if recorder is not None:
                    recorder.add(frame, passing)

    def _new(self, time_limit: float, fps: int = FPS) -> Recorder:
        recorder = Recorder(time_limit, fps)
        self._shown = self._screen()
        recorder.add(self._keep_screen())
        return recorder

    # --- screenrecord (recordscreen.ts) ----------------------------------------------------------------
    def start_screen(self, options: Any) -> str:
        options = options if isinstance(options, dict) else {}
        seconds = time_limit(options, DEFAULT_TIME_SEC, MAX_TIME_SEC)
        previous = "" if options.get("forceRestart") else self.stop_screen({})
        self.screen = self._new(seconds)
        self._log("I", "ScreenRecord", f"screenrecord started, time limit {seconds:g}s")
        return previous

    def stop_screen(self, options: Any) -> str:
        recorder, self.screen = self.screen, None
        if recorder is None:
            return ""  # "has not been previously started by Appium. There is nothing to stop"
        recorder.stop()
        self._log("I", "ScreenRecord", "screenrecord stopped")
        return base64.b64encode(recorder.mp4()).decode("ascii")

    # --- media projection (media-projection.ts) -----------------------------------------------------------
    def start_projection(self, params: dict) -> bool:
        if self.projection is not None and self.projection.running:
            return False  # "Another media projection recording is already in progress"
        limit = params.get("maxDurationSec")
        seconds = float(limit) if isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0 \
            else float(MAX_TIME_SEC)
        self.projection = self._new(seconds)
        self._log("I", "MediaProjection", "media projection recording started")
        return True

    def projection_running(self, params: dict) -> bool:
        return self.projection is not None and self.projection.running

    def stop_projection(self, params: dict) -> str:
        recorder, self.projection = self.projection, None
        recorder = recorder or self.projection_done
        if recorder is None:
            raise driver_failure("No recent media projection recording have been found. Did you start any?")
        recorder.stop()
        self.projection_done = recorder  # the file stays on the phone: a second stop answers it again
        self._log("I", "MediaProjection", "media projection recording stopped")
        return base64.b64encode(recorder.mp4()).decode("ascii")
