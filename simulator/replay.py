"""`python -m simulator --replay DIR`: a recording of a real phone, served as a device.

A recording is the folder `promo capture --walk` writes (format: CAPTURE-FORMAT.md; `manifest.json`
and per screen its page source and screenshot). The replayed device shows the first screen; finds run
over the recorded XML with the simulator's own locator engine; a tap (element click, W3C pointer tap,
`mobile: clickGesture`) whose point falls inside the recorded `bounds` of a tap that led from the
current screen goes to the screen it led to; BACK goes back along the chain; any other tap or swipe
changes nothing, as a phone that ignores a tap on a plain label. Screens whose page sources are
identical are one state (a walk that comes back to the list records it again), so a tap recorded from
either works from both. There is no app model: the `sim:` probes are refused.
"""

from __future__ import annotations

import io
import json
from copy import deepcopy
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, cast

from lxml import etree
from PIL import Image

from simulator.device import NOT_RUNNING, RUNNING_IN_BACKGROUND, RUNNING_IN_FOREGROUND, AppLifecycle, Device
from simulator.errors import InvalidArgument, ReplayError, SessionNotCreated, UnknownCommand
from simulator.faults import FaultPlan, parse_faults
from simulator.locate import SourceTree
from simulator.security import InsecureFeatures
from simulator.server import SimulatorServer, validate_capabilities
from simulator.session import Session
from simulator.ui import screens
from simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Bounds, Node
from simulator.world import World, resolve_world

FORMAT = 1
_FLAGS = ("checkable", "checked", "clickable", "enabled", "focusable", "focused", "scrollable", "selected")


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
    def size(self) -> tuple[int, int]:
        screen = self.device.get("screen") or {}
        return int(screen.get("width") or SCREEN_WIDTH), int(screen.get("height") or SCREEN_HEIGHT)

    def state(self, name: str) -> str:
        """The screen that stands for every recorded screen with this one's page source."""
        return self._state[name]

    def steps_from(self, name: str, action: str) -> list[RecordedScreen]:
        here = self.state(name)
        return [s for s in self.screens
                if s.reached_by and s.reached_by.action == action and self.state(s.reached_by.source) == here]


def _fail(folder: Path, problem: str) -> ReplayError:
    return ReplayError(f"recording {folder}: {problem}")


def _bounds(value: Any, where: str, folder: Path) -> Bounds:
    if (not isinstance(value, list) or len(value) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        raise _fail(folder, f"{where}.bounds must be [left, top, right, bottom], not {value!r}")
    left, top, right, bottom = (int(v) for v in value)
    if right <= left or bottom <= top:
        raise _fail(folder, f"{where}.bounds {value!r} is an empty rectangle")
    return left, top, right, bottom


def _step(raw: Any, where: str, earlier: set[str], folder: Path) -> Step | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(folder, f"{where}.reached_by must be an object or null")
    source, action = raw.get("from"), raw.get("action")
    if source not in earlier:
        raise _fail(folder, f"{where}.reached_by.from {source!r} is not a screen recorded before it")
    if action == "back":
        return Step(source, "back", str(raw.get("target") or "back"))
    if action != "tap":
        raise _fail(folder, f"{where}.reached_by.action must be 'tap' or 'back', not {action!r}")
    return Step(source, "tap", str(raw.get("target") or ""), _bounds(raw.get("bounds"), f"{where}.reached_by", folder))


def load_recording(folder: str | Path) -> Recording:
    """Read and check a capture folder; the first problem ends the load with one sentence."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not folder.is_dir():
        raise ReplayError(f"recording {folder} is not a folder")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(folder, "manifest.json is missing (is this a folder written by `promo capture`?)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(folder, f"manifest.json cannot be read: {error}") from None
    if not isinstance(manifest, dict):
        raise _fail(folder, "manifest.json must hold an object")
    if manifest.get("format") != FORMAT:
        raise _fail(folder, f"manifest.json has format {manifest.get('format')!r}; this simulator replays format 1")
    raw_screens = manifest.get("screens")
    if not isinstance(raw_screens, list) or not raw_screens:
        raise _fail(folder, "manifest.json lists no screens")
    loaded: list[RecordedScreen] = []
    for i, raw in enumerate(raw_screens):
        where = f"screens.{i}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw.get("name"):
            raise _fail(folder, f"{where} needs a name")
        if raw["name"] in {s.name for s in loaded}:
            raise _fail(folder, f"{where}: the name {raw['name']!r} appears twice")
        source = _read(folder, raw.get("source"), f"{where}.source", text=True)
        try:
            etree.fromstring(source.encode("utf-8"))
        except etree.XMLSyntaxError as error:
            raise _fail(folder, f"{raw.get('source')} is not a page source (XML): {error}") from None
        shot = raw.get("screenshot")
        screenshot = _read(folder, shot, f"{where}.screenshot", text=False) if shot else None
        step = _step(raw.get("reached_by"), where, {s.name for s in loaded}, folder)
        if i == 0 and step is not None:
            raise _fail(folder, "screens.0 is the first screen: its reached_by must be null")
        if i > 0 and step is None:
            raise _fail(folder, f"{where} ({raw['name']}) has no reached_by: how was it reached?")
        loaded.append(RecordedScreen(raw["name"], source, screenshot, str(raw.get("activity") or ""),
                                     str(raw.get("package") or ""), str(raw.get("context") or "NATIVE_APP"), step))
    return Recording(folder, manifest, loaded)


def _read(folder: Path, name: Any, where: str, text: bool) -> Any:
    if not isinstance(name, str) or not name:
        raise _fail(folder, f"{where} must name a file in the folder")
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise _fail(folder, f"{where} {name!r} must be a file directly in the folder")
    try:
        return path.read_text(encoding="utf-8") if text else path.read_bytes()
    except FileNotFoundError:
        raise _fail(folder, f"{where}: {name} is missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(folder, f"{where}: {name} cannot be read: {error}") from None


# --- the recorded views as nodes ----------------------------------------------------------------------
def _parse_bounds(text: str | None) -> Bounds:
    try:
        left_top, right_bottom = (text or "").strip("[]").split("][")
        x1, y1 = (int(v) for v in left_top.split(","))
        x2, y2 = (int(v) for v in right_bottom.split(","))
        return x1, y1, x2, y2
    except ValueError:
        return 0, 0, 0, 0


def _node(element: etree._Element, key: str, seen: dict[etree._Element, Node]) -> Node:
    node = Node(
        cls=element.get("class") or str(element.tag),
        key=key,
        bounds=_parse_bounds(element.get("bounds")),
        text=element.get("text") or "",
        desc=element.get("content-desc") or "",
        rid=element.get("resource-id") or "",
        package=element.get("package") or "",
        displayed=element.get("displayed", "true") == "true",
    )
    for flag in _FLAGS:
        setattr(node, flag, element.get(flag) == "true")
    seen[element] = node
    for i, child in enumerate(c for c in element if isinstance(c.tag, str)):
        node.add(_node(child, f"{key}/{i}", seen))
    return node


class RecordedTree(SourceTree):
    """A recorded page source as it was, with its views: XPath runs over the recorded XML itself, so
    every attribute the phone wrote (`hint`, `a11y-important`...) can be matched, as on the phone."""

    def __init__(self, source: str, visit: str) -> None:
        self._source = source
        self._order, self._lines = [], []
        self._tree = etree.fromstring(source.encode("utf-8"))  # parsed at once: the views are built from it
        self._nodes = {}
        self.windows = [_node(child, f"{visit}:{i}", self._nodes)
                        for i, child in enumerate(c for c in self.root if isinstance(c.tag, str))]
        self._elements = {id(node): element for element, node in self._nodes.items()}

    def xml(self) -> str:
        return self._source  # the page source as the phone wrote it

    def scoped(self, scope: Node) -> SourceTree:
        """The recorded view `scope` as a document of its own, as the server builds it for an XPath search
        from an element (limitXPathContextScope on): nothing above it exists."""
        element = self._elements.get(id(scope))
        tree = SourceTree([])
        if element is None:
            tree._tree = etree.Element("hierarchy")
            return tree
        copy = deepcopy(element)
        tree._tree = copy
        tree._nodes = {mine: self._nodes[theirs] for mine, theirs in zip(copy.iter(), element.iter(), strict=True)
                       if theirs in self._nodes}
        return tree


def windows_of(source: str, visit: str) -> list[Node]:
    """The recorded page source as view trees, one per top-level view (window) of the hierarchy."""
    return RecordedTree(source, visit).windows


@dataclass(frozen=True)
class RecordedRelease:
    """What the session layer reads of a release: its name and the app's version."""

    name: str
    app_version: str


class _NoModel:
    """A recording has no app behind it: nothing to advance, no ledger."""

    def snapshot(self) -> dict:
        raise UnknownCommand("A replayed recording has no app model: simLedger and simAdvanceClock need a world")


@dataclass(frozen=True)
class RecordingWorld:
    """What a session and its capabilities read of a world, taken from the recording."""

    name: str
    activity: str
    package: str


class ReplayDevice(AppLifecycle):
    """A phone that shows recorded screens and follows the recorded taps."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.package = recording.package
        self.variant = RecordedRelease("replay", recording.app_version)
        self.model = _NoModel()
        self.app_state = NOT_RUNNING
        self.foreground_package = screens.LAUNCHER_PACKAGE
        self.stack: list[tuple[str, int]] = []
        self.version = 0
        self.taps = 0
        self.web_page_open = False
        self._visits = count(1)
        self._cache: tuple[int, list[Node]] | None = None
        self.tree: RecordedTree | None = None  # the current screen's recorded XML and its views
        self.confirm_fails = lambda: False

    # --- lifecycle ---------------------------------------------------------------------------
    def launch(self) -> None:
        if not (self.app_state == RUNNING_IN_BACKGROUND and self.stack):
            self.stack = [(self.recording.screens[0].name, next(self._visits))]
        self.app_state = RUNNING_IN_FOREGROUND
        self.foreground_package = self.package
        self._changed()

    @property
    def screen(self) -> RecordedScreen | None:
        return self.recording.by_name[self.stack[-1][0]] if self.in_foreground and self.stack else None

    @property
    def current_activity(self) -> str:
        return self.screen.activity if self.screen else ".NexusLauncherActivity"

    @property
    def current_package(self) -> str:
        return self.screen.package if self.screen else self.foreground_package

    # --- what is on screen ---------------------------------------------------------------------
    def windows(self) -> list[Node]:
        if self._cache and self._cache[0] == self.version:
            return self._cache[1]
        screen = self.screen
        if screen is None:
            launcher = screens.launcher(None)  # type: ignore[arg-type]  # draws no app data
            for node in launcher.walk():
                node.key = f"home{self.version}:{node.key}"
            built, self.tree = [launcher], None
        else:
            self.tree = RecordedTree(screen.source, f"{screen.name}#{self.stack[-1][1]}")
            built = self.tree.windows
        self._cache = (self.version, built)
        return built

    def active_window(self) -> Node:
        return self.windows()[-1]

    def node_at(self, x: float, y: float) -> Node | None:
        hit = None
        for window in self.windows():
            for node in window.walk():
                if node.displayed and node.contains(x, y):
                    hit = node
        return hit

    # --- touch ---------------------------------------------------------------------------------------
    def tap(self, x: float, y: float) -> None:
        screen = self.screen
        if screen is None:
            node = self.node_at(x, y)
            if node is not None and node.find_action_target().action == "launch":
                self.launch()
            return
        for target in self.recording.steps_from(screen.name, "tap"):
            step = target.reached_by
            assert step is not None and step.bounds is not None
            left, top, right, bottom = step.bounds
            if left <= x < right and top <= y < bottom:
                self.taps += 1
                self.stack.append((target.name, next(self._visits)))
                self._changed()
                return

    def click(self, node: Node) -> None:
        self.tap(*node.center)

    def back(self) -> None:
        if not self.in_foreground:
            return
        if len(self.stack) > 1:
            self.stack.pop()
            self.stack[-1] = (self.stack[-1][0], next(self._visits))  # the screen is drawn anew
        else:
            recorded = self.recording.steps_from(self.stack[-1][0], "back")
            if not recorded:
                self.home()  # BACK on the app's first screen leaves the app, as on a phone
                return
            self.stack = [(recorded[0].name, next(self._visits))]
        self._changed()

    def scroll(self, x: float, y: float, dy: float) -> bool:
        return False  # a recording has one picture per screen: nothing scrolls

    def can_scroll(self, node: Node, forward: bool = True) -> bool:
        return False

    # --- what the session's faults ask -----------------------------------------------------------
    def tick(self) -> None:
        pass

    def interrupt(self, kind: str) -> None:
        pass  # a recording shows what the phone showed: no pop-up of ours over it

    def rerender(self) -> None:
        if self.stack:
            self.stack[-1] = (self.stack[-1][0], next(self._visits))
            self._changed()

    def _changed(self) -> None:
        self.version += 1

    @property
    def size(self) -> tuple[int, int]:
        return self.recording.size

    def toasts(self) -> list[Node]:
        return []  # a recorded toast is a child of the recorded hierarchy, among the windows already

    @property
    def status_bar_height(self) -> int:
        # The manifest records no status bar; the simulator's phone's is the nearest known value.
        return screens.STATUS_BAR


class ReplaySession(Session):
    """An Appium session on a replayed recording: the simulator's session, on a ReplayDevice."""

    def __init__(self, caps: dict[str, Any], recording: Recording, plan: FaultPlan) -> None:
        super().__init__({**caps, "autoLaunch": False}, resolve_world("default"), plan)
        self.caps = caps
        self.recording = recording
        first = recording.screens[0]
        # The session layer drives these as it drives a Device and a World: same attributes, by duck typing.
        self.world = cast(World, RecordingWorld(f"replay:{recording.folder.name}", first.activity,
                                                recording.package))
        self.replay = ReplayDevice(recording)
        self.device = cast(Device, self.replay)
        for name in ("simAdvanceClock", "simLedger"):
            self.mobile.pop(name, None)
        self.mobile["getCurrentPackage"] = (lambda _: self.replay.current_package, (), ())
        if caps.get("autoLaunch", True):
            self.device.launch()

    def _windows_for_search(self) -> list[Node]:
        return self.device.windows()  # the recorded source holds what UiAutomator2 reported, all of it

    def _locate_once(self, using: str, value: str, parent_id: str | None) -> list[Node]:
        self.device.windows()  # brings the recorded tree up to date
        tree = self.replay.tree
        if using != "xpath" or tree is None:
            return super()._locate_once(using, value, parent_id)
        if parent_id is None:
            return tree.xpath(value)
        scope = self.node(parent_id)
        if self.settings.get("limitXPathContextScope") is False:
            return tree.xpath(value, context=scope)  # the whole page, from the element
        return tree.scoped(scope).xpath(value)

    def source(self) -> str:
        screen = self.replay.screen
        return screen.source if screen is not None else super().source()

    def screenshot(self) -> bytes:
        screen = self.replay.screen
        return screen.screenshot if screen is not None and screen.screenshot else super().screenshot()

    def element_screenshot(self, element_id: str) -> bytes:
        screen = self.replay.screen
        node = self.node(element_id)
        if screen is None or not screen.screenshot:
            return super().element_screenshot(element_id)
        with Image.open(io.BytesIO(screen.screenshot)) as picture:
            out = io.BytesIO()
            picture.crop(node.bounds).save(out, format="PNG")
            return out.getvalue()

    def device_info(self) -> dict[str, Any]:
        device = self.recording.device
        width, height = self.recording.size
        return {
            "manufacturer": device.get("manufacturer") or "unknown",
            "model": device.get("model") or "unknown",
            "platformVersion": str(device.get("android") or ""),
            "apiVersion": str(device.get("api_level") or ""),
            "realDisplaySize": f"{width}x{height}",
            # Recordings made before capture wrote the density: the simulator's phone's (420 dpi).
            "displayDensity": int(device.get("density") or 420),
            "locale": device.get("locale"),
            "timeZone": device.get("time_zone") or device.get("timeZone"),
            "appVersion": self.recording.app_version,
            "uiVariant": "replay",
            "world": self.world.name,
        }


class ReplayServer(SimulatorServer):
    """The simulator's server, whose sessions replay one recording."""

    def __init__(self, recording: str | Path | Recording, host: str = "127.0.0.1", port: int = 0,
                 insecure: InsecureFeatures | None = None, allow_cors: bool = False) -> None:
        self.recording = recording if isinstance(recording, Recording) else load_recording(recording)
        super().__init__(host, port, insecure=insecure, allow_cors=allow_cors)

    def _create(self, caps: dict[str, Any]) -> dict[str, Any]:
        appium, sim = validate_capabilities(caps, self.recording.package)
        if "world" in sim:
            raise SessionNotCreated(
                f"This server replays the recording {self.recording.folder}; it has no worlds (drop sim:world)"
            )
        unknown = set(sim) - {"faults"}
        if unknown:
            raise InvalidArgument(
                f"Unknown capabilities {', '.join('sim:' + n for n in sorted(unknown))}; "
                "a replay knows only sim:faults"
            )
        return self.admit(ReplaySession(appium, self.recording, parse_faults(sim.get("faults"))), appium)

