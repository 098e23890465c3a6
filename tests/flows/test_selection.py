"""The small rules behind `promo`, without a device: exit codes, selection, ports, redaction, records, display."""

from __future__ import annotations

import io
import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from flows.errors import AmbiguousPromotion, UnknownPromotion
from flows.inventory import PromotionInfo
from flows.selection import Selection, UnknownPromotionId
from harness.errors import ConfigError
from harness.redact import Redactor
from harness.report.audit import AuditEntry, AuditLog, read_audit
from harness.run.config import load_run_config
from harness.run.fleet import plan_devices, run_parallel
from pages.values import Budget
from promo.device_job import JobState
from promo.hands_free import exit_code
from promo.progress import LiveProgress, PlainProgress, ProgressState


def promo(title: str, status: str = "active", spent: str = "10", budget: str = "50", views: int | None = 1000,
          pid: str | None = None) -> PromotionInfo:
    words = {"active": "Active", "in review": "In review", "completed": "Completed", "cancelled": "Canceled"}
    return PromotionInfo(title=title, status=status, status_text=words[status], promotion_id=pid or f"P-{title}",
                         budget=Budget(Decimal(budget), per_day=False), total_budget=Decimal(budget),
                         spent=Decimal(spent), views=views, likes=0, detailed=True)


@pytest.mark.parametrize(("states", "code"), [
    ([JobState.DONE], 0),
    ([JobState.DONE, JobState.NOTHING], 0),
    ([JobState.DRY_RUN, JobState.NOTHING], 0),
    ([JobState.NOTHING, JobState.NOTHING], 3),
    ([JobState.REFUSED], 2),
    ([JobState.REFUSED, JobState.REFUSED], 2),
    ([JobState.REFUSED, JobState.DONE], 1),
    ([JobState.FAILED, JobState.DONE], 1),
    ([JobState.PARTLY], 1),
    ([JobState.FAILED, JobState.REFUSED], 1),
    ([JobState.DECLINED], 4),
    ([JobState.DECLINED, JobState.NOTHING], 4),
    ([JobState.DECLINED, JobState.REFUSED], 1),
    ([], 2),
])
def test_exit_codes_a_scheduler_can_act_on(states: list[str], code: int) -> None:
    assert exit_code(states) == code


def test_cost_per_thousand_views_and_remaining_budget() -> None:
    p = promo("a", spent="21.40", budget="50", views=5350)
    assert (p.cost_per_1k_views, p.remaining, p.spent_pct) == (Decimal("4.00"), Decimal("28.60"), Decimal("42.8"))
    assert promo("b", views=0).cost_per_1k_views is None
    assert promo("c", status="completed").remaining is None


def test_money_spent_without_any_view_costs_more_than_any_limit() -> None:
    chosen = Selection(cost_per_1k_views_over=Decimal("1000")).choose([promo("no views", views=0),
                                                                       promo("free", spent="0", views=0)])
    assert [p.title for p in chosen.to_cancel] == ["no views"]


def test_rules_alone_never_pick_a_promotion_in_review_or_ended() -> None:
    promotions = [promo("run", views=10), promo("review", "in review", spent="0", views=0),
                  promo("ended", "completed", views=10)]
    assert [p.title for p in Selection(views_under=100).choose(promotions).to_cancel] == ["run"]


def test_names_report_cancelled_and_ended_promotions_instead_of_failing() -> None:
    promotions = [promo("gone", "cancelled"), promo("over", "completed")]
    chosen = Selection(titles=("gone", "over")).choose(promotions)
    assert [p.title for p in chosen.already_cancelled] == ["gone"]
    assert [p.title for p in chosen.ended] == ["over"]
    assert chosen.to_cancel == [] and chosen.matched


def test_unknown_names_and_shared_titles_are_refused() -> None:
    promotions = [promo("twin", pid="P-1"), promo("twin", pid="P-2"), promo("solo")]
    with pytest.raises(UnknownPromotion) as unknown:
        Selection(titles=("twins",)).choose(promotions)
    assert str(unknown.value) == ('No promotion is called "twins"; the active promotions are: "twin", "solo". '
                                  'Did you mean "twin"?')
    many = [promo(f"video {n}") for n in range(12)]
    with pytest.raises(UnknownPromotion, match=r'"video 9" and 2 more \(promo list shows them all\)\.$'):
        Selection(titles=("zzz",)).choose(many)
    with pytest.raises(UnknownPromotionId, match="No promotion has the ID P-9"):
        Selection(ids=("P-9",)).choose(promotions)
    with pytest.raises(AmbiguousPromotion, match=r"\(IDs P-1, P-2\)"):
        Selection(titles=("twin",)).choose(promotions)
    assert [p.promotion_id for p in Selection(titles=("twin",), ids=("p-2",)).choose(promotions).to_cancel] == ["P-2"]


def test_every_real_device_gets_its_own_ports_and_udid() -> None:
    config = load_run_config(target="appium", caps="android-phone", appium_url="http://hub.example:4444/wd/hub",
                             env={})
    specs = plan_devices(config, ["R58M1", "R58M2", "emulator-5554"], all_devices=False)
    caps = [spec.config.capabilities() for spec in specs]
    assert [c["appium:udid"] for c in caps] == ["R58M1", "R58M2", "emulator-5554"]
    assert [c["appium:systemPort"] for c in caps] == [8200, 8201, 8202]
    assert [c["appium:mjpegServerPort"] for c in caps] == [7810, 7811, 7812]
    assert [c["appium:chromedriverPort"] for c in caps] == [9515, 9516, 9517]
    assert "appium:systemPort" not in config.profile.capabilities  # the shared profile is left as it was


def test_all_devices_takes_what_adb_sees_ready() -> None:
    config = load_run_config(target="appium", caps="android-phone", env={})
    specs = plan_devices(config, [], all_devices=True, adb_serials=lambda: ["A", "B"])
    assert [s.id for s in specs] == ["A", "B"]
    with pytest.raises(ConfigError, match="No device"):
        plan_devices(config, [], all_devices=True, adb_serials=list)


def test_one_failing_item_does_not_stop_the_others() -> None:
    def work(n: int) -> int:
        if n == 2:
            raise RuntimeError("boom")
        return n * 10

    results = run_parallel([1, 2, 3, 4], work)
    assert results[0] == 10 and results[2] == 30 and results[3] == 40
    assert isinstance(results[1], RuntimeError)


def test_redactor_masks_secrets_and_url_credentials_but_not_ordinary_settings() -> None:
    redactor = Redactor.from_sources(
        {"PWD": "/srv/promo", "SAUCE_ACCESS_KEY": "abcd-1234-efgh", "KEYBOARD": "us-intl", "API_TOKEN": "t0k3n-xyz"},
        {"bstack:options": {"accessKey": "bs-secret-9", "userName": "me"}},
    )
    text = redactor.clean("http://me:pass-word@hub:4444/wd abcd-1234-efgh bs-secret-9 t0k3n-xyz /srv/promo us-intl")
    assert text == "http://hub:4444/wd *** *** *** /srv/promo us-intl"
    assert redactor.clean_data({"a": ["abcd-1234-efgh", 3]}) == {"a": ["***", 3]}


def test_audit_lines_stay_whole_when_devices_write_at_once(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "reports" / "promo-audit.jsonl", Redactor(["hush-hush"]))

    def write(n: int) -> None:
        for i in range(50):
            log.append(AuditEntry(run="r", device=f"sim-{n}", outcome="cancelled", title=f"t{i} hush-hush"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = read_audit(log.path)
    assert len(entries) == 200
    assert all(e["title"].endswith("***") for e in entries)
    assert list(entries[0]) == ["time", "run", "device", "outcome", "account", "expected_account", "promotion_id",
                                "title", "status_before", "spend_before", "spend_at_cancel", "reason", "message",
                                "world", "device_facts", "evidence"]
    json.dumps(entries)


def test_plain_progress_is_one_line_per_event() -> None:
    stream = io.StringIO()
    display = PlainProgress(stream)
    display.update("sim-1", "opening the app")
    display.update("sim-2", "failed", ProgressState.FAILED)
    assert stream.getvalue() == "sim-1: opening the app\nsim-2: failed\n"


def test_live_progress_is_a_table_row_per_device() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=80, color_system="standard")
    with LiveProgress(["sim-1", "sim-2"], console) as display:
        display.update("sim-1", "cancelled \"Summer haul try-on\"", ProgressState.DONE)
        display.update("sim-2", "failed", ProgressState.FAILED)
    shown = stream.getvalue()
    assert "\x1b[" in shown
    for text in ("device", "state", "sim-1", "sim-2", "Summer haul try-on", "done", "failed"):
        assert text in shown
