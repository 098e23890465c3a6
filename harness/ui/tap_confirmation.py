"""Confirming a tap by the screen it opens: whether a tap was taken, and what the next step need not find again.

A tap's answer says only that the server sent the touch, not that the app took it: a finger on a view passing by, or
on a screen not yet taking touches, meets nothing, and the target no longer showing proves nothing either (the tap may
have opened another screen). So a tap that is to open a screen counts once that screen shows. This is kept apart from
the finder because it changes for other reasons than finding does: what counts as a tap taken (the next screen, the
app at work on it), when a tap that met nothing is made again and when it must not be, and which look confirms it
most cheaply. The finder calls it right after a tap that names what it opens (`opens`), and asks it at the next tap
and the next wait for what it found.

It works through a narrow interface to the finder (`TapAccess`): its waits and looks (one find with the remembered
candidate, a page source, a wait for the first of several targets, whether the screen as last read shows the app at
work), its click, whether finds cost less than a page source here, and its count of commands. Every command goes
through the finder, so the commands count, change the screen's epoch and are timed exactly as when these steps were
the finder's own.

Its one piece of state is what the confirmation found (the target the opened screen showed, its views) and the
finder's count of commands then. Only while no command has been sent since does that still stand for the screen: the
next step's tap or wait on that target takes those views (once) instead of finding them again, and a page reading the
screen may peek at them (`opened`). How it confirms, cheapest first:
- `sought` (what the next step looks for, shown only on the opened screen): one find of it, which is the next step's
  find too; a miss leaves the confirmation to the wait below;
- `read_next` (the next step reads the opened screen from its page source): one page source, which is that read too;
- otherwise a wait for the first of `opens` and the tapped target. The target showing at rest a moment after the tap
  means the tap met nothing: it is made again (up to a few times), unless it must not be made twice (then UnsureTap);
  a spinner on the screen as last read means the app took the tap and is loading what it opened.
"""

from __future__ import annotations

from typing import Protocol

from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.errors import TargetNotFound, UnsureTap
from tiktok_promo.harness.ui.locators import Target, names_of
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.harness.ui.waits import Deadline, WaitTally

# Seconds the tapped target may still show at rest before the tap counts as one that met nothing: a phone's app may
# take a moment to start the next screen (longer than a transition, as the finder's first look by finds is).
_TAKEN_WITHIN = 0.5
_LOOK_POLL = 0.05  # the pause between two looks in that moment (the finder's pause on a screen coming in)
_TAPS = 5  # taps that met nothing of the next screen before the tap counts as failed


class TapAccess(Protocol):
    """What confirming a tap needs of the finder: its looks and waits, its click, the cost of a find against a page
    source, and its count of commands (the finder implements it; tests may hand in a stand-in)."""

    @property
    def commands(self) -> int: ...

    @property
    def rested(self) -> WaitTally: ...

    def find_remembered(self, target: Target) -> list[WebElement]: ...

    def finds_are_cheaper(self, finds: int, reads: int) -> bool: ...

    def snapshot(self, reuse: bool = True, rest: bool = True) -> Snapshot: ...

    def shows_app_at_work(self) -> bool: ...

    def first_of(self, *targets: Target, timeout: float | None = None,
                 first_only: bool = False) -> tuple[Target, list[WebElement]]: ...

    def click(self, element: WebElement, target: Target, retry_if_unsure: bool = True, index: int = 0) -> None: ...


class TapConfirmation:
    """Confirms a tap by the screen it opens (tapping again a tap that met nothing) and keeps what that screen showed
    for the next step, while no command has been sent since."""

    def __init__(self, screen: TapAccess) -> None:
        self.screen = screen
        # What the confirmation found last (the target the opened screen showed, its views) and the command count
        # then: the next tap or wait on that target, with no command between, takes those views (see views).
        self._opened: tuple[int, Target, list[WebElement]] | None = None

    def confirm(self, target: Target, opens: tuple[Target, ...], retry_if_unsure: bool,
                timeout: float | None, sought: Target | None = None, read_next: int | None = None) -> None:
        """Wait until the screen the tap on `target` opens shows (see Finder.tap); tap again while the tap met
        nothing, or raise UnsureTap (`retry_if_unsure` False) or TargetNotFound (taken too many times)."""
        screen = self.screen
        if sought is not None:
            # Looked for once: a miss (the screen still coming in, a title not listed) leaves the wait to `opens`,
            # which costs what it did without it, plus this find.
            found = screen.find_remembered(sought)
            if found:
                self._opened = (screen.commands, sought, found)
                return
        elif read_next is not None and not (read_next and screen.finds_are_cheaper(read_next, read_next)):
            # The screen is read from its page source next: this one is the confirmation and that read. A miss (a
            # list still loading) goes on as any confirmation does.
            snap = screen.snapshot(reuse=False)
            if any(snap.has(shown) for shown in opens):
                self._opened = None
                return
        tapped = Deadline(_TAKEN_WITHIN, screen.rested)  # a phone's app may take a moment to start the next screen
        taps = 1
        while True:
            shown, found = screen.first_of(*opens, target, timeout=timeout)
            if shown is not target:
                self._opened = (screen.commands, shown, found)
                return
            if not tapped.expired():
                tapped.pause(_LOOK_POLL)
                continue
            if screen.shows_app_at_work():
                # The app is at work on what the tap opened: a screen that loads shows its title and a spinner
                # first, and its title may be the word tapped (a list titled "Promotions"). The tap was taken: the
                # page that reads what it opened waits for it, as long as the app works (a list may load for a
                # minute). Tapped again, the title would take nothing.
                return
            if not retry_if_unsure:
                raise UnsureTap(f'The tap on "{target.name}" did not open {names_of(opens)}: the screen still shows '
                                f'"{target.name}" at rest; it is not tapped twice.')
            if taps == _TAPS:
                raise TargetNotFound(f'"{target.name}" was tapped {taps} times and {names_of(opens)} did not show; '
                                     f"the screen shows {screen.snapshot(reuse=False).describe()}.")
            screen.click(found[0], target)  # the target at rest, where a finger now meets it
            taps += 1
            tapped = Deadline(_TAKEN_WITHIN, screen.rested)

    def view(self, target: Target) -> WebElement | None:
        """The view of `target` the last confirmation just found, if no command was sent since: the next step taps
        what opened (a menu's row) and a find of it again would answer the same view. Given once."""
        found = self.views(target)
        return found[0] if found else None

    def views(self, target: Target) -> list[WebElement]:
        """Every view of `target` the last confirmation just found, if no command was sent since (a list's rows with
        one title: the next step looks for them, and a find again would answer the same views). Given once."""
        found = self._standing(target)
        if found is None:
            return []
        self._opened = None
        return found

    def opened(self, target: Target) -> list[WebElement]:
        """The views of `target` that the last confirmation found, if no command was sent since ([] otherwise), kept
        for the next step's tap or wait (a page reading the screen that tap opened need not find them again)."""
        return list(self._standing(target) or [])

    def _standing(self, target: Target) -> list[WebElement] | None:
        """What the last confirmation found of `target`, if it still stands for the screen (no command since)."""
        opened = self._opened
        commands = self.screen.commands
        if opened is None or not commands or opened[0] != commands or opened[1] != target:
            return None
        return opened[2]
