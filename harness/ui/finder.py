"""The finder: how pages find, tap, read and scroll on the device, with waits and the pop-up guard.

The implicit wait is 0 on purpose. With an implicit wait the server holds every find until it
succeeds or times out, so a probe for a pop-up would cost the full wait each time it finds nothing,
and a target with several candidates would wait once per wrong candidate. With 0, a find answers at
once and the finder decides client-side: one find with the remembered candidate (the happy path: one
command); on a miss, one page source shows whether a known pop-up is in the way (dismiss it, look
again at once) and which candidate, if any, is on screen (find only that one); otherwise pause and
look again until a monotonic deadline.

Recovery that is always safe happens here, below the pages: a find whose element went stale is made
again; a known pop-up over the target is dismissed; a spinner on screen extends a wait (up to
`busy_timeout`); a transient server error (HTTP 500 `unknown error`) is retried for commands that only
look and for idempotent ones. A tap that got such an error is repeated only if its target still shows,
and never for the confirm of a cancel (`retry_if_unsure=False`: the caller re-reads the app instead).
What is not safe to repeat here ends in one classified error (harness.ui.calls): `SessionLost`, `DeviceHiccup`,
`UnsureTap`, `TargetNotFound` (see flows.recovery for what happens next).

A screen is read the cheaper of two ways (harness.ui.costs): one page source, from which every value
is read locally (a Snapshot), or a find and a read per value asked (a LiveScreen). A step says how many
targets it will ask about; the finder weighs one page source on this screen against that many finds and
reads, at the costs this session's own commands have shown. On a phone two or three values go by finds;
through a slow network, or for a whole details screen, one page source wins.

A tap needs no find when the screen was just read. A view found on the screen as it stands (a live
look) is tapped as it is. A page source taken a moment ago, with no command since that could have
changed the screen, already holds where the target is, so one tap at its place (`mobile: clickGesture`,
as UiAutomator2 taps an element: at its visible centre) replaces find + click.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

from selenium.common.exceptions import (
    InvalidArgumentException,
    InvalidSelectorException,
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.remote.webelement import WebElement

from harness.errors import HarnessError, PopupInTheWay, TargetNotFound
from harness.ui.calls import (
    CONTACT_LOST,
    TRANSIENT_RETRIES,
    answer_lost,
    call,
    device_error,
    is_transient,
    lost_answer_tap,
    unsure_tap,
)
from harness.ui.costs import CommandCosts
from harness.ui.drift import DriftRecord
from harness.ui.driver import CountingRemote, changes_screen
from harness.ui.live import LiveScreen, Screen
from harness.ui.locators import SCROLL_TO_DESCRIPTION, SCROLL_TO_TEXT, Candidate, LocatorMemory, Target, xpath
from harness.ui.locators import target as make_target
from harness.ui.popup_guard import KnownPopup, PopupGuard
from harness.ui.snapshot import ScreenNode, Snapshot
from harness.ui.waits import Deadline, WaitTally

Observer = Callable[[str, str], None]
_KEYCODE_BACK = 4  # Android's KeyEvent.KEYCODE_BACK
_BACK_PRESSES = 3  # BACKs on a pop-up with nothing to tap before it counts as one BACK does not close
_TAP_ATTEMPTS = 5  # re-renders or hiccups under one tap before it counts as failed
_HELD_FOR = 2.0  # seconds a page source stands for the screen (no screen-changing command since) for a tap
# Execute methods that change the screen but may be repeated: the second run ends where the first did.
_IDEMPOTENT_SCRIPTS = {"mobile: terminateApp", "mobile: activateApp"}
# Android's progress indicator: while it shows, the app is working and a wait is worth extending.
BUSY = make_target("loading spinner", xpath("//android.widget.ProgressBar"))
_SCROLLABLE = xpath("//*[@scrollable='true']")  # what UiScrollable(new UiSelector().scrollable(true)) scrolls


class Finder:
    """Finds targets on the device: ordered candidates, memory, drift record, pop-up guard and waits."""

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
        self._live: LiveScreen | None = None  # the last screen read by finds
        self.costs = CommandCosts()
        if isinstance(driver, CountingRemote):
            driver.timer = self.costs.record
        self._tap_at_place = True  # off once a server refuses `mobile: clickGesture` with x and y
        # Every pause of this finder's waits: what a scenario or a command spent on what was not there (yet).
        self.waited = WaitTally()

    # --- plumbing ------------------------------------------------------------------------
    @property
    def commands(self) -> int:
        """Round trips this driver has made (when it counts them)."""
        return getattr(self.driver, "commands", 0)

    @property
    def _epoch(self) -> int | None:
        return getattr(self.driver, "screen_changes", None)

    def _notify(self, kind: str, message: str) -> None:
        if self.observer is not None:
            self.observer(kind, message)

    # --- looking once ----------------------------------------------------------------------
    def _find_elements(self, candidate: Candidate, first_only: bool = False) -> list[WebElement]:
        strategy, value = candidate.appium(first_only)
        try:
            found: list[WebElement] = [*call(lambda: self.driver.find_elements(strategy, value))]
            self.costs.found(strategy, [element.id for element in found])
            return found
        except (InvalidSelectorException, InvalidArgumentException):
            # A candidate this server cannot evaluate (another driver, an older UiAutomator2): skip it.
            return []

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
                       first_only: bool = False) -> tuple[Target, list[WebElement]] | None:
        """Let one page source say which candidate is on screen, then find only that one on the device.

        Candidates that scroll (UiScrollable) can find what the snapshot cannot see yet, so they are
        tried on the device too, when the screen has something to scroll (not while a list is still
        loading, or a pop-up is on top). Earlier targets win.
        """
        scrolls = snap.matches(_SCROLLABLE)
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

    def present(self, target: Target) -> bool:
        """Whether the target is on screen now (at most two commands)."""
        return self._preferred(target) is not None or self.snapshot(reuse=False).has(target)

    def snapshot(self, reuse: bool = True) -> Snapshot:
        """The screen as one page source; reused while no command since could have changed the screen."""
        epoch = self._epoch
        if reuse and epoch is not None and self._cached is not None and self._cached[0] == epoch:
            return self._cached[1]
        snap = Snapshot(call(lambda: self.driver.page_source), self.memory, self.drift)
        self.costs.saw(snap.size)
        if epoch is not None:
            self._cached, self._cached_at = (epoch, snap), time.monotonic()
        return snap

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
        return None if self.guard is not None and self.guard.recognise(snap) is not None else snap

    @staticmethod
    def _has_area(node: ScreenNode) -> bool:
        left, top, right, bottom = node.bounds
        return right > left and bottom > top

    def _held(self, target: Target) -> ScreenNode | None:
        """Where the target is on the screen as last read, if that read still stands for the screen."""
        snap = self._standing()
        node = snap.node(target) if snap is not None else None
        if node is None or node.element.get("displayed") == "false" or node.element.get("enabled") == "false":
            return None
        return node if self._has_area(node) else None

    def tap_at(self, node: ScreenNode, target: Target, retry_if_unsure: bool = True) -> bool:
        """Tap a view of the last page source at its place, if that page source still stands for the screen
        (see _standing); whether it did."""
        snap = self._standing()
        if snap is None or node.element.getroottree().getroot() is not snap.root or not self._has_area(node):
            return False
        return self._tap_place(node, target, retry_if_unsure)

    # --- pop-ups ---------------------------------------------------------------------------
    def _dismiss(self, popup: KnownPopup, snap: Snapshot) -> bool:
        if popup.dismiss is None:
            return self._back_out_of(popup)
        hit = self._preferred(popup.dismiss) or self._from_snapshot((popup.dismiss,), snap)
        if hit is None:
            return False
        try:
            hit[1][0].click()
        except (StaleElementReferenceException, NoSuchElementException):
            return False  # redrawn under us; the next look decides again
        except CONTACT_LOST as error:
            raise device_error(error) from error
        except WebDriverException as error:
            if is_transient(error):
                return False
            raise
        self.guard.record(popup)  # type: ignore[union-attr]
        self._notify("popup", f"Dismissed pop-up: {popup.name}")
        return True

    def _back_out_of(self, popup: KnownPopup) -> bool:
        """Close a pop-up that has nothing readable to tap with Android's BACK, which a dialog takes without
        choosing any of its buttons. One that still shows after a few presses (not one that comes back once)
        stops the run: a person must close it (the report's screenshot shows it)."""
        for _ in range(_BACK_PRESSES):
            try:
                self.driver.execute_script("mobile: pressKey", {"keycode": _KEYCODE_BACK})
            except CONTACT_LOST as error:
                raise device_error(error) from error
            except WebDriverException as error:
                if is_transient(error):
                    return False  # pressed or not (a hiccup): the next look decides, as after a failed tap
                raise
            if self.guard is None or self.guard.recognise(self.snapshot(reuse=False)) is not popup:
                break
        else:
            raise PopupInTheWay(f"The {popup.name} covers the app, has nothing safe to tap and BACK does not close "
                                "it; close it on the phone and run again (the screenshot shows it).")
        self.guard.record(popup)  # type: ignore[union-attr]
        self._notify("popup", f"Dismissed pop-up: {popup.name} (BACK)")
        return True

    def _clear_popup(self, snap: Snapshot) -> bool:
        """Dismiss the known pop-up on top of this screen; whether one was dismissed."""
        if self.guard is None:
            return False
        popup = self.guard.recognise(snap)
        return popup is not None and self._dismiss(popup, snap)

    def settle(self) -> Snapshot:
        """A fresh look at the screen with any known pop-ups on top of it dismissed."""
        snap = self.snapshot(reuse=False)
        limit = self.guard.limit_per_wait if self.guard else 0
        for _ in range(limit):
            popup = self.guard.recognise(snap) if self.guard else None
            if popup is None:
                break
            self._dismiss(popup, snap)  # worked or not (a hiccup), the next look decides
            snap = self.snapshot(reuse=False)
        return snap

    # --- waiting ----------------------------------------------------------------------------
    def first_of(self, *targets: Target, timeout: float | None = None,
                 first_only: bool = False) -> tuple[Target, list[WebElement]]:
        """Wait until one of the targets shows (earlier ones win); dismiss known pop-ups on the way.

        Each look is one find with the remembered candidate; when that misses, one page source shows
        whether a pop-up is in the way and which candidate (if any) is on screen, so a wait costs two
        commands per look however many candidates a target has.
        """
        deadline = Deadline(self.timeout if timeout is None else timeout, self.waited)
        busy = Deadline(max(self.busy_timeout, deadline.seconds), self.waited)
        dismissed = 0
        limit = self.guard.limit_per_wait if self.guard else 0
        while True:
            hit = self._preferred(targets[0], first_only)
            if hit is not None:
                return hit
            snap = self.snapshot(reuse=False)
            if dismissed < limit and self._clear_popup(snap):
                dismissed += 1  # look again at once: the target may be right under the pop-up
                continue
            hit = self._from_snapshot(targets, snap, tried=self._first_choice(targets[0]), first_only=first_only)
            if hit is not None:
                return hit
            if not self._keep_waiting(deadline, busy, snap):
                raise TargetNotFound(_not_found(targets, deadline.seconds, snap, self.memory))

    def _keep_waiting(self, deadline: Deadline, busy: Deadline, snap: Snapshot) -> bool:
        """Pause before the next look and say True, unless the wait is over.

        A wait is over at its deadline, except while the app shows a spinner: the app is working, so the
        wait goes on (up to `busy_timeout` from its start) rather than failing a slow list as missing.
        """
        if not deadline.expired():
            deadline.pause(self.poll)
            return True
        if not busy.expired() and snap.has(BUSY):
            busy.pause(self.poll)
            return True
        return False

    def find_all(self, target: Target, timeout: float | None = None) -> list[WebElement]:
        return self.first_of(target, timeout=timeout)[1]

    def find(self, target: Target, timeout: float | None = None) -> WebElement:
        """The target's first view on screen (waiting, as first_of), by a find that looks for no more than one."""
        return self.first_of(target, timeout=timeout, first_only=True)[1][0]

    def read(self, *anchors: Target, timeout: float | None = None, reuse: bool = True) -> Snapshot:
        """A snapshot of a screen that shows one of the anchors (waiting, and dismissing pop-ups)."""
        return self.read_until(lambda snap: any(snap.has(a) for a in anchors), timeout=timeout, reuse=reuse,
                               what=_names(anchors))

    def read_until(self, condition: Callable[[Snapshot], bool], what: str, timeout: float | None = None,
                   reuse: bool = True) -> Snapshot:
        """A snapshot for which `condition` holds, looking again until the deadline."""
        # With no count of targets every look is a page source, so the condition only ever sees snapshots.
        return cast(Snapshot, self._until(cast(Callable[[Screen], bool], condition), what, timeout, reuse, None))

    def view(self, *anchors: Target, targets: int, timeout: float | None = None, reuse: bool = True) -> Screen:
        """The screen once it shows one of the anchors, read the cheaper way for a step that asks about
        `targets` targets (see screen()); waiting, and dismissing pop-ups, as read() does."""
        return self._until(lambda screen: any(screen.has(a) for a in anchors), _names(anchors), timeout, reuse,
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
        busy = Deadline(max(self.busy_timeout, deadline.seconds), self.waited)
        dismissed = 0
        look = self.screen(targets, reuse=reuse)
        while True:
            if condition(look):
                return look
            snap = look if isinstance(look, Snapshot) else self.snapshot(reuse=False)
            if snap is not look and condition(snap):
                return snap
            limit = self.guard.limit_per_wait if self.guard else 0
            if dismissed < limit and self._clear_popup(snap):
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

    def tap(self, target: Target, timeout: float | None = None, retry_if_unsure: bool = True) -> None:
        """Find the target (waiting, guarding against pop-ups) and tap it; one command when the screen
        was just read and shows it (see the module's note)."""
        looked = self._live.held(target) if self._live is not None else None
        if looked is not None:
            self.click(looked, target, retry_if_unsure=retry_if_unsure)
            return
        node = self._held(target)
        if node is not None and self._tap_place(node, target, retry_if_unsure):
            return
        self.click(self.find(target, timeout), target, retry_if_unsure=retry_if_unsure)

    def _tap_place(self, node: ScreenNode, target: Target, retry_if_unsure: bool) -> bool:
        """Tap the centre of a node of the current snapshot; False when the server refused (nothing was tapped)."""
        left, top, right, bottom = node.bounds
        place = {"x": (left + right) // 2, "y": (top + bottom) // 2}
        try:
            self.driver.execute_script("mobile: clickGesture", place)
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
        return call(lambda: self.driver.execute_script(script, params or {}), retries=retries)

    def scroll(self, bounds: tuple[int, int, int, int], direction: str, percent: float = 0.75) -> bool:
        """Scroll the area (a list's bounds); whether it can scroll further in that direction."""
        left, top, right, bottom = bounds
        area = {"left": left, "top": top, "width": right - left, "height": bottom - top}
        return bool(self.execute("mobile: scrollGesture", {**area, "direction": direction, "percent": percent}))


def _tap_failure(error: BaseException, target: Target, retry_if_unsure: bool) -> HarnessError:
    """What a tap ends in when the device is gone or the server hiccuped (a refusal is the caller's): lost contact
    is a device error, unless the tap must not be repeated and its answer was lost on the way back (then it may
    have landed); a hiccup on such a tap leaves it unsure."""
    if isinstance(error, CONTACT_LOST):
        if not retry_if_unsure and answer_lost(error):
            return lost_answer_tap(target.name, error)
        return device_error(error)
    return unsure_tap(target.name, error)

def _names(targets: tuple[Target, ...]) -> str:
    return " or ".join(f'"{t.name}"' for t in targets)


def _not_found(targets: tuple[Target, ...], seconds: float, snap: Snapshot, memory: LocatorMemory) -> str:
    """The sentence of a wait that ended without any of the targets on screen.

    It lists the candidates the wait could try: only those of the screen's language. When that language has
    none (a --language no wording has), it says so, rather than list words it never looked for next to a
    screen that shows them.
    """
    names = " or ".join(f'"{t.name}"' for t in targets)
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
