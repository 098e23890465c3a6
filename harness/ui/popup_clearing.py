"""Clearing what is in the way of the app's screen: the acting half of the pop-up guard (harness.ui.popup_guard).

The guard only recognises (data: which pop-ups are known, what closes each), and stays free of the driver so a page
source alone tests it; this module, beside it, acts on what it recognised. It is kept apart from the finder because
it changes for other reasons than finding does: a new kind of pop-up (one with nothing to tap, iOS's own alerts), a
platform's way of closing one (BACK, a swipe, WDA's alert commands), or a rule of when a press counts. The finder
calls it at a few fixed moments (a wait's miss, a fresh look, before a tap on iOS, right after the tap on the app's
own confirmation) and reaches nothing else of it.

It works through a narrow interface to the finder (`ScreenAccess`): the page source, one look for a target given
that page source, the raw driver (not the finder's `execute`, which ends a hiccup in an error: here a press that met
one only leaves the next look to decide) and the observer. Every command goes through the finder's
driver, so the commands it sends count, change the screen's epoch and are timed exactly as when these steps were
the finder's own; it keeps no state of its own (what was dismissed is the guard's record), so it reads the guard,
the platform and the driver through the finder each time, never a copy.

How a pop-up is closed depends on what it offers and where it runs:
- a harmless button (Android): found and clicked as any target; a press that did not happen (redrawn, a hiccup)
  leaves the next look to decide, since the screen is covered rather than short of what the wait wants;
- a harmless button (iOS): tapped at its place in a page source read just before, never by a find, because WDA
  finds what a newer pop-up covers and the tap would land on the newcomer (maybe on its "Update");
- nothing safe to tap: Android's BACK, or on iOS a swipe down over the sheet, a few times, after which the run
  stops in one sentence (a person must close it);
- iOS's own alert (SpringBoard's: notifications, tracking): in no page source of the app, yet it takes every touch;
  WDA's alert commands read its words, which the guard recognises as it would a page source of that alert alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from lxml import etree
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.alert import Alert
from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.errors import PopupInTheWay
from tiktok_promo.harness.ui.calls import CONTACT_LOST, call, device_error, is_transient
from tiktok_promo.harness.ui.driver import CountingRemote
from tiktok_promo.harness.ui.locators import IOS, LocatorMemory, Target
from tiktok_promo.harness.ui.popup_guard import KnownPopup, PopupGuard
from tiktok_promo.harness.ui.snapshot import Snapshot

_KEYCODE_BACK = 4  # Android's KeyEvent.KEYCODE_BACK
_BACK_PRESSES = 3  # BACKs on a pop-up with nothing to tap before it counts as one BACK does not close
# A swipe down over a sheet: slow enough for the sheet to follow the finger, not a fling (the pace of the finder's
# list swipes, chosen for the same reason, kept apart since a sheet and a list may come to need different ones).
_SHEET_SWIPE_MS = 400


class ScreenAccess(Protocol):
    """What clearing needs of the finder: the session's platform, the guard, the page source, one look for a target
    and the driver its commands go through (the finder implements it; tests may hand in a stand-in)."""

    @property
    def platform(self) -> str: ...

    @property
    def guard(self) -> PopupGuard | None: ...

    @property
    def memory(self) -> LocatorMemory: ...

    @property
    def driver(self) -> CountingRemote: ...

    def snapshot(self, reuse: bool = True, rest: bool = True) -> Snapshot: ...

    def snapshot_now(self) -> Snapshot: ...

    def find_shown(self, target: Target, snap: Snapshot) -> list[WebElement]: ...

    def notify(self, kind: str, message: str) -> None: ...


class PopupClearer:
    """Clears what is in the way of the app's screen: closes the known pop-up on top (the guard says which) and iOS's
    own known alerts, records each in the guard and tells the observer."""

    def __init__(self, finder: ScreenAccess) -> None:
        self.finder = finder

    def clear(self, snap: Snapshot) -> bool:
        """Dismiss the known pop-up on top of this screen (on iOS, or iOS's own alert over it); whether one was
        on top.

        A press that did not happen (the pop-up redrawn, another come up over it at the find, a hiccup) still
        says True: the caller looks again at once rather than pausing, since the screen is covered, not short
        of what it waits for; the caller's count of pop-ups per wait bounds the looks."""
        guard = self.finder.guard
        if guard is None:
            return False
        if self._clear_system_alert(snap):
            return True  # iOS's own alert is over everything the app shows: it goes first
        popup = guard.recognise(snap)
        if popup is None:
            return False
        self._dismiss(popup, snap)
        return True

    def settle(self) -> Snapshot:
        """A fresh look at the screen with any known pop-ups on top of it dismissed."""
        guard = self.finder.guard
        snap = self.finder.snapshot(reuse=False)
        limit = guard.limit_per_wait if guard else 0
        for _ in range(limit):
            if not self._clear_system_alert(snap):  # iOS's own alert first: it is over the app's pop-ups
                popup = guard.recognise(snap) if guard else None
                if popup is None:
                    break
                self._dismiss(popup, snap)  # worked or not (a hiccup), the next look decides
            snap = self.finder.snapshot(reuse=False)
        return snap

    def uncover(self) -> None:
        """On iOS, before a tap: close a known pop-up that covers the screen. WDA finds elements under an alert
        or an overlay too (it searches the whole app, where UiAutomator2 searches the top window), and a tap on
        one lands on what covers it. One page source, reused while the screen stands, says; Android needs none."""
        guard = self.finder.guard
        if self.finder.platform != IOS or guard is None:
            return
        # Reused only when it was the last command: a pop-up may come at any look (a find too), and a find
        # does not say so on iOS.
        snap = self.finder.snapshot_now()
        if self._clear_system_alert(snap) or guard.recognise(snap) is not None:
            self.settle()

    def system_alert_took_tap(self) -> bool:
        """iOS, right after a tap on a button of the app's own alert (its confirmation): whether iOS's own alert
        came up at that moment and took the tap. iOS's alert is modal: the touch went to it (to its button under the
        finger, or to nothing), never to the app's alert under it. Such an alert, if known, is answered here with
        its refusing button; True only then, with the app's alert still on the screen at rest (so the tap is known
        not to have reached the app). When the app's alert is gone (the app took the tap) this costs one page
        source, which the next look reuses while nothing changed; else one more command, WDA's alert text, says
        whose alert it is. Android: no command, False (a pop-up there is in the page source the outcome reads)."""
        if self.finder.platform != IOS or self.finder.guard is None:
            return False
        snap = self.finder.snapshot(reuse=False)
        if not snap.root.xpath("//XCUIElementTypeAlert") or not self._clear_system_alert(snap):
            return False  # the app's alert is gone, or nothing is over it: the outcome's wait decides
        return bool(self.finder.snapshot(reuse=False).root.xpath("//XCUIElementTypeAlert"))

    def _dismiss(self, popup: KnownPopup, snap: Snapshot) -> bool:
        if popup.dismiss is None:
            return self._back_out_of(popup)
        if self.finder.platform == IOS:
            return self._dismiss_at_place(popup)
        found = self.finder.find_shown(popup.dismiss, snap)
        return bool(found) and self._press_for(popup, found[0].click)

    def _press_for(self, popup: KnownPopup, press: Callable[[], object]) -> bool:
        """Press what closes a pop-up; whether it was pressed (redrawn under us, or a hiccup: the next look
        decides again)."""
        try:
            press()
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        except CONTACT_LOST as error:
            raise device_error(error) from error
        except WebDriverException as error:
            if is_transient(error):
                return False
            raise
        self._dismissed(popup, popup.name)
        return True

    def _dismissed(self, popup: KnownPopup, said: str) -> None:
        """Record a pop-up closed in the guard (only a guard recognises one, so one is set) and tell the observer."""
        guard = self.finder.guard
        assert guard is not None
        guard.record(popup)
        self.finder.notify("popup", f"Dismissed pop-up: {said}")

    def _dismiss_at_place(self, popup: KnownPopup) -> bool:
        """iOS: tap the pop-up's harmless button where a page source read last shows it, that pop-up on top.

        A find would not do: WDA finds a button under a pop-up that came since (a find is a look, and the app
        may put one up at any look), and the tap would land on the newcomer, maybe on its "Update". Between
        this page source and the tap nothing looks at the screen."""
        guard = self.finder.guard
        assert guard is not None
        snap = self.finder.snapshot_now()
        node = snap.node(popup.dismiss) if popup.dismiss is not None and guard.recognise(snap) is popup else None
        if node is None or not node.has_area:
            return False  # another pop-up on top now, or none: the next look decides
        left, top, right, bottom = node.bounds
        place = {"x": (left + right) // 2, "y": (top + bottom) // 2}
        return self._press_for(popup, lambda: self.finder.driver.execute_script("mobile: tap", place))

    def _back_out_of(self, popup: KnownPopup) -> bool:
        """Close a pop-up that has nothing readable to tap without choosing any of its buttons: Android's BACK,
        which a dialog takes so; on iOS, which has no BACK key, a swipe down over it, as a person closes a sheet.
        One that still shows after a few tries (not one that comes back once) stops the run: a person must close
        it (the report's screenshot shows it)."""
        ios = self.finder.platform == IOS
        how = "a swipe down" if ios else "BACK"
        tries = alerts = 0
        while tries < _BACK_PRESSES:
            try:
                self._close_without_choosing(popup)
            except CONTACT_LOST as error:
                raise device_error(error) from error
            except WebDriverException as error:
                if is_transient(error):
                    return False  # pressed or not (a hiccup): the next look decides, as after a failed tap
                raise
            snap = self.finder.snapshot(reuse=False)
            guard = self.finder.guard
            if guard is None or guard.recognise(snap) is not popup:
                break
            # iOS's own alert takes every touch and is in no page source: a layer that a swipe did not close asks
            # for it. A swipe that met iOS's alert is not a try on the layer (the alert may come back: a bounded
            # number).
            if ios and alerts < guard.limit_per_wait and self._clear_system_alert(snap):
                alerts += 1
                continue
            tries += 1
        else:
            raise PopupInTheWay(f"The {popup.name} covers the app, has nothing safe to tap and {how} does not close "
                                "it; close it on the phone and run again (the screenshot shows it).")
        self._dismissed(popup, f"{popup.name} ({how})")
        return True

    def _close_without_choosing(self, popup: KnownPopup) -> None:
        """Android: the BACK key. iOS has none (XCUITest's `back` taps a navigation bar's back button, which a pop-up
        does not have): a swipe down over the sheet."""
        if self.finder.platform != IOS:
            self.finder.driver.execute_script("mobile: pressKey", {"keycode": _KEYCODE_BACK})
            return
        node = self.finder.snapshot().node(popup.identify)
        left, top, right, bottom = node.bounds if node is not None and node.has_area else (0, 0, 0, 0)
        if bottom <= top:
            return  # nothing to pull: the next look decides
        x, height = (left + right) // 2, bottom - top
        # From the upper part of the sheet well down: further than a sheet needs to let go, not a fling.
        self.finder.driver.swipe(x, top + height * 3 // 10, x, top + height * 17 // 20, _SHEET_SWIPE_MS)

    def _clear_system_alert(self, snap: Snapshot) -> bool:
        """iOS: close a known alert of iOS itself (notifications, tracking) over the app; whether one was.

        SpringBoard's alerts are not in the app's page source, yet they take every touch; WDA's alert commands
        see them (appium/appium-xcuitest-driver lib/commands/alert.ts). The alert's words, read so, are looked
        up among the known pop-ups as a page source of the alert alone would be, and its harmless button is
        pressed by its label. An alert of the app itself is in its page source: never answered here. While the app
        shows one, WDA's alert commands answer with iOS's alert first and else with the app's (FBAlert.m
        alertWithApplication), so one command, the alert's text, says which: its first line is the app's alert's
        title, or iOS's alert is over it.
        """
        guard = self.finder.guard
        if self.finder.platform != IOS or guard is None:
            return False
        driver = self.finder.driver
        app_alerts = snap.root.xpath("//XCUIElementTypeAlert")

        def buttons_of() -> Any:
            return driver.execute_script("mobile: alert", {"action": "getButtons"})

        # Both only read: a hiccup is asked again (taken for "no alert", the tap after it would meet the alert).
        try:
            if app_alerts:
                said = call(self._alert_text)
                if any(said.split("\n", 1)[0] == (alert.get("label") or "") for alert in app_alerts):
                    return False  # the app's own alert (its confirmation), nothing over it: never answered here
                buttons = call(buttons_of)
            else:
                buttons = call(buttons_of)
                said = call(self._alert_text)
        except WebDriverException:
            return False  # no alert is open (WDA's answer), or one that went as it was read
        shown = Snapshot(_alert_source(said, [str(b) for b in buttons or ()]), self.finder.memory)
        popup = guard.recognise(shown)
        answer = shown.node(popup.dismiss) if popup is not None and popup.dismiss is not None else None
        if popup is None or answer is None:
            return False
        try:
            driver.execute_script("mobile: alert", {"action": "dismiss", "buttonLabel": answer.description})
        except CONTACT_LOST as error:
            raise device_error(error) from error
        except WebDriverException:
            return False  # gone meanwhile, or a hiccup: the next look decides
        self._dismissed(popup, popup.name)
        return True

    def _alert_text(self) -> str:
        """WDA's alert text, in one command (Selenium's `switch_to.alert` reads it once more): iOS's alert first,
        else the app's; NoAlertPresentException when neither shows."""
        return str(Alert(self.finder.driver).text or "")


def _alert_source(said: str, buttons: list[str]) -> str:
    """A page source of one iOS alert as WDA would write it: its lines of text, then its buttons."""
    root = etree.Element("XCUIElementTypeApplication", type="XCUIElementTypeApplication")
    lines = [line for line in said.splitlines() if line.strip()]
    alert = etree.SubElement(root, "XCUIElementTypeAlert", type="XCUIElementTypeAlert", name=lines[0] if lines else "",
                             label=lines[0] if lines else "")
    for line in lines:
        etree.SubElement(alert, "XCUIElementTypeStaticText", type="XCUIElementTypeStaticText", name=line, label=line,
                         value=line)
    for button in buttons:
        etree.SubElement(alert, "XCUIElementTypeButton", type="XCUIElementTypeButton", name=button, label=button)
    return etree.tostring(root, encoding="unicode")
