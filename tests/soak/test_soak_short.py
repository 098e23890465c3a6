"""The soak, short: 30 hands-free cancels under the hostile profile never lie, and the soak sees lies.

`bench/soak.py` is a benchmark (docs/faults.md has its 300-run figures); CI runs this short version,
over 10 virtual devices so that it stays well under 30 s, with one run in five crashing a session.
It checks the figures that must be zero whatever the faults, and that the soak's own judge would
notice a harness that lied, so that zero means something.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.pages.promotions_list import PromotionsListPage

ROOT = Path(__file__).resolve().parents[2]


def _load_soak() -> Any:
    spec = importlib.util.spec_from_file_location("soak_bench", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


soak = _load_soak()
ZERO_LIES = ("wrong_promotion_cancelled", "reported_cancelled_not_cancelled", "cancelled_twice", "spend_after_cancel")


def run(profile: str, runs: int, devices: int, seed: int, crash_share: float | None = None,
        plans: list[Any] | None = None, caps: str = "sim") -> dict[str, Any]:
    config = load_run_config(target="sim", caps=caps, env={})
    bench = soak.Soak(profile, runs, devices, seed, crash_share, config=config)
    if plans is not None:
        bench.plans = plans
    return soak.summary(bench.run(), profile, devices, seed, bench.crash_share, soak.platform_name(config))


@pytest.mark.slow  # started first in a parallel run (harness.bdd.tags.slow_first)
def test_thirty_hostile_cancels_never_lie() -> None:
    data = run("hostile", runs=30, devices=10, seed=12, crash_share=0.2)
    assert {name: data[name] for name in ZERO_LIES} == dict.fromkeys(ZERO_LIES, 0), data["failures"]
    assert data["completed_pct"] >= 90, data["failures"]
    # The faults really happened and were recovered from: failed confirms, crashed sessions.
    assert data["runs_with_a_second_confirm"] >= 20 and data["runs_with_a_crash"] >= 3
    assert data["runs_with_a_new_session"] >= 1
    table = soak.table(data)
    assert "| wrong promotion cancelled | 0 |" in table and "| cancelled twice | 0 |" in table


@pytest.mark.slow
def test_hostile_cancels_on_the_ios_face_never_lie_and_complete() -> None:
    # Every world of the soak, the business release among them: its details button and its dialog's confirm both
    # read "Stop", and on iOS the page under the alert stays in the page source (the confirm is the alert's).
    assert "business" in {plan.world for plan in soak.plan_runs(12, 3, 0.25)}
    data = run("hostile", runs=12, devices=4, seed=3, crash_share=0.25, caps="ios-sim")
    assert data["platform"] == "iOS"
    assert {name: data[name] for name in ZERO_LIES} == dict.fromkeys(ZERO_LIES, 0), data["failures"]
    assert data["completed_pct"] >= 90, data["failures"]
    assert data["runs_with_a_second_confirm"] >= 6 and data["runs_with_a_crash"] >= 2
    assert soak.table(data).startswith("Soak: profile hostile, seed 3, iOS")


def test_the_soak_notices_a_harness_that_reports_cancelled_without_looking(monkeypatch) -> None:
    # A broken harness that takes the confirm's word for it: under hostile faults the first confirm fails.
    monkeypatch.setattr(CancelFlow, "_read_outcome", lambda self, page, before, landed=True: before)
    plans = [soak.RunPlan(n, 100 + n, "default", "P-1001", "Summer haul try-on", False, 0) for n in range(2)]
    data = run("hostile", runs=2, devices=2, seed=1, crash_share=0.0, plans=plans)
    assert data["reported_cancelled_not_cancelled"] == 2 and data["completed"] == 0


def test_the_soak_notices_a_harness_that_cancels_the_wrong_promotion(monkeypatch) -> None:
    # A broken harness that opens the wrong row and does not check the details before Cancel.
    real_choose = CancelFlow.choose

    def choose(self: CancelFlow, listing: Any, title: str, promotion_id: str | None = None) -> Any:
        return real_choose(self, listing, "Latte art in 30 seconds")

    def unchecked(self: CancelFlow, page: Any, title: str | None = None, promotion_id: str | None = None) -> Any:
        self.verified = page.read()
        return self.verified

    monkeypatch.setattr(CancelFlow, "choose", choose)
    monkeypatch.setattr(CancelFlow, "check_promotion", unchecked)
    # ...and that chooses from the list every time, not from the details its plan left open.
    monkeypatch.setattr(PromotionsListPage, "leave", PromotionsListPage.come_back)
    plans = [soak.RunPlan(0, 5, "default", "P-1001", "Summer haul try-on", False, 0)]
    data = run("none", runs=1, devices=1, seed=1, plans=plans)
    assert data["wrong_promotion_cancelled"] == 1 and data["reported_cancelled_not_cancelled"] == 1


def _result(**fields: Any) -> Any:
    base = dict(number=0, seed=1, device="sim-1", world="default", promotion_id="P-1001", outcome="cancelled",
                failure_class=None, message="", seconds=1.0, round_trips=50, sessions=1, confirms=1, crash_after=0)
    return soak.RunResult(**{**base, **fields})


def _ledger(status: str = "canceled", charges: list[dict[str, Any]] | None = None, spend: int = 2140) -> dict:
    ledger = soak.initial_ledger("default")
    promotions = [dict(p) for p in ledger["promotions"]]
    promotions[0].update(status=status, canceled_at="2026-11-20T10:00:00+00:00" if status == "canceled" else None,
                         spend_at_cancel_cents=2140 if status == "canceled" else None, spend_cents=spend)
    return {**ledger, "promotions": promotions, "charges": charges or []}


def test_the_judge_sees_double_cancels_spend_after_cancel_and_requests_for_other_promotions() -> None:
    plan = soak.RunPlan(0, 1, "default", "P-1001", "Summer haul try-on", False, 0)
    honest = _result()
    soak.judge(honest, plan, _ledger(), _ledger(), [(_ledger(), [("P-1001", "active")])])
    assert not honest.lied and honest.completed

    twice = _result()
    soak.judge(twice, plan, _ledger(), _ledger(), [(_ledger(), [("P-1001", "active"), ("P-1001", "canceled")])])
    assert twice.double_cancel and not twice.wrong_cancel

    late = {"at": "2026-11-21T10:00:00+00:00", "promotion": "P-1001", "cents": 700}
    charged = _result()
    soak.judge(charged, plan, _ledger(), _ledger(charges=[late], spend=2840), [(_ledger(), [("P-1001", "active")])])
    assert charged.spend_after_cancel

    other = _result()
    soak.judge(other, plan, _ledger(), _ledger(), [(_ledger(), [("P-1001", "active"), ("P-1002", "active")])])
    assert other.wrong_cancel

    # A crash after the cancel landed: the lost world had it cancelled, the new world cancelled it once.
    # Two worlds, one cancel each: not a double cancel (see the soak's docstring).
    crashed = _result(sessions=2)
    soak.judge(crashed, plan, _ledger(), _ledger(),
               [(_ledger(), [("P-1001", "active")]), (_ledger(), [("P-1001", "active")])])
    assert not crashed.lied and crashed.cancelled_in_lost_world


@pytest.mark.parametrize(("argv", "says"), [
    (["--profile", "nasty"], "soak: argument --profile: invalid choice: 'nasty'"),
    (["--runs", "0"], "soak: argument --runs: needs a whole number above 0, not '0'"),
    (["--devices", "four"], "soak: argument --devices: needs a whole number above 0, not 'four'"),
    (["--crash-share", "2"], "soak: argument --crash-share: needs a share from 0 to 1, not '2'"),
])
def test_a_bad_soak_command_line_is_one_sentence_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                            says: str) -> None:
    assert soak.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip().splitlines() == [captured.err.strip()]
    assert captured.err.startswith(says)
