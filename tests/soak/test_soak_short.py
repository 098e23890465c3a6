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
from runenv import still_profile

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.pages.promotions_list import PromotionsListPage
from tiktok_promo.simulator.world import resolve_world

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


def test_the_soak_notices_a_harness_that_reports_cancelled_without_looking(monkeypatch, tmp_path) -> None:
    # A broken harness that takes the confirm's word for it: under hostile faults the first confirm fails.
    monkeypatch.setattr(CancelFlow, "_read_outcome", lambda self, page, before, landed=True: before)
    plans = [soak.RunPlan(n, 100 + n, "default", "P-1001", "Summer haul try-on", False, 0) for n in range(2)]
    data = run("hostile", runs=2, devices=2, seed=1, crash_share=0.0, plans=plans,
               caps=str(still_profile(tmp_path)))  # screens at rest: the judge's verdict does not hang on timing
    assert data["reported_cancelled_not_cancelled"] == 2 and data["completed"] == 0


def test_the_soak_notices_a_harness_that_cancels_the_wrong_promotion(monkeypatch, tmp_path) -> None:
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
    data = run("none", runs=1, devices=1, seed=1, plans=plans, caps=str(still_profile(tmp_path)))  # screens at rest
    assert data["wrong_promotion_cancelled"] == 1 and data["reported_cancelled_not_cancelled"] == 1


# --- iOS's own alert at the app's confirmation, judged by the ledger ------------------------------------------------
class _AlertPlan(soak.RunPlan):
    """A run whose first session also has a pop-up come up at the first confirm tap (sim:faults popup_at_confirm)."""

    def faults(self, profile: str) -> Any:
        return {**super().faults(profile), "popup_at_confirm": "notifications"}


def _world_with_alert_on_the_confirmation(tmp_path: Path) -> str:
    """The current release's world, iOS's notification alert coming up as the app's confirmation opens."""
    text = Path(resolve_world("current").source).read_text(encoding="utf-8").replace(
        "logged_in: mia.creates", "logged_in: mia.creates\npopups:\n  - {kind: notifications, on: confirm}")
    path = tmp_path / "current-alert-on-confirm.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _one_ios_run(plan: Any, monkeypatch: pytest.MonkeyPatch,
                 folder: Path) -> tuple[Any, list[str], list[tuple[str, str]]]:
    """One run on the iOS face, its screens at rest (the alert comes up on a tap, not at a time): its result, the
    phone's log lines and every cancel request its app received."""
    caps = str(still_profile(folder, "ios-sim"))
    bench = soak.Soak("none", 1, 1, plan.seed, 0.0, config=load_run_config(target="sim", caps=caps, env={}))
    bench.plans = [plan]
    monkeypatch.setattr(bench.witness, "forget", lambda session_ids: None)  # keep the sessions to read them after
    if Path(plan.world).is_file():  # a world of the test's own: the device may read worlds from its folder
        server = soak.SimulatorServer
        monkeypatch.setattr(soak, "SimulatorServer", lambda **kw: server(**kw, worlds_dirs=[Path(plan.world).parent]))
        # the same promotions as the current world's: the judge starts from its ledger
        monkeypatch.setitem(soak._INITIAL, plan.world, soak.initial_ledger("current"))
    [result] = bench.run()
    sessions = list(bench.witness.sessions.values())
    lines = [line for session in sessions for _, line in session.logs._lines]
    requests = [r for session in sessions for r in bench.witness.requests_of(session.device.model)]
    return result, lines, requests


def test_ios_alert_over_the_confirmation_is_refused_before_confirm_and_one_cancel_lands(tmp_path, monkeypatch) -> None:
    # SpringBoard's alert is not in the app's page source (FBSession.m activeApplication) and takes every touch:
    # WDA's alert text names it before the app's own alert (FBAlert.m), so one command before the Confirm tap
    # finds it; it is answered "Don't Allow", then Confirm is tapped once.
    plan = soak.RunPlan(0, 7, _world_with_alert_on_the_confirmation(tmp_path), "P-1001", "Summer haul try-on",
                        False, 0)
    result, lines, requests = _one_ios_run(plan, monkeypatch, tmp_path)
    assert (result.outcome, result.app_shows_cancelled, result.lied) == ("cancelled", True, False), result
    assert result.confirms == 1 and requests == [("P-1001", "active")]
    answered = [i for i, line in enumerate(lines) if "notifications alert: Don\u2019t Allow (deny)" in line]
    stopped = [i for i, line in enumerate(lines) if "screen shown: details" in line]
    assert len(answered) == 1 and answered[0] < stopped[-1]  # refused before the confirm took the app back


def test_ios_alert_that_took_the_confirm_tap_is_refused_and_confirm_tapped_again_once(tmp_path, monkeypatch) -> None:
    # The alert comes up as the finger lands on Confirm (between the look and the tap): it takes the tap, the app's
    # question stays. The tap is taken back, the question and the running promotion are checked again, and
    # Confirm is tapped once more: one cancel request, reported only once the app shows it.
    plan = _AlertPlan(0, 7, "current", "P-1001", "Summer haul try-on", False, 0)
    result, lines, requests = _one_ios_run(plan, monkeypatch, tmp_path)
    assert (result.outcome, result.app_shows_cancelled, result.lied) == ("cancelled", True, False), result
    assert result.confirms == 1 and requests == [("P-1001", "active")]
    assert sum("notifications alert: Don\u2019t Allow (deny)" in line for line in lines) == 1


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
