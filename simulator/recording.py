"""The one reader of a recording (the folder `promo capture` writes), for the replay and for check-locators.

A recording comes from a person's disk, and maybe from someone else's: it is read as untrusted input.
Every file is a plain name in the folder, opened without following a link and without waiting on a
FIFO, and must be a regular file under a size limit. The manifest is strict JSON (no NaN), and every
field the replay or the check reads is checked here, so that a recording this module returns can be
served and checked without a later surprise. A page source is UTF-8 XML as UiAutomator2 writes it (a `hierarchy`
root) or as WebDriverAgent does on an iPhone (an `XCUIElementTypeApplication` root), one platform a recording:
no DOCTYPE (so no entity to expand and nothing fetched), at most MAX_DEPTH levels.
The first problem ends the load with one sentence naming the folder and the file.

The simulator imports nothing of the harness, so this lives here; the harness reaches it through
harness.run.recording, the one room allowed to import the simulator.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tiktok_promo.simulator.errors import ReplayError
from tiktok_promo.simulator.safe_input import InputRefused, read_bytes
from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Bounds

FORMAT = 1
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a busy real screen's page source is a few hundred kilobytes
MAX_PICTURE_BYTES = 32 * 1024 * 1024
MAX_SCREENS = 1000
# Views nest a few dozen levels on a real screen; libxml2 itself stops at 256 unless told otherwise.
MAX_DEPTH = 200
MAX_SIDE = 20_000  # pixels: no phone's screen is larger
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOTS = {"hierarchy": "android", "XCUIElementTypeApplication": "ios"}  # a page source's root: its platform
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)  # as markup only: in an attribute `<` is written &lt;

# Hardened: no entity is expanded, no DTD loaded, nothing fetched from the network, libxml2's own limits
# on depth and text size kept (huge_tree off). A page source has no DOCTYPE anyway; one that has is refused.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                         dtd_validation=False, remove_comments=False)


@dataclass(frozen=True)
class Step:
    """How one recorded screen was reached: a tap inside `bounds` on `source`, or BACK."""

    source: str
    action: str
    target: str
    bounds: Bounds | None = None


@dataclass
class RecordedScreen:
    """One screen of a recording: its page source and screenshot as the phone gave them."""

    name: str
    source: str
    screenshot: bytes | None
    activity: str
    package: str
    context: str
    reached_by: Step | None
    file: str = ""  # the page source's file name in the folder


@dataclass
class Recording:
    """A loaded, checked recording: its screens in order and the taps between them."""

    folder: Path
    manifest: dict[str, Any]
    screens: list[RecordedScreen]
    by_name: dict[str, RecordedScreen] = field(init=False)
    _state: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.screens}
        first_with_source: dict[str, str] = {}
        self._state = {s.name: first_with_source.setdefault(s.source, s.name) for s in self.screens}

    @property
    def platform(self) -> str:
        """'android' or 'ios': the platform whose page sources the recording holds."""
        return ROOTS[str(etree.fromstring(self.screens[0].source.encode("utf-8"), PARSER).tag)]

    @property
    def package(self) -> str:
        app = self.manifest.get("app") or {}
        return app.get("package") or self.screens[0].package

    @property
    def app_version(self) -> str:
        return (self.manifest.get("app") or {}).get("version_name") or "unknown"

    @property
    def device(self) -> dict[str, Any]:
        return self.manifest.get("device") or {}

    @property
    def locale(self) -> str | None:
        return self.device.get("locale")

    @property
    def size(self) -> tuple[int, int]:
        screen = self.device.get("screen") or {}
        return int(screen.get("width") or SCREEN_WIDTH), int(screen.get("height") or SCREEN_HEIGHT)

    @property
    def density(self) -> int | None:
        return self.device.get("density")

    def state(self, name: str) -> str:
        """The screen that stands for every recorded screen with this one's page source."""
        return self._state[name]

    def steps_from(self, name: str, action: str) -> list[RecordedScreen]:
        here = self.state(name)
        return [s for s in self.screens
                if s.reached_by and s.reached_by.action == action and self.state(s.reached_by.source) == here]


def _fail(folder: Path, problem: str) -> ReplayError:
    return ReplayError(f"recording {folder}: {problem}")


# --- files ----------------------------------------------------------------------------------------------
def read_file(folder: Path, name: Any, where: str, limit: int) -> bytes:
    """The bytes of a plain file directly in the folder: never through a link, never blocking on a FIFO, at most
    `limit` of them."""
    if not isinstance(name, str) or not name:
        raise _fail(folder, f"{where} must name a file in the folder")
    if name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise _fail(folder, f"{where} {name[:120]!r} must be a file directly in the folder")
    try:  # the one bounded reader (simulator.safe_input), never through a link
        return read_bytes(folder / name, f"{where}:", name, limit, follow_links=False, kind="recording file")
    except InputRefused as refused:
        raise _fail(folder, str(refused)) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest as strict JSON: an object, no NaN or Infinity, not nested past what a manifest needs."""
    if not folder.is_dir():
        raise ReplayError(f"recording {folder} is not a folder")
    if not (folder / "manifest.json").exists() and not (folder / "manifest.json").is_symlink():
        raise _fail(folder, "manifest.json is missing (is this a folder written by `promo capture`?)")
    data = read_file(folder, "manifest.json", "manifest.json", MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise _fail(folder, f"manifest.json is not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise _fail(folder, f"manifest.json is not JSON ({error.msg}, line {error.lineno} column {error.colno})") \
            from None
    except ValueError as error:
        raise _fail(folder, f"manifest.json: {error}") from None
    except RecursionError:
        raise _fail(folder, "manifest.json nests lists or objects too deep to be a manifest") from None
    if not isinstance(manifest, dict):
        raise _fail(folder, "manifest.json must hold an object")
    return manifest


def parse_page_source(data: bytes, folder: Path, name: str) -> etree._Element:
    """A page source's root, parsed by the hardened parser; one sentence naming the file when it is not one."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fail(folder, f"{name} is not UTF-8 text (byte {error.start}: {data[error.start:error.start + 1]!r}); "
                            "a page source from Appium always is") from None
    if _DOCTYPE.search(data):  # before parsing: an entity's text must never be read, not even to fail on it
        raise _fail(folder, f"{name} declares a DOCTYPE (entities); no page source from Appium has one")
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error):  # libxml2's own limit, met before ours could be counted
            raise _fail(folder, f"{name} nests views more than 256 levels deep, more than the {MAX_DEPTH} a screen "
                                "has") from None
        raise _fail(folder, f"{name} is not a page source (XML): {error}") from None
    info = root.getroottree().docinfo
    if (info.encoding or "UTF-8").upper() not in ("UTF-8", "UTF8"):
        raise _fail(folder, f"{name} says it is {info.encoding}; a page source from Appium is UTF-8")
    if root.tag not in ROOTS:
        tag = root.tag if isinstance(root.tag, str) else "?"
        raise _fail(folder, f"{name} is not a page source: its root is <{tag}>, not <hierarchy> (Android) nor "
                            "<XCUIElementTypeApplication> (iOS)")
    depth = _depth(root)
    if depth > MAX_DEPTH:
        raise _fail(folder, f"{name} nests views {depth} levels deep, more than the {MAX_DEPTH} a screen has")
    return root


def _depth(root: etree._Element) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:  # iterative: a deep tree must not exhaust Python's stack
        element, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in element)
    return deepest


# --- the manifest's fields -----------------------------------------------------------------------------
def _positive_int(value: Any, where: str, folder: Path, most: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= most:
        raise _fail(folder, f"{where} must be a whole number from 1 to {most}, not {value!r}")
    return value


def _text(value: Any, where: str, folder: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 500:
        raise _fail(folder, f"{where} must be a short text, not {str(value)[:60]!r}")
    return value


def _check_device(manifest: dict[str, Any], folder: Path) -> tuple[int, int]:
    device = manifest.get("device")
    if device is None:
        device = {}
    if not isinstance(device, dict):
        raise _fail(folder, "manifest.json: device must be an object")
    _positive_int(device.get("density"), "manifest.json: device.density", folder, 2000)
    _positive_int(device.get("api_level"), "manifest.json: device.api_level", folder, 1000)
    for key in ("locale", "model", "manufacturer", "android", "ios", "platform", "time_zone", "timeZone", "udid"):
        _text(device.get(key), f"manifest.json: device.{key}", folder)
    screen = device.get("screen")
    if screen is None:
        return SCREEN_WIDTH, SCREEN_HEIGHT
    if not isinstance(screen, dict):
        raise _fail(folder, "manifest.json: device.screen must be an object with width and height")
    width = _positive_int(screen.get("width"), "manifest.json: device.screen.width", folder, MAX_SIDE)
    height = _positive_int(screen.get("height"), "manifest.json: device.screen.height", folder, MAX_SIDE)
    return width or SCREEN_WIDTH, height or SCREEN_HEIGHT


def _check_app(manifest: dict[str, Any], folder: Path) -> None:
    app = manifest.get("app")
    if app is None:
        return
    if not isinstance(app, dict):
        raise _fail(folder, "manifest.json: app must be an object")
    for key in ("package", "version_name"):
        _text(app.get(key), f"manifest.json: app.{key}", folder)


def _bounds(value: Any, where: str, folder: Path, size: tuple[int, int]) -> Bounds:
    if (not isinstance(value, list) or len(value) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
        raise _fail(folder, f"{where}.bounds must be [left, top, right, bottom], not {value!r}")
    left, top, right, bottom = (int(v) for v in value)
    if right <= left or bottom <= top:
        raise _fail(folder, f"{where}.bounds {value!r} is an empty rectangle")
    width, height = size
    if left < 0 or top < 0 or right > width or bottom > height:
        raise _fail(folder, f"{where}.bounds {value!r} is not on the {width}x{height} screen")
    return left, top, right, bottom


def _point(value: Any, where: str, folder: Path, bounds: Bounds) -> None:
    if value is None:
        return
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
        raise _fail(folder, f"{where}.point must be [x, y], not {value!r}")
    left, top, right, bottom = bounds
    if not (left <= value[0] < right and top <= value[1] < bottom):
        raise _fail(folder, f"{where}.point {value!r} is outside the bounds {list(bounds)} it says it tapped")


def _step(raw: Any, where: str, earlier: set[str], folder: Path, size: tuple[int, int]) -> Step | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(folder, f"{where}.reached_by must be an object or null")
    source, action = raw.get("from"), raw.get("action")
    if not isinstance(source, str) or source not in earlier:
        raise _fail(folder, f"{where}.reached_by.from {source!r} is not a screen recorded before it")
    target = _text(raw.get("target"), f"{where}.reached_by.target", folder)
    if action == "back":
        return Step(source, "back", target or "back")
    if action != "tap":
        raise _fail(folder, f"{where}.reached_by.action must be 'tap' or 'back', not {action!r}")
    bounds = _bounds(raw.get("bounds"), f"{where}.reached_by", folder, size)
    _point(raw.get("point"), f"{where}.reached_by", folder, bounds)
    return Step(source, "tap", target or "", bounds)


def load_recording(folder: str | Path) -> Recording:
    """Read and check a capture folder; the first problem ends the load with one sentence."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.get("format") != FORMAT:
        raise _fail(folder, f"manifest.json has format {manifest.get('format')!r}; this reader knows format {FORMAT}")
    size = _check_device(manifest, folder)
    _check_app(manifest, folder)
    raw_screens = manifest.get("screens")
    if not isinstance(raw_screens, list) or not raw_screens:
        raise _fail(folder, "manifest.json lists no screens")
    if len(raw_screens) > MAX_SCREENS:
        raise _fail(folder, f"manifest.json lists {len(raw_screens)} screens, more than {MAX_SCREENS}")
    loaded: list[RecordedScreen] = []
    names: set[str] = set()
    roots: set[str] = set()
    for i, raw in enumerate(raw_screens):
        where = f"screens.{i}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw.get("name"):
            raise _fail(folder, f"{where} needs a name")
        name = raw["name"]
        if name in names:
            raise _fail(folder, f"{where}: the name {name!r} appears twice")
        data = read_file(folder, raw.get("source"), f"{where}.source", MAX_SOURCE_BYTES)
        file = str(raw["source"])  # read_file took it: a plain name in the folder
        root = str(parse_page_source(data, folder, file).tag)
        roots.add(root)
        if len(roots) > 1:
            raise _fail(folder, f"{file} is a page source of {'an iPhone' if ROOTS[root] == 'ios' else 'Android'} "
                                "among the other platform's; a recording is of one phone")
        shot = raw.get("screenshot")
        screenshot = read_file(folder, shot, f"{where}.screenshot", MAX_PICTURE_BYTES) if shot is not None else None
        if screenshot is not None and not screenshot.startswith(PNG_SIGNATURE):
            raise _fail(folder, f"{where}.screenshot: {shot} is not a PNG picture")
        step = _step(raw.get("reached_by"), where, names, folder, size)
        if i == 0 and step is not None:
            raise _fail(folder, "screens.0 is the first screen: its reached_by must be null")
        if i > 0 and step is None:
            raise _fail(folder, f"{where} ({name}) has no reached_by: how was it reached?")
        for key in ("activity", "package", "context"):
            _text(raw.get(key), f"{where}.{key}", folder)
        loaded.append(RecordedScreen(name, data.decode("utf-8"), screenshot, str(raw.get("activity") or ""),
                                     str(raw.get("package") or ""), str(raw.get("context") or "NATIVE_APP"), step,
                                     file))
        names.add(name)
    return Recording(folder, manifest, loaded)
