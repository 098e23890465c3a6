"""One Appium session on the virtual device as Android answers: UiAutomator2's finds, gestures and execute methods.

What every face shares (the fault gate, element ids and the find loop, the `mobile:` table, W3C actions, stats) is
in simulator.session_core; this module is the Android face: UiAutomator2's locators over the device's windows,
its page source, its `mobile:` gestures, and the Android driver's app commands.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tiktok_promo.simulator import css, elements, locate, uiselector
from tiktok_promo.simulator.elements import ELEMENT_KEY, element_ref
from tiktok_promo.simulator.errors import (
    InvalidArgument,
    InvalidElementState,
    InvalidSelector,
    NoSuchElement,
    UiSelectorSyntaxError,
    UnknownCommand,
    UnknownError,
)
from tiktok_promo.simulator.faults import FaultPlan
from tiktok_promo.simulator.mobile_device import mobile_methods
from tiktok_promo.simulator.pointer import TouchSlop
from tiktok_promo.simulator.session_core import SessionCore
from tiktok_promo.simulator.stats import Stats
from tiktok_promo.simulator.ui.node import ATTRIBUTE_NAMES, Node, UnknownAttribute
from tiktok_promo.simulator.world import World

__all__ = ["ELEMENT_KEY", "Session", "Stats", "element_ref"]

AREA = ("elementId", "left", "top", "width", "height")
LONG_PRESS_MS = 500  # ViewConfiguration's long-press timeout: a press held this long is not a tap
FLING_PX_PER_MS = 1.0  # a release faster than this keeps the list moving (Android's fling)
DEFAULT_SETTINGS = {
    "allowInvisibleElements": False,
    "enableMultiWindows": False,
    "ignoreUnimportantViews": False,
    "waitForIdleTimeout": 10000,
    "waitForSelectorTimeout": 10000,
    "actionAcknowledgmentTimeout": 3000,
    "scrollAcknowledgmentTimeout": 200,
    "shouldUseCompactResponses": True,
    "limitXPathContextScope": True,
}


DRIVER_NAME = "AndroidUiautomator2Driver"  # the class the UiAutomator2 driver's errors name


class Session(SessionCore):
    """An Android session: UiAutomator2's settings, finds over the active window, and the Android driver's map."""

    platform = "Android"
    driver_name = DRIVER_NAME
    touch_slop = TouchSlop(distance=20, long_press_ms=LONG_PRESS_MS)

    def __init__(self, caps: dict[str, Any], world: World, plan: FaultPlan, transitions: bool = True) -> None:
        super().__init__(caps, world, plan, transitions)
        self.swipes = 0  # swipes made by UiScrollable finds since the last take_swipes()
        self.settings = dict(DEFAULT_SETTINGS)
        # Initial settings as capabilities, `appium:settings[name]` (Appium applies them at session start:
        # appium/appium pull 12440), e.g. waitForIdleTimeout before the first command waits for idle.
        self.settings.update({key[len("settings["):-1]: value for key, value in caps.items()
                              if key.startswith("settings[") and key.endswith("]")})
        # Elements whose last find was a UiSelector's: on UiAutomator2 such an element is a UiObject, which
        # searches the screen again for every read and tap (appium-uiautomator2-server, UiObjectElement.java);
        # one found by accessibility id, id or class name is a UiObject2 that holds its node.
        self.selector_found: set[str] = set()
        if caps.get("autoLaunch", True):
            self.device.launch()
        # name -> (handler, required args, optional args): the execute-method map of the UiAutomator2
        # and Android drivers. Arguments outside both lists are dropped before the handler sees them.
        self.mobile: dict[str, tuple[Callable[[dict], Any], tuple[str, ...], tuple[str, ...]]] = {
            "clickGesture": (self._click_gesture, (), ("elementId", "x", "y")),
            "doubleClickGesture": (self._double_click_gesture, (), ("elementId", "x", "y")),
            "longClickGesture": (self._long_click_gesture, (), ("elementId", "x", "y", "duration")),
            "scrollGesture": (self._scroll_gesture, ("direction", "percent"), (*AREA, "speed")),
            "swipeGesture": (self._swipe_gesture, ("direction", "percent"), (*AREA, "speed")),
            "flingGesture": (self._fling_gesture, ("direction",), (*AREA, "speed")),
            "activateApp": (self._activate_app, ("appId",), ()),
            "terminateApp": (self._terminate_app, ("appId",), ("timeout",)),
            "queryAppState": (self._query_app_state, ("appId",), ()),
            "backgroundApp": (self._background_app, (), ("seconds",)),
            "getCurrentActivity": (lambda _: self.device.current_activity, (), ()),
            "getCurrentPackage": (lambda _: self.device.foreground_package, (), ()),
            "hideKeyboard": (lambda _: self.hide_keyboard(), (), ()),
            "isKeyboardShown": (lambda _: False, (), ()),
            "scroll": (self._mobile_scroll, ("strategy", "selector"), ("elementId", "maxSwipes")),
            "deviceInfo": (lambda _: self.device_info(), (), ()),
            "getContexts": (lambda _: self.contexts.mapping(), (), ("waitForWebviewMs",)),
        }
        self.mobile.update(self.sim_methods())
        self.mobile.update(mobile_methods(self))

    # --- phone-like costs -------------------------------------------------------------------
    def searches_beyond_one(self, route: str, body: Any, params: dict[str, Any], answer: Any) -> int:
        """How many more searches of the screen than one a command makes on UiAutomator2 (phone-like costs).

        - find_elements by UiSelector looks for instance 0, 1, 2... until one is missing
          (appium-uiautomator2-server, utils/ByUiAutomatorFinder.java, fetchElements): k matches, k + 1 searches;
          find_element makes one, and so do accessibility id, id and class name finds (one walk for all);
        - a read or a tap of an element a UiSelector found searches for it again (a UiObject re-resolves its
          selector for every operation; model/UiObjectElement.java).
        """
        using = body.get("using") if isinstance(body, dict) else None
        if route.endswith("/elements") and using in ("-android uiautomator", "css selector"):
            try:
                queries = uiselector.parse(str(body.get("value"))) if using == "-android uiautomator" else []
            except UiSelectorSyntaxError:
                return 0
            if queries and all(isinstance(q, uiselector.Selector) and q.instance is not None for q in queries):
                return len(queries) - 1  # an instance picked: one search each ("exactly one element")
            return len(answer) if isinstance(answer, list) else 0
        element_id = params.get("eid")
        if element_id is None and route.endswith("/execute/sync") and isinstance(body, dict):
            args = body.get("args") or [{}]
            element_id = args[0].get("elementId") if args and isinstance(args[0], dict) else None
        if element_id in self.selector_found and not route.endswith(("/element", "/elements")):
            return 1
        return 0

    # --- waiting for idle -------------------------------------------------------------------
    def wait_for_idle(self, busy_before: bool = False) -> None:
        """UiAutomator's waitForIdle, as the server calls it after an element click and before a page source or a
        find (appium-uiautomator2-server: handler/Click.java, AXWindowHelpers.resetAccessibilityCache): up to the
        waitForIdleTimeout setting (10,000 ms by default, settings/WaitForIdleTimeout.java), skipped at 0.

        The app is idle once the screen coming in rests; the feed plays a video and is never idle, so there the
        wait is the whole timeout (`busy_before`: the feed showed when a click began). The wait is real time in
        every run, latency or none: a client that leaves the setting at its default pays it."""
        timeout = self.settings.get("waitForIdleTimeout", 0)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            return
        busy = float("inf") if busy_before else self.device.idle_in()
        wait = min(float(timeout) / 1000, busy)
        if wait > 0:
            self.stats.idle_wait += wait
            time.sleep(wait)


    # --- elements -------------------------------------------------------------------------
    def _element_roots(self) -> list[Node]:
        return [*self.device.windows(), *self.device.toasts(), *self.device.system_windows()]

    def _windows_for_search(self) -> list[Node]:
        windows = self.device.windows()
        if not self.settings.get("enableMultiWindows"):
            return windows[-1:]
        # Every window, Android's own too: its status bar first and its navigation bar last, as a phone lists them.
        system = self.device.system_windows()
        return [*system[:1], *windows, *system[1:]]

    def _source_tree(self, scope: Node | None = None) -> locate.SourceTree:
        return locate.SourceTree(self._windows_for_search(), self.device.toasts(),
                                 landscape=self.orientation == "LANDSCAPE", scope=scope)

    def _locate_once(self, using: str, value: str, parent_id: str | None) -> list[Node]:
        windows = self._windows_for_search()
        if using == "xpath":
            scope = self.node(parent_id) if parent_id is not None else None
            if scope is not None and self.settings.get("limitXPathContextScope") is False:
                return self._source_tree().xpath(value, context=scope)  # the old way: the whole page, from it
            return self._source_tree(scope).xpath(value)
        if parent_id is not None:
            root = self.node(parent_id)
            if using == "-android uiautomator":
                return self._uiautomator(value, [root], below=True)
            return locate.find_in(using, value, root, self.device.package, below=True)
        if using == "-android uiautomator":
            return self._uiautomator(value, windows)
        found: list[Node] = []
        for window in windows:
            found.extend(locate.find_in(using, value, window, self.device.package))
        return found

    def _uiautomator(self, value: str, roots: list[Node], below: bool = False) -> list[Node]:
        found: list[Node] = []
        for query in locate.parse_uiautomator(value):
            if isinstance(query, uiselector.ScrollIntoView):
                nodes = self._scrollable(query)
            else:
                nodes = [n for r in roots for n in uiselector.find(query, r, include_root=not below)]
            found.extend(n for n in nodes if n not in found)
        return found

    def _swipe(self, x: float, y: float, dy: float) -> bool:
        """One swipe a UiScrollable makes inside a find; counted, for a phone charges each (see take_swipes)."""
        self.swipes += 1
        return self.device.scroll(x, y, dy)

    def take_swipes(self) -> int:
        """The swipes the last command's UiScrollable made, and start counting again. On a phone each is a
        gesture that waits for the list to settle (androidx.test.uiautomator UiScrollable.scrollIntoView:
        scrollToBeginning, then one scrollForward at a time until the view shows), so a row found from the
        top of a long list costs a swipe per screen above it, every time."""
        swipes, self.swipes = self.swipes, 0
        return swipes

    def _scrollable(self, query: uiselector.ScrollIntoView) -> list[Node]:
        """A UiScrollable chain: scroll as its methods say, then answer the last UiObject it yields.

        As UiScrollableParser does, a chain whose methods return no UiObject (scrollForward(),
        scrollToEnd(5)...) answers the scrollable itself.
        """
        def containers() -> list[Node]:
            return uiselector.find(query.scrollable, self.device.active_window())

        for step in query.steps:
            found = containers()
            if not found:
                return []
            box = found[0]
            x, y = box.center
            height = box.bounds[3] - box.bounds[1]
            page = int(height * 0.8)
            match step.name:
                case "scrollForward" | "flingForward":
                    self._swipe(x, y, page if step.name == "scrollForward" else page * 3)
                case "scrollBackward" | "flingBackward":
                    self._swipe(x, y, -page if step.name == "scrollBackward" else -page * 3)
                case "scrollToEnd" | "flingToEnd":
                    for _ in range(max(1, step.count)):
                        if not self._swipe(x, y, page):
                            break
                case "scrollToBeginning" | "flingToBeginning":
                    for _ in range(max(1, step.count)):
                        if not self._swipe(x, y, -page):
                            break
                case "scrollIntoView" if step.target is not None:
                    if not self._scroll_until(query, step.target, x, y, page, step.count):
                        return []
                case "getChild" | "getChildByText" | "getChildByDescription" | "getChildByInstance":
                    if step.scroll_to is not None and not self._scroll_until(query, step.scroll_to, x, y, page,
                                                                             query.max_swipes):
                        return []
        found = containers()
        if query.result is query.scrollable:
            return found[:1]
        return [n for box in found[:1] for n in uiselector.find(query.result, box, include_root=False)]

    def _scroll_until(self, query: uiselector.ScrollIntoView, target: uiselector.Selector, x: int, y: int,
                      page: int, swipes: int) -> bool:
        """UiScrollable.scrollIntoView: if not on screen, from the top page forward until it shows."""
        def shown() -> bool:
            boxes = uiselector.find(query.scrollable, self.device.active_window())
            return any(uiselector.find(target, box, include_root=False) for box in boxes[:1])

        if shown():
            return True
        while self._swipe(x, y, -page):  # scrollToBeginning: backward, a page a swipe, until it cannot move
            pass
        for _ in range(swipes + 1):
            if shown():
                return True
            if not self._swipe(x, y, page):
                return shown()
        return False

    def find(self, using: str, value: str, parent_id: str | None, multiple: bool) -> Any:
        """Find one or many elements, waiting up to the implicit wait as the driver does."""
        if not isinstance(using, str) or not isinstance(value, str):
            raise InvalidArgument("'using' and 'value' must be strings")
        if not value:
            # android-driver findElOrEls throws a plain Error, which Appium answers as an unknown error
            raise UnknownError("An unknown server-side error occurred while processing the command. "
                               "Original error: Must provide a selector when finding elements")
        if using not in locate.STRATEGIES:
            # android-driver's validateLocatorStrategy, before anything reaches the device
            raise InvalidSelector(f"Locator Strategy '{using}' is not supported for this session")
        if using == "css selector":
            # The driver converts CSS with its own appPackage option ('android' when none was given).
            using, value = "-android uiautomator", css.to_uiselector(value, self.caps.get("appPackage") or "")
        if parent_id is None:
            with self.lock:
                self.wait_for_idle()

        def look() -> list[dict[str, str]]:
            nodes = self._locate_once(using, value, parent_id)
            ids = [self._id_for(n) for n in nodes]
            if using == "-android uiautomator":
                self.selector_found.update(ids)
            else:
                self.selector_found.difference_update(ids)
            return [element_ref(i) for i in ids]

        return elements.find_answer(self, look, multiple)

    # --- element commands ---------------------------------------------------------------
    def click(self, element_id: str) -> None:
        node = self.node(element_id)
        # UiAutomator2 clicks at the visible centre: whatever is on top there gets the tap.
        x, y = node.center
        busy = self.device.idle_in() == float("inf")
        self.device.tap(x, y)
        self.wait_for_idle(busy_before=busy)

    def text(self, element_id: str) -> str:
        return self.node(element_id).text

    def element_name(self, element_id: str) -> str:
        return self.node(element_id).cls

    def displayed(self, element_id: str) -> bool:
        return self.node(element_id).displayed

    def enabled(self, element_id: str) -> bool:
        return self.node(element_id).enabled

    def selected(self, element_id: str) -> bool:
        return self.node(element_id).selected

    def back(self) -> None:
        """Android's BACK key."""
        self.device.back()

    def window_size(self) -> dict[str, int]:
        width, height = self.device.size
        if self.orientation == "LANDSCAPE":
            width, height = height, width
        return {"x": 0, "y": 0, "width": width, "height": height}

    def serves(self, route: str) -> bool:
        return "/alert" not in route  # UiAutomator2 has no alert commands (its driver answers unknown command)

    def attribute(self, element_id: str, name: str) -> str | None:
        node = self.node(element_id)
        try:
            return node.attribute(name)
        except UnknownAttribute:
            raise UnknownCommand(
                f"'{name}' attribute is unknown for the element. Only the following attributes are supported: "
                f"{', '.join(ATTRIBUTE_NAMES)}"
            ) from None

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

    def hide_keyboard(self) -> bool:
        # No field of the app takes text input here, so the keyboard is never up: the driver's
        # hideKeyboard then answers false (nothing to hide) rather than failing.
        return False

    def element_screenshot(self, element_id: str) -> bytes:
        from tiktok_promo.simulator.ui.painter import paint_element

        node = self.node(element_id)
        return paint_element(self._screen_root(), node)

    def screen_nodes(self) -> int:
        """How many nodes the page source of the screen now holds (what a dump or a search walks)."""
        return sum(1 for window in self._windows_for_search() for _ in window.walk())

    def _screen_root(self) -> Node:
        root = Node("android.widget.FrameLayout", key="screen")
        root.children = list(self.device.windows())  # painted in order; parents left untouched
        toast = self.device.toasts()
        if toast:
            root.children.extend(toast)
        return root

    def screenshot(self) -> bytes:
        from tiktok_promo.simulator.ui.painter import paint

        return paint(self._screen_root())

    def _kept_screen(self) -> Callable[[], bytes]:
        """The screen as it is now, to be drawn later (a recording draws only what is fetched): the windows are
        new objects whenever the screen changes, so the ones shown now keep what was on screen."""
        from tiktok_promo.simulator.ui.painter import paint

        root = self._screen_root()
        return lambda: paint(root)

    def source(self) -> str:
        self.wait_for_idle()
        return self._source_tree().xml()


    # --- where W3C actions land (simulator.pointer) --------------------------------------------
    def element_center(self, element_id: str) -> tuple[float, float]:
        return self.node(element_id).center

    def tap(self, x: float, y: float) -> None:
        self.device.tap(x, y)

    def swipe(self, start: tuple[float, float], end: tuple[float, float], last_move_ms: float,
              last_move_distance: float) -> None:
        # A finger moving up shows what is further down the list; released fast, it flings on.
        speed = last_move_distance / last_move_ms if last_move_ms > 0 else float("inf")
        momentum = 1.0 if speed <= FLING_PX_PER_MS else min(3.0, 1.0 + speed / 4)
        self.device.scroll(start[0], start[1], -(end[1] - start[1]) * momentum)

    # --- mobile: execute methods ------------------------------------------------------------
    def _area(self, params: dict) -> tuple[float, float, float, float]:
        """(left, top, width, height) of the element or the area a gesture names."""
        element_id = params.get("elementId")
        if element_id:
            x1, y1, x2, y2 = self.node(element_id).bounds
            return x1, y1, x2 - x1, y2 - y1
        try:
            box = tuple(float(params[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            raise InvalidArgument("Either the elementId or the left, top, width and height of the area "
                                  "must be provided") from None
        return box  # type: ignore[return-value]

    def _direction_percent(self, params: dict) -> tuple[str, float]:
        direction = str(params.get("direction", "")).lower()
        if direction not in ("up", "down", "left", "right"):
            raise InvalidArgument("'direction' must be one of up, down, left, right")
        percent = params.get("percent")
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 < percent <= 1:
            raise InvalidArgument("'percent' must be a number above 0 and at most 1")
        return direction, float(percent)

    def _gesture_point(self, params: dict, name: str) -> tuple[float, float]:
        """Where a click-like gesture lands: x/y from the element's top-left, or its centre, or the screen."""
        element_id = params.get("elementId")
        x, y = params.get("x"), params.get("y")
        point = (float(x), float(y)) if isinstance(x, int | float) and isinstance(y, int | float) else None
        if element_id:
            node = self.node(element_id)
            if point is not None:
                return node.bounds[0] + point[0], node.bounds[1] + point[1]
            return node.center
        if point is None:
            raise InvalidArgument(f"'mobile: {name}' needs 'elementId' or numeric 'x' and 'y'")
        return point

    def _click_gesture(self, params: dict) -> None:
        self.device.tap(*self._gesture_point(params, "clickGesture"))

    def _double_click_gesture(self, params: dict) -> None:
        x, y = self._gesture_point(params, "doubleClickGesture")
        self.device.tap(x, y)
        self.device.tap(x, y)

    def _long_click_gesture(self, params: dict) -> None:
        self._gesture_point(params, "longClickGesture")  # validates; no view of the app has a long-click action

    def _scroll_gesture(self, params: dict) -> bool:
        left, top, width, height = self._area(params)
        direction, percent = self._direction_percent(params)
        if direction in ("left", "right"):
            return False
        x, y = left + width / 2, top + height / 2
        dy = height * percent * (1 if direction == "down" else -1)
        self.device.scroll(x, y, dy)
        node = self.device.node_at(x, y)
        return bool(node and self.device.can_scroll(node, forward=dy > 0))

    def _swipe_gesture(self, params: dict) -> None:
        left, top, width, height = self._area(params)
        direction, percent = self._direction_percent(params)
        if direction in ("up", "down"):
            x, y = left + width / 2, top + height / 2
            self.device.scroll(x, y, height * percent * (1 if direction == "up" else -1))

    def _fling_gesture(self, params: dict) -> bool:
        left, top, width, height = self._area(params)
        direction = str(params.get("direction", "")).lower()
        if direction not in ("up", "down", "left", "right"):
            raise InvalidArgument("'direction' must be one of up, down, left, right")
        if direction in ("left", "right"):
            return False
        x, y = left + width / 2, top + height / 2
        dy = height * 3 * (1 if direction == "up" else -1)  # a fling carries on past the finger
        self.device.scroll(x, y, dy)
        node = self.device.node_at(x, y)
        return bool(node and self.device.can_scroll(node, forward=dy > 0))

    def _mobile_scroll(self, params: dict) -> None:
        """mobile: scroll: UiScrollable(scrollable(true).instance(0)).scrollIntoView(the selector), as the server's
        ScrollTo does; NoSuchElement ("Cannot scroll to ...") when the swipes run out."""
        strategy, selector = params["strategy"], params["selector"]
        if not strategy or not selector or not isinstance(selector, str):
            raise InvalidArgument("Both strategy and selector arguments must be provided")
        if strategy == "accessibility id":
            target = uiselector.Selector((("description", selector),))
        elif strategy == "class name":
            target = uiselector.Selector((("className", selector),))
        elif strategy == "-android uiautomator":
            queries = locate.parse_uiautomator(selector)
            target = queries[0].result if isinstance(queries[0], uiselector.ScrollIntoView) else queries[0]
        else:
            raise InvalidArgument(f"Unsupported strategy: '{strategy}'. The only supported strategies are: "
                                  "[accessibility id, class name, -android uiautomator].")
        scrollable = uiselector.Selector((("scrollable", True),), 0)
        swipes = params.get("maxSwipes")
        swipes = swipes if isinstance(swipes, int) and not isinstance(swipes, bool) and swipes > 0 else 30
        step = uiselector.ScrollStep("scrollIntoView", swipes, target)
        query = uiselector.ScrollIntoView(scrollable, target, (step,))
        if params.get("elementId"):
            self.node(params["elementId"])  # the origin must still be there
        if not self._scrollable(query):
            raise NoSuchElement(f"Cannot scroll to {selector}")


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
            "appVersion": self.device.release.app_version,
            "release": self.device.release.name,
            "uiVariant": self.device.release.name,  # the release's older name, for clients that read it
            "world": self.world.name,
            "clock": self.device.model.clock.isoformat(),
        }

