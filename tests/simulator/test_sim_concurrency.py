"""Many sessions at once, each with its own world: nothing one does shows in another."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import NoSuchElementException
from simkit import PROTOCOL_AT_REST, by_desc, mobile, open_promotions

from tiktok_promo.simulator.world import resolve_world

SESSIONS = 8


def _scroll_to(title: str) -> str:
    return (
        'new UiScrollable(new UiSelector().scrollable(true).className("androidx.recyclerview.widget.RecyclerView"))'
        f'.scrollIntoView(new UiSelector().text("{title}"))'
    )


@PROTOCOL_AT_REST
def test_eight_sessions_cancel_eight_promotions_without_cross_talk(make_driver) -> None:
    world = resolve_world("many").build()
    targets = [p for p in world.promotions if p.cancellable][5::5][:SESSIONS]  # spread down the list
    assert len(targets) == SESSIONS and len({p.title for p in targets}) == SESSIONS
    drivers = [make_driver(world="many") for _ in range(SESSIONS)]
    start = threading.Barrier(SESSIONS)

    def cancel(index: int) -> dict:
        driver, promo = drivers[index], targets[index]
        start.wait(timeout=10)  # all eight work at the same moment
        open_promotions(driver)
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, _scroll_to(promo.title)).click()
        assert by_desc(driver, "Video").text == promo.title
        by_desc(driver, "Cancel").click()
        by_desc(driver, "Confirm").click()
        mobile(driver, "simAdvanceClock", hours=index + 1)
        return mobile(driver, "simLedger")

    with ThreadPoolExecutor(SESSIONS) as pool:
        ledgers = list(pool.map(cancel, range(SESSIONS)))

    original = {p.id: p.status for p in world.promotions}
    for index, ledger in enumerate(ledgers):
        statuses = {p["id"]: p["status"] for p in ledger["promotions"]}
        changed = {pid for pid, status in statuses.items() if status != original[pid]}
        assert changed == {targets[index].id}, f"session {index} saw other sessions' cancels: {changed}"
        assert ledger["clock"].startswith(f"2026-11-20T{10 + index + 1:02d}:00")  # its own clock only
    for index, driver in enumerate(drivers):  # and each screen shows its own cancel
        assert by_desc(driver, "Status").text == "Canceled"
        assert by_desc(driver, "Video").text == targets[index].title


def test_element_ids_belong_to_their_session(make_driver) -> None:
    first, second = make_driver(), make_driver()
    tab = by_desc(first, "Me")
    foreign = second.create_web_element(tab.id)
    with pytest.raises(NoSuchElementException):
        foreign.click()
    assert not second.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']")


@PROTOCOL_AT_REST
def test_concurrent_commands_on_one_session_are_served_one_at_a_time(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)

    def look(_: int) -> int:
        return len(driver.find_elements(AppiumBy.XPATH, "//androidx.recyclerview.widget.RecyclerView/*"))

    with ThreadPoolExecutor(6) as pool:
        counts = list(pool.map(look, range(24)))
    assert len(set(counts)) == 1 and counts[0] >= 8
    assert mobile(driver, "simStats")["by_route"]["POST /session/:sid/elements"] == 24


@pytest.mark.slow  # the server looks for idle sessions once a second: a second or so in real time
def test_idle_session_ends_after_its_new_command_timeout(server, make_driver) -> None:
    driver = make_driver(**{"appium:newCommandTimeout": 0.2})
    kept = make_driver()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and driver.session_id in server.sessions:
        threading.Event().wait(0.05)  # polling a condition the server's reaper changes
    assert driver.session_id not in server.sessions
    assert kept.session_id in server.sessions
