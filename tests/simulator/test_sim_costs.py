"""The phone-like cost model: each command kind costs what it costs on a phone through UiAutomator2.

What is checked against the real server (appium/appium-uiautomator2-server, app/src/main/java/io/appium/
uiautomator2/):
- a page source walks and serialises the whole tree: handler/Source.java transforms the document that
  utils/XMLHierarchy.java (getFormattedXMLDoc) builds of every node, so its cost grows with the screen;
- an XPath find is answered over a document of the same tree (utils/XMLHierarchy.java), so it costs as
  much as a source and more;
- a find by accessibility id / id / UiSelector is UiAutomator's own search (utils/ByUiAutomatorFinder.java,
  handler/FindElement.java), which stops at the first match;
- a click waits for the app to be idle afterwards (handler/Click.java calls Device.waitForIdle()): the device
  waits for it itself, up to the waitForIdleTimeout setting (tests/simulator/test_sim_timing.py).
"""

from __future__ import annotations

import random

import pytest

from tiktok_promo.simulator.costs import PHONE, PHONE_SCREEN_NODES, CommandKind, kind_of, phone_seconds
from tiktok_promo.simulator.errors import InvalidArgument
from tiktok_promo.simulator.faults import FaultInjector, parse_faults


@pytest.mark.parametrize(("route", "body", "kind"), [
    ("GET /session/:sid/source", None, CommandKind.SOURCE),
    ("POST /session/:sid/element", {"using": "xpath", "value": "//*"}, CommandKind.FIND_XPATH),
    ("POST /session/:sid/elements", {"using": "accessibility id", "value": "Me"}, CommandKind.FIND),
    ("POST /session/:sid/element/:eid/element", {"using": "-android uiautomator", "value": "x"}, CommandKind.FIND),
    ("POST /session/:sid/element/:eid/click", {}, CommandKind.TAP),
    ("GET /session/:sid/element/:eid/text", None, CommandKind.READ),
    ("GET /session/:sid/screenshot", None, CommandKind.SCREENSHOT),
    ("POST /session/:sid/execute/sync", {"script": "mobile: clickGesture", "args": [{}]}, CommandKind.TAP),
    ("POST /session/:sid/execute/sync", {"script": "mobile: swipeGesture", "args": [{}]}, CommandKind.GESTURE),
    ("POST /session/:sid/execute/sync", {"script": "mobile: terminateApp", "args": [{}]}, CommandKind.APP),
    ("POST /session/:sid/execute/sync", {"script": "mobile: deviceInfo", "args": []}, CommandKind.OTHER),
    ("POST /session/:sid/back", {}, CommandKind.KEY),
])
def test_each_command_has_the_kind_a_phone_charges_it_as(route: str, body: object, kind: CommandKind) -> None:
    assert kind_of(route, body) is kind


def _tap_actions(moves: int, pause_ms: int) -> dict:
    steps = [{"type": "pointerMove", "x": 10 + i, "y": 10} for i in range(moves)]
    steps += [{"type": "pointerDown", "button": 0}, {"type": "pause", "duration": pause_ms},
              {"type": "pointerUp", "button": 0}]
    return {"actions": [{"type": "pointer", "id": "finger", "actions": steps}]}


def test_a_w3c_tap_is_a_tap_and_a_swipe_or_long_press_is_a_gesture() -> None:
    assert kind_of("POST /session/:sid/actions", _tap_actions(1, 50)) is CommandKind.TAP
    assert kind_of("POST /session/:sid/actions", _tap_actions(2, 50)) is CommandKind.GESTURE
    assert kind_of("POST /session/:sid/actions", _tap_actions(1, 600)) is CommandKind.GESTURE


def test_a_page_source_costs_more_on_a_bigger_screen_and_far_more_than_a_find() -> None:
    rng = random.Random(1)
    small = phone_seconds(CommandKind.SOURCE, PHONE_SCREEN_NODES, 1e-9, rng)
    big = phone_seconds(CommandKind.SOURCE, 3 * PHONE_SCREEN_NODES, 1e-9, rng)
    find = phone_seconds(CommandKind.FIND, PHONE_SCREEN_NODES, 1e-9, rng)
    assert big > 2 * small
    assert small > 5 * find  # the expensive command on a phone: never one read of a tree to check one element
    assert phone_seconds(CommandKind.FIND_XPATH, PHONE_SCREEN_NODES, 1e-9, rng) > small


def test_a_small_virtual_screen_is_charged_as_a_phone_screen() -> None:
    rng = random.Random(1)
    assert phone_seconds(CommandKind.SOURCE, 28, 1e-9, rng) == pytest.approx(
        PHONE[CommandKind.SOURCE].median_ms(PHONE_SCREEN_NODES) / 1000)


def test_a_gesture_includes_the_motion_and_a_tap_costs_more_than_a_read() -> None:
    # A click's wait for idle is the device's own (real time, up to waitForIdleTimeout: test_sim_timing.py).
    assert PHONE[CommandKind.GESTURE].settle_ms > 0
    assert phone_seconds(CommandKind.TAP, 0, 1e-9, random.Random(1)) > phone_seconds(
        CommandKind.READ, 0, 1e-9, random.Random(1))


def test_the_phone_model_is_seeded_and_spreads_log_normally() -> None:
    plan = parse_faults({"cost_model": "phone", "latency_sigma": 0.35, "seed": 4})
    first = [FaultInjector(plan).latency(CommandKind.FIND, 200) for _ in range(1)]
    again = FaultInjector(plan)
    draws = [again.latency(CommandKind.FIND, 200) for _ in range(400)]
    assert first[0] == draws[0]  # the same seed gives the same costs
    median = sorted(draws)[len(draws) // 2]
    assert median == pytest.approx(PHONE[CommandKind.FIND].median_ms(200) / 1000, rel=0.15)
    assert max(draws) > 1.5 * median  # a long tail, as a phone has


def test_the_flat_model_ignores_the_kind() -> None:
    injector = FaultInjector(parse_faults({"latency_ms": 150, "seed": 1}))
    assert injector.latency(CommandKind.SOURCE, 200) == injector.latency(CommandKind.READ, 0) == 0.15


def test_an_unknown_cost_model_is_refused_in_one_sentence() -> None:
    with pytest.raises(InvalidArgument, match="cost_model must be one of flat, phone, not 'fast'"):
        parse_faults({"cost_model": "fast"})
