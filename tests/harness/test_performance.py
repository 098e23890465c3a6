"""Round trips the harness saves, on the virtual device: taps from a fresh read, rows opened as
held, and the run-wide faults a benchmark passes to every scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.common.exceptions import InvalidArgumentException

from flows.cancel_flow import CancelFlow
from flows.inventory import monitor
from harness.errors import ConfigError
from harness.run.simhost import merge_faults, parse_run_faults
from harness.ui import finder as finder_module
from pages.app import TikTokApp
from pages.feed import PROFILE_TAB
from pages.menu_sheet import CREATOR_TOOLS
from pages.profile import MENU_BUTTON, USERNAME
from pages.promotions_list import PromotionsListPage


def routes_since(session, before: dict[str, int]) -> dict[str, int]:
    after = session.stats()["by_route"]
    return {route: count - before.get(route, 0) for route, count in after.items() if count != before.get(route, 0)}


def test_a_tap_on_a_screen_just_read_is_one_command(make_session) -> None:
    session = make_session("default")
    finder = session.start()
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)
    assert routes_since(session, before) == {"POST /session/:sid/execute/sync": 1}  # no find
    assert finder.read(CREATOR_TOOLS).has(CREATOR_TOOLS)  # the tap landed: the menu sheet is open


def test_after_a_screen_change_a_tap_finds_again(make_session) -> None:
    session = make_session("default")
    finder = session.start()
    finder.read(PROFILE_TAB)
    finder.tap(PROFILE_TAB)  # from the read: one command, and the screen changes
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)  # nothing read since: find, then click
    assert routes_since(session, before) == {"POST /session/:sid/elements": 1,
                                             "POST /session/:sid/element/:eid/click": 1}


def test_an_old_read_does_not_stand_for_the_screen(make_session, monkeypatch: pytest.MonkeyPatch) -> None:
    session = make_session("default")
    finder = session.start()
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    monkeypatch.setattr(finder, "_cached_at", finder._cached_at - finder_module._HELD_FOR - 1)
    before = session.stats()["by_route"]
    finder.tap(MENU_BUTTON)
    assert "POST /session/:sid/elements" in routes_since(session, before)


def test_a_server_without_coordinate_taps_gets_find_and_click(make_session,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    session = make_session("default")
    finder = session.start()
    real = session.driver.execute_script

    def no_click_gesture(script: str, *args: object) -> object:
        if script == "mobile: clickGesture":
            raise InvalidArgumentException("Unknown mobile command")
        return real(script, *args)

    monkeypatch.setattr(session.driver, "execute_script", no_click_gesture)
    finder.tap(PROFILE_TAB)
    finder.read(USERNAME)
    finder.tap(MENU_BUTTON)  # refused, so found and clicked: it still lands
    assert finder.read(CREATOR_TOOLS).has(CREATOR_TOOLS)
    assert finder._tap_at_place is False  # and the session does not ask again


@pytest.mark.slow
def test_monitoring_a_long_list_opens_each_active_row_once_at_its_place(make_session) -> None:
    session = make_session("many")
    flow = CancelFlow(TikTokApp.on(session), "mia.creates")
    expected = [r.title for r in flow.open_promotions(check_account=False).all_rows() if r.is_active]
    session.close()
    session = make_session("many", faults={"list_refresh": False})  # the cost of a list that stays as left
    flow = CancelFlow(TikTokApp.on(session), "mia.creates")
    report = monitor(flow.open_promotions(check_account=False))
    assert [m.row.title for m in report] == expected and len(expected) == 44
    assert all(m.details.title == m.row.title for m in report)
    stats = session.stats()
    # Per active row: open (tapped at its place on the last page source), read, back, and one page source of
    # the list (it may have reloaded meanwhile); per screen: one page source and one scroll.
    assert stats["commands"] <= 44 * 4 + 10 * 2 + 8
    assert stats["by_route"]["POST /session/:sid/elements"] <= 15


def test_each_row_picks_up_after_the_caller_scrolls_the_list(make_session) -> None:
    session = make_session("many")
    flow = CancelFlow(TikTokApp.on(session), "mia.creates")
    listing = flow.open_promotions(check_account=False)
    expected = [r.title for r in listing.all_rows()]
    listing = PromotionsListPage(listing.ui)
    listing._scrolled = True
    seen = []
    for row, _handle in listing.each_row():
        seen.append(row.title)
        if len(seen) == 12:
            listing.scroll_to(expected[-1])  # the list jumps to its end under the walk
    assert seen == expected


def test_run_faults_parse_and_a_scenarios_own_go_on_top() -> None:
    assert parse_run_faults(None) is None and parse_run_faults(" ") is None
    assert parse_run_faults("flaky") == "flaky"
    latency = parse_run_faults('{"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}')
    assert latency == {"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse_run_faults("{latency_ms: 150}")
    assert merge_faults(None, latency) == latency and merge_faults(latency, None) == latency
    assert merge_faults(latency, {"popup_rate": 0.2, "seed": 7}) == {
        "latency_ms": 150, "latency_sigma": 0.35, "seed": 7, "popup_rate": 0.2}
    assert merge_faults("flaky", {"seed": 3}) == {"profile": "flaky", "seed": 3}


def test_a_run_with_latency_passes_it_to_every_scenario(make_session) -> None:
    session = make_session("default", faults={"latency_ms": 20, "seed": 1})
    session.use_faults({"popup_rate": 0.0, "seed": 2})  # a scenario's own faults, on top of the run's
    session.start()
    assert session.stats()["injected_latency_ms"] == 0
    session.finder.snapshot()
    assert session.stats()["injected_latency_ms"] >= 20


@pytest.mark.slow
def test_the_flow_benchmark_holds_promo_and_the_scenario_within_115_percent_of_the_minimal_script(tmp_path) -> None:
    """bench/flow_bench.py end to end without latency (commands do not depend on it): at most
    1.15x the minimal script's commands."""
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(root / "bench" / "flow_bench.py"), "--runs", "1", "--latency-ms", "0",
                           "--models", "flat", "--skip-suite", "--json", str(out)], cwd=root, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    flows = {row["path"]: row for row in json.loads(out.read_text())["flows"]["flat"]}
    assert set(flows) == {"A", "B", "C", "C2", "C3"}
    # The minimal script: 21 commands and the session create (the title checked before Cancel is read again
    # after the confirm, to prove whose status it read).
    assert flows["A"]["commands"] == 22
    for path in ("B", "C", "C2"):
        assert flows[path]["commands_ratio"] <= 1.15, flows[path]
    assert flows["C3"]["commands"] > flows["C2"]["commands"]  # per-step screenshots cost commands
