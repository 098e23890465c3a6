"""Locator candidates and the memory that orders them."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.ui.locators import (
    Candidate,
    LocatorMemory,
    MemoryBank,
    accessibility_id,
    resource_id,
    scroll_to_text,
    target,
    text,
    text_contains,
    text_matches,
    xpath,
)
from tiktok_promo.simulator import uiselector

# App releases are free tags to the engine (the releases are data of the pages).
GUIDE, CURRENT, BUSINESS = "guide", "current", "business"
PROFILE_TAB = target(
    "profile tab",
    accessibility_id("Me", GUIDE),
    accessibility_id("Profile", CURRENT, BUSINESS),
    text("Me", GUIDE),
    resource_id("pkg:id/x1", GUIDE),
)

CREATOR_TOOLS = target("creator tools", text("Creator tools", GUIDE, CURRENT), text("Business Suite", BUSINESS))
PROMOTIONS = target("promotions", accessibility_id("Promotions", GUIDE, BUSINESS), accessibility_id("Promote", CURRENT))


def test_each_kind_becomes_the_appium_strategy_people_use() -> None:
    assert accessibility_id("Me").appium() == ("accessibility id", "Me")
    assert resource_id("pkg:id/x1").appium() == ("id", "pkg:id/x1")
    assert text("Me").appium() == ("-android uiautomator", 'new UiSelector().text("Me")')
    assert text_contains("Spent").appium() == ("-android uiautomator", 'new UiSelector().textContains("Spent")')
    assert xpath("//a").appium() == ("xpath", "//a")


def test_scrolling_candidate_is_one_uiscrollable_command() -> None:
    strategy, value = scroll_to_text("Coffee part 4").appium()
    assert strategy == "-android uiautomator"
    # The list by what it is, not the first scrollable view (a pager or a sideways strip on a real screen).
    assert value == ('new UiScrollable(new UiSelector().scrollable(true)'
                     '.classNameMatches(".*(RecyclerView|ListView|WebView)"))'
                     '.scrollIntoView(new UiSelector().text("Coffee part 4"))')


def test_quotes_and_backslashes_are_escaped_for_java() -> None:
    assert text('Say "hi" \\ bye').appium()[1] == 'new UiSelector().text("Say \\"hi\\" \\\\ bye")'


def test_a_text_matches_pattern_reaches_the_server_as_written() -> None:
    # appium-uiautomator2-server, utils/UiExpressionParser.java: a String argument has \" turned into " and every
    # other backslash kept, so a pattern's escapes go as written (doubled, \s would be a backslash and an s).
    strategy, selector = text_matches(r'(?i)a\s+"b"').appium()
    assert (strategy, selector) == ("-android uiautomator", r'new UiSelector().textMatches("(?i)a\s+\"b\"")')
    [query] = uiselector.parse(selector)  # the virtual device reads it as the server does
    pattern = query.criteria[0][1]
    assert pattern.fullmatch('A   "b"') and not pattern.fullmatch('a "b" c')
    assert text_matches("x").local_xpath() is None  # no regular expressions in XPath 1.0: looked for on the device


def test_placeholders_are_filled_per_use() -> None:
    row = target("row", scroll_to_text("{title}"), text("{title}"))
    filled = row.filled(title="Studio tour")
    assert [c.value for c in filled.candidates] == ["Studio tour", "Studio tour"]
    assert filled.name == "row" and row.primary.value == "{title}"


def test_local_xpath_matches_the_same_attribute() -> None:
    assert accessibility_id("Me").local_xpath() == "//*[@content-desc=$v]"
    assert text("Me").local_xpath() == "//*[@text=$v]"
    assert resource_id("x").local_xpath() == "//*[@resource-id=$v]"


def test_bad_candidates_and_empty_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown candidate kind"):
        Candidate("css", "a")
    with pytest.raises(ValueError, match="at least one candidate"):
        target("nothing")


def test_fresh_memory_keeps_the_listed_order() -> None:
    assert LocatorMemory().ordered(PROFILE_TAB) == list(PROFILE_TAB.candidates)


def test_the_candidate_that_worked_for_a_target_comes_first() -> None:
    memory = LocatorMemory()
    memory.remember(PROFILE_TAB, PROFILE_TAB.candidates[1])
    assert memory.ordered(PROFILE_TAB)[0] == accessibility_id("Profile", CURRENT, BUSINESS)


def test_wording_learned_on_one_target_reorders_the_next() -> None:
    memory = LocatorMemory()
    memory.remember(PROFILE_TAB, PROFILE_TAB.candidates[1])  # current/business release
    memory.remember(CREATOR_TOOLS, CREATOR_TOOLS.candidates[1])  # only business says Business Suite
    assert memory.matched_releases == {BUSINESS}
    assert memory.ordered(PROMOTIONS)[0].value == "Promotions"  # the business release first
    memory2 = LocatorMemory()
    memory2.remember(PROMOTIONS, PROMOTIONS.candidates[1])  # current
    assert memory2.ordered(PROFILE_TAB)[0].value == "Profile"


def test_wording_neutral_candidates_keep_their_place() -> None:
    rows = target("rows", accessibility_id("rows"), resource_id("pkg:id/g", GUIDE), resource_id("pkg:id/c", CURRENT))
    memory = LocatorMemory()
    memory.remember(PROMOTIONS, PROMOTIONS.candidates[1])  # current
    assert [c.value for c in memory.ordered(rows)] == ["rows", "pkg:id/c", "pkg:id/g"]


def test_an_xpath_of_any_release_is_tried_after_an_id_of_the_release_the_app_showed() -> None:
    """On UiAutomator2 an XPath find builds the whole tree, as a page source does (appium-uiautomator2-server
    utils/XMLHierarchy.java): once the app has shown its release, that release's id is the cheaper first try."""
    rows = target("rows", xpath("//list/*"), resource_id("pkg:id/g", GUIDE), resource_id("pkg:id/c", CURRENT))
    memory = LocatorMemory()
    assert [c.value for c in memory.ordered(rows)] == ["//list/*", "pkg:id/g", "pkg:id/c"]  # release not known yet
    memory.remember(PROMOTIONS, PROMOTIONS.candidates[1])  # current
    assert [c.value for c in memory.ordered(rows)] == ["pkg:id/c", "//list/*", "pkg:id/g"]


def test_a_match_by_the_release_id_tried_before_the_xpath_is_no_drift() -> None:
    """The XPath was never tried (the id went first for speed), so nothing says it stopped matching; a match by
    another release's id, after the XPath, still is drift."""
    rows = target("rows", xpath("//list/*"), resource_id("pkg:id/g", GUIDE), resource_id("pkg:id/c", CURRENT))
    memory = LocatorMemory()
    memory.remember(PROMOTIONS, PROMOTIONS.candidates[1])  # current
    memory.remember(rows, rows.candidates[2])
    assert memory.primary(rows).value == "pkg:id/c"
    memory.remember(rows, rows.candidates[1])  # the guide's id: tried after the XPath, which missed
    assert memory.primary(rows).value == "//list/*"


def test_a_disagreeing_match_starts_the_wording_over() -> None:
    memory = LocatorMemory()
    memory.remember(PROMOTIONS, PROMOTIONS.candidates[1])
    assert memory.matched_releases == {CURRENT}
    memory.remember(PROFILE_TAB, PROFILE_TAB.candidates[0])
    assert memory.matched_releases == {GUIDE}


def test_memory_bank_shares_one_memory_per_key() -> None:
    bank = MemoryBank()
    assert bank.for_key("sim:current") is bank.for_key("sim:current")
    assert bank.for_key("sim:current") is not bank.for_key("sim:default")


def test_the_engine_takes_any_wording_tag_and_a_language() -> None:
    # The releases are the pages' data: a tag the engine never heard of is fine.
    assert Candidate("text", "Profil", frozenset({"studio"}), "fr").language == "fr"


def test_a_memory_with_a_locale_tries_only_the_words_of_its_language() -> None:
    tab = target("profile tab", Candidate("accessibility id", "Profile", frozenset({CURRENT}), "en"),
                 Candidate("accessibility id", "Profil", frozenset({CURRENT}), "fr"), resource_id("pkg:id/x1"))
    french = LocatorMemory(locale="fr_FR")
    assert [c.value for c in french.ordered(tab)] == ["Profil", "pkg:id/x1"]
    assert french.primary(tab).value == "Profil"  # a French match of "Profil" is no drift
    assert [c.value for c in LocatorMemory().ordered(tab)] == ["Profile", "Profil", "pkg:id/x1"]  # unknown: all
