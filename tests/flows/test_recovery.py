"""Recovery under faults: what is retried, what never is, and the budget, judged by the app's ledger.

The virtual device injects the faults (`sim:faults`); a few tests also stand in for what it cannot do,
such as a confirm that reached the app whose answer was lost on the way back. The screens rest at once
(`transitions=False`): what is retried does not hang on how fast a screen slides in.
"""

from __future__ import annotations

import dataclasses
import threading
import urllib.request
from typing import Any

import pytest
from selenium.common.exceptions import WebDriverException

from tiktok_promo.flows.cancel_flow import CancelFlow, CancelResult
from tiktok_promo.flows.errors import NotCancelled, WrongAccount
from tiktok_promo.flows.recovery import Attempt, ConfirmCount, Recovery
from tiktok_promo.harness.errors import (
    APP,
    DEVICE,
    PRODUCT,
    ConfigError,
    DeviceError,
    DeviceHiccup,
    SessionLost,
    TargetNotFound,
    category_of,
)
from tiktok_promo.harness.run.config import RecoveryBudget
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.ui import waits
from tiktok_promo.harness.ui.finder import Finder
from tiktok_promo.pages.app import TIKTOK, TikTokApp
from tiktok_promo.pages.confirm_dialog import ConfirmCancelDialog
from tiktok_promo.pages.promotions_list import PromotionsListPage

ACCOUNT = "mia.creates"


def statuses(session: AppiumSession) -> dict[str, str]:
    return {p["id"]: p["status"] for p in session.ledger()["promotions"]}


def clicks(session: AppiumSession) -> int:
    """The taps that met a view of the app that acts on them, however they were made (an element click or a tap
    at a place: which one a flow uses depends on whether its last page source showed the screen at rest)."""
    return session.stats()["taps"]


def flow_on(session: AppiumSession, confirms: ConfirmCount | None = None, notes: list[str] | None = None,
            budget: RecoveryBudget | None = None) -> CancelFlow:
    return CancelFlow(TikTokApp.on(session), ACCOUNT, status_timeout=1.0, budget=budget, confirms=confirms,
                      note=notes.append if notes is not None else None)


def cancel_with_recovery(session: AppiumSession, title: str, budget: RecoveryBudget | None = None,
                         renewed_faults: Any = None, notes: list[str] | None = None) -> CancelResult:
    """What `promo cancel` does for one promotion: the checked flow under Recovery, confirms counted across tries."""
    budget = budget or RecoveryBudget()
    confirms = ConfirmCount(budget.confirm_taps)
    notes = notes if notes is not None else []

    def renew(device: AppiumSession, _: int) -> None:
        if renewed_faults is not None:
            device.use_faults(renewed_faults)

    def once(attempt: Attempt) -> CancelResult:
        start = None if attempt.first else attempt.begin(session)
        return flow_on(session, confirms, notes, budget).cancel(title, start=start)

    return Recovery(session, budget, note=notes.append, before_new_session=renew).run(once)


# --- the confirm: never blind ---------------------------------------------------------------------
def test_after_a_failed_confirm_the_app_is_read_again_and_confirmed_once_more(make_session) -> None:
    session = make_session("default", faults={"confirm_fails_once": True}, transitions=False)
    notes: list[str] = []
    result = flow_on(session, notes=notes).cancel("Summer haul try-on")
    assert result.cancelled and not result.already_cancelled and result.confirms == 2
    assert statuses(session)["P-1001"] == "canceled"
    assert session.stats()["faults"] == {"confirm_failed": 1}
    [said] = notes
    assert 'says "Something went wrong. Please try again."' in said and "confirming again (2 confirms left)" in said


def test_a_confirm_that_keeps_failing_stops_at_the_budget_and_says_what_the_app_shows(make_session) -> None:
    session = make_session("default", faults={"confirm_fails_once": True}, transitions=False)
    flow = flow_on(session, budget=RecoveryBudget(confirm_taps=1))
    with pytest.raises(NotCancelled, match=r'still shows "Summer haul try-on" \(P-1001\) as "Active"') as failure:
        flow.cancel("Summer haul try-on")
    assert category_of(failure.value) == PRODUCT
    assert statuses(session)["P-1001"] == "active"


def test_a_confirm_whose_answer_was_lost_is_read_not_tapped_again(make_session, monkeypatch) -> None:
    """The tap reached the app, its answer did not reach us: the status decides, and it says cancelled."""
    baseline = make_session("default", transitions=False)
    flow_on(baseline).cancel("Summer haul try-on")
    session = make_session("default", transitions=False)
    driver = session.start().driver
    real = type(driver).execute
    lost: list[str] = []
    probing = threading.local()

    def execute(self: Any, command: str, params: dict | None = None) -> Any:
        answer = real(self, command, params)
        if self is driver and not lost and not getattr(probing, "on", False):
            probing.on = True
            try:
                landed = statuses(session)["P-1001"] == "canceled"
            finally:
                probing.on = False
            if landed:  # the command that cancelled: its answer is lost on the way back
                lost.append(command)
                raise WebDriverException("An unknown server-side error occurred while processing the command. "
                                         "Original error: socket hang up")
        return answer

    monkeypatch.setattr(type(driver), "execute", execute)
    notes: list[str] = []
    result = flow_on(session, notes=notes).cancel("Summer haul try-on")
    assert lost, "the stand-in never lost an answer"
    assert result.cancelled and result.confirms == 1
    # The same taps as a cancel without any fault: Confirm was not tapped twice.
    assert clicks(session) == clicks(baseline)
    assert notes == []  # the question was gone, so nothing was backed out of: the status said cancelled


def test_a_confirm_that_did_not_land_is_backed_out_of_and_tried_once_more(make_session, monkeypatch) -> None:
    session = make_session("default", transitions=False)
    real = ConfirmCancelDialog.confirm
    failed = []

    def confirm(self: ConfirmCancelDialog) -> Any:
        if not failed:
            failed.append(True)
            # As the finder raises it for a 500 on the tap: whether it reached the app is unknown.
            from tiktok_promo.harness.errors import UnsureTap
            raise UnsureTap('The tap on "Confirm button" may not have reached the app: socket hang up')
        return real(self)

    monkeypatch.setattr(ConfirmCancelDialog, "confirm", confirm)
    notes: list[str] = []
    flow = flow_on(session, notes=notes)
    result = flow.cancel("Summer haul try-on")
    assert result.cancelled and result.confirms == 1  # the tap proven not to have landed is not counted
    assert flow.confirms.tries == 2
    assert "The question is still on screen, so the tap did not land" in notes[0]
    assert statuses(session)["P-1001"] == "canceled"


# --- sessions that die -------------------------------------------------------------------------------
def test_a_session_that_dies_before_the_confirm_is_started_again_from_the_first_screen(make_session) -> None:
    session = make_session("default", faults={"crash_after": 10}, transitions=False)
    notes: list[str] = []
    result = cancel_with_recovery(session, "Summer haul try-on", renewed_faults={"crash_after": 0}, notes=notes)
    assert result.cancelled and result.account == ACCOUNT  # the account was checked again on the new session
    assert len(session.session_ids) == 2
    assert statuses(session)["P-1001"] == "canceled"
    assert any("Starting a new session (1 of 2) and beginning again from the app's first screen" in n
               for n in notes)


def test_a_session_that_dies_right_after_the_confirm_is_read_again_on_a_new_session(make_session, monkeypatch,
                                                                                    sim_url) -> None:
    # The session serves the Confirm tap, then dies (as the instrumentation crashing: every later command meets
    # `invalid session id`): whether the cancel landed is unknown to the harness. It dies at the Confirm itself,
    # not at a command number: on a phone's timing how many looks a screen still coming in takes depends on the
    # machine, so a number counted on one run lands elsewhere on the next.
    session = make_session("default", transitions=False)
    real = ConfirmCancelDialog.confirm

    def confirm_then_die(self: ConfirmCancelDialog) -> Any:
        done = real(self)
        if len(session.session_ids) == 1 and session.driver is not None:
            ended = urllib.request.Request(f"{sim_url}/session/{session.driver.session_id}", method="DELETE")
            urllib.request.urlopen(ended, timeout=10).close()
        return done

    monkeypatch.setattr(ConfirmCancelDialog, "confirm", confirm_then_die)
    notes: list[str] = []
    result = cancel_with_recovery(session, "Summer haul try-on", notes=notes)
    # The virtual device gives a new session a fresh copy of the world, so there the promotion runs again
    # and the flow cancels it (a phone would show it cancelled, and nothing would be tapped).
    assert result.cancelled and not result.already_cancelled
    assert result.confirms == 2  # one in the lost session, one after the fresh read
    assert len(session.session_ids) == 2 and statuses(session)["P-1001"] == "canceled"
    [said] = notes
    assert said.startswith("The Appium session ended unexpectedly") and "Starting a new session (1 of 2)" in said


def test_a_session_that_keeps_dying_ends_in_a_classified_failure_within_the_budget(make_session) -> None:
    session = make_session("default", faults={"crash_after": 3}, transitions=False)
    with pytest.raises(SessionLost, match=r"The Appium session ended unexpectedly: .* \(gave up after 2 new "
                                          r"sessions\)\.$") as failure:
        cancel_with_recovery(session, "Summer haul try-on")
    assert category_of(failure.value) == DEVICE
    assert len(session.session_ids) == 3
    assert "For documentation" not in str(failure.value)


# --- waits, pop-ups, stale elements, 500s ----------------------------------------------------------------
def test_a_spinner_longer_than_the_find_timeout_is_waited_out(still_sim_config, sim_url) -> None:
    # screens at rest: the only wait is the spinner's, three times the find timeout
    profile = still_sim_config.profile.model_copy(update={"find_timeout": 0.3})
    session = AppiumSession(dataclasses.replace(still_sim_config, profile=profile), sim_url, TIKTOK)
    session.use_world("default")
    session.use_faults({"slow_list_ms": 900})
    try:
        result = flow_on(session).cancel("Latte art in 30 seconds")
        assert result.cancelled and statuses(session)["P-1002"] == "canceled"
    finally:
        session.close()


def test_a_spinner_is_waited_out_only_within_its_budget(still_sim_config, sim_url) -> None:
    # screens at rest: the only wait is the spinner's, cut at its budget
    recovery = RecoveryBudget(spinner_seconds=0.5)
    profile = still_sim_config.profile.model_copy(update={"find_timeout": 0.3, "recovery": recovery})
    session = AppiumSession(dataclasses.replace(still_sim_config, profile=profile), sim_url, TIKTOK)
    session.use_world("default")
    session.use_faults({"slow_list_ms": 5000})
    try:
        with pytest.raises(TargetNotFound, match=r"Loading|did not show") as failure:
            flow_on(session).cancel("Latte art in 30 seconds")
        assert category_of(failure.value) == APP
        assert statuses(session)["P-1002"] == "active"
    finally:
        session.close()


def test_a_row_that_re_rendered_is_found_again_as_the_same_row(make_session) -> None:
    # Two rows share a title; after a re-render the second one must be tapped, not the first one found.
    session = make_session("duplicate-titles", faults={"stale_rate": 1.0}, transitions=False)
    flow = flow_on(session)
    listing = flow.open_promotions()
    assert isinstance(listing, PromotionsListPage)
    rows = listing.scroll_to("Morning routine")
    session.page_source()  # the screen re-renders: the ids the rows hold are stale now
    assert rows[1].open().read().promotion_id == "P-2002"


def test_a_noisy_server_still_cancels_exactly_the_asked_promotion(make_session) -> None:
    for seed in (1, 2, 3):
        session = make_session("default", faults={"error_rate": 0.1, "popup_rate": 0.1, "stale_rate": 0.1,
                                                  "seed": seed}, transitions=False)
        result = cancel_with_recovery(session, "Latte art in 30 seconds")
        assert result.cancelled
        shown = statuses(session)
        assert shown["P-1002"] == "canceled" and shown["P-1001"] == "active", seed


class FlakyDriver:
    """A driver whose execute methods fail with Appium's transient 500 the first `failures` times."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[str] = []

    def execute_script(self, script: str, params: dict) -> Any:
        self.calls.append(script)
        if self.failures:
            self.failures -= 1
            raise WebDriverException("An unknown server-side error occurred while processing the command. "
                                     "Original error: socket hang up")
        return True


def test_opening_the_app_again_is_retried_after_a_hiccup_but_a_scroll_is_not() -> None:
    finder = Finder(FlakyDriver(failures=2))
    assert finder.execute("mobile: terminateApp", {"appId": "x"}) is True
    assert finder.driver.calls == ["mobile: terminateApp"] * 3
    with pytest.raises(DeviceHiccup, match="The device kept answering an error: An unknown server-side error"):
        Finder(FlakyDriver(failures=1)).execute("mobile: scrollGesture", {})


# --- the decision table ------------------------------------------------------------------------------------
class FakeSession:
    """Just what Recovery touches on a session: close it."""

    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


class TryClock:
    """The monotonic clock the budget's deadline reads (harness.ui.waits), moved on by each try as long as the try
    says it lasts, not as long as a loaded machine takes to run it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def run_failing(errors: list[Exception], budget: RecoveryBudget | None = None,
                each: float = 0.0, clock: TryClock | None = None) -> tuple[list[Attempt], Any]:
    """Recovery over work that raises `errors` one by one (each try lasting `each` seconds of `clock`), then returns
    "done"; the attempts and the result."""
    attempts: list[Attempt] = []

    def work(attempt: Attempt) -> str:
        attempts.append(attempt)
        if clock is not None:
            clock.now += each
        if errors:
            raise errors.pop(0)
        return "done"

    session = FakeSession()
    try:
        outcome: Any = Recovery(session, budget or RecoveryBudget()).run(work)  # type: ignore[arg-type]
    except Exception as error:  # the test looks at it
        outcome = error
    return attempts, outcome


@pytest.mark.parametrize(("error", "retried"), [
    (SessionLost("The Appium session ended unexpectedly: crashed"), True),
    (DeviceHiccup("The device kept answering an error: socket hang up"), True),
    (TargetNotFound('"Promotions" did not show within 10 s'), True),
    (NotCancelled("After confirming, the app does not show the status", shown=None), True),
    (NotCancelled('The app still shows "X" as "Active"', shown=object()), False),
    (WrongAccount("mia.creates", "other.brand"), False),
    (ConfigError("Caps file x.yaml is not valid YAML"), False),
    (DeviceError("Could not reach Appium at http://127.0.0.1:9"), False),
])
def test_what_is_retried_and_what_never_is(error: Exception, retried: bool) -> None:
    attempts, outcome = run_failing([error])
    assert (outcome == "done") is retried
    assert len(attempts) == (2 if retried else 1)
    if not retried:
        assert outcome is error  # the same failure, unchanged: the app's answer or a person's mistake


def test_a_retry_after_a_lost_session_begins_on_a_new_session_otherwise_the_app_is_opened_again() -> None:
    attempts, _ = run_failing([SessionLost("gone"), DeviceHiccup("500")])
    assert [(a.number, a.new_session) for a in attempts] == [(1, False), (2, True), (3, False)]


def test_locator_misses_are_retried_once_then_they_are_the_app() -> None:
    attempts, outcome = run_failing([TargetNotFound("a"), TargetNotFound("b")])
    assert len(attempts) == 2 and isinstance(outcome, TargetNotFound) and str(outcome) == "b"


def test_the_budget_bounds_attempts_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts, outcome = run_failing([DeviceHiccup("500.")] * 9, RecoveryBudget(attempts=3))
    assert len(attempts) == 3
    assert str(outcome) == "500 (gave up after 3 attempts)."
    # Tries of 0.03 s against 0.05 s: the second try ends past the budget. On the real clock a loaded machine
    # stretched the first try past it (CI: 1 attempt), so the tries last 0.03 s on a clock of the test's own.
    clock = TryClock()
    monkeypatch.setattr(waits, "time", clock)
    attempts, outcome = run_failing([DeviceHiccup("500")] * 9, RecoveryBudget(seconds=0.05, attempts=9), each=0.03,
                                    clock=clock)
    assert len(attempts) == 2 and str(outcome) == "500 (gave up after 0.05 s and 2 attempts)."


def test_the_budget_comes_from_the_profile(tmp_path) -> None:
    from tiktok_promo.harness.run.config import load_run_config

    caps = tmp_path / "caps.yaml"
    caps.write_text("capabilities:\n  platformName: Android\nrecovery:\n  confirm_taps: 2\n  seconds: 60\n")
    profile = load_run_config(caps=str(caps), env={}).profile
    assert profile.recovery.confirm_taps == 2 and profile.recovery.seconds == 60
    assert profile.recovery.new_sessions == RecoveryBudget().new_sessions
    caps.write_text("capabilities:\n  platformName: Android\nrecovery:\n  confirm_taps: -1\n")
    with pytest.raises(ConfigError, match=r"recovery.confirm_taps: Input should be greater than or equal to 1"):
        load_run_config(caps=str(caps), env={})

