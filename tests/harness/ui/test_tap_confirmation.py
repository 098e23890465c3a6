"""The tap confirmation on its own, through the narrow interface it has to the finder (TapAccess).

The finder's tests and the scenarios cover a tap confirmed by its screen, made again once, refused when it must not be
made twice, and taken while the app loads what it opened (the slow list); these cover what the virtual device does not
do unasked: a tap that never opens its screen, and what the confirmation found given to the next step only while no
command was sent since.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tiktok_promo.harness.errors import TargetNotFound
from tiktok_promo.harness.ui.locators import LocatorMemory, Target, text
from tiktok_promo.harness.ui.locators import target as make_target
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.harness.ui.tap_confirmation import TapConfirmation
from tiktok_promo.harness.ui.waits import WaitTally

MENU = make_target("Menu", text("Menu"))
TOOLS = make_target("Creator tools", text("Creator tools"))
PROFILE = ('<hierarchy><android.widget.FrameLayout package="com.zhiliaoapp.musically">'
           '<android.widget.TextView text="Menu" bounds="[930,80][1080,230]"/>'
           '</android.widget.FrameLayout></hierarchy>')


class Screen:
    """A stand-in for the finder (TapAccess) on a screen that answers every wait with `shows`: each look, click and
    page source is one command."""

    def __init__(self, shows: tuple[Target, list[Any]]) -> None:
        self.shows = shows
        self.commands = 0
        self.rested = WaitTally()
        self.clicks: list[Any] = []

    def find_remembered(self, target: Target) -> list[Any]:
        self.commands += 1
        return []

    def finds_are_cheaper(self, finds: int, reads: int) -> bool:
        return False

    def snapshot(self, reuse: bool = True, rest: bool = True) -> Snapshot:
        self.commands += 1
        return Snapshot(PROFILE, LocatorMemory())

    def shows_app_at_work(self) -> bool:
        return False

    def first_of(self, *targets: Target, timeout: float | None = None,
                 first_only: bool = False) -> tuple[Target, list[Any]]:
        self.commands += 1
        return self.shows

    def click(self, element: Any, target: Target, retry_if_unsure: bool = True, index: int = 0) -> None:
        self.commands += 1
        self.clicks.append(element)


def test_a_tap_that_never_opens_its_screen_is_made_five_times_then_fails_saying_what_shows() -> None:
    menu = object()
    screen = Screen((MENU, [menu]))  # the menu at rest, the sheet never rising
    said = '"Menu" was tapped 5 times and "Creator tools" did not show; the screen shows'
    with pytest.raises(TargetNotFound, match=re.escape(said)) as failure:
        TapConfirmation(screen).confirm(MENU, (TOOLS,), retry_if_unsure=True, timeout=None)
    assert "Menu" in str(failure.value).split("the screen shows", 1)[1]  # a page source read for the sentence
    assert screen.clicks == [menu] * 4  # four taps more, each where the menu rests
    assert screen.rested.pauses >= 5  # each tap given its moment to open the sheet before the next


def test_what_the_opened_screen_showed_is_given_once_and_only_while_nothing_was_sent_since() -> None:
    row = object()
    screen = Screen((TOOLS, [row]))
    confirmation = TapConfirmation(screen)
    confirmation.confirm(MENU, (TOOLS,), retry_if_unsure=True, timeout=None)
    assert confirmation.views(MENU) == [] and confirmation.view(MENU) is None  # not what opened
    assert confirmation.opened(TOOLS) == [row] and confirmation.opened(TOOLS) == [row]  # a page may look, twice
    assert confirmation.view(TOOLS) is row  # the next step's tap takes it ...
    assert confirmation.views(TOOLS) == [] and confirmation.opened(TOOLS) == []  # ... once

    confirmation.confirm(MENU, (TOOLS,), retry_if_unsure=True, timeout=None)
    screen.commands += 1  # a command since: the screen may have changed
    assert confirmation.opened(TOOLS) == [] and confirmation.views(TOOLS) == []

