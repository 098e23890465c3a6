"""The Promotions list as a phone's RecyclerView: row views rebound as it scrolls, a reload as the app comes back.

What a held element answers follows appium-uiautomator2-server: an element found by XPath (or id,
accessibility id, class) is a UiObject2 (model/UiObject2Element.java) whose every read refreshes the view's
accessibility node (androidx.test.uiautomator UiObject2.getAccessibilityNodeInfo): a view still attached
answers with what is bound to it now, a detached one throws StaleObjectException, which the element cache
(model/ElementsCache.java) answers as StaleElementReferenceException.

These are protocol details of a held element and of the list's reloads: their screens rest at once
(simkit.PROTOCOL_AT_REST); how screens come in has its own tests (test_sim_timing.py).
"""

from __future__ import annotations

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import StaleElementReferenceException
from simkit import PROTOCOL_AT_REST, back_to_list, by_desc, by_text, mobile, open_promotions, raw, texts, wait_for_list

from tiktok_promo.simulator.recycler import ListRefresh
from tiktok_promo.simulator.ui.screens import LIST_TOP, ROW_HEIGHT

MANY_TITLES_FROM_THE_TOP = ["Sourdough part 1", "Desk setup part 1", "Trail run part 1", "Thrift flip part 1",
                            "Skincare part 1", "Guitar riff part 1", "Meal prep part 1", "Plant care part 1",
                            "Dog tricks part 1", "Street food part 1"]


def _title(driver, title: str):
    return driver.find_element(AppiumBy.XPATH, f"//*[@text='{title}']")


def _scroll_list(driver, pixels: int) -> None:
    """Move the list's content up by `pixels` in two equal swipes over part of the list (a swipe moves it by
    the height of the area it is made over)."""
    height = pixels // 2
    for _ in range(2):
        mobile(driver, "scrollGesture", left=0, top=LIST_TOP + 60, width=1080, height=height, direction="down",
               percent=1.0)


def _listed_titles(driver) -> list[str]:
    """The row titles on screen, top to bottom (one page source)."""
    rows = driver.find_elements(AppiumBy.XPATH, "//androidx.recyclerview.widget.RecyclerView/*[@clickable='true']")
    return [row.find_element(AppiumBy.XPATH, ".//android.widget.TextView").text for row in rows]


@PROTOCOL_AT_REST
def test_a_row_held_across_a_scroll_reads_the_promotion_its_view_now_shows(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    held = _title(driver, "Sourdough part 1")  # the first row's view
    _scroll_list(driver, 9 * ROW_HEIGHT)  # nine rows on: the first view is rebound to the tenth promotion
    # Still attached, so the node refreshes: the held element silently reads another promotion.
    assert held.text == "Street food part 1"
    held.click()
    assert by_desc(driver, "Video").text == "Street food part 1"  # and a tap on it opens that one


@PROTOCOL_AT_REST
def test_a_row_whose_view_left_the_screen_is_stale(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    held = _title(driver, "Plant care part 1")  # the eighth row, cut at the bottom edge
    _scroll_list(driver, 8 * ROW_HEIGHT)  # its view is the one the list holds off screen now
    with pytest.raises(StaleElementReferenceException):
        held.text  # noqa: B018 - the read is what is stale
    assert "Plant care part 1" not in texts(driver)  # and no row of the list shows it: out of view, not in the source


@PROTOCOL_AT_REST
def test_only_the_rows_on_screen_are_in_the_source_however_long_the_list(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    assert _listed_titles(driver) == MANY_TITLES_FROM_THE_TOP[:8]
    _scroll_list(driver, 2 * ROW_HEIGHT)
    assert _listed_titles(driver) == MANY_TITLES_FROM_THE_TOP[2:10]


def _seed_whose_first_return_after_a_cancel(world: str, sort: bool, to_top: bool) -> int:
    """A session seed whose list reloads, as asked, on the first return after a cancel (the device's own draw)."""
    for seed in range(500):
        refresh = ListRefresh(world, seed).on_return(after_cancel=True)
        if refresh is not None and refresh.sort_by_status == sort and refresh.to_top == to_top:
            return seed
    raise AssertionError("no seed below 500 draws that reload")


def _cancel(driver, title: str) -> None:
    by_text(driver, title).click()
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()


@PROTOCOL_AT_REST
def test_after_a_cancel_the_list_reloads_with_the_cancelled_promotion_sorted_after_the_running_ones(
        make_driver) -> None:
    driver = make_driver(faults={"seed": _seed_whose_first_return_after_a_cancel("default", True, True)})
    open_promotions(driver)
    before = _listed_titles(driver)
    assert before[0] == "Summer haul try-on"
    held = _title(driver, "Summer haul try-on")
    _cancel(driver, "Summer haul try-on")
    driver.back()
    # The reload shows its progress indicator first, and no row at all: the held row is stale meanwhile.
    assert driver.find_elements(AppiumBy.CLASS_NAME, "android.widget.ProgressBar")
    with pytest.raises(StaleElementReferenceException):
        held.text  # noqa: B018 - the read is what is stale
    wait_for_list(driver)
    after = _listed_titles(driver)
    assert sorted(after) == sorted(before)
    assert after[0] == "Latte art in 30 seconds" and after.index("Summer haul try-on") > after.index("Studio tour")
    # Its first view is attached again and bound to another promotion: the held element reads that one.
    assert held.text == "Latte art in 30 seconds"


@PROTOCOL_AT_REST
def test_the_same_seed_reloads_the_list_the_same_way_and_list_refresh_off_keeps_it_as_left(make_driver) -> None:
    def run(faults: dict) -> list[tuple[list[str], list[str]]]:
        """The rows on screen before each of three rows is opened, and after BACK from its details."""
        driver = make_driver(world="many", faults=faults)
        open_promotions(driver)
        _scroll_list(driver, 4 * ROW_HEIGHT)
        seen = []
        for title in ("Guitar riff part 1", "Meal prep part 1", "Street food part 1"):
            before = _listed_titles(driver)
            driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR,
                                'new UiScrollable(new UiSelector().className('
                                '"androidx.recyclerview.widget.RecyclerView")).scrollIntoView('
                                f'new UiSelector().text("{title}"))').click()
            back_to_list(driver)
            seen.append((before, _listed_titles(driver)))
        return seen

    seed = next(s for s in range(500) if (r := ListRefresh("many", s).on_return(after_cancel=False)) and r.to_top)
    first = run({"seed": seed})
    assert first[0][1][0] == MANY_TITLES_FROM_THE_TOP[0] != first[0][0][0]  # the first return went to the top
    assert run({"seed": seed}) == first
    kept = run({"seed": seed, "list_refresh": False})
    assert all(before == after for before, after in kept)


def test_a_list_refresh_setting_that_is_not_true_or_false_is_refused_in_one_sentence(server) -> None:
    import json

    status, body = raw(server, "POST", "/session", json.dumps(
        {"capabilities": {"alwaysMatch": {"platformName": "Android", "sim:faults": {"list_refresh": "no"}}}}).encode())
    assert status == 400 and body["value"]["error"] == "invalid argument"
    assert body["value"]["message"] == "sim:faults list_refresh must be true or false"
