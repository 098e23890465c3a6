"""The finder: how pages find, tap, read and scroll on the device, with waits, clearing pop-ups on the way.

The implicit wait is 0 on purpose. With an implicit wait the server holds every find until it
succeeds or times out, so a probe for a pop-up would cost the full wait each time it finds nothing,
and a target with several candidates would wait once per wrong candidate. With 0, a find answers at
once and the finder decides client-side: one find with the remembered candidate (the happy path: one
command); on a miss, one page source shows whether a known pop-up is in the way (dismiss it, look
again at once) and which candidate, if any, is on screen (find only that one); otherwise pause and
look again until a monotonic deadline.

Recovery that is always safe happens here, below the pages: a find whose element went stale is made
again; a known pop-up over the target is dismissed (the finder decides when: at a wait's miss, at a fresh
look, before a tap on iOS; how a pop-up or iOS's own alert is closed is harness.ui.popup_clearing's); a
spinner on screen extends a wait (up to `busy_timeout`); a transient server error (HTTP 500 `unknown error`)
is retried for commands that only look and for idempotent ones. A tap that got such an error is repeated only
if its target still shows, and never for the confirm of a cancel (`retry_if_unsure=False`: the caller re-reads
the app instead).
What is not safe to repeat here ends in one classified error (harness.ui.calls): `SessionLost`, `DeviceHiccup`,
`UnsureTap`, `TargetNotFound` (see flows.recovery for what happens next).

A screen is read the cheaper of two ways (harness.ui.costs): one page source, from which every value
is read locally (a Snapshot), or a find and a read per value asked (a LiveScreen). A step says how many
targets it will ask about; the finder weighs one page source on this screen against that many finds and
reads, at the costs this session's own commands have shown. On a phone two or three values go by finds;
through a slow network, or for a whole details screen, one page source wins.

A phone's screens come in over a few hundred ms (a page slides in, a sheet rises), and the session runs with
`waitForIdleTimeout` at 0 (harness.run.session says why), so what the device answers right after a tap can show
a screen still coming in. Only what is read from a page source needs that screen at rest: a tap at a place
taken from it, and what it says is not there (a row still off the screen is not in it). So a page source whose
window is still moving is read again until it rests (a few reads per screen coming in, nothing when it rests
at once). A find and an element's text need no rest: a find misses a view not on the screen yet, which the
wait after it sees in the page source; a view clicked as an element is tapped where it is at that moment, as
UiAutomator2 taps it (at its visible centre, its bounds read again). Nothing waits at a fixed time after a tap.

A tap needs no find when the screen was just read. A view found on the screen as it stands (a live
look) is tapped as it is. A page source taken a moment ago, with no command since that could have
changed the screen, already holds where the target is, so one tap at its place (`mobile: clickGesture`,
as UiAutomator2 taps an element: at its visible centre) replaces find + click.

A tap's answer does not say the app took it; the screen it opens does. A tap that names what it opens (`opens`) is
confirmed after it by harness.ui.tap_confirmation, which also makes again a tap that met nothing and keeps what the
opened screen showed: the next tap or wait on that, with no command sent since, takes those views without a find.

The finder speaks the platform the session runs on (`platform`, set once from the session's capabilities; pages,
flows and steps never ask it): a candidate's strategy is the platform's (harness.ui.locators); a tap at a place is
UiAutomator2's `mobile: clickGesture` or XCUITest's `mobile: tap`, both at the place in the page source's own
units (pixels, points); a pop-up with nothing safe to tap is closed by Android's BACK key or, on iOS, which has
none, by a swipe down over it (harness.ui.popup_clearing); a list scrolls by UiAutomator2's
`mobile: scrollGesture` over its area, or on iOS by a swipe over it (XCUITest's scroll gestures need the list's
element), and a find that scrolls a row into view is, on iOS, a find, then `mobile: scroll` to the row by its predicate,
then the find once more. WDA finds what a pop-up covers too, so on iOS a tap first looks at one page source
(closing a known pop-up on top) and taps at the place it shows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, cast

from lxml import etree
from selenium.common.exceptions import (
    InvalidArgumentException,
    InvalidSelectorException,
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.errors import HarnessError, TargetNotFound
from tiktok_promo.harness.ui.calls import (
    CONTACT_LOST,
    TRANSIENT_RETRIES,
    answer_lost,
    call,
    device_error,
    is_transient,
    lost_answer_tap,
    unsure_tap,
)
from tiktok_promo.harness.ui.costs import CommandCosts, Kind
from tiktok_promo.harness.ui.drift import DriftRecord
from tiktok_promo.harness.ui.driver import CountingRemote, changes_screen
from tiktok_promo.harness.ui.live import LiveScreen, Screen
from tiktok_promo.harness.ui.locators import (
    ANDROID,
    IOS,
    SCROLL_TO_DESCRIPTION,
    SCROLL_TO_TEXT,
    XPATH,
    Candidate,
    LocatorMemory,
    Target,
    android_xpath,
    ios_xpath,
    names_of,
)
from tiktok_promo.harness.ui.locators import target as make_target
from tiktok_promo.harness.ui.popup_clearing import PopupClearer
from tiktok_promo.harness.ui.popup_guard import PopupGuard
from tiktok_promo.harness.ui.snapshot import ScreenNode, Snapshot
from tiktok_promo.harness.ui.tap_confirmation import TapConfirmation
from tiktok_promo.harness.ui.waits import Deadline, WaitTally

Observer = Callable[[str, str], None]
_TAP_ATTEMPTS = 5  # re-renders or hiccups under one tap before it counts as failed
_HELD_FOR = 2.0  # seconds a page source stands for the screen (no screen-changing command since) for a tap
# A screen opened by a tap comes in over a few hundred ms (Android's medium animation time is 400 ms). A page
# source that shows one moving is read again after this pause, a few reads per screen, not one a frame; a
# window said to move for longer than _REST_WITHIN is taken as it reads (a screen that never rests is the
# caller's to wait on, by what it shows).
_REST_POLL = 0.05
_REST_WITHIN = 2.0
_FINDS_FIRST = 0.5  # seconds a wait looks by finds alone where a page source costs more (longer than a transition)
_FINDS_FIRST_GAIN = 0.1  # seconds a page source must cost more than a find for that
# The page source's screen size, and its first window's bounds: the active window's root (the source lists the
# active window only unless enableMultiWindows is on, and then the status bar comes first, which never moves).
_SCREEN_SIZE = re.compile(r'<hierarchy\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')
_FIRST_BOUNDS = re.compile(r'\bbounds="\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]"')
# WDA's page source: the Application's size in points, and every screen of the app a child of its Window, the top
# one last (a toast, a StaticText, after it). WDA gives an element's whole frame, not cut at the screen's edge, so a
# screen coming in reads as one reaching past the right or bottom edge.
_IOS_SCREEN_SIZE = re.compile(r'<XCUIElementTypeApplication\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')
# Execute methods that change the screen but may be repeated: the second run ends where the first did.
_IDEMPOTENT_SCRIPTS = {"mobile: terminateApp", "mobile: activateApp"}
# App-management methods: UiAutomator2 names the app `appId`, XCUITest `bundleId` (appium/appium-xcuitest-driver
# lib/commands/app-management.js).
_APP_METHODS = {"mobile: terminateApp", "mobile: activateApp", "mobile: queryAppState", "mobile: removeApp",
                "mobile: isAppInstalled"}
# The progress indicator of each platform: while it shows, the app is working and a wait is worth extending.
BUSY = make_target("loading spinner", android_xpath("//android.widget.ProgressBar"),
                   ios_xpath("//XCUIElementTypeActivityIndicator"))
# What UiScrollable(new UiSelector().scrollable(true)) scrolls; on iOS, the views whose content scrolls.
_SCROLLABLE = make_target("scrollable view", android_xpath("//*[@scrollable='true']"), ios_xpath(
    "//XCUIElementTypeScrollView | //XCUIElementTypeTable | //XCUIElementTypeCollectionView"))
_SWIPE_MS = 400  # an iOS list swipe: slow enough to scroll, fast enough not to fling
_MAX_PAGES = 60  # a list longer than this many screens is not a list a person scrolls


class Finder:
    """Finds targets on the device: ordered candidates, memory, drift record, waits, pop-ups cleared (through its
    PopupClearer, which the pop-up guard tells what to close) and taps confirmed by the next screen (through its
    TapConfirmation)."""

    def __init__(
        self,
        driver: CountingRemote,
        memory: LocatorMemory | None = None,
        drift: DriftRecord | None = None,
        guard: PopupGuard | None = None,
        timeout: float = 10.0,
        poll: float = 0.15,
        observer: Observer | None = None,
        busy_timeout: float = 30.0,
    ) -> None:
        self.driver = driver
        self.memory = memory if memory is not None else LocatorMemory()
        self.drift = drift if drift is not None else DriftRecord()
        self.guard = guard
        self.timeout = timeout
        self.poll = poll
        self.observer = observer
        self.busy_timeout = busy_timeout  # how long a wait may go on while a spinner shows
        self._cached: tuple[int, Snapshot] | None = None
        self._cached_at = 0.0
        self._cached_after = -1  # the command count right after the cached page source was read
        self._live: LiveScreen | None = None  # the last screen read by finds
        self.costs = CommandCosts()
        if isinstance(driver, CountingRemote):
            driver.timer = self.costs.record
            if driver.started_in is not None:
                self.costs.launched(driver.started_in)
        self._tap_at_place = True  # off once a server refuses a tap at a place (clickGesture, tap) with x and y
        # Every pause of this finder's waits: what a scenario or a command spent on what was not there (yet).
        self.waited = WaitTally()
        # The pauses while a page source showed a screen still coming in: time spent on what was there, moving.
        self.rested = WaitTally()
        # The pauses while the app showed its progress indicator (a list loading): time spent on the app at work.
        self.loading = WaitTally()
        # Closing what covers the screen: called at a wait's miss, a fresh look and (iOS) before a tap.
        self.clearing = PopupClearer(self)
        # Whether a tap opened what it was to open, and what that screen showed, for the next step's tap or wait.
        self.confirmation = TapConfirmation(self)

    # --- plumbing ------------------------------------------------------------------------
    @property
    def platform(self) -> str:
        """The platform of the session: 'android' or 'ios' (the session tells the memory once)."""
        return self.memory.platform or ANDROID

    @property
    def commands(self) -> int:
        """Round trips this driver has made (when it counts them)."""
        return getattr(self.driver, "commands", 0)

    @property
    def _epoch(self) -> int | None:
        return getattr(self.driver, "screen_changes", None)

    def notify(self, kind: str, message: str) -> None:
        """Tell the observer (the scenario's evidence) what was done on the screen unasked, e.g. a pop-up closed."""
        if self.observer is not None:
            self.observer(kind, message)

    # --- looking once ----------------------------------------------------------------------
    def _find_elements(self, candidate: Candidate, first_only: bool = False) -> list[WebElement]:
        if not candidate.runs_on(self.platform):
            return []
        strategy, value = candidate.appium(first_only, self.platform)
        try:
            found: list[WebElement] = [*call(lambda: self.driver.find_elements(strategy, value))]
            self.costs.found(strategy, [element.id for element in found])
        except (InvalidSelectorException, InvalidArgumentException):
            # A candidate this server cannot evaluate (another driver, an older UiAutomator2): skip it.
            return []
        if found or self.platform != IOS or candidate.kind not in (SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION):
            return found
        return self._scroll_into_view_ios(strategy, value)

    def _scroll_into_view_ios(self, strategy: str, value: str) -> list[WebElement]:
        """XCUITest's way to a row below the fold: `mobile: scroll` to it by its predicate (or name), then the
        find again. Its strategies are exclusive, one per call (appium/appium-xcuitest-driver
        lib/commands/gesture.ts, mobileScroll), and WDA scrolls only to an element the list has built: a list
        builds the cells it shows, so when that fails the list is paged through, from its top, as a person
        would (UiScrollable does the same on Android, on the device)."""
        params = {"name": value} if strategy == "accessibility id" else {"predicateString": value}

        def find() -> list[WebElement]:
            try:
                return [*call(lambda: self.driver.find_elements(strategy, value))]
            except (InvalidSelectorException, InvalidArgumentException):
                return []

        try:
            self.driver.execute_script("mobile: scroll", params)
            found = find()
            if found:
                return found
        except CONTACT_LOST as error:
            raise device_error(error) from error
        except WebDriverException:
            pass  # not built yet (or not there): page through the list
        listing = self._scrolling_view()
        if listing is None:
            return []
        for direction in ("up", "down"):
            for _ in range(_MAX_PAGES):
                moved = self._swipe_ios(listing, direction, 0.75)
                found = find() if direction == "down" else []
                if found or not moved:
                    break
            if found:
                return found
        return []

    def _scrolling_view(self) -> tuple[int, int, int, int] | None:
        """The bounds of the tallest view on screen whose content scrolls (the list, not a strip of filters)."""
        snap = self.snapshot()
        views = [node for candidate in _SCROLLABLE.candidates for node in snap.matched_by(candidate)]
        tall = [node.bounds for node in views if node.has_area]
        return max(tall, key=lambda b: b[3] - b[1]) if tall else None

    def _try(self, target: Target, candidate: Candidate, first_only: bool = False) -> list[WebElement]:
        found = self._find_elements(candidate, first_only)
        if found:
            self.memory.remember(target, candidate)
            self.drift.note(target, candidate, self.memory.primary(target))
        return found

    def _first_choice(self, target: Target) -> Candidate | None:
        """The candidate to try first (None: the target has no candidate in the screen's language)."""
        ordered = self.memory.ordered(target)
        return ordered[0] if ordered else None

    def _preferred(self, target: Target, first_only: bool = False) -> tuple[Target, list[WebElement]] | None:
        """The happy path: the candidate that worked before (or the primary), one command."""
        found = self._in_language(lambda: self._first_choice(target), lambda c: self._try(target, c, first_only))
        return (target, found) if found else None

    def find_remembered(self, target: Target) -> list[WebElement]:
        """Every view of the target on screen now, by one find with the candidate that worked before (or its primary,
        which may scroll a list to it); [] when that misses. No waiting, no page source, no pop-up handling."""
        hit = self._preferred(target)
        return hit[1] if hit is not None else []

    def _in_language(self, choose: Callable[[], Candidate | None],
                     attempt: Callable[[Candidate], list[WebElement]]) -> list[WebElement]:
        """One find with the candidate `choose` picks; when it misses while the device's locale was never
        asked (the language came from the words matched so far, or from none), the locale is asked and the
        find made once more if that changes the pick: a phone in another language costs one find more."""
        first = choose()
        found = attempt(first) if first is not None else []
        if not found and self.memory.ask_locale():
            again = choose()
            if again is not None and again != first:
                found = attempt(again)
        return found

    def _from_snapshot(self, targets: tuple[Target, ...], snap: Snapshot, tried: Candidate | None = None,
                       first_only: bool = False, scroll: bool = True) -> tuple[Target, list[WebElement]] | None:
        """Let one page source say which candidate is on screen, then find only that one on the device.

        Candidates that scroll (UiScrollable) can find what the snapshot cannot see yet, so they are
        tried on the device too, when the screen has something to scroll (not while a list is still
        loading, or a pop-up is on top). Earlier targets win.
        """
        scrolls = scroll and snap.has_any(_SCROLLABLE)
        for target in targets:
            for candidate in self.memory.ordered(target):
                device_only = (scrolls and candidate.kind in (SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION)
                               and candidate != tried)
                if snap.matches(candidate) or device_only:
                    found = self._try(target, candidate, first_only)
                    if found:
                        return target, found
        return None

    def look(self, *targets: Target) -> tuple[Target, list[WebElement]] | None:
        """One look, no waiting, no pop-up handling: the first target on screen and its elements."""
        hit = self._preferred(targets[0])
        if hit is not None:
            return hit
        return self._from_snapshot(targets, self.snapshot(reuse=False), tried=self._first_choice(targets[0]))

    def find_shown(self, target: Target, snap: Snapshot) -> list[WebElement]:
        """The target's views on screen now, no waiting and no pop-up handling: one find with the candidate that worked
        before, else only a candidate this page source of the screen shows ([] when none answers)."""
        hit = self._preferred(target) or self._from_snapshot((target,), snap)
        return hit[1] if hit is not None else []

    def present(self, target: Target) -> bool:
        """Whether the target is on screen now (at most two commands)."""
        return self._preferred(target) is not None or self.snapshot(reuse=False).has(target)

    def snapshot(self, reuse: bool = True, rest: bool = True) -> Snapshot:
        """The screen as one page source; reused while no command since could have changed the screen.

        At rest unless `rest` is False: then it may show a screen still coming in (`moving`), which is enough to
        see what shows already (a wait's look for its target) but not what is missing, nor where to tap."""
        epoch = self._epoch
        if reuse and epoch is not None and self._cached is not None and self._cached[0] == epoch:
            cached = self._cached[1]
            if not (rest and cached.moving):
                return cached
        xml = self._source_at_rest() if rest else call(lambda: self.driver.page_source)
        snap = Snapshot(xml, self.memory, self.drift)
        size, snap.window = self._window_of(xml)
        snap.moving = not rest and snap.window is not None and _coming_in(snap.window, size)
        self.costs.saw(snap.size)
        if epoch is not None:
            self._cached, self._cached_at = (epoch, snap), time.monotonic()
            self._cached_after = self.commands
        return snap

    def snapshot_now(self) -> Snapshot:
        """The screen as one page source: the one just read if reading it was the last command sent, else a new one.
        A pop-up may come up at any look (a find too, which on iOS does not say so): a tap placed by a page source
        wants one with nothing sent since."""
        return self.snapshot(reuse=self.commands == self._cached_after)

    def _source_at_rest(self) -> str:
        """A page source of the screen at rest (one read mid-slide would show views where they are passing, and
        leave out those not on the screen yet).

        Read again only while this source shows a window moving: its root, which rests filling the screen (an
        activity, a sheet's window) or holding still (a dialog, a window smaller than the screen), is pushed
        against the screen's right or bottom edge without filling it, and stands elsewhere than the read before
        had it. On a phone a page source usually takes longer than a slide, so the first read is at rest."""
        xml: str = call(lambda: self.driver.page_source)
        before: tuple[int, ...] | None = None
        deadline = Deadline(_REST_WITHIN, self.rested)
        while not deadline.expired():
            size, root = self._window_of(xml)
            if root is None or root == before or not _coming_in(root, size):
                break
            before = root
            deadline.pause(_REST_POLL)
            xml = call(lambda: self.driver.page_source)
        return xml

    def _finds_much_cheaper(self) -> bool:
        """Whether this session's own commands have shown a find to cost much less than a page source (a phone:
        a tenth of a second or more); until a find and another kind are timed, nothing is assumed (a wait reads
        the page source)."""
        if self.costs.typical(Kind.FIND) is None or sum(1 for n in self.costs.timed.values() if n) < 2:
            return False
        return self.costs.source_estimate() - self.costs.expected(Kind.FIND) > _FINDS_FIRST_GAIN

    @staticmethod
    def _window_of(xml: str) -> tuple[tuple[int, int], tuple[int, ...] | None]:
        """The screen's size and the bounds of the page source's first window root (None: a source without them)."""
        size = _SCREEN_SIZE.search(xml[:2000])
        if size is None:
            return _ios_window_of(xml)
        bounds = _FIRST_BOUNDS.search(xml, size.end())
        if bounds is None:
            return (0, 0), None
        return (int(size.group(1)), int(size.group(2))), tuple(int(b) for b in bounds.groups())

    def find_now(self, target: Target) -> list[WebElement]:
        """The target's views on screen now, by one find with its first choice of candidate (none that scrolls);
        [] when that misses. Which other candidate matches, if any, one page source says better than a find
        per candidate: a look that misses is followed by one (see _until), as a wait's miss is."""
        return self._in_language(lambda: self._live_choice(target), lambda c: self._try(target, c, first_only=True))

    def find_every_now(self, target: Target) -> list[WebElement]:
        """Every view of the target on screen now, by one find with its first candidate that does not scroll;
        [] when that misses. Checked once: no waiting and no page source, for a caller that knows where else
        to look (the next screen of a list) when the target is not here."""
        return self._in_language(lambda: self._live_choice(target), lambda c: self._try(target, c))

    def opened(self, target: Target) -> list[WebElement]:
        """The views of `target` that the last tap's confirmation found, if no command was sent since ([] otherwise):
        the page reading the screen that tap opened need not find them again."""
        return self.confirmation.opened(target)

    def searches_for(self, target: Target) -> bool:
        """Whether a look for the target now is one of UiAutomator's own searches (an id, a text), not an XPath,
        which the server answers by building the whole screen's document, as a page source does."""
        choice = self._live_choice(target)
        return choice is not None and choice.kind != XPATH and choice.runs_on(self.platform)

    def finds_are_cheaper(self, finds: int, reads: int) -> bool:
        """Whether `finds` finds and `reads` reads of elements cost less on this device than one page source of the
        screen, as this session's commands have shown (harness.ui.costs); False when a page source of this screen is
        held already (reading it costs nothing more)."""
        epoch = self._epoch
        if epoch is None or (self._cached is not None and self._cached[0] == epoch):
            return False
        return not self.costs.source_is_cheaper(finds=finds, reads=reads)

    def bounds_of(self, element: WebElement) -> tuple[int, int, int, int] | None:
        """Where an element found is on the screen now (left, top, right, bottom: one read); None when its view is
        gone (the screen re-rendered)."""
        try:
            rect = call(lambda: element.rect)
        except (StaleElementReferenceException, NoSuchElementException):
            return None
        left, top = int(rect["x"]), int(rect["y"])
        return left, top, left + int(rect["width"]), top + int(rect["height"])

    def _live_choice(self, target: Target) -> Candidate | None:
        """The first candidate a look may try on the device without moving the screen (none that scrolls)."""
        return next((c for c in self.memory.ordered(target) if c.kind not in (SCROLL_TO_TEXT, SCROLL_TO_DESCRIPTION)),
                    None)

    def _live_screen(self) -> LiveScreen:
        live = LiveScreen(self.find_now, lambda: self._epoch, lambda: self.memory.locale, lambda: self.memory.language,
                          lambda limit: self.snapshot().describe(limit), earlier=self._live)
        self._live = live
        return live

    def screen(self, targets: int | None = None, reuse: bool = True) -> Screen:
        """The screen now, read the cheaper way for a step that asks about `targets` targets (None: many).

        A page source of this screen already read is reused (it costs nothing more), and so is a live look
        at it; otherwise one page source is weighed against a find and a read per target (see the module's note).
        """
        epoch = self._epoch
        if targets is None:
            return self.snapshot(reuse=reuse)
        if reuse and epoch is not None and self._cached is not None and self._cached[0] == epoch:
            return self._cached[1]
        if epoch is None or self.costs.source_is_cheaper(finds=targets, reads=targets):
            return self.snapshot(reuse=False)
        if reuse and self._live is not None and self._live.epoch == epoch:
            return self._live  # what it has answered costs nothing more; the rest, a find each
        return self._live_screen()

    def _standing(self) -> Snapshot | None:
        """The last page source, if it still stands for the screen for a tap at a place: no command since
        that could have changed the screen, read a moment ago, no pop-up on top (the finder's own way
        handles one), and a server that takes coordinate taps."""
        cached = self._cached
        if (not self._tap_at_place or cached is None or cached[0] != self._epoch
                or time.monotonic() - self._cached_at > _HELD_FOR):
            return None
        snap = cached[1]
        if snap.moving:
            return None  # its bounds are where the views were passing: a finger there meets something else
        return None if self.guard is not None and self.guard.recognise(snap) is not None else snap

    def _held(self, target: Target) -> ScreenNode | None:
        """Where the target is on the screen as last read, if that read still stands for the screen."""
        snap = self._standing()
        node = snap.node(target) if snap is not None else None
        if node is None or not node.shown or node.element.get("enabled") == "false":
            return None
        return node if node.has_area else None

    def locator(self, candidate: Candidate) -> tuple[str, str]:
        """The (strategy, selector) this session's platform finds a candidate by (for records and reports)."""
        return candidate.appium(platform=self.platform)

    def tap_point(self, x: int, y: int) -> None:
        """One tap at a place of the screen, in the page source's units (no find, no check of what is there)."""
        self.execute("mobile: tap" if self.platform == IOS else "mobile: clickGesture", {"x": x, "y": y})

    def tap_at(self, node: ScreenNode, target: Target, retry_if_unsure: bool = True) -> bool:
        """Tap a view of the last page source at its place, if that page source still stands for the screen
        (see _standing); whether it did."""
        snap = self._standing()
        if snap is None or node.element.getroottree().getroot() is not snap.root or not node.has_area:
            return False
        return self._tap_place(node, target, retry_if_unsure)

    # --- pop-ups (harness.ui.popup_clearing) --------------------------------------------------
    def settle(self) -> Snapshot:
        """A fresh look at the screen with any known pop-ups on top of it dismissed."""
        return self.clearing.settle()

    def system_alert_took_tap(self) -> bool:
        """iOS, right after a tap on a button of the app's own alert: whether iOS's own alert came up at that moment
        and took the tap (see PopupClearer.system_alert_took_tap). Android: no command, False."""
        return self.clearing.system_alert_took_tap()

    # --- waiting ----------------------------------------------------------------------------
    def first_of(self, *targets: Target, timeout: float | None = None,
                 first_only: bool = False) -> tuple[Target, list[WebElement]]:
        """Wait until one of the targets shows (earlier ones win); dismiss known pop-ups on the way.

        Each look is one find with the remembered candidate; when that misses, one page source shows
        whether a pop-up is in the way and which candidate (if any) is on screen, so a wait costs two
        commands per look however many candidates a target has.
        """
        held = self.confirmation.views(targets[0])
        if held:  # the last tap's confirmation found it, and nothing was sent since
            return targets[0], held[:1] if first_only else held
        deadline = Deadline(self.timeout if timeout is None else timeout, self.waited)
        busy = Deadline(max(self.busy_timeout, deadline.seconds), self.loading)
        dismissed = 0
        limit = self.guard.limit_per_wait if self.guard else 0
        before: tuple[int, ...] | None = None  # the window's bounds at the last look (one standing still rests)
        while True:
            hit = self._preferred(targets[0], first_only)
            if hit is not None:
                return hit
            if deadline.seconds - deadline.remaining() < _FINDS_FIRST and self._finds_much_cheaper():
                # Where a find costs much less than a page source (a phone), a wait's first moments look by finds:
                # a miss then is most often the screen a tap opened still coming in, which a find sees once it shows.
                deadline.pause(_REST_POLL)
                continue
            # What shows already is enough to find a target on a screen still coming in (a view found is tapped
            # where it is then); only a screen at rest says it is not there.
            snap = self.snapshot(reuse=False, rest=False)
            if dismissed < limit and self.clearing.clear(snap):
                dismissed += 1  # look again at once: the target may be right under the pop-up
                continue
            passing, before = snap.moving and snap.window != before, snap.window
            if passing and not deadline.expired():
                # A later target showing says the earlier ones do not only on a screen at rest, and a list still
                # moving is not one to scroll: here only the first target counts, as it shows already.
                hit = self._from_snapshot(targets[:1], snap, tried=self._first_choice(targets[0]),
                                          first_only=first_only, scroll=False)
                if hit is not None:
                    return hit
                Deadline(_REST_POLL, self.rested).pause(_REST_POLL)  # it is coming in: look again once it moved
                continue
            hit = self._from_snapshot(targets, snap, tried=self._first_choice(targets[0]), first_only=first_only)
            if hit is not None:
                return hit
            if not self._keep_waiting(deadline, busy, snap):
                raise TargetNotFound(_not_found(targets, deadline.seconds, snap, self.memory))

    def shows_app_at_work(self) -> bool:
        """Whether the screen as last read, if that read still stands for it (no command since could have changed
        the screen), shows the app at work (its spinner). No command is sent."""
        cached = self._cached
        return cached is not None and cached[0] == self._epoch and cached[1].has(BUSY)

    def _keep_waiting(self, deadline: Deadline, busy: Deadline, snap: Snapshot) -> bool:
        """Pause before the next look and say True, unless the wait is over.

        A wait is over at its deadline, except while the app shows a spinner: the app is working, so the
        wait goes on (up to `busy_timeout` from its start) rather than failing a slow list as missing.
        """
        if not busy.expired() and snap.has(BUSY):
            busy.pause(self._busy_poll())  # counted as the app at work (loading), not as a wait on what is not there
            return True
        if not deadline.expired():
            deadline.pause(self.poll)
            return True
        return False

    def _busy_poll(self) -> float:
        """The pause between two looks at the app at work (a spinner): the usual poll where a look (a page source)
        costs about as much or more, down to _REST_POLL where it costs less. A spinner lasts what the app takes, so
        looking more often only ends the wait nearer its end: worth it where a look is nearly free (a device that
        answers at once, where a reload's 150-300 ms spinner was waited out a poll too long), not on a phone."""
        return min(self.poll, max(_REST_POLL, self.costs.source_estimate()))

    def find_all(self, target: Target, timeout: float | None = None) -> list[WebElement]:
        return self.first_of(target, timeout=timeout)[1]

    def find(self, target: Target, timeout: float | None = None) -> WebElement:
        """The target's first view on screen (waiting, as first_of), by a find that looks for no more than one."""
        return self.first_of(target, timeout=timeout, first_only=True)[1][0]

    def read(self, *anchors: Target, timeout: float | None = None, reuse: bool = True) -> Snapshot:
        """A snapshot of a screen that shows one of the anchors (waiting, and dismissing pop-ups)."""
        return self.read_until(lambda snap: any(snap.has(a) for a in anchors), timeout=timeout, reuse=reuse,
                               what=names_of(anchors))

    def read_until(self, condition: Callable[[Snapshot], bool], what: str, timeout: float | None = None,
                   reuse: bool = True) -> Snapshot:
        """A snapshot for which `condition` holds, looking again until the deadline."""
        # With no count of targets every look is a page source, so the condition only ever sees snapshots.
        return cast(Snapshot, self._until(cast(Callable[[Screen], bool], condition), what, timeout, reuse, None))

    def view(self, *anchors: Target, targets: int, timeout: float | None = None, reuse: bool = True) -> Screen:
        """The screen once it shows one of the anchors, read the cheaper way for a step that asks about
        `targets` targets (see screen()); waiting, and dismissing pop-ups, as read() does."""
        return self._until(lambda screen: any(screen.has(a) for a in anchors), names_of(anchors), timeout, reuse,
                           targets)

    def view_until(self, condition: Callable[[Screen], bool], what: str, targets: int,
                   timeout: float | None = None, reuse: bool = True) -> Screen:
        """The screen once `condition` holds, each look read the cheaper way for `targets` targets."""
        return self._until(condition, what, timeout, reuse, targets)

    def _until(self, condition: Callable[[Screen], bool], what: str, timeout: float | None, reuse: bool,
               targets: int | None) -> Screen:
        """Look until `condition` holds; a look by finds that does not satisfy it is followed by one page
        source, which shows whether a pop-up is in the way (as a wait's miss is)."""
        deadline = Deadline(self.timeout if timeout is None else timeout, self.waited)
        busy = Deadline(max(self.busy_timeout, deadline.seconds), self.loading)
        dismissed = 0
        look = self.screen(targets, reuse=reuse)
        while True:
            if condition(look):
                return look
            if not isinstance(look, Snapshot) and deadline.seconds - deadline.remaining() < _FINDS_FIRST:
                # A look by finds (chosen where finds cost less than a page source) looks by finds again for the
                # wait's first moments: a miss then is most often a screen still coming in (see first_of).
                deadline.pause(_REST_POLL)
                look = self.screen(targets, reuse=False)
                continue
            snap = look if isinstance(look, Snapshot) else self.snapshot(reuse=False)
            if snap is not look and condition(snap):
                return snap
            limit = self.guard.limit_per_wait if self.guard else 0
            if dismissed < limit and self.clearing.clear(snap):
                dismissed += 1  # look again at once
            elif not self._keep_waiting(deadline, busy, snap):
                raise TargetNotFound(f"The screen did not show {what} within {deadline.seconds:g} s; "
                                     f"it shows {snap.describe()}.")
            look = self.screen(targets, reuse=False)

    # --- acting ---------------------------------------------------------------------------
    def click(self, element: WebElement, target: Target, retry_if_unsure: bool = True, index: int = 0) -> None:
        """Tap an element found for `target`; find it again if the screen re-rendered under it.

        `index` says which of the target's matches the element is (the second of two rows with one title):
        found again, it is that one, never simply the first.

        A transient server error leaves open whether the tap reached the app. When `retry_if_unsure`
        (navigation taps), the tap is repeated only if the target still shows; otherwise (the confirm of
        a cancel) UnsureTap is raised and the caller re-reads the app's state instead of tapping twice.
        """
        self.clearing.uncover()
        for _ in range(_TAP_ATTEMPTS):
            try:
                element.click()
                return
            except (StaleElementReferenceException, NoSuchElementException):
                # The view was redrawn between find and tap: the tap did not happen, so trying again is safe.
                element = _nth(self.find_all(target), target, index)
            except CONTACT_LOST as error:
                raise _tap_failure(error, target, retry_if_unsure) from error
            except WebDriverException as error:
                if not is_transient(error):
                    raise
                if not retry_if_unsure:
                    raise _tap_failure(error, target, retry_if_unsure) from error
                again = self._still_showing(target, index)
                if again is None:
                    return  # the screen moved on: the tap landed
                element = again
        raise TargetNotFound(f'"{target.name}" kept re-rendering and could not be tapped.')

    def _still_showing(self, target: Target, index: int = 0) -> WebElement | None:
        """After an unsure tap: the target's element if the screen (pop-ups cleared) still shows it, else None."""
        deadline = Deadline(self.timeout, self.waited)
        while True:
            snap = self.settle()  # a pop-up may hide the target without the tap having landed
            covered = self.guard is not None and self.guard.recognise(snap) is not None
            if not covered and not snap.has(target):
                return None
            hit = self._from_snapshot((target,), snap)
            if hit is not None:
                return _nth(hit[1], target, index)
            if deadline.expired():
                raise TargetNotFound(_not_found((target,), deadline.seconds, snap, self.memory))
            deadline.pause(self.poll)

    def tap(self, target: Target, timeout: float | None = None, retry_if_unsure: bool = True,
            opens: tuple[Target, ...] = (), sought: Target | None = None, read_next: int | None = None) -> None:
        """Find the target (waiting, guarding against pop-ups) and tap it; one command when the screen
        was just read and shows it (see the module's note).

        With `opens` (what the screen the tap opens shows; harness.ui.tap_confirmation confirms it), the tap counts
        once that screen shows, or once the app is at work on it (a spinner: a screen that loads, which the page
        reading it waits for): the target no longer showing proves nothing (a finger on a view passing by may have
        opened another screen). While the target still shows at rest and the next screen does not, the tap met
        nothing of it and is made again (never for a tap that must not be made twice: that one is refused); anything
        else ends the wait in one sentence naming what the tap was to open and what the screen shows.

        `sought` is what the next step looks for on the screen opened, shown only there (a list's row by its title):
        one find of it first, which, when it answers, confirms the tap and is the next step's find too.

        `read_next` says the caller reads the screen it opens next: whole (0), or where they cost less than its page
        source, by that many finds and reads each. Unless those finds are the way, one page source confirms the tap
        and is that read too (reused: no command between), where a find would be one command more."""
        if self.platform == IOS and self.guard is not None:
            # What a find holds may sit under a pop-up here: one page source (clearing any) places the tap.
            self.clearing.uncover()
            node = self._held(target)
            if node is not None and self._tap_place(node, target, retry_if_unsure):
                return
            self.click(self.find(target, timeout), target, retry_if_unsure=retry_if_unsure)
            return
        looked = self._live.held(target) if self._live is not None else None
        looked = looked if looked is not None else self.confirmation.view(target)
        if looked is not None:
            self.click(looked, target, retry_if_unsure=retry_if_unsure)
        else:
            node = self._held(target)
            if node is None or not self._tap_place(node, target, retry_if_unsure):
                self.click(self.find(target, timeout), target, retry_if_unsure=retry_if_unsure)
        if opens:
            self.confirmation.confirm(target, opens, retry_if_unsure, timeout, sought, read_next)

    def _tap_place(self, node: ScreenNode, target: Target, retry_if_unsure: bool) -> bool:
        """Tap the centre of a node of the current snapshot; False when the server refused (nothing was tapped)."""
        left, top, right, bottom = node.bounds
        place = {"x": (left + right) // 2, "y": (top + bottom) // 2}
        # UiAutomator2 taps at a place with clickGesture (pixels); XCUITest with `mobile: tap` (points).
        method = "mobile: tap" if self.platform == IOS else "mobile: clickGesture"
        try:
            self.driver.execute_script(method, place)
            return True
        except CONTACT_LOST as error:
            raise _tap_failure(error, target, retry_if_unsure) from error
        except WebDriverException as error:
            if not is_transient(error):
                self._tap_at_place = False  # this server has no coordinate taps: find + click from now on
                return False
            if not retry_if_unsure:
                raise _tap_failure(error, target, retry_if_unsure) from error
            again = self._still_showing(target)
            if again is not None:
                self.click(again, target)
            return True

    def execute(self, script: str, params: dict | None = None) -> Any:
        """An Appium execute method, e.g. 'mobile: scrollGesture'.

        Retried after a hiccup only if it just reads, or if running it twice ends where running it once does
        (closing or opening the app); a scroll that may or may not have happened is left to the caller.
        """
        repeatable = script.strip() in _IDEMPOTENT_SCRIPTS or not changes_screen("w3cExecuteScript",
                                                                                  {"script": script})
        retries = TRANSIENT_RETRIES if repeatable else 0
        params = dict(params or {})
        if self.platform == IOS and script.strip() in _APP_METHODS and "appId" in params:
            params["bundleId"] = params.pop("appId")
        return call(lambda: self.driver.execute_script(script, params), retries=retries)

    def scroll(self, bounds: tuple[int, int, int, int], direction: str, percent: float = 0.75) -> bool:
        """Scroll the area (a list's bounds); whether it can scroll further in that direction.

        On iOS no gesture says whether more is there: a swipe over the area, and the screen after it compared
        with the screen before (a list at its end does not move)."""
        left, top, right, bottom = bounds
        if self.platform == IOS:
            return self._swipe_ios(bounds, direction, percent)
        area = {"left": left, "top": top, "width": right - left, "height": bottom - top}
        return bool(self.execute("mobile: scrollGesture", {**area, "direction": direction, "percent": percent}))

    def _swipe_ios(self, bounds: tuple[int, int, int, int], direction: str, percent: float) -> bool:
        left, top, right, bottom = bounds
        before = self.snapshot().xml
        x = (left + right) // 2
        reach = int((bottom - top) * min(max(percent, 0.1), 1.0) * 0.8)
        low, high = bottom - (bottom - top) // 10, top + (bottom - top) // 10
        # Scrolling down shows what is below: the finger moves up.
        start, end = (low, max(low - reach, high)) if direction == "down" else (high, min(high + reach, low))
        call(lambda: self.driver.swipe(x, start, x, end, _SWIPE_MS), retries=0)
        return self.snapshot(reuse=False).xml != before



def _tap_failure(error: BaseException, target: Target, retry_if_unsure: bool) -> HarnessError:
    """What a tap ends in when the device is gone or the server hiccuped (a refusal is the caller's): lost contact
    is a device error, unless the tap must not be repeated and its answer was lost on the way back (then it may
    have landed); a hiccup on such a tap leaves it unsure."""
    if isinstance(error, CONTACT_LOST):
        if not retry_if_unsure and answer_lost(error):
            return lost_answer_tap(target.name, error)
        return device_error(error)
    return unsure_tap(target.name, error)


def _coming_in(root: tuple[int, ...], size: tuple[int, int]) -> bool:
    """Whether a window's root bounds show it still coming in: a page from the right or a sheet from the bottom
    reads clipped against that edge (or, on iOS, reaching past it), short of the screen's top-left corner."""
    left, top, right, bottom = root
    width, height = size
    return (left > 0 or top > 0) and right >= width and bottom >= height


def _ios_window_of(xml: str) -> tuple[tuple[int, int], tuple[int, ...] | None]:
    """A WDA page source's screen size and the bounds of the app's top screen (None: a source without them)."""
    size = _IOS_SCREEN_SIZE.search(xml[:2000])
    if size is None:
        return (0, 0), None
    try:
        window = etree.fromstring(xml.encode("utf-8")).find("XCUIElementTypeWindow")
    except etree.XMLSyntaxError:
        return (0, 0), None
    screens = [e for e in (window if window is not None else ()) if e.tag != "XCUIElementTypeStaticText"]
    if not screens:
        return (0, 0), None
    try:
        x, y, w, h = (int(screens[-1].get(k, "")) for k in ("x", "y", "width", "height"))
    except ValueError:
        return (0, 0), None
    return (int(size.group(1)), int(size.group(2))), (x, y, x + w, y + h)


def _not_found(targets: tuple[Target, ...], seconds: float, snap: Snapshot, memory: LocatorMemory) -> str:
    """The sentence of a wait that ended without any of the targets on screen.

    It lists the candidates the wait could try: only those of the screen's language. When that language has
    none (a --language no wording has), it says so, rather than list words it never looked for next to a
    screen that shows them.
    """
    names = names_of(targets)
    tried = [c.describe() for t in targets for c in memory.allowed(t)]
    if not tried:
        return (f"{names} did not show within {seconds:g} s: no locator of it is in the language "
                f"{memory.language!r}; the screen shows {snap.describe()}.")
    listed = ", ".join(tried[:4]) + (f" and {len(tried) - 4} more" if len(tried) > 4 else "")
    return (f"{names} did not show within {seconds:g} s (tried {listed}); "
            f"the screen shows {snap.describe()}.")


def _nth(found: list[WebElement], target: Target, index: int) -> WebElement:
    """The index-th element found for a target, which showed at least that many times before it re-rendered."""
    if index >= len(found):
        raise TargetNotFound(f'"{target.name}" shows {len(found)} time(s) after the screen re-rendered, '
                             f"not the {index + 1} it showed before.")
    return found[index]
