"""The finder on the virtual device: one command per find, fallbacks paid once, pop-ups dismissed.

The screens rest at once (`transitions=False`): what a find costs and does is the same at rest; finds on screens
sliding in are test_finder_timing.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tiktok_promo.harness.errors import PopupInTheWay, TargetNotFound
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui.locators import MemoryBank, accessibility_id, target
from tiktok_promo.pages.creator_tools import PROMOTIONS
from tiktok_promo.pages.feed import PROFILE_TAB, FeedPage
from tiktok_promo.pages.profile import MENU_BUTTON, USERNAME

ROOT = Path(__file__).resolve().parents[3]


def test_a_find_on_the_happy_path_is_one_command(make_session) -> None:
    session = make_session("default", transitions=False)
    finder = session.start()
    before = finder.commands
    finder.find(PROFILE_TAB)
    assert finder.commands - before == 1
    # The word that matched is English only: the app speaks English, and the device's locale is not asked
    # until an amount or a count needs it.
    assert session.memory.language == "en" and not session.memory.locale_known
    before = finder.commands
    finder.find(PROFILE_TAB)
    assert finder.commands - before == 1
    assert not session.drift


def test_a_phone_in_another_language_costs_one_find_more_then_searches_in_its_language(make_session) -> None:
    session = make_session("studio-fr", transitions=False)
    finder = session.start()
    sent: list[str] = []
    record = session.driver.timer

    def timer(command: str, params: dict | None, seconds: float) -> None:
        sent.append(str((params or {}).get("script") or (params or {}).get("value") or command))
        if record is not None:
            record(command, params, seconds)

    session.driver.timer = timer
    finder.find(PROFILE_TAB)
    # The first English word misses; the device's locale says French; from there on the search is the one a
    # phone known to be French gets (the guide's "Moi", then one page source that shows the current "Profil").
    # A look that misses is made once more before the page source (the screen may still have been coming in).
    assert [word for i, word in enumerate(sent) if i == 0 or word != sent[i - 1]] == [
        "Me", "mobile: deviceInfo", "Moi", "getPageSource", "Profil"]
    assert len(sent) <= 6
    assert session.memory.locale == "fr_FR"


def test_a_fallback_is_drift_and_is_paid_once_per_device_and_release(make_session, monkeypatch,
                                                                     one_ms_per_command) -> None:
    # The current release's words on an app whose version the pages take for the guide's: "Me" is expected.
    monkeypatch.setattr(AppiumSession, "_learn_release", lambda session: setattr(session.memory, "release", "guide"))
    bank = MemoryBank()
    # Screens at rest: a find or page source made while the home screen still comes in is made again, as many
    # times as the machine's load decides (6 commands in a loaded CI run). And every command timed at 1 ms: where
    # finds measure cheaper than a page source (slow commands on a loaded machine), a wait's first moments look by
    # finds again before the page source (5 commands in 2 of 3 loaded runs here, with screens at rest).
    first = make_session("current", memories=bank, transitions=False)
    finder = first.start()
    before = finder.commands
    finder.find(PROFILE_TAB)
    assert finder.commands - before == 4  # the locale (once), "Me" missed, one page source, then "Profile"
    assert [e.target for e in first.drift.events] == [PROFILE_TAB.name]
    # The release learned on the profile tab orders the next target: "Profile menu" comes first.
    finder.tap(PROFILE_TAB)
    before = finder.commands
    finder.find(MENU_BUTTON)
    assert finder.commands - before == 1
    second = make_session("current", memories=bank, transitions=False)
    finder2 = second.start()
    before = finder2.commands
    finder2.find(PROFILE_TAB)
    assert finder2.commands - before == 1
    assert [e.target for e in second.drift.events] == [PROFILE_TAB.name]  # still reported, every session


def test_a_popup_over_the_target_is_dismissed_and_the_find_goes_on(make_session) -> None:
    events: list[tuple[str, str]] = []
    session = make_session("interruptions", observer=lambda kind, message: events.append((kind, message)),
                           transitions=False)
    finder = session.start()
    finder.tap(PROFILE_TAB)  # the feed opens under a "Swipe up for more" hint
    assert session.guard.dismissed[0] == "swipe-up hint"
    assert ("popup", "Dismissed pop-up: swipe-up hint") in events
    assert finder.read(USERNAME).text(USERNAME) == "@mia.creates"  # the permission dialog is dismissed too
    assert session.guard.dismissed == ["swipe-up hint", "notification permission"]


def _to_the_update_prompt(finder) -> None:
    # On the interruptions world the update prompt (text-less, as real builds show it) covers Creator tools.
    profile = FeedPage(finder).open_profile()
    profile.open_menu().open_creator_tools()


def test_an_update_prompt_with_nothing_readable_is_closed_with_back_and_never_tapped(make_session) -> None:
    events: list[tuple[str, str]] = []
    session = make_session("interruptions", observer=lambda kind, message: events.append((kind, message)),
                           transitions=False)
    finder = session.start()
    _to_the_update_prompt(finder)
    finder.tap(PROMOTIONS)
    assert ("popup", "Dismissed pop-up: update prompt (BACK)") in events
    assert finder.execute("mobile: getCurrentPackage") == "com.zhiliaoapp.musically"  # not the store


def test_an_update_prompt_that_back_does_not_close_stops_the_run_in_one_sentence(make_session, monkeypatch) -> None:
    finder = make_session("interruptions", transitions=False).start()
    execute = finder.driver.execute_script
    # A prompt that does not take BACK: the key press reaches nothing. The prompt comes up over Creator tools, and
    # the tap that opens them waits for Promotions to show, so it is that wait which meets the prompt.
    monkeypatch.setattr(finder.driver, "execute_script", lambda script, *args: None if script == "mobile: pressKey"
                        else execute(script, *args))
    with pytest.raises(PopupInTheWay, match=r"^The update prompt covers the app, has nothing safe to tap and BACK "
                                            r"does not close it; .*screenshot"):
        _to_the_update_prompt(finder)
        finder.tap(PROMOTIONS)


def test_a_missing_target_fails_in_time_naming_what_shows(make_session) -> None:
    finder = make_session("default").start()
    nowhere = target("Resume button", accessibility_id("Resume"))
    with pytest.raises(TargetNotFound, match=r'"Resume button" did not show within 0.3 s .*"New choreo drop #fyp"'):
        finder.find(nowhere, timeout=0.3)


def test_reads_of_an_unchanged_screen_share_one_page_source(make_session) -> None:
    finder = make_session("default", transitions=False).start()
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)  # page sources until the profile has come in to rest
    before = finder.commands
    finder.read(USERNAME)
    assert finder.commands == before  # the same screen: the page source read stands for it
    finder.tap(MENU_BUTTON)  # a tap changes the screen: the next read looks again
    before = finder.commands
    finder.snapshot()
    assert finder.commands - before >= 1


def test_no_fixed_sleeps_in_the_harness_pages_or_steps() -> None:
    files = [*ROOT.glob("harness/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("steps/*.py"), ROOT / "conftest.py"]
    offenders = [str(f.relative_to(ROOT)) for f in files
                 if re.search(r"\btime\.sleep\(|\bfrom time import sleep", f.read_text())]
    assert not offenders


def test_the_words_are_looked_for_in_the_phones_language_unless_told(make_session, sim_config) -> None:
    from dataclasses import replace

    french = make_session("studio-fr", transitions=False)
    french.finder.find(PROFILE_TAB)
    assert french.memory.locale == "fr_FR"  # read from the device (mobile: deviceInfo)
    tried = [c.value for c in french.memory.ordered(PROFILE_TAB)]
    assert tried[0] == "Profil" and "Moi" in tried and "Me" not in tried and "Profile" not in tried
    told = make_session("studio-fr", transitions=False)
    told.config = replace(sim_config, language="en")  # --language en on a French phone: English words only
    told.start()
    with pytest.raises(TargetNotFound, match="profile tab"):
        told.finder.find(PROFILE_TAB, timeout=0.3)


def test_a_wait_in_a_language_no_locator_has_says_so_instead_of_listing_words_the_screen_shows(
        make_session, sim_config) -> None:
    # Before: '"Creator tools" did not show (tried ... "Creator tools" ...); the screen shows "Creator tools"'.
    # The profile menu is found by its words only (a Button "Profile menu" with no resource-id, as on every real
    # build), so in a language the wordings lack it cannot be looked for at all.
    from dataclasses import replace

    told = make_session("default", transitions=False)
    told.config = replace(sim_config, language="de")  # past the option check, as a release without German words
    told.start()
    told.finder.tap(PROFILE_TAB)  # its resource-id speaks every language
    with pytest.raises(TargetNotFound) as missed:
        told.finder.find(MENU_BUTTON, timeout=0.3)
    said, _, shows = str(missed.value).partition("the screen shows")
    assert "@mia.creates" in shows  # the profile is on screen...
    assert "no locator of it is in the language 'de'" in said  # ...and the sentence says why the menu was not seen
    assert "Profile menu" not in said  # no claim of a look for its English words


def test_an_app_whose_version_names_its_release_finds_that_releases_words_without_drift(make_session) -> None:
    session = make_session("studio", transitions=False)
    finder = session.start()
    finder.find(PROFILE_TAB)  # "Profile", the studio release's word, after the guide's "Me" missed
    assert session.memory.release == "studio"
    assert not session.drift
