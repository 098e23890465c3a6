"""A screen read by direct finds: each target asked for costs one find (and one read for its text), when first asked.

A Snapshot (one page source) answers every question about a screen at once; on a phone that one
command costs as much as six or eight finds (harness.ui.costs). When a step needs two or three values
of a screen, asking for them one by one is cheaper, and this is that way of reading: the same
questions as a Snapshot (`has`, `text`, `enabled`, `locale`, `describe`), each answered by one find
with the target's remembered (or primary) candidate, and kept for the next question. A target that
only a fallback candidate finds reads as missing here; what the look was for then goes to one page
source, which tries every candidate (and records the drift).

A live screen stands for the screen of one epoch (harness.ui.driver): asked about a target after a
command that could change the screen, it raises ScreenChanged rather than answer about another
screen. The elements it found are handed to the finder, so that tapping a target just looked at costs
one command, and to the next live look, which reads a view it already knows (one command) before it
finds it again (two): watching a status change after a tap costs one read per look. Candidates
that scroll are never tried here: a question must not move the screen.

The finds of a live look are not one moment, as a page source is: the app may put a pop-up up between
two of them. So a look by finds is good for going on, and a refusal (a value that is missing, or not
the expected one) is decided on one page source instead (`at_once` says which a screen is).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.ui.calls import call
from tiktok_promo.harness.ui.locators import Target

__all__ = ["LiveScreen", "Screen", "ScreenChanged"]


class Screen(Protocol):
    """What a page may ask of the screen, however it was read (a Snapshot, a LiveScreen)."""

    at_once: bool  # whether every answer comes from one moment (one page source), not from finds in a row

    def has(self, target: Target) -> bool: ...

    def text(self, target: Target) -> str | None: ...

    def enabled(self, target: Target) -> bool: ...

    @property
    def locale(self) -> str | None: ...

    @property
    def language(self) -> str | None: ...

    def describe(self, limit: int = 8) -> str: ...


class ScreenChanged(RuntimeError):
    """A value of a screen was asked for after the app may have moved on: a caller kept a view too long."""


class LiveScreen:
    """The screen of one epoch, asked target by target with finds instead of one page source."""

    # Finds in a row can straddle what the app does by itself (a pop-up comes up between two of them), so a
    # missing value here may be hidden rather than absent: a decision against it is made on a page source.
    at_once = False

    def __init__(self, find: Callable[[Target], list[WebElement]], epoch: Callable[[], int | None],
                 locale: Callable[[], str | None], language: Callable[[], str | None], describe: Callable[[int], str],
                 earlier: LiveScreen | None = None) -> None:
        self._find, self._epoch, self._locale, self._language, self._describe = find, epoch, locale, language, describe
        self.epoch = epoch()
        self._found: dict[str, list[WebElement]] = {}
        # The views an earlier look found: a read of one that still exists costs one command, not a find and a read.
        self._earlier: dict[str, list[WebElement]] = dict(earlier._earlier | earlier._found) if earlier else {}
        self._reread: set[str] = set()  # targets answered by an earlier look's view, not by a find of this one
        self._texts: dict[str, str | None] = {}
        self._enabled: dict[str, bool] = {}

    @property
    def current(self) -> bool:
        """Whether no command since this screen was read could have changed it."""
        return self.epoch is not None and self._epoch() == self.epoch

    def _check(self, target: Target) -> None:
        if not self.current:
            raise ScreenChanged(f'"{target.name}" was asked of a screen the app may have left; read the screen again.')

    def elements(self, target: Target) -> list[WebElement]:
        """The target's views on this screen (none: not shown), from one find per candidate tried."""
        if target.name not in self._found:
            self._check(target)
            self._found[target.name] = self._find(target)
        return self._found[target.name]

    def held(self, target: Target) -> WebElement | None:
        """The target's first view, if a find on this screen found it and the screen still stands.

        Only a find's answer is tapped: a view read again from an earlier look may sit in a window a dialog
        now covers (a read answers for it; a find, which searches the top window, would not), and a tap at
        its place would land on the dialog.
        """
        found = self._found.get(target.name)
        return found[0] if found and target.name not in self._reread and self.current else None

    def has(self, target: Target) -> bool:
        if target.name in self._earlier and target.name not in self._found:
            self.text(target)  # a read of the earlier view shows it is still there, and keeps its text
        return bool(self.elements(target))

    def _first(self, target: Target, read: Callable[[WebElement], object]) -> object | None:
        """A read of the target's first view; found again once if the view was redrawn under the read.

        A view an earlier look found is read first, without a find: while it exists the server answers for
        the view as it is now (UiAutomator2 refreshes a node before reading it), and once it is gone the read
        says so (a stale element), and the target is found again.
        """
        earlier = self._earlier.pop(target.name, None)
        if earlier and target.name not in self._found:
            self._check(target)
            try:
                shown = call(partial(read, earlier[0]))
                self._found[target.name] = earlier
                self._reread.add(target.name)
                return shown
            except (StaleElementReferenceException, NoSuchElementException):
                pass  # gone from the screen: find it as it is now
        for _ in range(2):
            found = self.elements(target)
            if not found:
                return None
            try:
                return call(partial(read, found[0]))
            except (StaleElementReferenceException, NoSuchElementException):
                self._found.pop(target.name, None)  # redrawn: the next find sees the new view
        return None

    def text(self, target: Target) -> str | None:
        """The text of the target's first view, or None when it is not on screen."""
        if target.name not in self._texts:
            shown = self._first(target, lambda element: element.text)
            self._texts[target.name] = None if shown is None else str(shown)
        return self._texts[target.name]

    def enabled(self, target: Target) -> bool:
        """Whether the target is on screen and a person can use it."""
        if target.name not in self._enabled:
            self._enabled[target.name] = bool(self._first(target, lambda element: element.is_enabled()))
        return self._enabled[target.name]

    @property
    def locale(self) -> str | None:
        return self._locale()

    @property
    def language(self) -> str | None:
        return self._language()  # without asking the device: the words matched may already say it

    def describe(self, limit: int = 8) -> str:
        """What a person would read on the screen (one page source: for error messages only)."""
        return self._describe(limit)
