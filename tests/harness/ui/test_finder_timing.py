"""The harness on a phone's timing: it waits for a screen sliding in to rest before tapping from its page source,
and it never pays the feed's wait for idle (waitForIdleTimeout at 0, as a TikTok session needs)."""

from __future__ import annotations

from pages.feed import PROFILE_TAB
from pages.menu_sheet import CREATOR_TOOLS
from pages.profile import MENU_BUTTON


def test_a_profile_read_mid_slide_is_tapped_where_the_menu_rests_not_where_it_was_passing(make_session) -> None:
    session = make_session("default")
    finder = session.start()
    finder.tap(PROFILE_TAB)
    snap = finder.snapshot(reuse=False)  # right after the tap: the profile is still sliding in on the device
    assert snap.has(MENU_BUTTON)
    menu = snap.node(MENU_BUTTON)
    assert menu is not None and menu.bounds == (930, 80, 1080, 230)  # read at rest: where a finger will find it
    finder.tap(MENU_BUTTON)  # one tap at that place
    assert finder.present(CREATOR_TOOLS)  # the menu sheet opened: the tap landed on the menu


def test_the_harness_never_pays_the_feeds_wait_for_idle(make_session) -> None:
    session = make_session("default")
    finder = session.start()
    assert session.driver.get_settings()["waitForIdleTimeout"] == 0
    finder.find(PROFILE_TAB)
    finder.snapshot(reuse=False)
    finder.tap(PROFILE_TAB)
    assert session.driver.execute_script("mobile: simStats")["idle_wait_ms"] == 0
