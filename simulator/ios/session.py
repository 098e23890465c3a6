"""An Appium session on the virtual device's iOS face: the XCUITest driver in front of WebDriverAgent.

What the client sees is what the XCUITest driver answers, which is mostly what WDA answers, with the driver's own
turns (lib/commands/*.ts of appium-xcuitest-driver): a find retries under the implicit wait and swallows every
WDA error, so a bad predicate or class chain is "no such element", not "invalid selector"; an attribute that is a
boolean or the numbers 0 and 1 comes back as the string "true" / "false"; `back` taps the navigation bar's
button labelled "Back", or else its first button, and says nothing when there is no bar.

The screen is the device's (simulator.device.Device, shared with the Android face), read through
simulator.ios.tree; system alerts (the permission prompts) are SpringBoard's, outside the app's page source, and
WDA's alert commands and its autoAcceptAlerts / autoDismissAlerts monitor act on them, and on the app's own Alert.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from tiktok_promo.simulator import elements
from tiktok_promo.simulator.errors import (
    InvalidArgument,
    InvalidElementState,
    InvalidSelector,
    NoSuchAlert,
    NoSuchElement,
    UnknownError,
    UnsupportedOperation,
    WebDriverError,
)
from tiktok_promo.simulator.execute import MobileMethod
from tiktok_promo.simulator.faults import FaultPlan
from tiktok_promo.simulator.ios import classchain, predicate
from tiktok_promo.simulator.ios.screen_recording import IosScreenRecording
from tiktok_promo.simulator.ios.source import Document
from tiktok_promo.simulator.ios.tree import (
    HEIGHT_PT,
    PREFIX,
    SCALE,
    WD_ATTRIBUTE_NAMES,
    WIDTH_PT,
    Translator,
    XElement,
    system_alert,
    to_pixels,
)
from tiktok_promo.simulator.motion import IOS_DURATIONS_MS
from tiktok_promo.simulator.pointer import TouchSlop
from tiktok_promo.simulator.session_core import SessionCore
from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.ui.releases import plain_screens_of
from tiktok_promo.simulator.world import World

DRIVER_NAME = "XCUITestDriver"
APP_NAME = "TikTok"
SPRINGBOARD_NAME, SPRINGBOARD = " ", "com.apple.springboard"  # SpringBoard's Application element is labelled " "
WORDS_FILE = Path(__file__).with_name("words.yaml")
# The XCUITest driver's locator strategies (lib/driver.ts locatorStrategies); css selector is not served here.
STRATEGIES = ("xpath", "id", "name", "class name", "-ios predicate string", "-ios class chain", "accessibility id")
SYSTEM_ALERTS = ("notifications", "tracking")  # the pop-up kinds iOS itself shows (SpringBoard's alerts)
DIRECTIONS = ("up", "down", "left", "right")
SHEET_DISMISS_PT = 150  # how far down a sheet must be pulled to close (a guess at UIKit's threshold)
# The routes the XCUITest driver serves that this face answers (the Android-only ones are unknown commands).
_ROUTES = {
    "GET /session/:sid", "DELETE /session/:sid", "GET /session/:sid/timeouts", "POST /session/:sid/timeouts",
    "POST /session/:sid/element", "POST /session/:sid/elements", "POST /session/:sid/element/:eid/element",
    "POST /session/:sid/element/:eid/elements", "POST /session/:sid/element/:eid/click",
    "POST /session/:sid/element/:eid/clear", "POST /session/:sid/element/:eid/value",
    "GET /session/:sid/element/:eid/text", "GET /session/:sid/element/:eid/name",
    "GET /session/:sid/element/:eid/attribute/:name", "GET /session/:sid/element/:eid/property/:name",
    "GET /session/:sid/element/:eid/displayed", "GET /session/:sid/element/:eid/enabled",
    "GET /session/:sid/element/:eid/selected", "GET /session/:sid/element/:eid/rect",
    "GET /session/:sid/element/:eid/screenshot", "GET /session/:sid/source", "GET /session/:sid/screenshot",
    "POST /session/:sid/back", "POST /session/:sid/actions", "DELETE /session/:sid/actions",
    "POST /session/:sid/execute/sync", "POST /session/:sid/execute/async", "GET /session/:sid/window/rect",
    "GET /session/:sid/window/:handle/size", "GET /session/:sid/appium/settings",
    "POST /session/:sid/appium/settings", "GET /session/:sid/orientation", "POST /session/:sid/orientation",
    "POST /session/:sid/appium/device/activate_app", "POST /session/:sid/appium/device/terminate_app",
    "POST /session/:sid/appium/device/app_state", "POST /session/:sid/appium/device/hide_keyboard",
    "GET /session/:sid/appium/device/is_keyboard_shown", "GET /session/:sid/context", "GET /session/:sid/contexts",
    "POST /session/:sid/context", "GET /session/:sid/sim/stats", "GET /session/:sid/sim/ledger",
    "POST /session/:sid/sim/clock", "GET /session/:sid/alert/text", "POST /session/:sid/alert/text",
    "POST /session/:sid/alert/accept", "POST /session/:sid/alert/dismiss",
    "GET /session/:sid/appium/device/system_time", "GET /session/:sid/element/:eid/location",
    "GET /session/:sid/element/:eid/size", "GET /session/:sid/element/:eid/location_in_view",
    "POST /session/:sid/appium/app/background", "POST /session/:sid/appium/start_recording_screen",
    "POST /session/:sid/appium/stop_recording_screen",
}
# WDA's settings as the XCUITest driver lists them (the ones a harness may read or set).
DEFAULT_SETTINGS: dict[str, Any] = {
    "defaultActiveApplication": "auto", "respectSystemAlerts": False, "shouldUseCompactResponses": True,
    "elementResponseAttributes": "type,label", "snapshotMaxDepth": 50, "waitForIdleTimeout": 10,
    "animationCoolOffTimeout": 2, "limitXPathContextScope": True, "acceptAlertButtonSelector": "",
    "dismissAlertButtonSelector": "", "autoClickAlertSelector": "", "includeHittableInPageSource": False,
}


@cache
def ios_words() -> dict[str, Any]:
    with WORDS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _class_name(selector: str) -> str:
    """The XCUITest driver's rewrite of a class name (find.ts): UIA prefix off, XCUIElementType on, View off."""
    if selector.startswith("UIA"):
        selector = selector[3:]
    if not selector.startswith(PREFIX):
        selector = _strip_view(PREFIX + selector)
    return selector


def _strip_view(selector: str) -> str:
    keep = (f"{PREFIX}ScrollView", f"{PREFIX}CollectionView", f"{PREFIX}TextView", f"{PREFIX}WebView")
    if selector not in keep and selector.endswith("View"):
        return selector[:-4]
    return selector


class IosSession(SessionCore):
    """An iOS session: WDA's element tree over the device's screen, its finds, alerts and `mobile:` methods."""

    platform = "iOS"
    driver_name = DRIVER_NAME
    app_argument = "bundleId"
    app_noun = "the bundle identifier of an application"
    not_installed = ("An unknown server-side error occurred while processing the command. Original error: "
                     "The application '{app}' is not installed on the device")
    touch_slop = TouchSlop(distance=10, long_press_ms=500)  # points: about what UIKit lets slip before a pan

    def __init__(self, caps: dict[str, Any], world: World, plan: FaultPlan, transitions: bool = True) -> None:
        super().__init__(caps, world, plan, transitions)
        self.device.ui = plain_screens_of(world.release)
        self.device.popup_kinds = frozenset({*self.device.popup_kinds, *SYSTEM_ALERTS})
        # UIKit's timing: a push, a sheet and an alert take a little longer than Android's, and an element's frame is
        # its whole frame wherever it passes (WDA's wdFrame is XCTest's frame, not cut at the screen's edge).
        self.device.durations_ms = IOS_DURATIONS_MS
        self.device.clips = False
        self.bundle_id = str(caps.get("bundleId") or world.package)
        self.screen_recording = IosScreenRecording(self._kept_screen, self.log_event, self._screen_objects)
        self.settings = dict(DEFAULT_SETTINGS)
        # The driver hands `appium:waitForIdleTimeout` to WDA's new session, which applies it before it launches the
        # app (lib/commands/wda/startup.ts; FBSessionCommands.m applyConfigurationFromCapabilities), so the launch
        # waits that long at most; `appium:settings[...]` Appium applies once the session exists, after the launch
        # (appium/appium packages/appium/lib/appium.ts, createSession).
        if "waitForIdleTimeout" in caps:
            self.settings["waitForIdleTimeout"] = caps["waitForIdleTimeout"]
        # WDA's session.defaultAlertAction: the alerts monitor accepts or dismisses every alert it sees.
        self.alert_action = "accept" if caps.get("autoAcceptAlerts") else (
            "dismiss" if caps.get("autoDismissAlerts") else "")
        language = self.device.words.language
        words = ios_words()
        self.translator = Translator(words["back"].get(language, words["back"]["en"]))
        self._tree: tuple[tuple[list[Node], list[Node]], XElement] | None = None
        self.wda_errors: list[str] = []  # what WDA answered a find before the driver swallowed it
        if caps.get("autoLaunch", True):
            self.device.launch()
            self.wait_for_quiescence()  # XCUIApplication launch waits for the app to be idle
        self.settings.update({key[len("settings["):-1]: value for key, value in caps.items()
                              if key.startswith("settings[") and key.endswith("]")})
        self.mobile: dict[str, MobileMethod] = {
            "tap": (self._mobile_tap, ("x", "y"), ("elementId",)),
            "swipe": (self._mobile_swipe, ("direction",), ("velocity", "elementId")),
            "scroll": (self._mobile_scroll, (),
                       ("name", "direction", "predicateString", "toVisible", "distance", "elementId")),
            "alert": (self._mobile_alert, ("action",), ("buttonLabel",)),
            "activateApp": (self._activate_app, ("bundleId",), ()),
            "terminateApp": (self._terminate_app, ("bundleId",), ()),
            "queryAppState": (self._query_app_state, ("bundleId",), ()),
            "backgroundApp": (self._background_app, (), ("seconds",)),
            "deviceInfo": (lambda _: self.device_info(), (), ()),
            "getDeviceTime": (self.phone.device_time, (), ("format",)),
            "hideKeyboard": (lambda _: self.hide_keyboard(), (), ("keys",)),
            "isKeyboardShown": (lambda _: self.is_keyboard_shown(), (), ()),
            **self.sim_methods(),
        }

    def serves(self, route: str) -> bool:
        return route in _ROUTES

    # --- waiting for the app to be idle (XCTest's quiescence, as WDA tunes it) ------------------
    def _seconds(self, name: str) -> float:
        value = self.settings.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return 0.0
        return max(0.0, float(value))

    def wait_for_quiescence(self, cool_off: bool = False) -> None:
        """XCTest's wait for the app to be idle, as WDA tunes it (XCUIApplicationProcess+FBQuiescence.m): up to the
        `waitForIdleTimeout` setting (10 s by default), skipped at 0; on timeout XCTest goes on with the app as it
        is. `cool_off`: WDA's own wait before a page source or an XPath snapshot and after W3C actions
        (fb_waitUntilStableWithTimeout, XCUIElement+FBUtilities.m), up to `animationCoolOffTimeout` (2 s), made
        whatever waitForIdleTimeout says (it sets both for the wait), skipped only at 0.

        The app is idle once the screen coming in rests; the feed plays a video and is never idle, so there the wait
        is the whole timeout, screens in motion or not (sim:transitions), as on the Android face. Real time, counted
        in `simStats` `idle_wait_ms`."""
        timeout = self._seconds("animationCoolOffTimeout" if cool_off else "waitForIdleTimeout")
        if timeout <= 0:
            return
        wait = min(timeout, self.device.idle_in())
        if wait > 0:
            self.stats.idle_wait += wait
            time.sleep(wait)

    def _event(self, touch: Callable[[], None]) -> None:
        """An XCTest event (an element's tap, a coordinate's tap, a swipe): the app idle before it, the touch, and the
        app idle after it (XCTest's pre- and post-event quiescence, which WDA's swizzle bounds)."""
        self.wait_for_quiescence()
        touch()
        self.wait_for_quiescence()

    # --- the screen as WDA sees it ---------------------------------------------------------
    def tree(self) -> XElement:
        """The Application WDA reads now: the app's (rebuilt only when the screen changed), or SpringBoard's with
        its alert when the `respectSystemAlerts` setting is on and a system alert shows (FBSession.m)."""
        if self.settings.get("respectSystemAlerts") is True:
            alert = self.system_alert()
            if alert is not None:
                springboard = alert.parent.parent if alert.parent is not None else None
                if springboard is not None:
                    return springboard
        return self._app_tree()

    def _app_tree(self) -> XElement:
        # The device's windows are new objects whenever the screen changes: the ones read last say whether the tree
        # read from them still holds (kept here, so their identity cannot be reused by new ones).
        windows = self.device.windows()  # the home screen's when the app is not in front
        toasts = self.device.toasts()
        if self._tree is not None:
            (seen_windows, seen_toasts), tree = self._tree
            if seen_windows is windows and len(seen_toasts) == len(toasts) and all(
                    a is b for a, b in zip(seen_toasts, toasts, strict=True)):
                return tree
        # With the app not in front, WDA's active application is SpringBoard (FBSession.m activeApplication).
        name = APP_NAME if self.device.in_foreground else SPRINGBOARD_NAME
        tree = self.translator.application(windows, toasts, name)
        self._tree = ((windows, toasts), tree)
        return tree

    @property
    def active_bundle(self) -> str:
        """The bundle of the application WDA reads: the app's, or SpringBoard's."""
        return self.bundle_id if self.tree().type == "Application" and self.tree().label == APP_NAME else SPRINGBOARD

    def system_alert(self) -> XElement | None:
        """The permission alert iOS shows over the app, if one is up (the latest of the device's pop-ups)."""
        if not self.device.in_foreground:
            return None
        kinds = [k for k in self.device.popups if k in SYSTEM_ALERTS]
        if not kinds:
            return None
        kind = kinds[-1]
        entry = ios_words()[kind]
        text = entry.get(self.device.words.language, entry["en"])
        return system_alert(kind, text["title"], text["message"], list(text["buttons"]))

    def _element_roots(self) -> list[Any]:
        alert = self.system_alert()
        return [self._app_tree(), *([alert] if alert is not None else [])]

    def screen_nodes(self) -> int:
        return sum(1 for _ in self.tree().walk())

    def app_alert(self) -> XElement | None:
        """What WDA's FBAlert finds: SpringBoard's alert first, else an Alert (or a Sheet) of the app."""
        alert = self.system_alert()
        if alert is not None:
            return alert
        return next((e for e in self._app_tree().walk() if e.type in ("Alert", "Sheet")), None)

    # --- the fault gate, and WDA's alerts monitor -------------------------------------------
    def before_command(self, looks_at_screen: bool) -> None:
        super().before_command(looks_at_screen)
        if self.alert_action:
            # FBAlertsMonitor ticks on WDA's main queue between commands and acts on any alert it sees, the
            # app's own included (FBAlertsMonitor.m, FBSession.m didDetectAlert).
            alert = self.app_alert()
            if alert is not None:
                self._press_alert(alert, accept=self.alert_action == "accept", label=None)

    # --- finds --------------------------------------------------------------------------------
    def find(self, using: str, value: str, parent_id: str | None, multiple: bool) -> Any:
        """Find as the XCUITest driver does: strategy rewritten, WDA asked under the implicit wait, errors
        swallowed (find.ts doNativeFind catches every error of a lookup and looks again)."""
        if not isinstance(using, str) or not isinstance(value, str):
            raise InvalidArgument("'using' and 'value' must be strings")
        if using not in STRATEGIES:
            # base-driver's validateLocatorStrategy, before anything reaches WDA
            raise InvalidSelector(f"Locator Strategy '{using}' is not supported for this session")
        if using == "class name":
            value = _class_name(value)
        elif using == "xpath":
            value = re.sub(r"(^|/)(UIA)([^\[/]+)", lambda m: m.group(1) + _strip_view(PREFIX + m.group(3)), value)

        def look() -> list[dict[str, str]]:
            # Each lookup is one WDA request: an XPath one waits out the cool-off before its snapshot (FBXPath.m
            # matchesWithRootElement), the others XCTest's quiescence while its query resolves (FBQuiescence.h).
            self.wait_for_quiescence(cool_off=using == "xpath")
            try:
                found = self._locate_once(using, value, parent_id)
            except WebDriverError as error:
                self.wda_errors.append(f"{error.error}: {error.message}")
                self.log_event("E", "WebDriverAgent", error.message)
                return []
            return [elements.element_ref(self._id_for(e)) for e in (found if multiple else found[:1])]

        return elements.find_answer(self, look, multiple)

    def _locate_once(self, using: str, value: str, parent_id: str | None) -> list[XElement]:
        root: XElement = self.node(parent_id) if parent_id is not None else self.tree()
        if using == "xpath":
            if parent_id is not None and self.settings.get("limitXPathContextScope") is False:
                return Document(self.tree(), self.active_bundle).xpath(value)
            return Document(root, self.active_bundle).xpath(value)
        if using == "class name":
            try:
                wanted = classchain.element_type(value)  # FBElementTypeTransformer: unknown prefixed names are Other
            except ValueError:
                raise InvalidArgument(f"Invalid argument for class used '{value}'. Did you mean {PREFIX}{value}?") \
                    from None
            return [e for e in root.walk() if wanted is None or e.type == wanted]
        if using == "-ios predicate string":
            test = predicate.compile_predicate(value)
            return [e for e in root.walk() if test(e)]
        if using == "-ios class chain":
            return classchain.find(value, root)
        # accessibility id, id, name: WDA's wdName (identifier, else label), self included
        return [e for e in root.walk() if e.name == value]

    # --- element commands ---------------------------------------------------------------
    def click(self, element_id: str) -> None:
        # [element tap] (FBElementCommands.m handleClick): XCTest taps at the element's hit point, an event
        element = self.node(element_id)
        self._event(lambda: self.tap(*element.center))

    def text(self, element_id: str) -> str:
        element = self.node(element_id)
        return element.wd_value or element.wd_label or ""

    def element_name(self, element_id: str) -> str:
        return str(self.node(element_id).wd_type)

    def displayed(self, element_id: str) -> bool:
        return bool(self.node(element_id).visible)

    def enabled(self, element_id: str) -> bool:
        return bool(self.node(element_id).enabled)

    def selected(self, element_id: str) -> bool:
        return bool(self.node(element_id).selected)

    def attribute(self, element_id: str, name: str) -> str | None:
        """getNativeAttribute of the driver over WDA's attribute: 0 and 1 read as booleans, anything not a string
        as its JSON (element.ts), a name WDA does not know an unknown error naming the valid ones."""
        element = self.node(element_id)
        try:
            value = element.wd_attribute(name)
        except KeyError:
            raise UnknownError(f"The attribute '{name}' is unknown. Valid attribute names are: "
                               f"({', '.join(WD_ATTRIBUTE_NAMES)})") from None
        if value in (0, 1) and not isinstance(value, str):
            value = bool(value)
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, separators=(",", ":"))

    def rect(self, element_id: str) -> dict[str, int]:
        x, y, w, h = self.node(element_id).rect
        return {"x": x, "y": y, "width": w, "height": h}

    def send_keys(self, element_id: str, text: str) -> None:
        element = self.node(element_id)
        if element.type not in ("TextField", "SecureTextField", "SearchField", "TextView"):
            raise InvalidElementState(f"Element type '{element.wd_type}' does not support text input")

    def clear(self, element_id: str) -> None:
        self.send_keys(element_id, "")

    def hide_keyboard(self) -> None:
        """No field of the app takes text here, so the keyboard is never up; WDA's dismiss then has nothing to do."""

    def is_keyboard_shown(self) -> bool:
        """keyboard.ts: a find of XCUIElementTypeKeyboard (under the implicit wait) that found something."""
        try:
            self.find("class name", "XCUIElementTypeKeyboard", None, False)
        except NoSuchElement:
            return False
        return True

    def source(self) -> str:
        self.wait_for_quiescence(cool_off=True)  # FBXPath.m xmlStringWithRootElement: waitUntilStableWithElement
        return Document(self.tree(), self.active_bundle).text()

    def screenshot(self) -> bytes:
        return self._kept_screen()()

    def element_screenshot(self, element_id: str) -> bytes:
        x, y, w, h = self.node(element_id).rect
        image = Image.open(io.BytesIO(self.screenshot()))
        box = (max(0, x * SCALE), max(0, y * SCALE), min(image.width, (x + w) * SCALE),
               min(image.height, (y + h) * SCALE))
        if box[2] <= box[0] or box[3] <= box[1]:
            box = (0, 0, 1, 1)
        out = io.BytesIO()
        image.crop(box).save(out, format="PNG")
        return out.getvalue()

    def _kept_screen(self) -> Callable[[], bytes]:
        """The screen as it is now, drawn at the iPhone's pixels (1179 x 2556) when asked."""
        from tiktok_promo.simulator.ui.painter import paint

        root = Node("android.widget.FrameLayout", key="screen")
        root.children = list(self.device.windows())
        root.children.extend(self.device.toasts())

        def draw() -> bytes:
            image = Image.open(io.BytesIO(paint(root))).convert("RGB")
            out = io.BytesIO()
            image.resize((WIDTH_PT * SCALE, HEIGHT_PT * SCALE)).save(out, format="PNG")
            return out.getvalue()

        return draw

    def window_size(self) -> dict[str, int]:
        return {"x": 0, "y": 0, "width": WIDTH_PT, "height": HEIGHT_PT}

    # --- touch -----------------------------------------------------------------------------
    def element_center(self, element_id: str) -> tuple[float, float]:
        return self.node(element_id).center

    def perform_actions(self, sources: Any) -> None:
        """W3C actions go to XCTest's event daemon directly, with no quiescence around them; WDA then waits out the
        cool-off (XCUIApplication+FBTouchAction.m fb_performW3CActions)."""
        super().perform_actions(sources)
        self.wait_for_quiescence(cool_off=True)

    def tap(self, x: float, y: float) -> None:
        """A tap at a point: a system alert takes every touch (it is modal); else the app's view under it."""
        alert = self.system_alert()
        if alert is not None:
            button = next((b for b in alert.walk() if b.type == "Button" and b.contains(x, y)), None)
            if button is not None:
                self._press_system(button)
            return
        self.device.tap(*to_pixels(x, y))

    def swipe(self, start: tuple[float, float], end: tuple[float, float], last_move_ms: float,
              last_move_distance: float) -> None:
        if self.system_alert() is not None:
            return
        if self.device.popups and self.device.popups[-1] == "update" and end[1] - start[1] >= SHEET_DISMISS_PT:
            # The update prompt as an iOS page sheet (a guess): pulled down far enough, it goes away, as any
            # sheet since iOS 13 does. It has no words and iOS no BACK key: this is how a person closes it.
            self.device.popups.pop()
            self.device.version += 1
            return
        (x, y), (_, y2) = to_pixels(*start), to_pixels(*end)
        self.device.scroll(x, y, -(y2 - y))

    def _press_system(self, button: XElement) -> None:
        kind = button.key.split("/")[1]
        if kind in self.device.popups:
            self.device.popups.remove(kind)
            self.device.version += 1
        self.log_event("I", "SpringBoard", f"{kind} alert: {button.label} ({button.press})")

    def _press_alert(self, alert: XElement, accept: bool, label: str | None) -> None:
        """FBAlert accept / dismiss / clickAlertButton: an Alert's last button accepts and its first dismisses."""
        buttons = [b for b in alert.walk() if b.type == "Button"]
        if label is not None:
            chosen = next((b for b in buttons if b.wd_label == label), None)
            if chosen is None:
                raise InvalidElementState(f"Failed to find button with label '{label}' for alert: {alert.label}")
        elif not buttons:
            verb = "accept" if accept else "dismiss"
            raise InvalidElementState(f"Failed to find {verb} button for alert: {alert.label}")
        else:
            last_accepts = alert.type == "Alert"
            chosen = buttons[-1] if accept == last_accepts else buttons[0]
        if chosen.press is not None:
            self._press_system(chosen)
        else:
            self._event(lambda: self.device.tap(*to_pixels(*chosen.center)))  # FBAlert: the button's XCTest tap

    # --- alerts (FBAlertViewCommands through alert.ts) -------------------------------------------
    def _alert(self) -> XElement:
        alert = self.app_alert()
        if alert is None:
            raise NoSuchAlert("No alert is open")
        return alert

    def alert_text(self) -> str:
        """FBAlert text: the alert's texts (not a button's), one a line."""
        alert = self._alert()
        texts = [e.wd_label or e.wd_value for e in alert.walk() if e.type == "StaticText"]
        return "\n".join(t for t in texts if t)

    def accept_alert(self, body: Any) -> None:
        label = body.get("name") if isinstance(body, dict) else None
        self._press_alert(self._alert(), accept=True, label=label or None)

    def dismiss_alert(self, body: Any) -> None:
        label = body.get("name") if isinstance(body, dict) else None
        self._press_alert(self._alert(), accept=False, label=label or None)

    def alert_text_set(self, body: Any) -> None:
        """FBAlert typeText: none of the app's or the system's alerts here holds a text field."""
        self._alert()
        raise UnsupportedOperation("The alert contains no input fields")

    def alert_buttons(self) -> list[str]:
        return [b.wd_label for b in self._alert().walk() if b.type == "Button" and b.wd_label]

    def _mobile_alert(self, params: dict) -> Any:
        action, label = params.get("action"), params.get("buttonLabel")
        if action == "accept":
            return self.accept_alert({"name": label})
        if action == "dismiss":
            return self.dismiss_alert({"name": label})
        if action == "getButtons":
            return self.alert_buttons()
        raise UnknownError("An unknown server-side error occurred while processing the command. Original error: "
                           "The 'action' value should be either 'accept', 'dismiss' or 'getButtons'. "
                           f"'{action}' is provided instead.")

    # --- navigation ------------------------------------------------------------------------
    def back(self) -> None:
        """navigation.ts nativeBack: the first NavigationBar's Button labelled "Back", else its first Button;
        any failure (no bar under the implicit wait) is logged and the command answers success."""
        try:
            bar = self.find("class name", f"{PREFIX}NavigationBar", None, False)
            bar_id = elements.element_id_of(bar) or ""
            buttons = self.find("-ios predicate string", f'type == "{PREFIX}Button" AND label == "Back"', bar_id,
                                True) or self.find("-ios predicate string", f'type == "{PREFIX}Button"', bar_id, True)
            if not buttons:
                raise UnknownError("No buttons found in navigation bar")
            self.click(elements.element_id_of(buttons[0]) or "")
        except WebDriverError as error:
            self.log_event("E", "XCUITestDriver", f"Unable to find navigation bar and back button: {error.message}")

    # --- mobile: methods --------------------------------------------------------------------
    def _target_rect(self, params: dict) -> tuple[float, float, float, float]:
        element_id = params.get("elementId")
        if element_id:
            return self.node(str(element_id)).rect
        return 0, 0, WIDTH_PT, HEIGHT_PT

    def _mobile_tap(self, params: dict) -> None:
        """/wda/tap or /wda/element/:uuid/tap: x and y from the screen's, or the element's, top-left corner."""
        x, y = params.get("x"), params.get("y")
        if isinstance(x, bool) or isinstance(y, bool) or not isinstance(x, int | float) \
                or not isinstance(y, int | float):
            raise InvalidArgument("'x' and 'y' must be numbers")
        left, top, _, _ = self._target_rect(params)
        self._event(lambda: self.tap(left + x, top + y))  # handleTap: [target tap] of an XCUICoordinate, an event

    @staticmethod
    def _direction(params: dict) -> str:
        direction = params.get("direction")
        if not isinstance(direction, str) or direction.lower() not in DIRECTIONS:
            raise InvalidArgument(f"'direction' must be one of: {','.join(DIRECTIONS)}")
        return direction.lower()

    def _mobile_swipe(self, params: dict) -> None:
        """A swipe of the finger across the element (or the screen): `up` shows what is further down."""
        direction = self._direction(params)
        x, y, w, h = self._target_rect(params)
        if direction in ("up", "down"):
            cx, cy = x + w / 2, y + h / 2
            travel = h * 0.5 * (-1 if direction == "up" else 1)
            # handleSwipe: XCUIElement swipeUp/swipeDown, an XCTest event
            self._event(lambda: self.swipe((cx, cy), (cx, cy + travel), 100, abs(travel)))

    def _mobile_scroll(self, params: dict) -> None:
        """/wda/scroll (FBElementCommands handleScroll): by name, direction, predicate, or to make an element
        visible; `down` shows what is further down (the finger moves up)."""
        x, y, w, h = self._target_rect(params)
        scope = self.node(str(params["elementId"])) if params.get("elementId") else self.tree()
        if params.get("name"):
            if not [e for e in scope.walk() if params["name"] in (e.identifier, e.label)]:
                raise NoSuchElement(f"'{params['name']}' identifier didn't match any elements")
            return  # only what exists can be found, and what exists shows: nothing to scroll
        if params.get("direction"):
            direction = self._direction(params)
            distance = params.get("distance", 1.0)
            if isinstance(distance, bool) or not isinstance(distance, int | float):
                distance = 1.0
            if direction in ("up", "down"):
                cx, cy = x + w / 2, y + h / 2
                travel = h * 0.5 * float(distance) * (-1 if direction == "down" else 1)
                # XCUIElement+FBScrolling.m fb_scrollByVector: a press and drag of XCTest, an event
                self._event(lambda: self.swipe((cx, cy), (cx, cy + travel), 500, abs(travel)))
            return
        if params.get("predicateString"):
            test = predicate.compile_predicate(str(params["predicateString"]))
            if not [e for e in scope.walk() if e is not scope and test(e)]:
                raise NoSuchElement(f"'{params['predicateString']}' predicate didn't match any elements")
            return
        if params.get("toVisible"):
            return
        raise InvalidArgument("Mobile scroll supports the following strategies: name, direction, predicateString, "
                              "and toVisible. Specify one of these")

    @property
    def app_under_test(self) -> str:
        return self.bundle_id

    # --- about the session -------------------------------------------------------------------
    def stats_json(self) -> dict[str, Any]:
        data = super().stats_json()
        data["wda_errors"] = list(self.wda_errors[-20:])  # what the driver's finds swallowed, latest last
        return data

    def device_info(self) -> dict[str, Any]:
        """/wda/device/info as the XCUITest driver's mobile: deviceInfo answers it, with the sim's extras."""
        return {
            "currentLocale": self.device.words.locale,
            "timeZone": self.device.words.time_zone,
            "name": "iPhone",
            "model": "iPhone",
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tiktok-sim/{self.world.name}")).upper(),  # identifierForVendor
            "userInterfaceIdiom": 0,
            "userInterfaceStyle": "light",
            "isSimulator": False,
            "thermalState": 0,
            "appVersion": self.device.release.app_version,
            "release": self.device.release.name,
            "uiVariant": self.device.release.name,  # the release's older name, for clients that read it
            "world": self.world.name,
            "clock": self.device.model.clock.isoformat(),
        }


def caps_of(session: IosSession) -> dict[str, Any]:
    """The capabilities a new iOS session answers with: the request's, plus what the XCUITest driver adds."""
    udid = session.caps.get("udid", "00008130-" + session.id.replace("-", "")[:16].upper())
    return {
        **session.caps,
        "platformName": "iOS",
        "automationName": session.caps.get("automationName", "XCUITest"),
        "bundleId": session.bundle_id,
        "platformVersion": str(session.caps.get("platformVersion") or "17.5"),
        "deviceName": session.caps.get("deviceName", "iPhone 15 Pro"),
        "udid": udid,
        "language": session.device.words.language,
        "locale": session.device.words.locale,
        "sim:world": session.world.name,
        "sim:appVersion": session.device.release.app_version,
        "sim:release": session.device.release.name,
        "sim:uiVariant": session.device.release.name,  # the release's older name, for clients that read it
    }
