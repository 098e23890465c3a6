"""The routes of the phone around the app that Appium 3 still serves for Android: lock, keys, notifications, bars,
density, apps, time, network, location, rotation, element location and size, logs and screen recording.

Where they come from: appium-android-driver lib/method-map.ts (most, many marked deprecated and still answered),
appium/appium packages/base-driver lib/protocol/routes.ts (/appium/device/system_time, /appium/device/app_installed,
/se/log, /se/log/types). Each calls what the matching `mobile:` method calls, as the drivers do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tiktok_promo.simulator.errors import InvalidArgument
from tiktok_promo.simulator.logs import LOG_TYPES, log_type
from tiktok_promo.simulator.mobile_device import keycode_of

if TYPE_CHECKING:
    from tiktok_promo.simulator.session import Session

On = Callable[[str, str, Callable[..., Any]], None]


def _body(body: Any) -> dict:
    return body if isinstance(body, dict) else {}


def _app(body: Any) -> dict[str, Any]:
    body = _body(body)
    if not (body.get("appId") or body.get("bundleId")):
        raise InvalidArgument('Parameters were incorrect. We wanted {"required":[["appId"],["bundleId"]]} and you sent '
                              f"{list(body)}")
    return {"appId": body.get("appId") or body.get("bundleId")}


def _location(session: Session, eid: str) -> dict[str, int]:
    rect = session.rect(eid)
    return {"x": rect["x"], "y": rect["y"]}


def _size(session: Session, eid: str) -> dict[str, int]:
    rect = session.rect(eid)
    return {"width": rect["width"], "height": rect["height"]}


def _press(session: Session, body: Any, long: bool) -> None:
    body = _body(body)
    keycode_of(body.get("keycode"))  # 400 before anything happens, as Gson refuses the request's model
    session.phone.press_key({**body, "isLongPress": long})


def _background(session: Session, body: Any) -> bool:
    seconds = _body(body).get("seconds", -1)
    if isinstance(seconds, dict):  # the old {timeout: ms} form clients still send
        timeout = seconds.get("timeout")
        seconds = timeout / 1000 if isinstance(timeout, int | float) and not isinstance(timeout, bool) else -1
    return bool(session.execute("mobile: backgroundApp", [{"seconds": seconds}]))


def _set_location(session: Session, body: Any) -> dict[str, float]:
    location = _body(body).get("location")
    if not isinstance(location, dict) or not all(
            isinstance(location.get(k), int | float) and not isinstance(location.get(k), bool)
            for k in ("latitude", "longitude")):
        raise InvalidArgument("'location' must be an object with numeric latitude and longitude")
    session.phone.location = {"latitude": float(location["latitude"]), "longitude": float(location["longitude"]),
                              "altitude": float(location.get("altitude") or 0)}
    return session.phone.location


def _set_rotation(session: Session, body: Any) -> None:
    body = _body(body)
    z = body.get("z")
    if z not in (0, 90, 180, 270) or body.get("x", 0) != 0 or body.get("y", 0) != 0:
        raise InvalidArgument("Unable to Rotate Device. Only x=0, y=0 and z of 0, 90, 180 or 270 are supported")
    session.phone.rotation = {"x": 0, "y": 0, "z": z}
    session.orientation = "PORTRAIT" if z in (0, 180) else "LANDSCAPE"


def _bugreport(session: Session) -> list[str]:
    info = session.device_info()
    return ["========================================================",
            "== dumpstate: virtual TikTok device",
            "========================================================",
            f"Build: {info.get('manufacturer')} {info.get('model')} Android {info.get('platformVersion')} "
            f"(API {info.get('apiVersion')})", *session.logs.all_lines()]


def register(on: On) -> None:
    """Add the phone's routes to the server's table (`on(method, template, handler)`)."""
    s = "/session/:sid"
    on("POST", f"{s}/appium/device/lock", lambda session, body: session.phone.lock(_body(body)))
    on("POST", f"{s}/appium/device/unlock", lambda session, body: session.phone.unlock(_body(body)))
    on("POST", f"{s}/appium/device/is_locked", lambda session, body: session.phone.locked)
    on("POST", f"{s}/appium/device/press_keycode", lambda session, body: _press(session, body, False))
    on("POST", f"{s}/appium/device/long_press_keycode", lambda session, body: _press(session, body, True))
    on("POST", f"{s}/appium/device/open_notifications", lambda session, body: session.phone.open_notifications({}))
    on("GET", f"{s}/appium/device/system_bars", lambda session, body: session.phone.system_bars())
    on("GET", f"{s}/appium/device/display_density", lambda session, body: session.phone.density())
    on("POST", f"{s}/appium/device/app_installed", lambda session, body: session.phone.is_app_installed(_app(body)))
    on("GET", f"{s}/appium/device/system_time", lambda session, body: session.phone.device_time({}))
    on("POST", f"{s}/appium/device/system_time", lambda session, body: session.phone.device_time(_body(body)))
    on("POST", f"{s}/appium/device/start_activity",
       lambda session, body: session.execute("mobile: startActivity", [_body(body)]))
    on("POST", f"{s}/appium/app/background", _background)
    on("GET", f"{s}/element/:eid/location", lambda session, body, eid: _location(session, eid))
    on("GET", f"{s}/element/:eid/location_in_view", lambda session, body, eid: _location(session, eid))
    on("GET", f"{s}/element/:eid/size", lambda session, body, eid: _size(session, eid))
    on("GET", f"{s}/network_connection", lambda session, body: session.phone.network_connection())
    on("POST", f"{s}/network_connection", lambda session, body: session.phone.set_network_connection(body))
    on("GET", f"{s}/location", lambda session, body: session.phone.get_geolocation({}))
    on("POST", f"{s}/location", _set_location)
    on("GET", f"{s}/rotation", lambda session, body: session.phone.rotation)
    on("POST", f"{s}/rotation", _set_rotation)
    on("GET", f"{s}/se/log/types", lambda session, body: list(LOG_TYPES))
    on("POST", f"{s}/se/log",
       lambda session, body: session.logs.read(log_type(body), lambda: _bugreport(session)))
    on("POST", f"{s}/appium/start_recording_screen",
       lambda session, body: session.screen_recording.start_screen(_body(body).get("options")))
    on("POST", f"{s}/appium/stop_recording_screen",
       lambda session, body: session.screen_recording.stop_screen(_body(body).get("options")))
