"""What every session of the virtual device has, whatever platform it answers as.

The app model is one (a World built into a Device: promotions, navigation, pop-ups, the release, the language);
a platform is a face over it. A face's session (simulator.session.Session for Android and UiAutomator2,
simulator.ios.session.IosSession for iOS and WebDriverAgent) says how the current screen reads as its element
tree and how its taps and gestures reach the app. What is common lives here:

- the fault gate: before a command the session's fault plan may strike (a pop-up, a re-render, a transient
  error), after it the device log and a running screen recording keep what happened;
- the element ids handed out and the implicit-wait find loop (simulator.elements);
- the `mobile:` table (simulator.execute) and W3C pointer actions (simulator.pointer);
- the stats the sim's probes read, its own `mobile: sim*` methods, and the app's lifecycle commands.

Commands of one session run one at a time (its lock), as a real automation server serialises them; sessions are
independent of each other.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from tiktok_promo.simulator import elements, pointer
from tiktok_promo.simulator import execute as methods
from tiktok_promo.simulator.contexts import Contexts
from tiktok_promo.simulator.device import NOT_INSTALLED, Device
from tiktok_promo.simulator.errors import InvalidArgument, NoSuchElement, StaleElement, UnknownError
from tiktok_promo.simulator.faults import FaultInjector, FaultPlan
from tiktok_promo.simulator.logs import DeviceLog
from tiktok_promo.simulator.mobile_device import PhoneState
from tiktok_promo.simulator.screen_recording import ScreenRecording
from tiktok_promo.simulator.security import InsecureFeatures
from tiktok_promo.simulator.stats import Stats
from tiktok_promo.simulator.world import LATEST_CLOCK, World

TRANSIENT_ERROR = ("An unknown server-side error occurred while processing the command. "
                   "Original error: Could not proxy command to the remote server. Original error: socket hang up")


class SessionCore:
    """One session's device, element ids, timeouts, faults and counters; a platform's session builds on it."""

    platform = ""  # "Android" or "iOS": what platformName the session answers as
    driver_name = ""  # the driver class its errors name
    app_argument = "appId"  # what the driver's app-management methods call the app: appId, or iOS's bundleId
    app_noun = "the package name of an application"
    not_installed = "Cannot start the '{app}' application: it is not installed on the device"
    touch_slop = pointer.TouchSlop(distance=20, long_press_ms=500)

    def __init__(self, caps: dict[str, Any], world: World, plan: FaultPlan, transitions: bool = True) -> None:
        self.id = str(uuid.uuid4())
        self.caps = caps
        self.world = world
        self.faults = FaultInjector(plan)
        self.device = Device(world, slow_list_ms=plan.slow_list_ms, list_seed=plan.seed,
                             list_refresh=plan.list_refresh, transitions=transitions)
        self.device.confirm_fails = self.faults.confirm_fails
        self.device.confirm_landed = self.faults.confirm_landed
        self.lock = threading.RLock()
        self.stats = Stats()
        self.implicit_wait_ms = 0
        self.orientation = "PORTRAIT"
        self.new_command_timeout = float(caps.get("newCommandTimeout", 60))
        self.last_used = time.monotonic()
        self.created_ms = int(time.time() * 1000)  # base-driver sessionCreationTimestampMs
        self.dead = False
        self.element_ids = elements.ElementIds()
        self.contexts = Contexts(self)
        self.security = InsecureFeatures()  # the server's, set when it admits the session
        self.phone = PhoneState(self)
        self.logs = DeviceLog(self.phone.now, lambda: self.security)
        self.screen_recording = ScreenRecording(self._kept_screen, self.log_event, self._screen_objects,
                                                lambda: self.device.moving() is not None)
        self.mobile: dict[str, methods.MobileMethod] = {}

    # --- which routes a face answers ---------------------------------------------------------
    def serves(self, route: str) -> bool:
        """Whether this face's driver has the route ("METHOD /template"); the server answers unknown command if not."""
        return True

    # --- the fault gate -------------------------------------------------------------------
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
            raise UnknownError(TRANSIENT_ERROR)

    def after_command(self) -> None:
        """What the phone keeps of a command once it ran: its log lines, and a picture for a running recording."""
        self.logs.observe(self.device)
        self.screen_recording.after_command()

    def _screen_objects(self) -> tuple[Any, ...]:
        """The windows list, each toast and the orientation: new objects whenever the screen changes."""
        return (self.device.windows(), *self.device.toasts(), self.orientation)

    def _kept_screen(self) -> Callable[[], bytes]:
        raise NotImplementedError

    def screenshot(self) -> bytes:
        raise NotImplementedError

    def log_event(self, level: str, tag: str, message: str) -> None:
        self.logs.event(level, tag, message)

    def searches_beyond_one(self, route: str, body: Any, params: dict[str, Any], answer: Any) -> int:
        """How many more searches of the screen than one a command makes (phone-like costs); none by default."""
        return 0

    def take_swipes(self) -> int:
        """The swipes the last command made inside a find (a phone charges each); none by default."""
        return 0

    def screen_nodes(self) -> int:
        """How many nodes the page source of the screen now holds (what a dump or a search walks)."""
        raise NotImplementedError

    # --- elements -------------------------------------------------------------------------
    def _id_for(self, node: Any) -> str:
        return self.element_ids.id_for(node)

    def _element_roots(self) -> list[Any]:
        """Every tree an element id may point into (the screen as this face shows it)."""
        raise NotImplementedError

    def node(self, element_id: str) -> Any:
        """What an element id points at, if it is still on screen."""
        key = self.element_ids.key_of(element_id)
        if key is None:
            raise NoSuchElement(f"The element identified by {element_id!r} is not known in this session")
        found = self.element_ids.find_key(key, self._element_roots())
        if found is None:
            raise StaleElement(f"The element '{element_id}' does not exist in DOM anymore")
        return found

    def count_find_wait(self, seconds: float) -> None:
        self.stats.find_wait += seconds

    # --- W3C actions --------------------------------------------------------------------------
    def perform_actions(self, sources: Any) -> None:
        """Pointer input: a short press in place is a tap, a long one a long press, one that moves a swipe."""
        pointer.perform(sources, self, self.touch_slop)

    def element_center(self, element_id: str) -> tuple[float, float]:
        raise NotImplementedError

    def tap(self, x: float, y: float) -> None:
        raise NotImplementedError

    def long_press(self, x: float, y: float) -> None:
        """A press held in place: no view of the app answers one."""

    def swipe(self, start: tuple[float, float], end: tuple[float, float], last_move_ms: float,
              last_move_distance: float) -> None:
        raise NotImplementedError

    # --- mobile: execute methods ------------------------------------------------------------
    def execute(self, script: str, args: Any) -> Any:
        """An execute command: this face's `mobile:` methods (simulator.execute)."""
        return methods.run(self.mobile, self.driver_name, script, args)

    def sim_methods(self) -> dict[str, methods.MobileMethod]:
        """The sim's own `mobile: sim*` methods: probes and the app's clock, on every face."""
        return {
            "simAdvanceClock": (self._advance_clock, (), ("seconds", "minutes", "hours", "days")),
            "simStats": (lambda _: self.stats_json(), (), ()),
            "simLedger": (lambda _: self.device.model.snapshot(), (), ()),
        }

    def _advance_clock(self, params: dict) -> str:
        units = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
        seconds = 0.0
        for unit, factor in units.items():
            value = params.get(unit, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidArgument(f"'mobile: simAdvanceClock' {unit} must be a number >= 0")
            seconds += value * factor
        if not seconds <= (LATEST_CLOCK - self.device.model.clock).total_seconds():  # NaN compares false too
            raise InvalidArgument(f"'mobile: simAdvanceClock' would take the clock past {LATEST_CLOCK.isoformat()}, "
                                  "the last date a phone's clock can show")
        self.device.model.advance_clock(seconds)
        self.device.version += 1
        return self.device.model.clock.isoformat()

    # --- the app under test ---------------------------------------------------------------------
    @property
    def app_under_test(self) -> str:
        """The app the session drives, as the driver's app-management methods name it."""
        return self.device.package

    def _app(self, params: dict) -> str:
        app = params.get(self.app_argument)
        if not isinstance(app, str) or not app:
            raise InvalidArgument(f"'{self.app_argument}' must be {self.app_noun}")
        return app

    def _activate_app(self, params: dict) -> None:
        app = self._app(params)
        if app != self.app_under_test:
            raise UnknownError(self.not_installed.format(app=app))
        self.device.launch()

    def _terminate_app(self, params: dict) -> bool:
        return self._app(params) == self.app_under_test and self.device.terminate()

    def _query_app_state(self, params: dict) -> int:
        """The app's state (Android's and iOS's numbers agree: 0 not installed or unknown, 1 not running,
        3 in the background, 4 in front); an app not installed is 0."""
        return self.device.app_state if self._app(params) == self.app_under_test else NOT_INSTALLED

    def _background_app(self, params: dict) -> bool:
        """mobile: backgroundApp: HOME, then (seconds >= 0) the app back in front after that long."""
        seconds = params.get("seconds", -1)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise InvalidArgument("'seconds' must be a number")
        self.device.home()
        if seconds >= 0:
            time.sleep(min(float(seconds), 5.0))  # the driver sleeps too; capped so a test cannot hang
            self.device.launch()
        return True

    # --- about the session -------------------------------------------------------------------
    def device_info(self) -> dict[str, Any]:
        raise NotImplementedError

    def stats_json(self) -> dict[str, Any]:
        data = self.stats.to_json()
        data["faults"] = dict(self.faults.injected)
        data["taps"] = self.device.taps
        return data
