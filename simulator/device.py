"""A virtual Android phone running the TikTok app: navigation, taps, scrolls, pop-ups, app lifecycle.

The device owns the app model of one session and turns it into windows of views. It knows nothing
of HTTP or WebDriver; the session layer above it does.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import count

from tiktok_promo.simulator import recycler
from tiktok_promo.simulator.model import CANCELED, RuleViolation
from tiktok_promo.simulator.motion import Motion
from tiktok_promo.simulator.ui import screens
from tiktok_promo.simulator.ui.app_releases import device_release
from tiktok_promo.simulator.ui.localise import Localiser
from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node
from tiktok_promo.simulator.ui.releases import screens_of
from tiktok_promo.simulator.world import World

# Android's ActivityManager app states, as `mobile: queryAppState` reports them.
NOT_INSTALLED, NOT_RUNNING, RUNNING_IN_BACKGROUND, RUNNING_IN_FOREGROUND = 0, 1, 3, 4
# Activities as Android names them for this app: their classes live outside the app's package
# (com.zhiliaoapp.musically), so getCurrentActivity answers the full class name, not a ".x" short
# form (docs/app-facts.md: MainActivity is seen; the others are guesses in the same tree).
_APP_CODE = "com.ss.android.ugc.aweme"
_ACTIVITIES = {
    "feed": f"{_APP_CODE}.main.MainActivity",
    "profile": f"{_APP_CODE}.main.MainActivity",
    "menu": f"{_APP_CODE}.main.MainActivity",
    "creator_tools": f"{_APP_CODE}.creatortools.CreatorToolsActivity",
    "promotions": f"{_APP_CODE}.promote.PromoteListActivity",
    "details": f"{_APP_CODE}.promote.PromoteDetailActivity",
    "confirm": f"{_APP_CODE}.promote.PromoteDetailActivity",
    "create_promotion": f"{_APP_CODE}.promote.PromoteCreateActivity",
    "logged_out": f"{_APP_CODE}.account.login.LoginActivity",
}
# A toast stays in the source this long on the device's clock, whatever the commands (appium-uiautomator2-server,
# model/NotificationListener.java: TOAST_CLEAR_TIMEOUT).
TOAST_SECONDS = 3.5


@dataclass
class Route:
    """One screen on the back stack; `instance` makes its views new objects each time it is opened."""

    name: str
    param: str | None
    instance: int
    scroll: int = 0
    opened_at: float = field(default_factory=time.monotonic)
    order: tuple[str, ...] | None = None  # a list's promotion IDs as a reload sorted them (None: the app's order)
    loading_until: float = 0.0  # a reloading list shows its progress indicator until then (monotonic)


class AppLifecycle(Motion):
    """What any virtual phone does with the app under test: run it, send it home, stop it."""

    package: str
    app_state: int
    foreground_package: str
    stack: list

    def _changed(self) -> None:
        raise NotImplementedError

    def system_windows(self) -> tuple[Node, ...]:
        """Android's own windows (status bar, navigation bar) when the phone has them; none by default."""
        return ()

    def _forget_screens(self) -> None:
        self.stack = []

    def terminate(self) -> bool:
        was_running = self.app_state != NOT_RUNNING
        self.app_state = NOT_RUNNING
        self._forget_screens()
        self.foreground_package = screens.LAUNCHER_PACKAGE
        self._changed()
        return was_running

    def home(self) -> None:
        self.transition = None
        if self.app_state == RUNNING_IN_FOREGROUND:
            self.app_state = RUNNING_IN_BACKGROUND
        self.foreground_package = screens.LAUNCHER_PACKAGE
        self._changed()

    @property
    def in_foreground(self) -> bool:
        return self.app_state == RUNNING_IN_FOREGROUND and self.foreground_package == self.package


class Device(AppLifecycle):
    """The phone and the app on it, for one session."""

    def __init__(self, world: World, slow_list_ms: int = 0, list_seed: int = 0, list_refresh: bool = True,
                 transitions: bool = True) -> None:
        self.world = world
        self.transitions = transitions
        self.model = world.build()
        release = device_release(world.release)
        version = world.spec.app.app_version
        self.release = replace(release, app_version=version) if version else release
        self.ui = screens_of(world.release)
        self.words = Localiser(world.release, world.locale, world.time_zone)
        self.package = world.package
        self.slow_list_ms = slow_list_ms
        self.list_refresh = recycler.ListRefresh(world.name, list_seed, list_refresh)
        self.app_state = NOT_RUNNING
        self.foreground_package = screens.LAUNCHER_PACKAGE
        self.stack: list[Route] = []
        self.popups: list[str] = []
        self.pending_popups = world.popups
        # The pop-up kinds this face's phone shows; a world's others (iOS's own alerts on Android) never appear.
        self.popup_kinds: frozenset[str] = frozenset(screens.POPUP_KINDS)
        self.toast: tuple[str, float] | None = None  # the message, and when it leaves (device clock)
        self.feed_index = 0
        self.version = 0
        self._instances = count(1)
        self._cache: tuple[tuple, list[Node]] | None = None
        self._toast_node: Node | None = None
        self._system: tuple[Node, ...] | None = None
        self.taps = 0
        # The session's fault injector decides whether a confirm fails; a plain device never does.
        self.confirm_fails: Callable[[], bool] = lambda: False
        self.confirm_landed: Callable[[], None] = lambda: None  # told when a confirm reached the app

    # --- app lifecycle -------------------------------------------------------------------
    def launch(self) -> None:
        """Start the app (or bring it to the front) on its first screen."""
        if self.app_state == RUNNING_IN_BACKGROUND and self.stack:
            self.app_state = RUNNING_IN_FOREGROUND
        else:
            self.app_state = RUNNING_IN_FOREGROUND
            self.stack = []
            self._open("feed" if self.model.logged_in else "logged_out", replace_all=True)
            self._show_popups("launch")
        self.foreground_package = self.package
        self._changed()

    def _forget_screens(self) -> None:
        super()._forget_screens()
        self.popups = []

    @property
    def current_activity(self) -> str:
        if not self.in_foreground:
            return ".NexusLauncherActivity"
        name = self.stack[-1].name
        return self.ui.activities.get(name) or _ACTIVITIES.get(name, _ACTIVITIES["feed"])

    @property
    def web_page_open(self) -> bool:
        """Whether a WebView with a page is alive in the app (what makes Appium list a WEBVIEW context)."""
        return self.app_state != NOT_RUNNING and any(r.name in self.ui.web_screens for r in self.stack)

    # --- navigation -----------------------------------------------------------------------
    def _open(self, name: str, param: str | None = None, replace_all: bool = False) -> None:
        route = Route(name, param, next(self._instances))
        if replace_all:
            self.stack = [route]
        else:
            self.stack.append(route)
        self._show_popups(name)

    def _show_popups(self, screen: str) -> None:
        due = [p for p in self.pending_popups if p.on == screen]
        if due:
            self.pending_popups = [p for p in self.pending_popups if p.on != screen]
            self.popups.extend(p.kind for p in due if p.kind in self.popup_kinds)

    def interrupt(self, kind: str) -> None:
        """An unexpected pop-up appears over whatever is on screen."""
        if self.in_foreground and kind not in self.popups and kind in self.popup_kinds:
            self.popups.append(kind)
            self._changed()

    def rerender(self) -> None:
        """The top screen redraws: views it held are new objects, old element ids go stale."""
        if self.stack:
            self.stack[-1].instance = next(self._instances)
            self._changed()

    def back(self) -> None:
        """Android's BACK key."""
        if not self.in_foreground:
            return
        if self.popups:
            self.popups.pop()
        elif len(self.stack) > 1:
            self._returned(self.stack.pop())
            self.transition = None  # the screen gone back to was at rest: it shows where it rests at once
        else:
            self.home()
        self._changed()

    def _changed(self) -> None:
        self.version += 1

    def _returned(self, left: Route) -> None:
        """The app came back to the screen under `left`: a list it returns to may reload (simulator/recycler.py)."""
        route = self.stack[-1]
        if route.name != "promotions" or left.name != "details":
            return
        cancelled = left.param is not None and any(p.id == left.param and p.status == CANCELED
                                                   for p in self.model.promotions)
        refresh = self.list_refresh.on_return(after_cancel=cancelled)
        if refresh is None:
            return
        route.loading_until = time.monotonic() + refresh.loading_ms / 1000
        if refresh.sort_by_status:
            route.order = recycler.by_status(self._context(route).listed())
        if refresh.to_top:
            route.scroll = 0
        else:  # fewer rows than before cannot leave the list scrolled past its end
            viewport, content = self.ui.list_layout(self._context(route))
            route.scroll = min(route.scroll, max(0, content - viewport))

    # --- what is on screen ----------------------------------------------------------------
    def _loading(self, route: Route) -> bool:
        return route.name == "promotions" and (
            (self.slow_list_ms > 0 and (time.monotonic() - route.opened_at) * 1000 < self.slow_list_ms)
            or time.monotonic() < route.loading_until
        )

    def windows(self) -> list[Node]:
        """The windows on screen, bottom to top; the last is the active one UiAutomator2 reports."""
        self._expire_toast()
        top = self.stack[-1] if self.stack else None
        key = (self.version, top is not None and self._loading(top))
        if self._cache and self._cache[0] == key:
            windows = self._cache[1]
        else:
            windows = self._build()
            self._cache = (key, windows)
        return self.in_motion(windows, self._moving_from, self.size)

    @property
    def _moving_from(self) -> int:
        """Index of the newest route's window in windows(): it and what shows over it come in together."""
        if not self.in_foreground:
            return 0
        base = max(i for i, r in enumerate(self.stack) if r.name not in self.ui.overlays or i == 0)
        return len(self.stack) - 1 - base

    @property
    def feed_showing(self) -> bool:
        """Whether the feed (a video that keeps playing) is on screen: the app is then never idle."""
        return self.in_foreground and bool(self.stack) and self.stack[-1].name == "feed"

    def idle_in(self) -> float:
        """Seconds until the app is idle as UiAutomator's waitForIdle sees it (inf: never, the feed plays)."""
        return float("inf") if self.feed_showing else self.settle_seconds()

    def _context(self, route: Route | None) -> screens.ScreenContext:
        return screens.ScreenContext(
            model=self.model,
            release=self.release,
            package=self.package,
            param=route.param if route else None,
            scroll=route.scroll if route else 0,
            loading=route is not None and self._loading(route),
            feed_index=self.feed_index,
            words=self.words,
            order=route.order if route else None,
        )

    def _build(self) -> list[Node]:
        if not self.in_foreground:
            return [self._stamp(screens.launcher(self._context(None)), "home")]
        base = max(i for i, r in enumerate(self.stack) if r.name not in self.ui.overlays or i == 0)
        windows = [
            self._stamp(self.ui.builders[r.name](self._context(r)), str(r.instance)) for r in self.stack[base:]
        ]
        windows.extend(
            self._stamp(screens.popup(self._context(None), kind), f"popup{i}") for i, kind in enumerate(self.popups)
            if kind in screens.POPUPS  # another face draws its system's own alerts itself
        )
        # A toast is no view of any window: the server adds it to the hierarchy root (see toasts()).
        toast = screens.toast(self._context(None), self.toast[0]) if self.toast else None
        self._toast_node = self._stamp(toast, "toast") if toast else None
        return windows

    def toasts(self) -> list[Node]:
        """The toast on screen (at most one), apart from the windows as UiAutomator2 reports it."""
        self.windows()
        return [self._toast_node] if self._toast_node is not None else []

    def show_toast(self, message: str) -> None:
        self.toast = (message, self.clock() + TOAST_SECONDS)

    def _expire_toast(self) -> None:
        if self.toast is not None and self.clock() >= self.toast[1]:
            self.toast = None
            self._changed()

    @staticmethod
    def _stamp(root: Node, instance: str) -> Node:
        for node in root.walk():
            node.key = f"{instance}:{node.key}"
        return root

    def system_windows(self) -> tuple[Node, ...]:
        """Android's status bar and navigation bar (the same views for the whole session)."""
        if self._system is None:
            self._system = screens.system_windows(self.words.language)
        return self._system

    def active_window(self) -> Node:
        return self.windows()[-1]

    def tick(self) -> None:
        """One command went by (a toast leaves by the clock, not by commands)."""
        self._expire_toast()

    # --- touch ----------------------------------------------------------------------------
    def node_at(self, x: float, y: float) -> Node | None:
        """The deepest view of the active window under a point (what a finger would hit). While a new screen
        comes in, a point it does not cover yet lands on the window it is covering."""
        windows = self.windows()
        window = windows[-1]
        transition = self.moving()
        if transition is not None and not (window.displayed and window.contains(x, y)):
            under = windows[:-1] or transition.below[-1:]
            window = under[-1] if under else window
        hit = None
        for node in window.walk():
            if node.displayed and node.contains(x, y):
                hit = node
        return hit

    def tap(self, x: float, y: float) -> None:
        node = self.node_at(x, y)
        if node is not None:
            self.click(node)

    def click(self, node: Node) -> None:
        """Tap a view: the app does what the view (or the nearest clickable parent) is for."""
        target = node.find_action_target()
        if not target.enabled or target.action is None:
            return
        self.taps += 1
        below, before = self.windows(), self._top()
        self._perform(target.action)
        self._changed()
        self._come_in(before, below)

    def _top(self) -> tuple[str, int] | None:
        return (self.stack[-1].name, self.stack[-1].instance) if self.in_foreground and self.stack else None

    def _come_in(self, before: tuple[str, int] | None, below: list[Node]) -> None:
        """A tap opened a screen: it comes in as its kind does (a screen gone back to rests at once)."""
        top = self._top()
        # Only a screen opened by this tap moves: not one gone back to, nor the same screen redrawn (a web
        # page's filter, the Home tab on the feed).
        if top is None or (before is not None and (top[1] <= before[1] or top[0] == before[0])):
            return
        name = top[0]
        kind = "dialog" if name == "confirm" else "sheet" if name in self.ui.overlays else "page"
        self.begin(kind, below)

    def _perform(self, action: str) -> None:
        verb, _, arg = action.partition(":")
        if verb == "tab":
            if arg == "home":
                self._open("feed", replace_all=True)
            elif arg == "profile":
                self._open("profile" if self.model.logged_in else "logged_out", replace_all=True)
        elif verb == "open":
            name, _, param = arg.partition(":")
            if self.stack and self.stack[-1].name == "menu":
                self.stack.pop()
            self._open(name, param or None)
        elif verb == "cancel":
            self._open("confirm", arg)
        elif verb == "confirm":
            self.stack.pop()
            if self.confirm_fails():
                self.show_toast("Something went wrong. Please try again.")
                return
            self.confirm_landed()
            try:
                self.model.cancel(arg)
            except RuleViolation:
                self.show_toast("This promotion has already ended.")
        elif verb in ("keep", "close_sheet", "back"):
            self.back()
        elif verb == "create_new":
            self._open("create_promotion", arg)
        elif verb == "dismiss_popup":
            if self.popups:
                self.popups.pop()
        elif verb == "popup_primary":
            self.popups.pop()
            if arg == "update":
                # The update button leaves the app for the store, as the real prompt does.
                self.app_state = RUNNING_IN_BACKGROUND
                self.foreground_package = "com.android.vending"
        elif verb == "launch":
            self.launch()
        elif verb == "android_home":  # the navigation bar's Home: the app goes to the background
            self.home()
        elif verb in ("pause", "resume"):
            with contextlib.suppress(RuleViolation):  # a stale page: the next render shows it as it is
                getattr(self.model, verb)(arg)
        elif verb == "filter" and self.stack:
            # A tab of a web page: the same page with another filter, from the top of its list.
            route = self.stack[-1]
            route.param, route.scroll, route.instance = arg, 0, next(self._instances)

    def scroll(self, x: float, y: float, dy: float) -> bool:
        """A swipe from (x, y) moving content by dy pixels (positive: towards the end); moved or not."""
        node = self.node_at(x, y)
        while node is not None and not node.scrollable:
            node = node.parent
        if node is not None and node.cls == screens.HSCROLL:
            return False  # a strip that scrolls sideways: an up or down swipe on it moves nothing
        if node is None or not self.stack:
            return False
        route = self.stack[-1]
        if route.name == "feed":
            if dy > 0:
                self.feed_index += 1  # the next video is a new view; the bottom bar stays the same views
                self._changed()
            return dy > 0
        if route.name != "promotions":
            return False
        viewport, content = self.ui.list_layout(self._context(route))
        limit = max(0, content - viewport)
        new = int(min(max(route.scroll + dy, 0), limit))
        moved = new != route.scroll
        route.scroll = new
        if moved:
            self._changed()
        return moved

    def can_scroll(self, node: Node, forward: bool = True) -> bool:
        route = self.stack[-1] if self.stack else None
        if route is None or route.name != "promotions":
            return node.scrollable
        viewport, content = self.ui.list_layout(self._context(route))
        return route.scroll < content - viewport if forward else route.scroll > 0

    @property
    def status_bar_height(self) -> int:
        return screens.STATUS_BAR

    @property
    def size(self) -> tuple[int, int]:
        return SCREEN_WIDTH, SCREEN_HEIGHT
