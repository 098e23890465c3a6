"""One Appium session on the virtual device: elements, waits, gestures, execute methods, faults, stats.

Commands of one session run one at a time (its lock), as a real UiAutomator2 server serialises
them; sessions are independent of each other.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from simulator import locate, uiselector
from simulator.contexts import Contexts
from simulator.device import NOT_INSTALLED, Device
from simulator.errors import NO_SUCH_ELEMENT_MESSAGE as NOT_FOUND
from simulator.errors import (
    ElementNotInteractable,
    InvalidArgument,
    InvalidElementState,
    InvalidSelector,
    NoSuchElement,
    StaleElement,
    UnknownError,
    UnknownMethod,
)
from simulator.faults import FaultInjector, FaultPlan
from simulator.ui.node import Node
from simulator.world import World

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
KEYCODE_HOME, KEYCODE_BACK = 3, 4
POLL_SECONDS = 0.02
DEFAULT_SETTINGS = {
    "allowInvisibleElements": False,
    "enableMultiWindows": False,
    "ignoreUnimportantViews": False,
    "waitForIdleTimeout": 10000,
    "waitForSelectorTimeout": 10000,
    "actionAcknowledgmentTimeout": 3000,
    "scrollAcknowledgmentTimeout": 200,
    "shouldUseCompactResponses": True,
}


def element_ref(element_id: str) -> dict[str, str]:
    return {ELEMENT_KEY: element_id, "ELEMENT": element_id}


class Stats:
    """Commands served by route, and the time the server spent on them (latency faults apart)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.server_seconds: dict[str, float] = defaultdict(float)
        self.injected_latency = 0.0

    def record(self, route: str, seconds: float) -> None:
        self.counts[route] += 1
        self.server_seconds[route] += seconds

    def to_json(self) -> dict[str, Any]:
        total = sum(self.counts.values())
        return {
            "commands": total,
            "by_route": dict(sorted(self.counts.items())),
            "server_ms": round(sum(self.server_seconds.values()) * 1000, 3),
            "server_ms_by_route": {k: round(v * 1000, 3) for k, v in sorted(self.server_seconds.items())},
            "injected_latency_ms": round(self.injected_latency * 1000, 3),
        }


class Session:
    """A session's device, its element ids, timeouts, settings, faults and counters."""

    def __init__(self, caps: dict[str, Any], world: World, plan: FaultPlan) -> None:
        self.id = str(uuid.uuid4())
        self.caps = caps
        self.world = world
        self.faults = FaultInjector(plan)
        self.device = Device(world, slow_list_ms=plan.slow_list_ms)
        self.device.confirm_fails = self.faults.confirm_fails
        self.lock = threading.RLock()
        self.stats = Stats()
        self.implicit_wait_ms = 0
        self.timeouts = {"pageLoad": 300000, "script": 30000}
        self.settings = dict(DEFAULT_SETTINGS)
        self.orientation = "PORTRAIT"
        self.new_command_timeout = float(caps.get("newCommandTimeout", 60))
        self.last_used = time.monotonic()
        self.dead = False
        self._ids: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self.contexts = Contexts(self)
        if caps.get("autoLaunch", True):
            self.device.launch()
        self.mobile: dict[str, Callable[[dict], Any]] = {
            "clickGesture": self._click_gesture,
            "scrollGesture": self._scroll_gesture,
            "swipeGesture": self._swipe_gesture,
            "activateApp": self._activate_app,
            "terminateApp": self._terminate_app,
            "queryAppState": self._query_app_state,
            "getCurrentActivity": lambda _: self.device.current_activity,
            "getCurrentPackage": lambda _: self.device.foreground_package,
            "pressKey": self._press_key,
            "deviceInfo": lambda _: self.device_info(),
            "getContexts": lambda _: self.contexts.mapping(),
            "simAdvanceClock": self._advance_clock,
            "simStats": lambda _: self.stats_json(),
            "simLedger": lambda _: self.device.model.snapshot(),
        }

    # --- faults before a command ---------------------------------------------------------
    def before_command(self, looks_at_screen: bool) -> None:
        """Count the command and let the fault plan strike: a pop-up, a re-render, an error."""
        self.last_used = time.monotonic()
        self.faults.next_command()
        self.device.tick()
        if looks_at_screen:
            kind = self.faults.popup()
            if kind:
                self.device.interrupt(kind)
            if self.faults.rerender():
                self.device.rerender()
        if self.faults.transient_error():
            raise UnknownError(
                "An unknown server-side error occurred while processing the command. "
                "Original error: Could not proxy command to the remote server. Original error: socket hang up"
            )

    # --- elements -------------------------------------------------------------------------
    def _id_for(self, node: Node) -> str:
        element_id = self._ids.get(node.key)
        if element_id is None:
            element_id = str(uuid.uuid4())
            self._ids[node.key] = element_id
            self._keys[element_id] = node.key
        return element_id

    def node(self, element_id: str) -> Node:
        """The view an element id points at, if it is still on screen."""
        key = self._keys.get(element_id)
        if key is None:
            raise NoSuchElement(f"The element identified by {element_id!r} is not known in this session")
        for window in self.device.windows():
            for node in window.walk():
                if node.key == key:
                    return node
        raise StaleElement(
            f"The element '{element_id}' does not exist in DOM anymore: the screen re-rendered or left it"
        )

    def _windows_for_search(self) -> list[Node]:
        windows = self.device.windows()
        return windows if self.settings.get("enableMultiWindows") else windows[-1:]

    def _locate_once(self, using: str, value: str, parent_id: str | None) -> list[Node]:
        windows = self._windows_for_search()
        if parent_id is not None:
            root = self.node(parent_id)
            return locate.find_in(using, value, root, self.device.package, windows, below=True)
        if using == "-android uiautomator":
            return self._uiautomator(value, windows)
        if using == "xpath":
            return locate.find_in(using, value, windows[0], self.device.package, windows)
        found: list[Node] = []
        for window in windows:
            found.extend(locate.find_in(using, value, window, self.device.package))
        return found

    def _uiautomator(self, value: str, windows: list[Node]) -> list[Node]:
        found: list[Node] = []
        for query in locate.parse_uiautomator(value):
            if isinstance(query, uiselector.ScrollIntoView):
                nodes = self._scroll_into_view(query)
            else:
                nodes = [n for w in windows for n in uiselector.find(query, w)]
            found.extend(n for n in nodes if n not in found)
        return found

    def _scroll_into_view(self, query: uiselector.ScrollIntoView) -> list[Node]:
        """UiScrollable.scrollIntoView: from the top of the list, page forward until the target shows."""
        containers = uiselector.find(query.scrollable, self.device.active_window())
        if not containers:
            return []
        if query.target is None:
            # scrollForward()/scrollToEnd(): scroll, then fail as UiAutomator2 does (no element to return).
            x, y = containers[0].center
            height = containers[0].bounds[3] - containers[0].bounds[1]
            for _ in range(max(1, query.max_swipes)):
                if not self.device.scroll(x, y, int(height * 0.8)):
                    break
            raise InvalidSelector("Last method called on a UiScrollable object must return a UiObject object")

        wanted = query.target

        def target() -> list[Node]:
            window = self.device.active_window()
            scrollers = uiselector.find(query.scrollable, window)
            return [n for s in scrollers[:1] for n in uiselector.find(wanted, s)]

        found = target()
        if found:
            return found
        x, y = containers[0].center
        height = containers[0].bounds[3] - containers[0].bounds[1]
        while self.device.scroll(x, y, -10**6):  # scrollToBeginning
            pass
        for _ in range(query.max_swipes + 1):
            found = target()
            if found or not self.device.scroll(x, y, int(height * 0.8)):
                return found or target()
        return []

    def find(self, using: str, value: str, parent_id: str | None, multiple: bool) -> Any:
        """Find one or many elements, waiting server-side up to the implicit wait."""
        if not isinstance(using, str) or not isinstance(value, str):
            raise InvalidArgument("'using' and 'value' must be strings")
        deadline = time.monotonic() + self.implicit_wait_ms / 1000
        while True:
            with self.lock:
                nodes = self._locate_once(using, value, parent_id)
                if nodes:
                    refs = [element_ref(self._id_for(n)) for n in nodes]
                    return refs if multiple else refs[0]
            if time.monotonic() >= deadline:
                break
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        if multiple:
            return []
        raise NoSuchElement(NOT_FOUND)

    # --- element commands ---------------------------------------------------------------
    def click(self, element_id: str) -> None:
        node = self.node(element_id)
        # UiAutomator2 clicks at the visible centre: whatever is on top there gets the tap.
        x, y = node.center
        self.device.tap(x, y)

    def text(self, element_id: str) -> str:
        return self.node(element_id).text

    def attribute(self, element_id: str, name: str) -> str | None:
        return self.node(element_id).attribute(name)

    def rect(self, element_id: str) -> dict[str, int]:
        x1, y1, x2, y2 = self.node(element_id).bounds
        return {"x": x1, "y": y1, "width": x2 - x1, "height": y2 - y1}

    def send_keys(self, element_id: str, text: str) -> None:
        node = self.node(element_id)
        if node.cls != "android.widget.EditText":
            raise InvalidElementState(f"Cannot set the element to {text!r}. Did you interact with the correct element?")

    def clear(self, element_id: str) -> None:
        node = self.node(element_id)
        if node.cls != "android.widget.EditText":
            raise InvalidElementState("Cannot clear the element: it is not an editable field")

    def element_screenshot(self, element_id: str) -> bytes:
        from simulator.ui.painter import paint_element

        node = self.node(element_id)
        return paint_element(self._screen_root(), node)

    def _screen_root(self) -> Node:
        root = Node("android.widget.FrameLayout", key="screen")
        root.children = list(self.device.windows())  # painted in order; parents left untouched
        return root

    def screenshot(self) -> bytes:
        from simulator.ui.painter import paint

        return paint(self._screen_root())

    def source(self) -> str:
        return locate.SourceTree(self._windows_for_search()).xml()

    # --- W3C actions --------------------------------------------------------------------------
    def perform_actions(self, sources: Any) -> None:
        """Pointer input: a press and release in place is a tap; one that moves is a swipe."""
        if not isinstance(sources, list):
            raise InvalidArgument("'actions' must be a list of input sources")
        for source in sources:
            if not isinstance(source, dict) or "type" not in source:
                raise InvalidArgument("each input source needs a 'type'")
            if source["type"] == "pointer":
                self._pointer(source.get("actions") or [])
            elif source["type"] not in ("key", "none", "wheel"):
                raise InvalidArgument(f"unknown input source type {source['type']!r}")

    def _origin_point(self, action: dict, current: tuple[float, float]) -> tuple[float, float]:
        x, y = action.get("x", 0), action.get("y", 0)
        if not isinstance(x, int | float) or not isinstance(y, int | float):
            raise InvalidArgument("pointerMove needs numeric x and y")
        origin = action.get("origin", "viewport")
        if origin == "viewport":
            return float(x), float(y)
        if origin == "pointer":
            return current[0] + x, current[1] + y
        if isinstance(origin, dict) and (origin.get(ELEMENT_KEY) or origin.get("ELEMENT")):
            cx, cy = self.node(origin.get(ELEMENT_KEY) or origin["ELEMENT"]).center
            return cx + x, cy + y
        raise InvalidArgument(f"unknown pointerMove origin {origin!r}")

    def _pointer(self, actions: list) -> None:
        position = (0.0, 0.0)
        down_at: tuple[float, float] | None = None
        for action in actions:
            kind = action.get("type") if isinstance(action, dict) else None
            if kind == "pointerMove":
                position = self._origin_point(action, position)
            elif kind == "pointerDown":
                down_at = position
            elif kind == "pointerUp" and down_at is not None:
                dx, dy = position[0] - down_at[0], position[1] - down_at[1]
                if abs(dx) < 20 and abs(dy) < 20:
                    self.device.tap(*down_at)
                else:
                    # A finger moving up shows what is further down the list.
                    self.device.scroll(down_at[0], down_at[1], -dy)
                down_at = None
            elif kind not in ("pause", "pointerCancel"):
                raise InvalidArgument(f"unknown pointer action {kind!r}")

    # --- mobile: execute methods ------------------------------------------------------------
    def execute(self, script: str, args: list) -> Any:
        if not isinstance(script, str) or not isinstance(args, list):
            raise InvalidArgument("'script' must be a string and 'args' a list")
        name = script.strip().removeprefix("mobile:").strip()
        if not script.strip().startswith("mobile:") or name not in self.mobile:
            supported = ", ".join(f"'mobile: {n}'" for n in self.mobile)
            raise UnknownMethod(f"Unsupported execute method '{script}'. Only {supported} are supported")
        params = args[0] if args else {}
        if not isinstance(params, dict):
            raise InvalidArgument(f"'{script}' takes one object of named arguments")
        return self.mobile[name](params)

    def _area(self, params: dict) -> tuple[float, float, float]:
        """(x, y, height) of the element or the left/top/width/height area a gesture names."""
        element_id = params.get("elementId") or params.get("element")
        if element_id:
            x1, y1, x2, y2 = self.node(element_id).bounds
            return (x1 + x2) / 2, (y1 + y2) / 2, y2 - y1
        try:
            left, top = float(params["left"]), float(params["top"])
            width, height = float(params["width"]), float(params["height"])
        except (KeyError, TypeError, ValueError):
            raise InvalidArgument("give either 'elementId' or numeric 'left', 'top', 'width' and 'height'") from None
        return left + width / 2, top + height / 2, height

    def _direction_percent(self, params: dict) -> tuple[str, float]:
        direction = str(params.get("direction", "")).lower()
        if direction not in ("up", "down", "left", "right"):
            raise InvalidArgument("'direction' must be one of up, down, left, right")
        percent = params.get("percent", 1.0)
        if not isinstance(percent, int | float) or not 0 < percent <= 1:
            raise InvalidArgument("'percent' must be a number above 0 and at most 1")
        return direction, float(percent)

    def _click_gesture(self, params: dict) -> None:
        element_id = params.get("elementId") or params.get("element")
        if element_id:
            x, y = self.node(element_id).center
        else:
            if not isinstance(params.get("x"), int | float) or not isinstance(params.get("y"), int | float):
                raise InvalidArgument("'mobile: clickGesture' needs 'elementId' or numeric 'x' and 'y'")
            x, y = params["x"], params["y"]
        self.device.tap(x, y)

    def _scroll_gesture(self, params: dict) -> bool:
        x, y, height = self._area(params)
        direction, percent = self._direction_percent(params)
        if direction in ("left", "right"):
            return False
        dy = height * percent * (1 if direction == "down" else -1)
        self.device.scroll(x, y, dy)
        node = self.device.node_at(x, y)
        return bool(node and self.device.can_scroll(node, forward=dy > 0))

    def _swipe_gesture(self, params: dict) -> None:
        x, y, height = self._area(params)
        direction, percent = self._direction_percent(params)
        if direction in ("up", "down"):
            self.device.scroll(x, y, height * percent * (1 if direction == "up" else -1))

    def _app_id(self, params: dict) -> str:
        app_id = params.get("appId") or params.get("bundleId")
        if not isinstance(app_id, str) or not app_id:
            raise InvalidArgument("'appId' is required")
        return app_id

    def _activate_app(self, params: dict) -> None:
        app_id = self._app_id(params)
        if app_id != self.device.package:
            raise UnknownError(f"Cannot start the '{app_id}' application: it is not installed on the device")
        self.device.launch()

    def _terminate_app(self, params: dict) -> bool:
        app_id = self._app_id(params)
        return app_id == self.device.package and self.device.terminate()

    def _query_app_state(self, params: dict) -> int:
        app_id = self._app_id(params)
        return self.device.app_state if app_id == self.device.package else NOT_INSTALLED

    def _press_key(self, params: dict) -> None:
        keycode = params.get("keycode")
        if keycode == KEYCODE_BACK:
            self.device.back()
        elif keycode == KEYCODE_HOME:
            self.device.home()
        elif not isinstance(keycode, int):
            raise InvalidArgument("'keycode' must be an Android key code, e.g. 4 for BACK or 3 for HOME")

    def _advance_clock(self, params: dict) -> str:
        units = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
        seconds = 0.0
        for unit, factor in units.items():
            value = params.get(unit, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidArgument(f"'mobile: simAdvanceClock' {unit} must be a number >= 0")
            seconds += value * factor
        self.device.model.advance_clock(seconds)
        self.device.version += 1
        return self.device.model.clock.isoformat()

    # --- about the session -------------------------------------------------------------------
    def device_info(self) -> dict[str, Any]:
        return {
            "manufacturer": "TikTokSim",
            "model": "Virtual TikTok device",
            "brand": "sim",
            "platformVersion": "14",
            "apiVersion": "34",
            "realDisplaySize": "1080x2400",
            "displayDensity": 420,
            "locale": self.device.words.locale,  # Locale.getDefault().toString(), as UiAutomator2's server answers
            "timeZone": self.device.words.time_zone,
            "appVersion": self.device.variant.app_version,
            "uiVariant": self.device.variant.name,
            "world": self.world.name,
            "clock": self.device.model.clock.isoformat(),
        }

    def stats_json(self) -> dict[str, Any]:
        data = self.stats.to_json()
        data["faults"] = dict(self.faults.injected)
        data["taps"] = self.device.taps
        return data

    def element_displayed(self, element_id: str) -> bool:
        return self.node(element_id).displayed

    def require_interactable(self, element_id: str) -> Node:
        node = self.node(element_id)
        if not node.displayed:
            raise ElementNotInteractable("The element is not displayed")
        return node
