"""Screen recording as the XCUITest driver serves it (appium-xcuitest-driver lib/commands/recordscreen.ts).

On an iPhone the driver runs ffmpeg on the Appium host against WDA's MJPEG screenshot stream: the options are
ffmpeg's (`videoType` the encoder, `mjpeg` by default; `videoScale` a scale filter's `w:h`; `pixelFormat`), the
stream's (`videoQuality`, `videoFps`, which it sets as WDA's mjpeg settings) and its own (`timeLimit`, 1 to 4200 s;
`forceRestart`). Start stops a recording that runs and answers its video; stop answers the base64 MP4, or '' when
nothing was started. An option ffmpeg cannot run with makes ffmpeg exit, which the driver reports as a capture
process that died: that is what a 4:2:0 H.264 of the iPhone's odd width (1179 pixels) gets unless scaled to even
sides, so a client that wants a video a browser plays asks for `libx264`, `yuv420p` and an even `videoScale`.

The frames are the device's kept screens (simulator.screen_recording), encoded with the codec asked for.
"""

from __future__ import annotations

import ast
import base64
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from tiktok_promo.simulator.errors import WebDriverError
from tiktok_promo.simulator.screen_recording import Encoding, ScreenRecording, driver_failure, time_limit

MAX_TIME_SEC = 4200  # recordscreen.ts MAX_RECORDING_TIME_SEC (ffmpeg's reconnect_delay_max bound)
DEFAULT_TIME_SEC = 60 * 3
DEFAULT_FPS = 10
DEFAULT_QUALITY = "medium"
QUALITY = {"low": 10, "medium": 25, "high": 75, "photo": 100}  # recordscreen.ts QUALITY_MAPPING
# The encoders this host's ffmpeg runs, with the pixel formats each takes ('h264' picks libx264, as ffmpeg does).
CODECS = {"mjpeg": ("mjpeg", ("yuvj420p", "yuvj422p", "yuvj444p")),
          "libx264": ("libx264", ("yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p")),
          "h264": ("libx264", ("yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p"))}
INPUT_PIXELS = "yuvj420p"  # a JPEG frame's: what ffmpeg keeps when no pixelFormat is asked
DIED = "The screen capture process 'ffmpeg' died unexpectedly. Check server logs for more details"

_FUNCTIONS: dict[str, Callable[..., float]] = {
    "trunc": math.trunc, "floor": math.floor, "ceil": math.ceil, "round": round, "min": min, "max": max}
_OPERATORS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos}


def _evaluate(expression: str, names: dict[str, float]) -> float:
    """One side of ffmpeg's scale filter (its expression language: numbers, iw/ih, + - * /, trunc and kin)."""
    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return float(_OPERATORS[type(node.op)](value(node.left), value(node.right)))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
            return float(_OPERATORS[type(node.op)](value(node.operand)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS \
                and not node.keywords:
            return float(_FUNCTIONS[node.func.id](*(value(a) for a in node.args)))
        raise ValueError(expression)

    return value(ast.parse(expression.strip(), mode="eval").body)


def scaled(scale: str, width: int, height: int) -> tuple[int, int]:
    """The frame size ffmpeg's `scale=<scale>` makes of a width x height picture; ValueError if ffmpeg refuses it."""
    sides = scale.split(":")
    if len(sides) != 2:
        raise ValueError(scale)
    names = {"iw": width, "ih": height, "in_w": width, "in_h": height, "a": width / height}
    w_text, h_text = (re.sub(r"^\s*[wh]\s*=", "", side) for side in sides)
    w, h = _evaluate(w_text, names), _evaluate(h_text, names)
    if w < 0 and h < 0:
        w = width
    # -1 keeps the aspect ratio; -n keeps it and rounds to a multiple of n
    if w < 0:
        step = int(-w)
        w = round(h * width / height / step) * step
    if h < 0:
        step = int(-h)
        h = round(w * height / width / step) * step
    if w <= 0 or h <= 0:
        raise ValueError(scale)
    return int(w), int(h)


def _fps(raw: Any) -> int:
    """JavaScript's parseInt of the value's string, as recordscreen.ts reads videoFps."""
    text = str(raw).lower() if isinstance(raw, bool) else str(raw)
    found = re.match(r"\s*[+-]?\d+", text)
    if not found:
        raise driver_failure(f"videoFps value should be a valid number in range 1..60. '{raw}' is given instead")
    return int(found.group())


class IosScreenRecording(ScreenRecording):
    """The XCUITest driver's screen recorder: ffmpeg over WDA's MJPEG stream, with its options and answers."""

    picture = (1179, 2556)  # the stream's frames: the iPhone's screen in pixels

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoding: Encoding | None = None

    def start_screen(self, options: Any) -> str:
        options = options if isinstance(options, dict) else {}
        previous = "" if options.get("forceRestart") else self.stop_screen(options)
        seconds = time_limit(options, DEFAULT_TIME_SEC, MAX_TIME_SEC)  # checked after the stop, as the driver does
        quality_asked = options.get("videoQuality", DEFAULT_QUALITY)
        quality: Any = None
        if quality_asked:  # an empty or zero value leaves WDA's setting as it is
            quality = quality_asked if isinstance(quality_asked, int) and not isinstance(quality_asked, bool) \
                else QUALITY.get(str(quality_asked).lower())
            if not quality:
                raise driver_failure(f'videoQuality value should be one of ["low","medium","high","photo"] or a number '
                                f"in range 1..100. '{quality_asked}' is given instead")
        fps_asked = options.get("videoFps", DEFAULT_FPS)
        fps = _fps(fps_asked) if fps_asked else DEFAULT_FPS
        self.encoding = self._encoding(options, quality or QUALITY[DEFAULT_QUALITY], min(max(fps, 1), 60))
        self.screen = self._new(seconds, self.encoding.fps)
        self._log("I", "ScreenRecord", f"ffmpeg screen capture started, time limit {seconds:g}s")
        return previous

    def _encoding(self, options: dict, quality: int, fps: int) -> Encoding:
        """What ffmpeg would encode, or the driver's 'died' error where ffmpeg would exit at once."""
        codec_asked = options.get("videoType") or "mjpeg"
        if not isinstance(codec_asked, str) or codec_asked not in CODECS:
            raise driver_failure(DIED)  # an encoder this ffmpeg does not have
        codec, formats = CODECS[codec_asked]
        pixels = options.get("pixelFormat") or (INPUT_PIXELS if codec == "libx264" else formats[0])
        if pixels not in formats:
            raise driver_failure(DIED)
        scale = options.get("videoScale")
        filters = options.get("videoFilters")
        if filters:  # the driver hands them to ffmpeg as given; here only a plain scale is understood
            if not isinstance(filters, str) or not filters.startswith("scale="):
                raise driver_failure("The virtual device applies no ffmpeg filter but a scale: "
                                f"videoFilters '{filters}' cannot be recorded")
            scale = filters[len("scale="):]
        size = self.picture
        if scale:
            try:
                size = scaled(str(scale), *self.picture)
            except (ValueError, SyntaxError, ZeroDivisionError, TypeError):
                raise driver_failure(DIED) from None
        if codec == "libx264" and pixels.endswith("420p") and (size[0] % 2 or size[1] % 2):
            raise driver_failure(DIED)  # libx264: "width not divisible by 2" for 4:2:0
        if codec == "libx264" and pixels.endswith("422p") and size[0] % 2:
            raise driver_failure(DIED)
        settings: tuple[str, ...]
        if codec == "mjpeg":
            # WDA's JPEG quality (1..100) as ffmpeg's mjpeg scale (2 best .. 31 worst)
            settings = ("-q:v", str(round(31 - min(max(quality, 1), 100) / 100 * 29)))
        else:
            settings = ("-preset", "veryfast", "-crf", "30")
        return Encoding(fps, codec, pixels, settings, lambda w, h: size)

    def stop_screen(self, options: Any) -> str:
        recorder, self.screen = self.screen, None
        if recorder is None:
            return ""  # "Screen recording is not running. There is nothing to stop."
        recorder.stop()
        self._log("I", "ScreenRecord", "ffmpeg screen capture stopped")
        try:
            return base64.b64encode(recorder.mp4(self.encoding)).decode("ascii")
        except WebDriverError:
            raise
        except Exception as error:  # ffmpeg failed on the way: the driver finds no file
            raise driver_failure("The screen recorder utility has failed to store the actual screen recording") \
                from error
