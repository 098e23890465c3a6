"""A phone's timing on the virtual device: screens come in over time, the feed is never idle, toasts live 3.5 s.

What is checked against the real server (appium/appium-uiautomator2-server, app/src/main/java/io/appium/
uiautomator2/):
- an element click waits for the app to be idle afterwards (handler/Click.java: `Device.waitForIdle()`), and so do
  a page source and a find before they read (utils/AXWindowHelpers.java, resetAccessibilityCache, called from
  handler/Source.java and utils/ElementLocationHelpers.java), up to the waitForIdleTimeout setting: 10,000 ms by
  default (model/settings/WaitForIdleTimeout.java), skipped when it is 0 (utils/Device.java, waitForIdle);
- a toast stays 3,500 ms (model/NotificationListener.java, TOAST_CLEAR_TIMEOUT).
"""

from __future__ import annotations

import time

import pytest
from simkit import StepClock, by_desc

from tiktok_promo.simulator.device import TOAST_SECONDS, Device
from tiktok_promo.simulator.motion import DURATIONS_MS
from tiktok_promo.simulator.world import resolve_world


def _device(transitions: bool = True) -> tuple[Device, StepClock]:
    device = Device(resolve_world("default"), transitions=transitions)
    clock = StepClock()
    device.clock = clock  # type: ignore[assignment]
    device.launch()
    return device, clock


def _by_desc(device: Device, desc: str):
    return next(n for w in device.windows() for n in w.walk() if n.desc == desc and n.displayed)


def test_a_page_opened_by_a_tap_slides_in_and_a_tap_mid_slide_lands_on_what_is_under_the_finger() -> None:
    device, clock = _device()
    device.click(_by_desc(device, "Me"))
    menu_at_rest = (930, 80, 1080, 230)
    clock.now += DURATIONS_MS["page"] / 1000 * 0.3
    passing = next(n for n in device.windows()[-1].walk() if n.desc == "Profile menu")
    assert passing.bounds != menu_at_rest and passing.bounds[0] > menu_at_rest[0]  # still coming in from the right
    # Where the menu will rest, the finger meets whatever is there now: not the menu, so no sheet opens.
    device.tap((menu_at_rest[0] + menu_at_rest[2]) / 2, (menu_at_rest[1] + menu_at_rest[3]) / 2)
    assert device.stack[-1].name == "profile"
    clock.now += DURATIONS_MS["page"] / 1000
    assert _by_desc(device, "Profile menu").bounds == menu_at_rest
    device.tap(1005, 155)
    assert device.stack[-1].name == "menu"  # at rest, the same place opens the menu sheet


def test_a_sheet_rises_from_the_bottom_and_the_switch_makes_every_screen_rest_at_once() -> None:
    device, clock = _device()
    device.click(_by_desc(device, "Me"))
    clock.now += 1
    device.click(_by_desc(device, "Profile menu"))
    rows = [n for n in device.windows()[-1].walk() if n.clickable and n.text]
    rested = {n.key: n.bounds for n in rows}
    clock.now += DURATIONS_MS["sheet"] / 1000 * 0.5
    rising = {n.key: n.bounds for n in device.windows()[-1].walk() if n.key in rested}
    assert all(rising[k][1] > rested[k][1] or not rising[k][3] > rising[k][1] for k in rested)
    still, _ = _device(transitions=False)
    still.click(_by_desc(still, "Me"))
    assert _by_desc(still, "Profile menu").bounds == (930, 80, 1080, 230)  # the benchmark baseline: at rest at once


def test_a_toast_lives_three_and_a_half_seconds_of_the_device_clock_whatever_the_commands() -> None:
    device, clock = _device()
    device.show_toast("Something went wrong. Please try again.")
    for _ in range(20):
        device.tick()  # commands go by: the toast stays
    assert device.toasts()
    clock.now += TOAST_SECONDS - 0.01
    assert device.toasts()
    clock.now += 0.02
    assert not device.toasts()


@pytest.mark.slow  # waits the idle timeout out: a second
def test_the_feed_is_never_idle_so_a_find_on_it_costs_the_whole_wait_for_idle_timeout(make_driver) -> None:
    driver = make_driver()
    driver.update_settings({"waitForIdleTimeout": 300})  # the default is 10,000 ms: the same rule, shorter
    began = time.monotonic()
    by_desc(driver, "Me")
    on_feed = time.monotonic() - began
    stats = driver.execute_script("mobile: simStats")
    assert on_feed >= 0.3 and stats["idle_wait_ms"] >= 300
    by_desc(driver, "Me").click()  # a click on the feed waits the whole timeout again
    assert driver.execute_script("mobile: simStats")["idle_wait_ms"] >= 600
    waited = driver.execute_script("mobile: simStats")["idle_wait_ms"]
    by_desc(driver, "Profile menu")  # the profile is idle once it has slid in: at most what is left of the slide
    assert driver.execute_script("mobile: simStats")["idle_wait_ms"] - waited <= DURATIONS_MS["page"]
    fresh = make_driver()
    fresh.update_settings({"waitForIdleTimeout": 0})
    by_desc(fresh, "Me").click()  # at 0 nothing waits, on the feed or off it
    assert fresh.page_source
    assert fresh.execute_script("mobile: simStats")["idle_wait_ms"] == 0
