"""An iPhone's timing on the virtual device's iOS face: screens come in as UIKit brings them, and WDA waits for the
app to be idle as XCTest and WDA do, or does not when a client turns the waits off.

What is checked against the real sources:
- appium/WebDriverAgent `WebDriverAgentLib/Categories/XCUIApplicationProcess+FBQuiescence.m`: XCTest's wait for
  the app to be idle is bounded by the `waitForIdleTimeout` setting and skipped at 0 (XCTest takes the app for
  idle at once); `Utilities/FBConfiguration.h`: 10 s by default, and when it runs out WDA acts on the app as it is;
  `Categories/XCUIApplication+FBQuiescence.h`: the wait comes with queries;
- `Categories/XCUIElement+FBUtilities.m` (`fb_waitUntilStableWithTimeout`): WDA's own wait, which turns the
  quiescence check on for its length whatever the client set, skipped only when its timeout is 0; called with
  `animationCoolOffTimeout` (2 s by default, `FBConfiguration.m`) before a page source or an XPath snapshot
  (`Utilities/FBXPath.m`, `waitUntilStableWithElement`) and after W3C actions
  (`Categories/XCUIApplication+FBTouchAction.m`, `fb_performW3CActions`);
- `Commands/FBElementCommands.m`: an element click and `/wda/tap` are XCTest taps (`[element tap]`,
  `[target tap]`), events with XCTest's quiescence before and after them;
- `Categories/XCUIElement+FBWebDriverAttributes.m` (`wdFrame`): an element's rect is its whole frame, not cut at the
  screen's edge;
- appium/appium-xcuitest-driver `lib/commands/wda/startup.ts`: the `appium:waitForIdleTimeout` capability reaches
  WDA's new session, which applies it before it launches the app (`Commands/FBSessionCommands.m`); the driver has
  no other switch for quiescence (`shouldWaitForQuiescence` is always true there since its `waitForQuiescence`
  capability was removed); appium/appium `packages/appium/lib/appium.ts`: the `appium:settings[...]` capabilities
  are applied once the driver's session exists, so after that launch.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from selenium.webdriver.common.action_chains import ActionChains
from simkit import StepClock, mobile

from tiktok_promo.simulator import elements
from tiktok_promo.simulator.faults import parse_faults
from tiktok_promo.simulator.ios.session import IosSession
from tiktok_promo.simulator.motion import IOS_DURATIONS_MS
from tiktok_promo.simulator.world import resolve_world

PACKAGE = "com.zhiliaoapp.musically"
# A TikTok client's settings: no wait for idle, no cool-off (harness/run/profiles/ios-sim.yaml says why).
NO_WAITS = {"waitForIdleTimeout": 0, "settings[animationCoolOffTimeout]": 0}


def _session(transitions: bool = True, **caps: Any) -> tuple[IosSession, StepClock]:
    session = IosSession({"bundleId": PACKAGE, **caps}, resolve_world("current"), parse_faults(None), transitions)
    clock = StepClock()
    session.device.clock = clock  # type: ignore[assignment]
    return session, clock


def _id(session: IosSession, label: str) -> str:
    return elements.element_id_of(session.find("accessibility id", label, None, False)) or ""


def _rect(session: IosSession, label: str) -> tuple[int, int, int, int]:
    root = etree.fromstring(session.source().encode("utf-8"))
    found = root.xpath(f'//*[@name="{label}"]')[0]
    return tuple(int(found.get(k)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def _visible(session: IosSession, label: str) -> str:
    root = etree.fromstring(session.source().encode("utf-8"))
    return str(root.xpath(f'//*[@name="{label}"]')[0].get("visible"))


def test_with_waits_off_a_pushed_page_passes_whole_from_the_right_and_a_tap_mid_push_lands_under_it() -> None:
    still, _ = _session(transitions=False, **NO_WAITS)
    still.click(_id(still, "Profile"))
    at_rest = _rect(still, "Profile menu")
    session, clock = _session(**NO_WAITS)
    session.click(_id(session, "Profile"))
    clock.now += IOS_DURATIONS_MS["page"] / 1000 * 0.3
    passing = _rect(session, "Profile menu")
    # Coming in from the right: further right than where it rests, its size kept (a frame is not cut at the edge;
    # to a point, as the face's pixels become points).
    assert passing[0] > at_rest[0] and passing[1] == at_rest[1] and abs(passing[2] - at_rest[2]) <= 1
    assert passing[0] + passing[2] > 393 and _visible(session, "Profile menu") == "false"
    # Where the button will rest the finger meets what is there now, not the button: no menu.
    mobile_tap = {"x": at_rest[0] + at_rest[2] / 2, "y": at_rest[1] + at_rest[3] / 2}
    session.execute("mobile: tap", [mobile_tap])
    assert session.device.stack[-1].name == "profile"
    clock.now += IOS_DURATIONS_MS["page"] / 1000
    assert _rect(session, "Profile menu") == at_rest
    session.execute("mobile: tap", [mobile_tap])
    assert session.device.stack[-1].name == "menu"  # at rest, the same point opens the menu
    assert session.stats.idle_wait == 0  # nothing waited for the app


def test_a_sheet_rises_from_the_bottom_and_an_alert_keeps_its_place_over_uikit_s_durations() -> None:
    session, clock = _session(**NO_WAITS)
    session.click(_id(session, "Profile"))
    clock.rest()
    session.click(_id(session, "Profile menu"))
    clock.now += IOS_DURATIONS_MS["sheet"] / 1000 * 0.5
    rising = _rect(session, "Creator tools")
    clock.now += IOS_DURATIONS_MS["sheet"] / 1000
    rested = _rect(session, "Creator tools")
    assert rising[0] == rested[0] and rising[1] > rested[1]
    for label in ("Creator tools", "Promote"):
        session.click(_id(session, label))
        clock.rest()
    row = session.find("-ios predicate string", 'type == "XCUIElementTypeCell" AND label CONTAINS "Summer haul"',
                       None, False)
    session.click(elements.element_id_of(row) or "")
    clock.rest()
    session.click(_id(session, "Stop promotion"))
    clock.now += IOS_DURATIONS_MS["dialog"] / 1000 * 0.5
    fading = _rect(session, "Stop promotion?")
    assert session.device.idle_in() > 0  # still fading in: the app is not idle
    clock.now += IOS_DURATIONS_MS["dialog"] / 1000
    assert _rect(session, "Stop promotion?") == fading and session.device.idle_in() == 0


def test_the_same_taps_at_the_same_moments_show_the_same_frames() -> None:
    frames = []
    for _ in range(2):
        session, clock = _session(**NO_WAITS)
        session.click(_id(session, "Profile"))
        clock.now += 0.1
        frames.append(session.source())
    assert frames[0] == frames[1]


def test_with_screens_at_rest_the_never_idle_feed_still_costs_the_idle_timeout() -> None:
    # sim:transitions false: screens rest at once, but the feed's video still plays (as on the Android face)
    session, _ = _session(transitions=False, waitForIdleTimeout=0.2)
    assert session.stats.idle_wait >= 0.2  # the launch waited for the feed
    session.click(_id(session, "Profile"))  # the find and the tap's wait before it on the feed; the profile rests
    assert 0.6 <= session.stats.idle_wait < 0.8
    session.source()  # the cool-off (2 s at WDA's default) on a profile at rest: nothing
    assert session.stats.idle_wait < 0.8


@pytest.mark.slow  # waits the idle timeout out, query after query: a second
def test_at_wda_s_defaults_every_query_and_tap_on_the_never_idle_feed_waits_the_whole_idle_timeout(make_ios) -> None:
    # 0.3 s stands for WDA's 10 s: the same rule, shorter. Given as the capability, the launch waits it too.
    driver = make_ios(**{"appium:waitForIdleTimeout": 0.3, "appium:settings[waitForIdleTimeout]": 0.3})
    assert mobile(driver, "simStats")["idle_wait_ms"] >= 300  # the launch waited for the feed
    began = time.monotonic()
    profile = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile")
    assert time.monotonic() - began >= 0.3 and mobile(driver, "simStats")["idle_wait_ms"] >= 600
    profile.click()  # before the tap the feed (the whole timeout), after it the profile until it rests
    waited = mobile(driver, "simStats")["idle_wait_ms"]
    assert 600 + 300 <= waited <= 600 + 300 + IOS_DURATIONS_MS["page"] + 1
    # The tap returned with the profile at rest: what WDA reads now is where the menu button rests.
    menu = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    assert menu.rect["x"] + menu.rect["width"] <= 393 and menu.get_attribute("visible") == "true"


def test_the_launch_waits_by_the_capability_and_the_initial_setting_counts_only_after_it() -> None:
    session, _ = _session(transitions=False, **{"waitForIdleTimeout": 0.2, "settings[waitForIdleTimeout]": 0})
    assert session.stats.idle_wait >= 0.2  # the launch, on the never-idle feed, by the capability
    launched = session.stats.idle_wait
    _id(session, "Profile")
    assert session.stats.idle_wait == launched  # then the setting: a find waits for nothing


def test_the_idle_timeout_at_zero_makes_no_query_and_no_tap_wait_even_on_the_feed(make_ios) -> None:
    driver = make_ios()  # appium:waitForIdleTimeout 0 and the cool-off 0, as a TikTok client runs
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile").click()
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    assert driver.page_source
    assert mobile(driver, "simStats")["idle_wait_ms"] == 0


def test_the_page_source_xpath_and_w3c_actions_wait_out_the_cool_off_even_with_quiescence_off(make_ios) -> None:
    driver = make_ios(**{"appium:settings[animationCoolOffTimeout]": 0.2})  # waitForIdleTimeout stays 0
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile")
    assert mobile(driver, "simStats")["idle_wait_ms"] == 0  # a query by name waits for nothing at 0
    assert driver.page_source
    assert mobile(driver, "simStats")["idle_wait_ms"] >= 200  # the feed never rests: the whole cool-off
    driver.find_element(AppiumBy.XPATH, "//XCUIElementTypeButton[@name='Profile']")
    assert mobile(driver, "simStats")["idle_wait_ms"] >= 400
    ActionChains(driver).move_by_offset(20, 400).click().perform()  # a W3C tap on the feed
    assert mobile(driver, "simStats")["idle_wait_ms"] >= 600
    driver.update_settings({"animationCoolOffTimeout": 0})
    assert driver.page_source and mobile(driver, "simStats")["idle_wait_ms"] < 800
