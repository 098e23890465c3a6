"""The phone around the app: its clock, lock screen, radios, battery, clipboard, bars and windows, as the UiAutomator2
driver answers for them (`mobile:` methods and the Android routes Appium 3 still serves).

Each answer has the shape the driver or its server gives; the file that gives it is named beside it. The app under
test is the only app: other activities and packages are not installed.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from PIL import Image

from tiktok_promo.simulator.errors import InvalidArgument, UnknownError
from tiktok_promo.simulator.security import ADB_SHELL

if TYPE_CHECKING:
    from tiktok_promo.simulator.device import Device
    from tiktok_promo.simulator.screen_recording import ScreenRecording
    from tiktok_promo.simulator.security import InsecureFeatures



class PhoneSession(Protocol):
    """What the phone's state and the `mobile:` methods use of their session (simulator.session.Session is one):
    its device, what its server admitted, its screen and its log."""

    device: Device
    security: InsecureFeatures
    phone: PhoneState
    screen_recording: ScreenRecording

    def log_event(self, level: str, tag: str, message: str) -> None: ...

    def screenshot(self) -> bytes: ...

    def device_info(self) -> dict[str, Any]: ...


KEYCODE_HOME, KEYCODE_BACK = 3, 4
NAVIGATION_BAR = 132  # px at 420 dpi (48 dp), the gesture-less three-button bar of a Pixel
BATTERY_DISCHARGING = 3  # android.os.BatteryManager.BATTERY_STATUS_DISCHARGING
AIRPLANE_MODE, WIFI, DATA = 0b001, 0b010, 0b100  # appium-android-driver lib/commands/network.ts
SERVICES = ("wifi", "data", "airplaneMode")
PHYSICAL_DISPLAY = "4619827259835644672"  # a Pixel's built-in display, as a string (WindowModel.java)
# dayjs format tokens (appium-android-driver lib/commands/time.ts formats with dayjs) and what strftime writes for them
_DAYJS = [("YYYY", "%Y"), ("YY", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("DD", "%d"), ("dddd", "%A"),
          ("ddd", "%a"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("A", "%p"), ("a", "%p")]
_DAYJS_TOKEN = re.compile(r"\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|SSS|ZZ|Z|A|a|X|x")
DEFAULT_TIME_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"


def format_device_time(moment: datetime, pattern: str) -> str:
    """`moment` written with a dayjs format string, as the driver's getDeviceTime writes the phone's `date`."""
    def token(match: re.Match[str]) -> str:
        text = match.group(0)
        if match.group(1) is not None:
            return match.group(1)  # [escaped] text
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
        simple = {"M": str(moment.month), "D": str(moment.day), "H": str(moment.hour),
                  "h": str(moment.hour % 12 or 12), "m": str(moment.minute), "s": str(moment.second),
                  "SSS": f"{moment.microsecond // 1000:03d}", "Z": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
                  "ZZ": f"{sign}{minutes // 60:02d}{minutes % 60:02d}", "X": str(int(moment.timestamp())),
                  "x": str(int(moment.timestamp() * 1000))}
        if text in simple:
            return simple[text]
        return moment.strftime(dict(_DAYJS)[text])

    return _DAYJS_TOKEN.sub(token, pattern)


def keycode_of(value: Any, name: str = "keycode") -> int:
    """A key code as UiAutomator2's server reads it with Gson: a number, or a string holding one ("4")
    (appium-uiautomator2-server handler/PressKeyCode.java, utils/ModelUtils.java)."""
    if isinstance(value, bool) or value is None:
        raise InvalidArgument(f"'{name}' must be an Android key code, e.g. 4 for BACK or 3 for HOME")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise InvalidArgument(f"'{name}' must be an Android key code, e.g. 4 for BACK or 3 for HOME; "
                          f"{str(value)[:40]!r} is not a whole number")


class PhoneState:
    """What the phone holds beside the app for one session: its lock, radios, clipboard, notification shade, location
    and the moment its clock was read from the world (the world's clock then runs with real time)."""

    def __init__(self, session: PhoneSession) -> None:
        self.session = session
        self.locked = False
        self.notifications_open = False
        self.wifi, self.data, self.airplane_mode = True, True, False
        self.clipboard = ""
        self.location = {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0}
        self.rotation = {"x": 0, "y": 0, "z": 0}
        self.gps = True
        self.ui_modes: dict[str, str] = {}
        self._started = time.monotonic()

    # --- time -------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The phone's clock: the world's clock, running since the session began, in the phone's time zone."""
        device = self.session.device
        words = getattr(device, "words", None)
        zone = ZoneInfo(words.time_zone) if words is not None and words.time_zone else ZoneInfo("UTC")
        # a replayed recording has no world clock: the host's
        start = getattr(getattr(device, "model", None), "clock", None) or datetime.now(ZoneInfo("UTC"))
        return (start + timedelta(seconds=time.monotonic() - self._started)).astimezone(zone)

    def device_time(self, params: dict) -> str:
        pattern = params.get("format") or DEFAULT_TIME_FORMAT
        if not isinstance(pattern, str):
            raise InvalidArgument("'format' must be a dayjs format string such as YYYY-MM-DDTHH:mm:ssZ")
        return format_device_time(self.now(), pattern)

    # --- lock screen (appium-android-driver lib/commands/lock/exports.ts) -------------------------
    def lock(self, params: dict) -> None:
        self.locked = True
        self.session.log_event("I", "WindowManager", "Keyguard shown: screen locked by the user")
        seconds = params.get("seconds")
        try:
            wait = float(seconds) if seconds is not None and not isinstance(seconds, bool) else 0.0
        except (TypeError, ValueError):
            wait = 0.0
        if wait > 0:
            time.sleep(min(wait, 5.0))  # the driver sleeps, then unlocks; capped so a test cannot hang
            self.unlock({})

    def unlock(self, params: dict) -> None:
        if self.locked:
            self.locked = False
            self.session.log_event("I", "WindowManager", "Keyguard dismissed: screen unlocked")

    # --- notifications (appium-uiautomator2-server handler/OpenNotification.java) ---------------
    def open_notifications(self, params: dict) -> None:
        self.notifications_open = True
        self.session.log_event("I", "StatusBar", "Notification shade expanded")

    # --- radios (appium-android-driver lib/commands/network.ts) ------------------------------------
    def connectivity(self, params: dict) -> dict[str, bool]:
        services = params.get("services", list(SERVICES))
        services = services if isinstance(services, list) else [services]
        unknown = [str(s) for s in services if s not in SERVICES]
        if unknown:
            names = "Service names" if len(unknown) > 1 else "Service name"
            raise InvalidArgument(f"{names} {','.join(unknown)} {'are' if len(unknown) > 1 else 'is'} not known. "
                                  f"Only the following services are suported: {','.join(SERVICES)}")
        state = {"wifi": self.wifi, "data": self.data, "airplaneMode": self.airplane_mode}
        return {name: state[name] for name in SERVICES if name in services}

    def set_connectivity(self, params: dict) -> None:
        if all(params.get(name) is None for name in SERVICES):
            raise InvalidArgument('Either one of ["wifi","data","airplaneMode"] options must be provided')
        if params.get("wifi") is not None:
            self.wifi = bool(params["wifi"])
        if params.get("data") is not None:
            self.data = bool(params["data"])
        if params.get("airplaneMode") is not None:
            self.airplane_mode = bool(params["airplaneMode"])
        self.session.log_event("I", "ConnectivityService", f"wifi={self.wifi} data={self.data} "
                                                           f"airplaneMode={self.airplane_mode}")

    def network_connection(self) -> int:
        if self.airplane_mode:
            return AIRPLANE_MODE
        return (WIFI if self.wifi else 0) | (DATA if self.data else 0)

    def set_network_connection(self, body: Any) -> int:
        """POST /network_connection {type: bitmask} (the legacy form): the radios the mask names, then the mask."""
        parameters = body.get("parameters") if isinstance(body, dict) else None
        kind = (parameters or body or {}).get("type") if isinstance(parameters or body, dict) else None
        if isinstance(kind, bool) or not isinstance(kind, int):
            raise InvalidArgument("'type' must be the network connection bitmask (1 airplane, 2 wifi, 4 data)")
        self.airplane_mode = bool(kind & AIRPLANE_MODE)
        self.wifi, self.data = bool(kind & WIFI), bool(kind & DATA)
        return self.network_connection()

    # --- screen -------------------------------------------------------------------------------------
    def density(self) -> int:
        return int(self.session.device_info()["displayDensity"])

    def system_bars(self) -> dict[str, dict[str, Any]]:
        """appium-android-driver lib/commands/system-bars.ts: both bars from `dumpsys window`."""
        width, height = self.session.device.size
        status = self.session.device.status_bar_height
        return {
            "statusBar": {"visible": True, "x": 0, "y": 0, "width": width, "height": status},
            "navigationBar": {"visible": True, "x": 0, "y": height - NAVIGATION_BAR, "width": width,
                              "height": NAVIGATION_BAR},
        }

    def viewport_rect(self) -> dict[str, int]:
        """appium-uiautomator2-driver lib/commands/viewport.ts: the window below the status bar."""
        width, height = self.session.device.size
        status = self.session.device.status_bar_height
        return {"left": 0, "top": status, "width": width, "height": height - status}

    def battery(self) -> dict[str, Any]:
        """appium-uiautomator2-driver lib/commands/battery.ts: the server's level (0..1) and status, as `state`."""
        return {"level": 0.8, "state": BATTERY_DISCHARGING}

    def windows(self, params: dict) -> list[dict[str, Any]]:
        """appium-uiautomator2-server handler/ListWindows.java: id, display, rect, package, screenshot."""
        session = self.session
        app_windows = session.device.windows()
        listed = []
        for number, window in enumerate(app_windows, start=1):
            x1, y1, x2, y2 = window.bounds
            listed.append({"windowId": number, "displayId": 0, "physicalDisplayId": PHYSICAL_DISPLAY,
                           "rect": {"x": x1, "y": y1, "width": x2 - x1, "height": y2 - y1},
                           "packageName": window.package or session.device.package, "screenshot": None})
        bars = self.system_bars()
        for number, name in enumerate(("statusBar", "navigationBar"), start=len(listed) + 1):
            bar = bars[name]
            listed.append({"windowId": number, "displayId": 0, "physicalDisplayId": PHYSICAL_DISPLAY,
                           "rect": {k: bar[k] for k in ("x", "y", "width", "height")},
                           "packageName": "com.android.systemui", "screenshot": None})
        if app_windows and not params.get("skipScreenshots"):
            # API 34 takes a picture per window; the painter draws the screen, which the top window fills
            listed[len(app_windows) - 1]["screenshot"] = base64.b64encode(session.screenshot()).decode("ascii")
        filters = params.get("filters") or {}
        if not isinstance(filters, dict):
            raise InvalidArgument("'filters' must be an object of packageName, windowId, displayId, physicalDisplayId")
        for key, wanted in filters.items():
            if wanted is None or key not in ("packageName", "windowId", "displayId", "physicalDisplayId"):
                continue  # the server ignores unknown filter keys
            listed = [w for w in listed if _glob(str(wanted), str(w[key]))]
        return listed

    # --- clipboard (appium-uiautomator2-server handler/SetClipboard.java, GetClipboard.java) ----------
    def set_clipboard(self, params: dict) -> None:
        content, kind = params.get("content"), params.get("contentType")
        if kind is not None and str(kind).lower() != "plaintext":
            raise InvalidArgument(f"Only '[PLAINTEXT]' content types are supported. '{kind}' is given instead")
        if not isinstance(content, str):
            raise InvalidArgument("'content' must be the base64 of the text to put on the clipboard")
        try:
            self.clipboard = base64.b64decode(content, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidArgument("'content' is not the base64 of UTF-8 text") from None

    def get_clipboard(self, params: dict) -> str:
        return base64.b64encode(self.clipboard.encode("utf-8")).decode("ascii")

    # --- keys and activities ------------------------------------------------------------------------
    def press_key(self, params: dict) -> None:
        """mobile: pressKey and /appium/device/(long_)press_keycode: BACK and HOME act, other keys reach no view."""
        keycode = keycode_of(params.get("keycode"))
        for name in ("metastate", "flags"):
            if params.get(name) is not None:
                keycode_of(params[name], name)
        self.session.log_event("D", "InputDispatcher", f"Delivering key event: keyCode={keycode}")
        if keycode == KEYCODE_BACK:
            if self.notifications_open:
                self.notifications_open = False
            else:
                self.session.device.back()
        elif keycode == KEYCODE_HOME:
            self.notifications_open = False
            self.session.device.home()

    def start_activity(self, params: dict) -> str:
        """mobile: startActivity (appium-android-driver lib/commands/intent.ts, `am start`): the app's own
        activities start the app; anything else is not on the phone."""
        device = self.session.device
        component = params.get("intent") or params.get("component")
        package = params.get("package") or (str(component).split("/", 1)[0] if component else None)
        if package != device.package:
            raise UnknownError(
                "An unknown server-side error occurred while processing the command. Original error: "
                f"Error: Activity not started, unable to resolve Intent {{ cmp={component or package} }}")
        device.launch()
        return (f"Starting: Intent {{ cmp={component} }}\nStatus: ok\nLaunchState: WARM\n"
                f"Activity: {device.package}/{device.current_activity}\nWaitTime: 412\nComplete")

    def shell(self, params: dict) -> str:
        self.session.security.require(ADB_SHELL)
        raise UnknownError("An unknown server-side error occurred while processing the command. Original error: "
                           "the virtual device has no shell: adb_shell is enabled, yet there is no adb to run "
                           f"{str(params.get('command'))[:60]!r}")

    # --- location (appium-android-driver lib/commands/geolocation.ts, through the Settings app) --------------
    def set_geolocation(self, params: dict) -> None:
        point = {}
        for name in ("latitude", "longitude", "altitude"):
            value = params.get(name, 0.0 if name == "altitude" else None)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidArgument(f"'{name}' must be a number")
            point[name] = float(value)
        self.location = point

    def get_geolocation(self, params: dict) -> dict[str, float]:
        # geolocation.ts: a zero is sent as Number.MIN_VALUE so typed clients read a float
        return {name: value or 5e-324 for name, value in self.location.items()}

    def reset_geolocation(self, params: dict) -> None:
        self.location = {"latitude": 0.0, "longitude": 0.0, "altitude": 0.0}

    def toggle_gps(self, params: dict) -> None:
        self.gps = not self.gps

    # --- status bar and UI modes (system-bars.ts mobilePerformStatusBarCommand, appearance.ts) -------------
    def status_bar(self, params: dict) -> str:
        command = params.get("command")
        known = ("expandNotifications", "expandSettings", "collapse", "addTile", "removeTile", "clickTile",
                 "getStatusIcons")
        if command not in known:
            raise InvalidArgument(f"The '{command}' status bar command is unknown. Only the following commands are "
                                  f"supported: {','.join(known)}")
        if command in ("expandNotifications", "expandSettings"):
            self.open_notifications({})
        elif command == "collapse":
            self.notifications_open = False
        return ""

    def set_ui_mode(self, params: dict) -> None:
        self.ui_modes[str(params["mode"])] = str(params["value"])

    def get_ui_mode(self, params: dict) -> str:
        return self.ui_modes.get(str(params["mode"]), "no")

    # --- pictures (appium-uiautomator2-driver lib/commands/screenshot.ts) ------------------------------------
    def viewport_screenshot(self, params: dict) -> str:
        rect = self.viewport_rect()
        with Image.open(io.BytesIO(self.session.screenshot())) as picture:
            out = io.BytesIO()
            picture.crop((rect["left"], rect["top"], rect["left"] + rect["width"],
                          rect["top"] + rect["height"])).save(out, format="PNG")
        return base64.b64encode(out.getvalue()).decode("ascii")

    def screenshots(self, params: dict) -> dict[str, dict[str, Any]]:
        display = params.get("displayId")
        info = {"id": PHYSICAL_DISPLAY, "name": "Built-in Screen", "isDefault": True}
        if display not in (None, "") and str(display) != PHYSICAL_DISPLAY:
            raise UnknownError("An unknown server-side error occurred while processing the command. Original error: "
                               f"The provided display identifier '{display}' is not known. Only the following "
                               f"displays have been detected: {json.dumps({PHYSICAL_DISPLAY: info})}")
        payload = base64.b64encode(self.session.screenshot()).decode("ascii")
        return {PHYSICAL_DISPLAY: {**info, "payload": payload}}

    def is_app_installed(self, params: dict) -> bool:
        return params.get("appId") == self.session.device.package


def _glob(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value) is not None


MobileTable = dict[str, tuple[Callable[[dict], Any], tuple[str, ...], tuple[str, ...]]]
_INTENT = ("user", "intent", "action", "package", "uri", "mimeType", "identifier", "component", "categories",
           "extras", "flags")


def mobile_methods(session: PhoneSession) -> MobileTable:
    """The phone's `mobile:` methods with the arguments of the UiAutomator2 driver's map
    (appium-uiautomator2-driver lib/execute-method-map.ts, which spreads appium-android-driver's)."""
    phone, recording = session.phone, session.screen_recording
    upload = ("remotePath", "user", "pass", "method", "headers", "fileFieldName", "formFields", "uploadTimeout")
    return {
        "getDeviceTime": (phone.device_time, (), ("format",)),
        "lock": (phone.lock, (), ("seconds",)),
        "unlock": (phone.unlock, (), ("key", "type", "strategy", "timeoutMs")),
        "isLocked": (lambda _: phone.locked, (), ()),
        "openNotifications": (phone.open_notifications, (), ()),
        "getConnectivity": (phone.connectivity, (), ("services",)),
        "setConnectivity": (phone.set_connectivity, (), ("wifi", "data", "airplaneMode")),
        "batteryInfo": (lambda _: phone.battery(), (), ()),
        "getDisplayDensity": (lambda _: phone.density(), (), ()),
        "getSystemBars": (lambda _: phone.system_bars(), (), ()),
        "viewportRect": (lambda _: phone.viewport_rect(), (), ()),
        "listWindows": (phone.windows, (), ("filters", "skipScreenshots")),
        "getClipboard": (phone.get_clipboard, (), ()),
        "setClipboard": (phone.set_clipboard, ("content",), ("contentType", "label")),
        "startActivity": (phone.start_activity, (), ("wait", "stop", "windowingMode", "activityType", "display",
                                                     *_INTENT)),
        "pressKey": (phone.press_key, ("keycode",), ("metastate", "flags", "isLongPress", "source")),
        "isAppInstalled": (phone.is_app_installed, ("appId",), ("user",)),
        "getGeolocation": (phone.get_geolocation, (), ()),
        "setGeolocation": (phone.set_geolocation, ("latitude", "longitude"),
                           ("altitude", "satellites", "speed", "bearing", "accuracy")),
        "resetGeolocation": (phone.reset_geolocation, (), ()),
        "toggleGps": (phone.toggle_gps, (), ()),
        "isGpsEnabled": (lambda _: phone.gps, (), ()),
        "statusBar": (phone.status_bar, ("command",), ("component",)),
        "setUiMode": (phone.set_ui_mode, ("mode", "value"), ()),
        "getUiMode": (phone.get_ui_mode, ("mode",), ()),
        "viewportScreenshot": (phone.viewport_screenshot, (), ()),
        "screenshots": (phone.screenshots, (), ("displayId",)),
        "resetAccessibilityCache": (lambda _: None, (), ()),
        "shell": (phone.shell, ("command",), ("args", "timeout", "includeStderr")),
        "startMediaProjectionRecording": (recording.start_projection, (),
                                          ("resolution", "priority", "maxDurationSec", "filename")),
        "isMediaProjectionRecordingRunning": (recording.projection_running, (), ()),
        "stopMediaProjectionRecording": (recording.stop_projection, (), upload),
    }
