"""Taps the finder saves round trips on, on the virtual device: a tap from a fresh read is one command, an old or
changed screen is found again, and a server without coordinate taps gets find and click. The screens rest at once
(`transitions=False`): a tap's commands are the same at rest; taps on screens sliding in are test_finder_timing.py's."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import InvalidArgumentException

from tiktok_promo.harness.ui import finder as finder_module
from tiktok_promo.pages.feed import PROFILE_TAB
from tiktok_promo.pages.menu_sheet import CREATOR_TOOLS
from tiktok_promo.pages.profile import MENU_BUTTON, USERNAME


def routes_since(session, before: dict[str, int]) -> dict[str, int]:
    after = session.stats()["by_route"]
    return {route: count - before.get(route, 0) for route, count in after.items() if count != before.get(route, 0)}


def test_a_tap_on_a_screen_just_read_is_one_command(make_session) -> None:
    session = make_session("default", transitions=False)
    finder = session.start()
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)
    assert routes_since(session, before) == {"POST /session/:sid/execute/sync": 1}  # no find
    assert finder.read(CREATOR_TOOLS).has(CREATOR_TOOLS)  # the tap landed: the menu sheet is open


def test_after_a_screen_change_a_tap_finds_again(make_session) -> None:
    session = make_session("default", transitions=False)
    finder = session.start()
    finder.read(PROFILE_TAB)
    finder.tap(PROFILE_TAB)  # from the read: one command, and the screen changes
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)  # nothing read since: find, then click
    routes = routes_since(session, before)
    # The profile may still be sliding in at the first find, which then misses: a page source shows it coming in,
    # and the menu is found again once it shows. Never a tap at the place the old read had.
    assert routes.pop("POST /session/:sid/elements") >= 1
    routes.pop("GET /session/:sid/source", None)
    routes.pop("POST /session/:sid/execute/sync", None)  # the device's locale, asked once a find missed
    assert routes == {"POST /session/:sid/element/:eid/click": 1}  # an element click, not a tap at a place


def test_an_old_read_does_not_stand_for_the_screen(make_session, monkeypatch: pytest.MonkeyPatch) -> None:
    session = make_session("default", transitions=False)
    finder = session.start()
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    monkeypatch.setattr(finder, "_cached_at", finder._cached_at - finder_module._HELD_FOR - 1)
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)
    assert "POST /session/:sid/elements" in routes_since(session, before)


def test_a_server_without_coordinate_taps_gets_find_and_click(make_session,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    session = make_session("default", transitions=False)
    finder = session.start()
    real = session.driver.execute_script

    def no_click_gesture(script: str, *args: object) -> object:
        if script == "mobile: clickGesture":
            raise InvalidArgumentException("Unknown mobile command")
        return real(script, *args)

    monkeypatch.setattr(session.driver, "execute_script", no_click_gesture)
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    finder.tap(MENU_BUTTON)  # refused, so found and clicked: it still lands
    assert finder.read(CREATOR_TOOLS).has(CREATOR_TOOLS)
    assert finder._tap_at_place is False  # and the session does not ask again
