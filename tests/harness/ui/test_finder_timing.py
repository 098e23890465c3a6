"""The harness on a phone's timing: it waits for a screen sliding in to rest before tapping from its page source,
it confirms a tap by the screen it opens, and it never pays the feed's wait for idle (waitForIdleTimeout at 0, as
a TikTok session needs).

What the device mimics (appium/appium-uiautomator2-server, app/src/main/java/io/appium/uiautomator2/): the page
source lists the views visible to the user, with their bounds on the screen, unless allowInvisibleElements
(core/AccessibilityNodeInfoDumper.java, model/settings/AllowInvisibleElements.java); an element click taps the
view where it is at that moment (handler/Click.java, UiObject2.click reads its bounds again); the wait for idle
after a click and before a read is skipped at 0 (model/settings/WaitForIdleTimeout.java)."""

from __future__ import annotations

import re

import pytest

from tiktok_promo.harness.errors import UnsureTap
from tiktok_promo.pages.feed import PROFILE_TAB
from tiktok_promo.pages.menu_sheet import CREATOR_TOOLS
from tiktok_promo.pages.profile import MENU_BUTTON, ProfilePage


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


def _first_tap_meets_nothing(session, finder, monkeypatch) -> list[str]:
    """The first click lands where nothing acts (a finger on a view passing by, as a phone can meet one): the
    screen does not change; later clicks are real."""
    real, missed = finder.click, []

    def click(element, target, **kwargs) -> None:
        if not missed:
            missed.append(target.name)
            session.driver.execute_script("mobile: clickGesture", {"x": 5, "y": 5})
            return
        real(element, target, **kwargs)

    monkeypatch.setattr(finder, "click", click)
    return missed


def test_a_tap_is_confirmed_by_the_screen_it_opens_and_made_again_when_the_target_still_shows(
        make_session, monkeypatch) -> None:
    session = make_session("default")
    finder = session.start()
    finder.tap(PROFILE_TAB)
    missed = _first_tap_meets_nothing(session, finder, monkeypatch)
    taps = session.stats()["taps"]
    ProfilePage(finder).open_menu()  # the menu's tap counts once the sheet shows
    assert missed == [MENU_BUTTON.name]
    assert finder.present(CREATOR_TOOLS)  # made again where the button rests: the sheet rose
    assert session.stats()["taps"] == taps + 1  # one tap landed: the sheet opened once


def test_a_tap_that_must_not_be_made_twice_is_refused_when_its_screen_does_not_show(make_session, monkeypatch) -> None:
    session = make_session("default")
    finder = session.start()
    finder.tap(PROFILE_TAB)
    _first_tap_meets_nothing(session, finder, monkeypatch)
    said = (f'The tap on "{MENU_BUTTON.name}" did not open "{CREATOR_TOOLS.name}": the screen still shows '
            f'"{MENU_BUTTON.name}" at rest; it is not tapped twice.')
    with pytest.raises(UnsureTap, match=re.escape(said)):
        finder.tap(MENU_BUTTON, retry_if_unsure=False, opens=(CREATOR_TOOLS,))
    assert not finder.present(CREATOR_TOOLS)


@pytest.mark.slow  # a list 1.5 s slow to come, waited out in real time
@pytest.mark.parametrize("faults", [
    pytest.param({"slow_list_ms": 1500}, id="no latency"),
    pytest.param({"slow_list_ms": 1500, "cost_model": "phone", "latency_sigma": 0.01, "seed": 3}, id="phone"),
])
def test_promotions_is_tapped_once_when_its_list_is_slow_to_come_and_the_list_is_waited_for(
        make_session, faults) -> None:
    # The list's screen comes in titled "Promotions", the word tapped, with a spinner and no rows for 1.5 s: the
    # spinner says the tap was taken (Creator tools has none), and the list's page waits for its rows.
    session = make_session("default", faults=faults)
    finder = session.start()
    finder.tap(PROFILE_TAB)
    tools = ProfilePage(finder).open_creator_tools()
    taps: list[str] = []
    record = session.driver.timer

    def timer(command: str, params: dict | None, seconds: float) -> None:
        if command == "clickElement" or (params or {}).get("script") == "mobile: clickGesture":
            taps.append(command)
        if record is not None:
            record(command, params, seconds)

    session.driver.timer = timer
    listing = tools.open_promotions()
    shown = [row.title for row in listing.all_rows()]
    assert sorted(shown) == sorted(p["title"] for p in session.ledger()["promotions"])
    assert len(taps) == 1
