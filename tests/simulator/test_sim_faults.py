"""Faults on demand (`sim:faults`): each one as a test meets it, and each reproducible by its seed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import (
    InvalidSessionIdException,
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from simkit import (
    PACKAGE,
    PROTOCOL_AT_REST,
    by_desc,
    by_text,
    ledger,
    mobile,
    open_details,
    open_promotions,
    raw,
    texts,
)

from tiktok_promo.simulator.costs import PHONE, PHONE_SCREEN_NODES, CommandKind
from tiktok_promo.simulator.faults import parse_faults
from tiktok_promo.simulator.session import Session
from tiktok_promo.simulator.world import resolve_world

FIND = "POST /session/:sid/element"
ROUGH = {"seed": 11, "popup_rate": 0.25, "stale_rate": 0.25, "error_rate": 0.2}


def _script(driver) -> list[str]:
    """The same twenty commands, whatever happens: what each one met."""
    met = []
    for i in range(20):
        try:
            if i % 4 == 0:
                element = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home")
                met.append("found")
            elif i % 4 == 1:
                met.append("text:" + element.text)
            elif i % 4 == 2:
                met.append(f"source:{len(driver.page_source)}")
            else:
                driver.back()
                met.append("back")
        except (NoSuchElementException, StaleElementReferenceException, WebDriverException) as error:
            met.append(type(error).__name__)
    return met


def _stats(driver) -> dict:
    """simStats, asked again while a transient error strikes (sim: calls meet faults too)."""
    for _ in range(50):
        try:
            return mobile(driver, "simStats")
        except WebDriverException:
            continue
    raise AssertionError("simStats never answered")


def test_same_seed_same_faults_same_stats(make_driver) -> None:
    first, second = make_driver(faults=ROUGH), make_driver(faults=ROUGH)
    met_first, met_second = _script(first), _script(second)
    assert met_first == met_second
    stats_first, stats_second = _stats(first), _stats(second)
    assert stats_first["faults"] == stats_second["faults"]
    assert stats_first["by_route"] == stats_second["by_route"]
    assert stats_first["faults"].get("error") and stats_first["faults"].get("popup")  # faults really struck


def test_another_seed_meets_other_faults(make_driver) -> None:
    met = _script(make_driver(faults=ROUGH))
    other = _script(make_driver(faults={**ROUGH, "seed": 12}))
    assert met != other


def test_crash_after_ends_the_session_like_an_instrumentation_crash(server, make_driver) -> None:
    driver = make_driver(faults={"crash_after": 3})
    for _ in range(3):
        by_desc(driver, "Home")
    with pytest.raises(InvalidSessionIdException, match="crashed"):
        by_desc(driver, "Home")
    with pytest.raises(InvalidSessionIdException):
        _ = driver.page_source
    status, body = raw(server, "GET", f"/session/{driver.session_id}")
    assert (status, body["value"]["error"]) == (404, "invalid session id")  # gone from the device's sessions


def test_error_rate_gives_500_unknown_error_and_the_command_does_nothing(server, make_driver) -> None:
    driver = make_driver(faults={"error_rate": 1.0})
    with pytest.raises(WebDriverException, match="socket hang up"):
        by_desc(driver, "Me").click()
    status, body = raw(server, "GET", f"/session/{driver.session_id}/source")
    assert (status, body["value"]["error"]) == (500, "unknown error")


def _until_ok(call: Callable[[], Any]) -> tuple[Any, int]:
    """(result, how many transient errors came first)."""
    failures = 0
    while True:
        try:
            return call(), failures
        except WebDriverException:
            failures += 1


def test_error_rate_strikes_before_the_command_acts(make_driver) -> None:
    driver = make_driver(faults={"seed": 3, "error_rate": 0.5})
    tab, _ = _until_ok(lambda: by_desc(driver, "Me"))
    _, failed_clicks = _until_ok(tab.click)
    assert failed_clicks >= 1  # with this seed, the click failed before it went through
    assert _stats(driver)["taps"] == 1  # and only the click that answered OK tapped


@PROTOCOL_AT_REST
def test_confirm_fails_once_with_a_toast_then_works(make_driver) -> None:
    driver = make_driver(faults={"confirm_fails_once": True})
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()
    assert "Something went wrong. Please try again." in texts(driver)
    assert by_desc(driver, "Status").text == "Active"
    assert ledger(driver, "P-1001")["status"] == "active"
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()
    assert by_desc(driver, "Status").text == "Canceled"
    assert mobile(driver, "simStats")["faults"]["confirm_failed"] == 1


@PROTOCOL_AT_REST
def test_slow_list_shows_a_spinner_then_rows_found_in_one_waiting_find(make_driver) -> None:
    driver = make_driver(faults={"slow_list_ms": 400})
    open_promotions(driver)
    assert by_desc(driver, "Loading").is_displayed()
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Summer haul try-on") == []
    finds_before = mobile(driver, "simStats")["by_route"][FIND]
    driver.implicitly_wait(5)
    started = time.monotonic()
    row = by_text(driver, "Summer haul try-on")
    waited = time.monotonic() - started
    assert row.text == "Summer haul try-on"
    assert mobile(driver, "simStats")["by_route"][FIND] == finds_before + 1  # one round trip, not a client poll
    assert waited < 2  # the server answered once the rows were there, not at the end of the wait
    driver.implicitly_wait(0)
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Loading") == []


def test_implicit_wait_gives_up_after_its_time(driver) -> None:
    driver.implicitly_wait(0.3)
    started = time.monotonic()
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Never there")  # one find: the device's own wait
    took_ms = (time.monotonic() - started) * 1000
    assert took_ms >= 300
    stats = mobile(driver, "simStats")
    assert stats["by_route"][FIND] == 1
    # The time that find spent polling for what was never there is what the device reports as waited: the 300 ms,
    # less its first look, and never more than the find took. Counted on the real clock, as a phone's server does:
    # on a loaded machine the last nap overshoots (309 ms in a loaded run, where 300 +- 5 was asked).
    assert 250 <= stats["find_wait_ms"] <= took_ms


def test_a_find_that_meets_its_target_at_once_reports_no_wait(driver) -> None:
    driver.implicitly_wait(2)
    assert by_desc(driver, "Home")  # on screen: answered at the first look, whatever the implicit wait
    assert mobile(driver, "simStats")["find_wait_ms"] == 0


def test_latency_is_measurable(make_driver) -> None:
    quick = make_driver()
    slow = make_driver(faults={"latency_ms": 40})
    for driver in (quick, slow):
        started = time.monotonic()
        for _ in range(3):
            _ = driver.current_package
        driver.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    # The three commands take the 3 x 40 ms at least; the quick device adds nothing. How long the quick device's
    # round trips take is the machine's load (a 120 ms bound on them is a bet on an idle machine).
    assert slow.elapsed >= 0.12
    assert mobile(quick, "simStats")["injected_latency_ms"] == 0
    stats = mobile(slow, "simStats")
    assert stats["injected_latency_ms"] >= 120
    assert stats["server_ms"] < stats["injected_latency_ms"]  # server time excludes the injected wait


def test_latency_distribution_is_seeded(make_driver) -> None:
    plan = {"seed": 5, "latency_ms": 5, "latency_sigma": 0.8}
    totals = []
    for _ in range(2):
        driver = make_driver(faults=plan)
        for _ in range(5):
            _ = driver.current_package
        totals.append(mobile(driver, "simStats")["injected_latency_ms"])
    assert totals[0] == totals[1] > 0


def test_popups_at_random_moments_cover_the_screen(make_driver) -> None:
    driver = make_driver(faults={"popup_rate": 1.0})
    source = driver.page_source
    assert any(words in source for words in
               ("Update available", "Allow TikTok", "Swipe up for more", "Find your contacts"))
    assert mobile(driver, "simStats")["faults"]["popup"] >= 1


def test_stale_elements_after_a_rerender(make_driver) -> None:
    driver = make_driver(faults={"stale_rate": 1.0})
    tab = by_desc(driver, "Me")
    _ = driver.page_source  # looking at the screen again: it has re-rendered
    with pytest.raises(StaleElementReferenceException):
        tab.click()
    by_desc(driver, "Me").click()  # a fresh find works, as the harness's retry does


@pytest.mark.parametrize("profile", ["none", "flaky", "hostile"])
def test_named_profiles_start_sessions(make_driver, profile: str) -> None:
    driver = make_driver(faults=profile)
    assert driver.session_id


@PROTOCOL_AT_REST
def test_hostile_profile_can_be_tuned(make_driver) -> None:
    driver = make_driver(faults={"profile": "hostile", "popup_rate": 0, "stale_rate": 0, "error_rate": 0,
                                 "slow_list_ms": 0})
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()
    assert by_desc(driver, "Status").text == "Active"  # hostile keeps its failing confirm


@PROTOCOL_AT_REST
def test_a_lost_answer_lands_the_confirm_and_closes_the_connection_unanswered(make_driver) -> None:
    # How the client sees it: urllib3 does not resend a POST whose connection closed before the answer
    # (urllib3/util/retry.py: a read error is retried only for idempotent methods), so Selenium's client
    # raises urllib3's ProtocolError(RemoteDisconnected) and the command is not repeated.
    from urllib3.exceptions import ProtocolError

    driver = make_driver(faults={"lost_answers": 1})
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    confirm = by_desc(driver, "Confirm")
    taps = _stats(driver)["taps"]
    with pytest.raises(ProtocolError, match="Remote end closed connection without response"):
        confirm.click()
    assert ledger(driver, "P-1001")["status"] == "canceled"  # the confirm landed in the app
    assert by_desc(driver, "Status").text == "Canceled"  # the session goes on, on a new connection
    assert _stats(driver)["taps"] == taps + 1  # tapped once: nothing resent it
    assert mobile(driver, "simStats")["faults"]["lost_answer"] == 1


@pytest.mark.parametrize(("faults", "said"), [
    ({"lost_answers": 1.5}, "lost_answers must be a whole number"),
    ({"lost_answer_rate": 2}, "lost_answer_rate is a probability between 0 and 1"),
    ({"lost_answers": -1}, "lost_answers must be a finite number >= 0"),
])
def test_lost_answer_settings_are_checked(server, faults: dict[str, Any], said: str) -> None:
    import json

    status, body = raw(server, "POST", "/session", json.dumps(
        {"capabilities": {"alwaysMatch": {"platformName": "Android", "sim:faults": faults}}}).encode())
    assert status == 400 and body["value"]["error"] == "invalid argument"
    assert said in body["value"]["message"]


def test_lost_answer_rate_is_seeded() -> None:
    from tiktok_promo.simulator.faults import FaultInjector, parse_faults

    def lost(seed: int) -> list[bool]:
        injector = FaultInjector(parse_faults({"seed": seed, "lost_answer_rate": 0.5}))
        met = []
        for _ in range(12):  # each landed confirm draws once
            injector.confirm_landed()
            met.append(injector.take_lost_answer())
        return met

    assert lost(5) == lost(5) and lost(5) != lost(6) and any(lost(5)) and not all(lost(5))


@pytest.mark.slow
def test_on_phone_costs_a_uiselector_searches_once_per_instance_and_its_element_again_for_each_read(
        make_driver) -> None:
    # appium-uiautomator2-server: utils/ByUiAutomatorFinder.java (fetchElements looks for instance 0, 1, 2...
    # until one is missing; a selector with an instance makes one search) and model/UiObjectElement.java (the
    # element is a UiObject, which finds its view again for every read); a find by accessibility id walks once
    # and returns UiObject2s that hold their view.
    driver = make_driver(faults={"cost_model": "phone", "latency_sigma": 0.001, "seed": 3})
    find_ms = PHONE[CommandKind.FIND].median_ms(PHONE_SCREEN_NODES)

    def charged(action: Callable[[], Any]) -> float:
        before = mobile(driver, "simStats")["injected_latency_ms"]
        result = action()
        charged.result = result  # type: ignore[attr-defined]
        return mobile(driver, "simStats")["injected_latency_ms"] - before

    by_id = charged(lambda: driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Me"))
    read_node = charged(lambda: charged.result[0].text)  # type: ignore[attr-defined]
    selector = 'new UiSelector().description("Me")'
    by_selector = charged(lambda: driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, selector))
    read_selected = charged(lambda: charged.result[0].text)  # type: ignore[attr-defined]
    first_only = charged(lambda: driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, f"{selector}.instance(0)"))
    assert by_id == pytest.approx(find_ms, rel=0.05)
    assert by_selector == pytest.approx(2 * find_ms, rel=0.05)  # instance 0 found, instance 1 missing
    assert first_only == pytest.approx(find_ms, rel=0.05)
    assert read_selected == pytest.approx(read_node + find_ms, rel=0.05)


def test_a_uiscrollable_find_swipes_from_the_top_of_the_list_every_time() -> None:
    # androidx.test.uiautomator UiScrollable.scrollIntoView: when the view is not on screen, scrollToBeginning
    # (scrollBackward until the list cannot move), then scrollForward one swipe at a time until it shows. Each
    # swipe waits for the list to settle, so under phone costs each is charged as a gesture (server._charge_swipes).
    # A protocol detail (how a UiScrollable find swipes): the walk to the list rests at once, and nothing waits
    # for an idle app (the feed never is: at the default 10 s each command there would cost that much).
    session = Session({"appPackage": PACKAGE, "settings[waitForIdleTimeout]": 0}, resolve_world("many"),
                      parse_faults(None), transitions=False)
    for label in ("Me", "Profile menu", "Creator tools", "Promotions"):
        session.click(session.find("accessibility id", label, None, False)["ELEMENT"])
    # The list by what it is: a phone's first scrollable view above it is a sideways filter strip.
    row = ('new UiScrollable(new UiSelector().scrollable(true).classNameMatches(".*(RecyclerView|ListView)"))'
           '.scrollIntoView(new UiSelector().text("{}"))')
    session.take_swipes()
    assert session.find("-android uiautomator", row.format("Sourdough part 1"), None, True)
    assert session.take_swipes() == 0  # on screen: found without a swipe
    assert session.find("-android uiautomator", row.format("Sourdough part 4"), None, True)  # the 46th row
    down = session.take_swipes()
    assert down >= 3  # back to the top (a swipe that cannot move), then a screen a swipe
    assert session.find("-android uiautomator", row.format("Sourdough part 2"), None, True)
    # A row above the last one found is found from the top again: the swipes back, then some forward.
    assert session.take_swipes() >= down
