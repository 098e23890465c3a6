"""`python -m tiktok_promo.simulator --replay DIR`: a recording of a real phone, served as a device.

A recording is the folder `promo capture --walk` writes (`manifest.json` and per screen its page source
and screenshot), read and checked by simulator.recording, the reader check-locators uses too. The
replayed device shows the first screen; finds run over the recorded XML with the simulator's own
locator engine; a tap (element click, W3C pointer tap,
`mobile: clickGesture`) whose point falls inside the recorded `bounds` of a tap that led from the
current screen goes to the screen it led to; BACK goes back along the chain; any other tap or swipe
changes nothing, as a phone that ignores a tap on a plain label. Screens whose page sources are
identical are one state (a walk that comes back to the list records it again), so a tap recorded from
either works from both. There is no app model: the `sim:` probes are refused.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, cast

from lxml import etree
from PIL import Image

from tiktok_promo.simulator.device import (
    NOT_RUNNING,
    RUNNING_IN_BACKGROUND,
    RUNNING_IN_FOREGROUND,
    AppLifecycle,
    Device,
)
from tiktok_promo.simulator.errors import InvalidArgument, ReplayError, SessionNotCreated, UnknownCommand
from tiktok_promo.simulator.faults import FaultPlan, parse_faults
from tiktok_promo.simulator.locate import SourceTree
from tiktok_promo.simulator.recording import PARSER, RecordedScreen, Recording, load_recording
from tiktok_promo.simulator.security import InsecureFeatures
from tiktok_promo.simulator.server import SimulatorServer, validate_capabilities
from tiktok_promo.simulator.session import Session
from tiktok_promo.simulator.ui import screens
from tiktok_promo.simulator.ui.node import Bounds, Node
from tiktok_promo.simulator.world import World, resolve_world

_FLAGS = ("checkable", "checked", "clickable", "enabled", "focusable", "focused", "scrollable", "selected")


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
        # Parsed at once (the views are built from it), by the reader's hardened parser: load_recording has
        # refused every source it would not take.
        self._tree = etree.fromstring(source.encode("utf-8"), PARSER)
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

    def __init__(self, recording: Recording, transitions: bool = True) -> None:
        self.recording = recording
        self.transitions = transitions
        self.package = recording.package
        self.release = RecordedRelease("replay", recording.app_version)
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
            return self.in_motion(self._cache[1], 0, self.size)
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
        return self.in_motion(built, 0, self.size)

    def idle_in(self) -> float:
        """Seconds until the replayed app is idle: once the screen coming in rests."""
        return self.settle_seconds()

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
        name = screen.name
        transition = self.moving()
        if transition is not None:
            # Mid-transition the finger meets the recorded screen where it is passing, or the one it covers.
            dx, dy = transition.offset(self.clock(), self.size)
            if (x < dx or y < dy) and len(self.stack) > 1:
                name = self.stack[-2][0]
            else:
                x, y = x - dx, y - dy
        for target in self.recording.steps_from(name, "tap"):
            step = target.reached_by
            assert step is not None and step.bounds is not None
            left, top, right, bottom = step.bounds
            if left <= x < right and top <= y < bottom:
                self.taps += 1
                below = self.windows()
                self.stack.append((target.name, next(self._visits)))
                self._changed()
                self.begin("page", below)  # a recorded screen comes in as the simulator's pages do
                return

    def click(self, node: Node) -> None:
        self.tap(*node.center)

    def back(self) -> None:
        if not self.in_foreground:
            return
        if len(self.stack) > 1:
            self.stack.pop()
            self.transition = None  # the screen gone back to rests at once
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

    def __init__(self, caps: dict[str, Any], recording: Recording, plan: FaultPlan, transitions: bool = True) -> None:
        super().__init__({**caps, "autoLaunch": False}, resolve_world("default"), plan, transitions)
        self.caps = caps
        self.recording = recording
        first = recording.screens[0]
        # The session layer drives these as it drives a Device and a World: same attributes, by duck typing.
        self.world = cast(World, RecordingWorld(f"replay:{recording.folder.name}", first.activity,
                                                recording.package))
        self.replay = ReplayDevice(recording, transitions=self.device.transitions)
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
        self.wait_for_idle()
        screen = self.replay.screen
        if screen is None:
            return super().source()
        transition = self.replay.moving()
        if transition is None:
            return screen.source
        dx, dy = transition.offset(self.replay.clock(), self.replay.size)
        return _moved_source(screen.source, dx, dy, self.replay.size)

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
            "displayDensity": self.recording.density or 420,
            "locale": device.get("locale"),
            "timeZone": device.get("time_zone") or device.get("timeZone"),
            "appVersion": self.recording.app_version,
            "release": "replay",
            "uiVariant": "replay",  # the release's older name, for clients that read it
            "world": self.world.name,
        }


_BOUNDS = re.compile(r'bounds="\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]"')


def _moved_source(xml: str, dx: int, dy: int, size: tuple[int, int]) -> str:
    """The recorded source as it reads mid-transition: every view's bounds moved and clipped to the screen."""
    width, height = size

    def move(match: re.Match[str]) -> str:
        x1, y1, x2, y2 = (int(v) for v in match.groups())
        x1, x2 = (min(max(v + dx, 0), width) for v in (x1, x2))
        y1, y2 = (min(max(v + dy, 0), height) for v in (y1, y2))
        return f'bounds="[{x1},{y1}][{x2},{y2}]"'

    return _BOUNDS.sub(move, xml)


class ReplayServer(SimulatorServer):
    """The simulator's server, whose sessions replay one recording."""

    def __init__(self, recording: str | Path | Recording, host: str = "127.0.0.1", port: int = 0,
                 insecure: InsecureFeatures | None = None, allow_cors: bool = False,
                 transitions: bool = True) -> None:
        self.recording = recording if isinstance(recording, Recording) else load_recording(recording)
        if self.recording.platform == "ios":
            # The replay rebuilds UiAutomator2's views from each page source; WDA's XML has no such views to rebuild.
            raise ReplayError(f"recording {self.recording.folder}: it is of an iPhone, and the replay serves "
                              "Android recordings only (promo check-locators checks an iPhone's)")
        super().__init__(host, port, insecure=insecure, allow_cors=allow_cors, transitions=transitions)

    def _create(self, caps: dict[str, Any]) -> dict[str, Any]:
        appium, sim = validate_capabilities(caps, self.recording.package)
        if "world" in sim:
            raise SessionNotCreated(
                f"This server replays the recording {self.recording.folder}; it has no worlds (drop sim:world)"
            )
        unknown = set(sim) - {"faults", "transitions"}
        if unknown:
            raise InvalidArgument(
                f"Unknown capabilities {', '.join('sim:' + n for n in sorted(unknown))}; "
                "a replay knows only sim:faults and sim:transitions"
            )
        session = ReplaySession(appium, self.recording, parse_faults(sim.get("faults")), self.transitions_of(sim))
        return self.admit(session, appium)

