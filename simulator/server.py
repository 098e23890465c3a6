"""The virtual device's HTTP face: the W3C WebDriver routes with Appium's UiAutomator2 extensions.

Start it from Python (`SimulatorServer().start()`, then `.url`) or with `python -m tiktok_promo.simulator`.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tiktok_promo.simulator import phone_routes
from tiktok_promo.simulator.costs import CommandKind, kind_of
from tiktok_promo.simulator.errors import (
    InvalidArgument,
    InvalidSelector,
    InvalidSessionId,
    LostAnswer,
    SessionNotCreated,
    UnknownCommand,
    UnknownError,
    UnknownMethod,
    WebDriverError,
)
from tiktok_promo.simulator.faults import MAX_SAFE_INT, parse_faults
from tiktok_promo.simulator.ios.session import IosSession, caps_of
from tiktok_promo.simulator.security import SESSION_DISCOVERY, InsecureFeatures
from tiktok_promo.simulator.session import Session
from tiktok_promo.simulator.session_core import SessionCore
from tiktok_promo.simulator.wire import CONNECTION_TIMEOUT, DeviceHttpServer
from tiktok_promo.simulator.world import World, WorldError, WorldLibrary, shipped_worlds

log = logging.getLogger("simulator")

W3C_STANDARD_CAPS = {
    "browserName", "browserVersion", "platformName", "acceptInsecureCerts", "pageLoadStrategy", "proxy",
    "setWindowRect", "timeouts", "strictFileInteractability", "unhandledPromptBehavior", "webSocketUrl",
    "userAgent",
}
AUTOMATION_NAMES = {"uiautomator2", "tiktoksim"}
SERVER_VERSION = "3.0.0-sim"
Handler = Callable[..., Any]


def merge_capabilities(body: Any) -> list[dict[str, Any]]:
    """The W3C candidates: alwaysMatch merged with each firstMatch entry (in order)."""
    if not isinstance(body, dict):
        raise InvalidArgument("The request body must be a JSON object with 'capabilities'")
    if not isinstance(body.get("capabilities"), dict):
        # Appium 3.8 keeps only 'capabilities' of the payload (routes/w3c.js), so a desiredCapabilities-only
        # request reaches createSession with none and is refused there (helpers/capability.js).
        raise SessionNotCreated(
            "Session capabilities format must comply to the W3C standard. Make sure your client is up to date. "
            "See https://www.w3.org/TR/webdriver/#new-session for more details."
        )
    caps = body["capabilities"]
    always = caps.get("alwaysMatch") or {}
    first = caps.get("firstMatch") or [{}]
    if not isinstance(always, dict) or not isinstance(first, list) or not all(isinstance(f, dict) for f in first):
        raise InvalidArgument("'alwaysMatch' must be an object and 'firstMatch' a list of objects")
    merged = []
    for entry in first:
        clash = set(always) & set(entry)
        if clash:
            raise InvalidArgument(f"firstMatch repeats alwaysMatch capabilities: {', '.join(sorted(clash))}")
        merged.append({**always, **entry})
    return merged


def split_capabilities(caps: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(appium caps without prefix, sim: caps without prefix), refusing unprefixed non-standard names as Appium does."""
    unprefixed = [k for k in caps if ":" not in k and k not in W3C_STANDARD_CAPS]
    if unprefixed:
        raise InvalidArgument(
            "All non-standard capabilities should have a vendor prefix. The following capabilities did not "
            f"have one: {', '.join(sorted(unprefixed))}"
        )
    appium: dict[str, Any] = {}
    sim: dict[str, Any] = {}
    for key, value in caps.items():
        vendor, _, name = key.partition(":")
        if not name:
            appium[key] = value
        elif vendor == "appium":
            appium[name] = value
        elif vendor == "sim":
            sim[name] = value
        else:
            appium[key] = value  # other vendors' options (bstack:, sauce:...) pass through untouched
    return appium, sim


def wants_ios(caps: dict[str, Any]) -> bool:
    """Whether a candidate asks for the iOS face: platformName iOS with the XCUITest driver."""
    platform, automation = caps.get("platformName"), caps.get("appium:automationName")
    return (isinstance(platform, str) and platform.lower() == "ios" and isinstance(automation, str)
            and automation.lower() == "xcuitest")


def validate_capabilities(caps: dict[str, Any], package: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(appium caps without prefix, sim: caps without prefix) of an Android session, refusing what Appium refuses."""
    appium, sim = split_capabilities(caps)
    platform = appium.get("platformName")
    automation = appium.get("automationName", "UiAutomator2")
    if isinstance(platform, str) and platform.lower() == "ios":
        raise SessionNotCreated(
            f"Could not find a driver for automationName '{automation}' and platformName '{platform}'. "
            "The virtual device speaks XCUITest on iOS."
        )
    if not isinstance(platform, str) or platform.lower() != "android":
        raise SessionNotCreated(
            "The virtual TikTok device is an Android or an iOS device; 'platformName' must be 'Android' or 'iOS', "
            f"not {platform!r}"
        )
    if not isinstance(automation, str) or automation.lower() not in AUTOMATION_NAMES:
        raise SessionNotCreated(
            f"Could not find a driver for automationName '{automation}' and platformName '{platform}'. "
            "The virtual device speaks UiAutomator2 on Android."
        )
    app_package = appium.get("appPackage")
    if app_package is not None and app_package != package:
        raise SessionNotCreated(f"The application '{app_package}' is not installed on the virtual device")
    _check_timeout(appium)
    return appium, sim


def _check_timeout(appium: dict[str, Any]) -> None:
    timeout = appium.get("newCommandTimeout", 60)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 0:
        raise InvalidArgument("'appium:newCommandTimeout' must be a number of seconds >= 0")


def validate_ios_capabilities(caps: dict[str, Any], world: World) -> tuple[dict[str, Any], dict[str, Any], World]:
    """(appium caps, sim: caps, the world in the phone's language) of an iOS session (XCUITest's caps)."""
    appium, sim = split_capabilities(caps)
    bundle = appium.get("bundleId")
    if bundle is not None and bundle != world.package:
        raise SessionNotCreated(f"The application '{bundle}' is not installed on the virtual device")
    _check_timeout(appium)
    try:
        return appium, sim, world.speaking(appium.get("language"), appium.get("locale"))
    except WorldError as error:
        raise SessionNotCreated(str(error)) from None


class Route:
    """A URL template with its handlers by HTTP method."""

    def __init__(self, template: str) -> None:
        self.template = template
        pattern = re.sub(r":(\w+)", r"(?P<\1>[^/]+)", template)
        self.regex = re.compile(f"^{pattern}/?$")
        self.methods: dict[str, Handler] = {}


class SimulatorServer:
    """A virtual TikTok device server: sessions, routes, and a thread that ends idle sessions.

    Sessions read worlds only from the shipped ones, from `worlds_dirs` (the folders its operator allows)
    and from the operator's own `world` file; `connection_timeout` is how long a silent connection is kept.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, world: str | None = None,
                 worlds_dirs: Iterable[str | Path] = (), connection_timeout: float = CONNECTION_TIMEOUT,
                 insecure: InsecureFeatures | None = None, allow_cors: bool = False,
                 transitions: bool = True) -> None:
        self.default_world = world
        # Whether screens come in over a few hundred ms (simulator.motion) unless a session says (sim:transitions).
        # On, as a phone's are: off is a benchmark's baseline, never what the suite or an operator meets.
        self.transitions = transitions
        self.insecure = insecure or InsecureFeatures()
        # The operator's own --world file is theirs to name, wherever it is; a client's sim:world is not.
        self.worlds = WorldLibrary(worlds_dirs, [world] if world and world not in shipped_worlds() else [])
        self.worlds.resolve(world)  # fail at start-up, not at the first session, on a bad --world
        self.sessions: dict[str, SessionCore] = {}
        self._lock = threading.Lock()
        self._routes: list[Route] = []
        self._register_routes()
        self.httpd = DeviceHttpServer((host, port), self.dispatch, connection_timeout, allow_cors)
        self._thread: threading.Thread | None = None
        self._reaper_stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        if isinstance(host, bytes | bytearray):  # only for address families this server never binds
            host = host.decode()
        return f"http://{host}:{port}"

    def start(self) -> SimulatorServer:
        """Serve in a background thread (for test fixtures); returns self."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="simulator-http", daemon=True
        )
        self._thread.start()
        threading.Thread(target=self._reap_idle_sessions, name="simulator-reaper", daemon=True).start()
        return self

    def serve_forever(self) -> None:
        threading.Thread(target=self._reap_idle_sessions, name="simulator-reaper", daemon=True).start()
        self.httpd.serve_forever(poll_interval=0.05)  # stop() answers within 50 ms

    def stop(self) -> None:
        self._reaper_stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _reap_idle_sessions(self) -> None:
        while not self._reaper_stop.wait(1.0):
            now = time.monotonic()
            with self._lock:
                idle = [
                    sid for sid, s in self.sessions.items()
                    if s.new_command_timeout > 0 and now - s.last_used > s.new_command_timeout
                ]
                for sid in idle:
                    log.info("session %s idle past its newCommandTimeout; ending it", sid)
                    del self.sessions[sid]

    # --- routing ------------------------------------------------------------------------------
    def _on(self, method: str, template: str, handler: Handler) -> None:
        for route in self._routes:
            if route.template == template:
                route.methods[method] = handler
                return
        route = Route(template)
        route.methods[method] = handler
        self._routes.append(route)

    def dispatch(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        """Answer one request: (HTTP status, JSON body)."""
        path = path.split("?", 1)[0].rstrip("/") or "/"
        for route in self._routes:
            match = route.regex.match(path)
            if not match:
                continue
            handler = route.methods.get(method)
            if handler is None:
                continue  # Appium answers a known path with an unmapped method as an unknown command
            params = match.groupdict()
            sid = params.pop("sid", None)
            if sid is None:
                return 200, handler(body=body, **params)
            return 200, self._session_command(sid, f"{method} {route.template}", handler, body, params)
        raise UnknownCommand(
            "The requested resource could not be found, or a request was received using an HTTP method "
            "that is not supported by the mapped resource"
        )

    def session(self, sid: str) -> Any:
        with self._lock:
            session = self.sessions.get(sid)
        if session is None or session.dead:
            raise InvalidSessionId("A session is either terminated or not started")
        return session

    def _session_command(self, sid: str, route: str, handler: Handler, body: Any, params: dict) -> Any:
        session = self.session(sid)
        if not session.serves(route):
            raise UnknownCommand(
                "The requested resource could not be found, or a request was received using an HTTP method "
                "that is not supported by the mapped resource"
            )
        if _observes_only(route, body):
            # The sim's own probes (stats, ledger, clock) watch the device: no faults, not counted.
            with session.lock:
                return handler(session=session, body=body, **params)
        kind, nodes = None, 0
        if session.faults.plan.phone_costs:
            kind = kind_of(route, body)
            if kind in (CommandKind.SOURCE, CommandKind.FIND_XPATH, CommandKind.FIND):
                with session.lock:
                    nodes = session.screen_nodes()  # what the server walks: the screen as it is now
        delay = session.faults.latency(kind, nodes)
        if delay:
            session.stats.injected_latency += delay
            time.sleep(delay)  # the phone and the network are slow; the server thread waits, as they would
        started = time.perf_counter()
        try:
            if session.faults.crashed():
                self._crash(session)
            looks = route.endswith(("/element", "/elements", "/source", "/screenshot"))
            if route != "DELETE /session/:sid":
                with session.lock:  # faults and toasts change the device: not while another command reads it
                    session.before_command(looks_at_screen=looks)
            status = 500
            try:
                if route.endswith(("/element", "/elements")):
                    answer = handler(session=session, body=body, **params)  # find holds the lock between polls
                else:
                    with session.lock:
                        answer = handler(session=session, body=body, **params)
                        if session.faults.take_lost_answer():
                            raise LostAnswer(route)
                status = 200
            except WebDriverError as error:
                status = error.status
                raise
            finally:
                if route != "DELETE /session/:sid":
                    with session.lock:
                        session.after_command()
                        verb, template = route.split(" ", 1)
                        session.logs.command(verb, template, status)
        finally:
            session.stats.record(route, time.perf_counter() - started)
        if kind is not None:
            self._charge_searches(session, route, body, params, answer)  # after the record: latency, not work
            self._charge_swipes(session)
        return answer

    @staticmethod
    def _charge_swipes(session: Session) -> None:
        """Under phone-like costs, each swipe a UiScrollable find made, at a gesture's cost."""
        swipes = session.take_swipes()
        if swipes:
            delay = sum(session.faults.latency(CommandKind.GESTURE, 0) for _ in range(swipes))
            session.stats.injected_latency += delay
            time.sleep(delay)

    @staticmethod
    def _charge_searches(session: Session, route: str, body: Any, params: dict, answer: Any) -> None:
        """Under phone-like costs, the searches a command made beyond its first, each at a find's cost."""
        extra = session.searches_beyond_one(route, body, params, answer)
        if not extra:
            return
        with session.lock:
            nodes = session.screen_nodes()
        delay = sum(session.faults.latency(CommandKind.FIND, nodes) for _ in range(extra))
        session.stats.injected_latency += delay
        time.sleep(delay)

    def _crash(self, session: Session) -> None:
        session.dead = True
        with self._lock:
            self.sessions.pop(session.id, None)
        raise InvalidSessionId(
            "A session is either terminated or not started: the instrumentation process crashed "
            "(injected by sim:faults crash_after)"
        )

    # --- handlers -----------------------------------------------------------------------------
    def _register_routes(self) -> None:
        on = self._on
        on("GET", "/status", self.status)
        on("POST", "/session", self.new_session)
        on("GET", "/appium/sessions", self.list_sessions)
        on("GET", "/session/:sid", lambda session, body: session_caps(session))
        on("DELETE", "/session/:sid", self.delete_session)
        on("GET", "/session/:sid/timeouts", lambda session, body: get_timeouts(session))
        on("POST", "/session/:sid/timeouts", lambda session, body: set_timeouts(session, body))
        on("POST", "/session/:sid/element", lambda session, body: find(session, body, None, False))
        on("POST", "/session/:sid/elements", lambda session, body: find(session, body, None, True))
        on("POST", "/session/:sid/element/:eid/element", lambda session, body, eid: find(session, body, eid, False))
        on("POST", "/session/:sid/element/:eid/elements", lambda session, body, eid: find(session, body, eid, True))
        on("POST", "/session/:sid/element/:eid/click", lambda session, body, eid: session.click(eid))
        on("POST", "/session/:sid/element/:eid/clear", lambda session, body, eid: session.clear(eid))
        on("POST", "/session/:sid/element/:eid/value", lambda session, body, eid: send_keys(session, body, eid))
        on("GET", "/session/:sid/element/:eid/text", lambda session, body, eid: session.text(eid))
        on("GET", "/session/:sid/element/:eid/name", lambda session, body, eid: session.element_name(eid))
        on("GET", "/session/:sid/element/:eid/attribute/:name",
           lambda session, body, eid, name: session.attribute(eid, name))
        on("GET", "/session/:sid/element/:eid/property/:name",
           lambda session, body, eid, name: session.attribute(eid, name))
        on("GET", "/session/:sid/element/:eid/displayed", lambda session, body, eid: session.displayed(eid))
        on("GET", "/session/:sid/element/:eid/enabled", lambda session, body, eid: session.enabled(eid))
        on("GET", "/session/:sid/element/:eid/selected", lambda session, body, eid: session.selected(eid))
        on("GET", "/session/:sid/element/:eid/rect", lambda session, body, eid: session.rect(eid))
        on("GET", "/session/:sid/element/:eid/screenshot",
           lambda session, body, eid: b64(session.element_screenshot(eid)))
        on("GET", "/session/:sid/source", lambda session, body: session.source())
        on("GET", "/session/:sid/screenshot", lambda session, body: b64(session.screenshot()))
        on("POST", "/session/:sid/back", lambda session, body: session.back())
        on("POST", "/session/:sid/actions", lambda session, body: session.perform_actions(field(body, "actions")))
        on("DELETE", "/session/:sid/actions", lambda session, body: None)
        on("POST", "/session/:sid/execute/sync", lambda session, body: execute(session, body))
        on("POST", "/session/:sid/execute/async", lambda session, body: execute(session, body))
        on("GET", "/session/:sid/window/rect", lambda session, body: session.window_size())
        on("GET", "/session/:sid/window/:handle/size", lambda session, body, handle: session.window_size())
        on("GET", "/session/:sid/appium/settings", lambda session, body: session.settings)
        on("POST", "/session/:sid/appium/settings", lambda session, body: update_settings(session, body))
        on("GET", "/session/:sid/orientation", lambda session, body: session.orientation)
        on("POST", "/session/:sid/orientation", lambda session, body: set_orientation(session, body))
        on("POST", "/session/:sid/appium/device/activate_app",
           lambda session, body: session.execute("mobile: activateApp", [app_id_body(session, body)]))
        on("POST", "/session/:sid/appium/device/terminate_app",
           lambda session, body: session.execute("mobile: terminateApp", [app_id_body(session, body)]))
        on("POST", "/session/:sid/appium/device/app_state",
           lambda session, body: session.execute("mobile: queryAppState", [app_id_body(session, body)]))
        on("POST", "/session/:sid/appium/device/hide_keyboard", lambda session, body: session.hide_keyboard())
        on("GET", "/session/:sid/appium/device/is_keyboard_shown", lambda session, body: False)
        # deprecated in the Android driver's method map, still answered there
        on("GET", "/session/:sid/appium/device/current_activity",
           lambda session, body: session.execute("mobile: getCurrentActivity", []))
        on("GET", "/session/:sid/appium/device/current_package",
           lambda session, body: session.execute("mobile: getCurrentPackage", []))
        on("GET", "/session/:sid/context", lambda session, body: session.contexts.current)
        on("GET", "/session/:sid/contexts", lambda session, body: session.contexts.names())
        on("POST", "/session/:sid/context", lambda session, body: session.contexts.switch(body))
        on("GET", "/session/:sid/sim/stats", lambda session, body: session.stats_json())
        on("GET", "/session/:sid/sim/ledger", lambda session, body: session.device.model.snapshot())
        on("POST", "/session/:sid/sim/clock", lambda session, body: session.execute(
            "mobile: simAdvanceClock", [body if isinstance(body, dict) else {}]))
        # the alert routes of W3C, as the XCUITest driver sends them to WDA (alert.ts); Android has none here
        on("GET", "/session/:sid/alert/text", lambda session, body: session.alert_text())
        on("POST", "/session/:sid/alert/text", lambda session, body: session.alert_text_set(body))
        on("POST", "/session/:sid/alert/accept", lambda session, body: session.accept_alert(body))
        on("POST", "/session/:sid/alert/dismiss", lambda session, body: session.dismiss_alert(body))
        phone_routes.register(on)

    def status(self, body: Any) -> dict[str, Any]:
        return {
            "ready": True,
            "message": "The virtual TikTok device is ready to accept commands",
            "build": {"version": SERVER_VERSION, "name": "tiktok-sim"},
        }

    def list_sessions(self, body: Any) -> list[dict[str, Any]]:
        """GET /appium/sessions: only with session_discovery allowed (appium/appium packages/appium/lib/appium.ts,
        getAppiumSessions); the umbrella driver has no automation name, so only `*:session_discovery` allows it."""
        self.insecure.require(SESSION_DISCOVERY, automation="")
        with self._lock:
            return [{"id": s.id, "created": s.created_ms, "capabilities": session_caps(s)}
                    for s in self.sessions.values()]

    def new_session(self, body: Any) -> dict[str, Any]:
        errors = []
        for candidate in merge_capabilities(body):
            try:
                return self._create(candidate)
            except WebDriverError as error:
                errors.append(error)
        raise errors[0] if len(errors) == 1 else SessionNotCreated(
            "No firstMatch entry could start a session: " + "; ".join(e.message for e in errors)
        )

    def _create(self, caps: dict[str, Any]) -> dict[str, Any]:
        try:
            world: World = self.worlds.resolve(caps.get("sim:world"), default=self.default_world or "default")
        except WorldError as error:
            raise SessionNotCreated(str(error)) from None
        ios = wants_ios(caps)
        if ios:
            appium, sim, world = validate_ios_capabilities(caps, world)
        else:
            appium, sim = validate_capabilities(caps, world.package)
        unknown_sim = set(sim) - {"world", "faults", "transitions"}
        if unknown_sim:
            raise InvalidArgument(
                f"Unknown capabilities {', '.join('sim:' + n for n in sorted(unknown_sim))}; "
                "the sim: vendor prefix knows only sim:world, sim:faults and sim:transitions"
            )
        plan, transitions = parse_faults(sim.get("faults")), self.transitions_of(sim)
        session = (IosSession if ios else Session)(appium, world, plan, transitions)
        return self.admit(session, appium)

    def transitions_of(self, sim: dict[str, Any]) -> bool:
        """Whether a session's screens come in over time: `sim:transitions` (true or false), else the server's."""
        value = sim.get("transitions", self.transitions)
        if not isinstance(value, bool):
            raise InvalidArgument("sim:transitions must be true or false (false: every screen rests at once, "
                                  "for a benchmark's baseline)")
        return value

    def admit(self, session: SessionCore, appium: dict[str, Any]) -> dict[str, Any]:
        """Start serving a new session; the new-session answer.

        The W3C `timeouts` capability is accepted and not applied, as with UiAutomator2: the implicit
        wait starts at 0 until the client sets it with POST /timeouts."""
        start_cost = session.faults.latency(CommandKind.SESSION) if session.faults.plan.phone_costs else 0.0
        if start_cost:
            session.stats.injected_latency += start_cost
            time.sleep(start_cost)  # a phone launches the app and the instrumentation before it answers
        session.security = self.insecure
        with self._lock:
            self.sessions[session.id] = session
        return {"sessionId": session.id, "capabilities": session_caps(session)}

    def delete_session(self, session: Session, body: Any) -> None:
        session.dead = True
        with self._lock:
            self.sessions.pop(session.id, None)


def _observes_only(route: str, body: Any) -> bool:
    if "/sim/" in route:
        return True
    if not route.endswith("/execute/sync") or not isinstance(body, dict):
        return False
    script = body.get("script")
    return isinstance(script, str) and script.replace(" ", "").startswith("mobile:sim")


def session_caps(session: Any) -> dict[str, Any]:
    """The capabilities a new session answers with: the request's, plus what its driver adds of the device."""
    if isinstance(session, IosSession):
        return caps_of(session)
    serial = session.caps.get("udid", "sim-" + session.id[:8])
    info = session.device_info()
    width, height = session.device.size
    status_bar = session.device.status_bar_height
    return {
        **session.caps,
        "platformName": "Android",
        "automationName": session.caps.get("automationName", "UiAutomator2"),
        "deviceName": serial,  # the adb serial (appium-uiautomator2-driver lib/uiautomator2-server/session.ts)
        "deviceUDID": serial,
        "platformVersion": info["platformVersion"],
        "appPackage": session.device.package,
        "appActivity": session.world.activity,
        "pixelRatio": info["displayDensity"] / 160,
        "statBarHeight": status_bar,
        "viewportRect": {"left": 0, "top": status_bar, "width": width, "height": height - status_bar},
        # A recording may not say its API level.
        "deviceApiLevel": int(info["apiVersion"]) if str(info["apiVersion"]).isdigit() else None,
        "deviceManufacturer": info["manufacturer"],
        "deviceModel": info["model"],
        "deviceScreenSize": info["realDisplaySize"],
        "deviceScreenDensity": info["displayDensity"],
        "sim:world": session.world.name,
        "sim:appVersion": session.device.release.app_version,
        "sim:release": session.device.release.name,
        "sim:uiVariant": session.device.release.name,  # the release's older name, for clients that read it
    }


def app_id_body(session: Any, body: Any) -> dict[str, Any]:
    """The app of an /appium/device/*_app request: `appId` or `bundleId`, named as the face's mobile: method wants."""
    if not isinstance(body, dict) or not (body.get("appId") or body.get("bundleId")):
        raise InvalidArgument(
            'Parameters were incorrect. We wanted {"required":[["appId"],["bundleId"]]} and you sent '
            + json.dumps(list(body) if isinstance(body, dict) else [])
        )
    name = "bundleId" if isinstance(session, IosSession) else "appId"
    return {name: body.get("appId") or body.get("bundleId")}


def field(body: Any, name: str) -> Any:
    if not isinstance(body, dict) or name not in body:
        raise InvalidArgument(f"The request body must be an object with '{name}'")
    return body[name]


def b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


# What XML 1.0 cannot hold (UiAutomator2's XMLHierarchy.java keeps the same class of characters out of the page
# source): an XPath naming one is not an expression javax.xml.xpath compiles, so UiAutomator2 answers
# `invalid selector`, where lxml would raise a ValueError.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def find(session: Session, body: Any, parent: str | None, multiple: bool) -> Any:
    using, value = field(body, "using"), field(body, "value")
    if using == "xpath" and isinstance(value, str) and _NOT_XML.search(value):
        raise InvalidSelector(f"Invalid XPath expression {value[:200]!r}: it holds a character XML cannot "
                              "(such as NUL)")
    return session.find(using, value, parent, multiple)


def send_keys(session: Session, body: Any, eid: str) -> None:
    text = body.get("text") if isinstance(body, dict) else None
    if text is None and isinstance(body, dict) and isinstance(body.get("value"), list):
        text = "".join(body["value"])
    if not isinstance(text, str):
        raise InvalidArgument("The request body must have 'text' (a string)")
    session.send_keys(eid, text)


def get_timeouts(session: Session) -> dict[str, int]:
    # base-driver getTimeouts: the new-command timeout and the implicit wait, nothing else
    return {"command": int(session.new_command_timeout * 1000), "implicit": session.implicit_wait_ms}


def _timeout_ms(value: Any) -> int:
    # base-driver parseTimeoutArgument: parseInt, and an unknown error for what is not a number >= 0;
    # past W3C's 2**53 - 1 ms (or not finite) the request itself is refused, as Appium's JSON layer would
    if isinstance(value, float) and not (math.isfinite(value) and value <= MAX_SAFE_INT):
        raise InvalidArgument(f"a timeout must be a number of milliseconds from 0 to {MAX_SAFE_INT}")
    try:
        ms = int(float(value)) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        ms = None
    if ms is None or ms < 0:
        raise UnknownError(f"Invalid timeout value '{value}'")
    return ms


def set_timeouts(session: Session, body: Any) -> None:
    """POST /timeouts as base-driver's `timeouts` answers it for a native (UiAutomator2) session."""
    if not isinstance(body, dict):
        raise InvalidArgument("timeouts must be an object")
    kind, ms = body.get("type"), body.get("ms")
    if isinstance(kind, str) and ms is not None:  # the legacy {type, ms} form Appium still takes
        if kind == "command":
            session.new_command_timeout = _timeout_ms(ms) / 1000
        elif kind == "implicit":
            session.implicit_wait_ms = _timeout_ms(ms)
        elif kind in ("page load", "script"):
            raise UnknownMethod(f"Not implemented yet for {'pageLoad' if kind == 'page load' else 'script'}.")
        else:
            raise UnknownError(f"'{kind}' type is not supported for the timeout API")
        return
    if all(body.get(name) is None for name in ("script", "pageLoad", "implicit")):
        raise InvalidArgument("W3C protocol expects any of script, pageLoad or implicit to be set")
    for name in ("script", "pageLoad"):
        if body.get(name) is not None:
            raise UnknownMethod(f"Not implemented yet for {name}.")
    session.implicit_wait_ms = _timeout_ms(body["implicit"])


def execute(session: Session, body: Any) -> Any:
    return session.execute(field(body, "script"), body.get("args", []))


def update_settings(session: Session, body: Any) -> None:
    settings = field(body, "settings")
    if not isinstance(settings, dict):
        raise InvalidArgument("'settings' must be an object")
    session.settings.update(settings)


def set_orientation(session: Session, body: Any) -> None:
    value = str(field(body, "orientation")).upper()
    if value not in ("PORTRAIT", "LANDSCAPE"):
        raise InvalidArgument("orientation must be PORTRAIT or LANDSCAPE")
    session.orientation = value
