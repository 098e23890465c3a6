"""The CancelFlow's safety decisions, on the virtual device, with the app's ledger as the judge.

The screens rest at once (`transitions=False`): a decision is the same at rest; one cancel is made with screens
sliding in, as on a phone, and the features walk that way too.
"""

from __future__ import annotations

from typing import Any

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.flows.errors import (
    AmbiguousPromotion,
    LoggedOut,
    NotCancellable,
    NotCancelled,
    NothingToCancel,
    UncheckedCancel,
    UnknownPromotion,
    WrongAccount,
    WrongPromotion,
)
from tiktok_promo.harness.run.config import RecoveryBudget
from tiktok_promo.harness.ui.driver import CountingRemote
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.promotion_details import PromotionDetailsPage


def statuses(session) -> dict[str, str]:
    return {p["id"]: p["status"] for p in session.ledger()["promotions"]}


def flow_on(session, account: str | None = "mia.creates") -> CancelFlow:
    return CancelFlow(TikTokApp.on(session), account, status_timeout=1.0)


def test_cancel_checks_then_cancels_in_about_one_command_per_find(make_session, one_ms_per_command) -> None:
    session = make_session("default", transitions=False)
    result = flow_on(session).cancel("Summer haul try-on")
    assert result.cancelled and result.promotion_id == "P-1001" and result.account == "mia.creates"
    assert result.after.status_text == "Canceled" and str(result.spent_at_cancel) == "21.40"
    assert statuses(session)["P-1001"] == "canceled"
    # 3 page sources (account, details, status after the confirm); 5 finds and their taps (the row's find confirms
    # the Promotions tap too: the next test); the menu and Cancel tapped where the page source just read shows them
    # (one command each, no find); and once per device and
    # release, the device's locale (mobile: deviceInfo), to read the app's words in its language. Screens at rest:
    # with screens moving, a find made mid-slide misses and is made again (the test after next).
    assert session.stats()["by_route"] == {"POST /session/:sid/elements": 5, "GET /session/:sid/source": 3,
                                           "POST /session/:sid/element/:eid/click": 5,
                                           "POST /session/:sid/execute/sync": 3}


def test_the_promotions_tap_is_confirmed_by_the_chosen_row_in_the_list_one_find_for_both(
        make_session, one_ms_per_command, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, str]] = []
    execute = CountingRemote.execute

    def noted(driver: CountingRemote, command: Any, params: dict[str, Any] | None = None) -> Any:
        sent.append((str(command), str((params or {}).get("value", ""))))
        return execute(driver, command, params)

    monkeypatch.setattr(CountingRemote, "execute", noted)
    session = make_session("default", transitions=False)
    assert flow_on(session).cancel("Summer haul try-on").cancelled
    finds = [value for command, value in sent if command == "findElements"]
    promotions = finds.index("Promotions")
    # Right after the Promotions tap: the row, scrolled into view in a list (only the list's screen shows it), then
    # its tap; no find of the list itself, which the row's find made again after it (round 4's 6 finds).
    assert 'text("Summer haul try-on")' in finds[promotions + 1] and "UiScrollable" in finds[promotions + 1]
    assert len(finds) == promotions + 3  # then only Confirm's find
    at = sent.index(("findElements", finds[promotions + 1]))
    assert sent[at + 1][0] == "clickElement"


def test_with_screens_sliding_in_the_cancel_lands_once_and_reads_the_app_again(make_session) -> None:
    # A phone's timing: every screen comes in over a few hundred ms, and how many finds and page sources land
    # mid-slide depends on the machine's load. What may not depend on it: the promotion is cancelled once, the
    # other one is untouched, and the status is read from the app after the confirm.
    session = make_session("default")
    result = flow_on(session).cancel("Summer haul try-on")
    assert result.cancelled and result.promotion_id == "P-1001" and result.after.status_text == "Canceled"
    assert statuses(session) == {**statuses(make_session("default")), "P-1001": "canceled"}
    routes = session.stats()["by_route"]
    assert routes["POST /session/:sid/elements"] >= 5 and routes["GET /session/:sid/source"] >= 3


def test_wrong_account_is_refused_and_nothing_changes(make_session) -> None:
    session = make_session("default", transitions=False)
    before = statuses(session)
    with pytest.raises(WrongAccount, match=r"logged in as @mia.creates, not @other.brand; nothing was changed"):
        flow_on(session, "other.brand").cancel("Summer haul try-on")
    assert statuses(session) == before
    assert session.stats()["by_route"].get("POST /session/:sid/element/:eid/click") == 1  # only the Me tab


def test_logged_out_is_a_clear_failure(make_session) -> None:
    with pytest.raises(LoggedOut, match=r"Nobody is logged in to the TikTok app: log in as @mia\.creates"):
        flow_on(make_session("logged-out", transitions=False)).cancel("Summer haul try-on")


def test_no_active_promotion_means_nothing_to_cancel(make_session) -> None:
    with pytest.raises(NothingToCancel, match=r"Nothing to cancel: @mia\.creates has no active promotions\."):
        flow_on(make_session("none-active", transitions=False)).cancel("Summer haul try-on")


def test_unknown_title_lists_the_active_titles(make_session) -> None:
    with pytest.raises(UnknownPromotion) as refusal:
        flow_on(make_session("default", transitions=False)).cancel("Winter sale")
    assert refusal.value.active_titles == ["Summer haul try-on", "Latte art in 30 seconds"]
    assert str(refusal.value) == ('No promotion is called "Winter sale"; the active promotions are: '
                                  '"Summer haul try-on", "Latte art in 30 seconds".')


def test_two_promotions_with_one_title_are_ambiguous(make_session) -> None:
    session = make_session("duplicate-titles", transitions=False)
    before = statuses(session)
    with pytest.raises(AmbiguousPromotion, match='2 promotions are called "Morning routine"'):
        flow_on(session).cancel("Morning routine")
    assert statuses(session) == before


def test_an_id_picks_one_of_two_promotions_with_one_title(make_session) -> None:
    session = make_session("duplicate-titles", transitions=False)
    result = flow_on(session).cancel("Morning routine", promotion_id="P-2002")
    assert result.promotion_id == "P-2002" and result.cancelled
    assert statuses(session) == {"P-2001": "active", "P-2002": "canceled", "P-2003": "active"}


def test_a_second_cancel_says_already_cancelled_and_taps_nothing(make_session) -> None:
    session = make_session("default", transitions=False)
    flow_on(session).cancel("Latte art in 30 seconds")
    again = flow_on(session).cancel("Latte art in 30 seconds", start=TikTokApp.on(session).restart())
    assert again.already_cancelled and again.cancelled
    assert [c for c in session.ledger()["charges"] if c["cents"] < 0] == []


def test_an_ended_promotion_is_not_cancellable(make_session) -> None:
    with pytest.raises(NotCancellable, match='"Spring recipes" is Completed: there is nothing to cancel'):
        flow_on(make_session("default", transitions=False)).cancel("Spring recipes")


def test_cancel_is_refused_before_the_account_is_checked(make_session) -> None:
    session = make_session("default", transitions=False)
    flow = flow_on(session)
    listing = flow.open_promotions(check_account=False)
    page = flow.choose(listing, "Summer haul try-on")
    with pytest.raises(UncheckedCancel, match="the account on the profile was not checked first"):
        flow.tap_cancel(page)
    with pytest.raises(UncheckedCancel, match="no expected account was given"):
        flow_on(session, account=None).tap_cancel(page)
    assert statuses(session)["P-1001"] == "active"


def test_the_details_must_show_the_chosen_promotion(make_session) -> None:
    session = make_session("default", transitions=False)
    flow = flow_on(session)
    page = flow.choose(flow.open_promotions(), "Summer haul try-on")
    with pytest.raises(WrongPromotion, match='the details show "Summer haul try-on", not "Studio tour"'):
        flow.check_promotion(page, "Studio tour")
    with pytest.raises(WrongPromotion, match="promotion P-1001, not P-9999"):
        flow.check_promotion(page, promotion_id="P-9999")


def test_a_failed_confirm_is_not_reported_as_cancelled(make_session) -> None:
    session = make_session("default", faults={"confirm_fails_once": True}, transitions=False)
    flow = CancelFlow(TikTokApp.on(session), "mia.creates", status_timeout=1.0, budget=RecoveryBudget(confirm_taps=1))
    with pytest.raises(NotCancelled, match=r'still shows "Summer haul try-on" \(P-1001\) as "Active" and says '
                                           r'"Something went wrong'):
        flow.cancel("Summer haul try-on")
    assert statuses(session)["P-1001"] == "active"


def test_backing_out_keeps_the_promotion_running(make_session) -> None:
    session = make_session("default", transitions=False)
    flow = flow_on(session)
    page = flow.choose(flow.open_promotions(), "Latte art in 30 seconds")
    back = flow.tap_cancel(page).keep()
    assert isinstance(back, PromotionDetailsPage) and back.read().status_text == "Active"
    assert statuses(session)["P-1002"] == "active"


def test_a_row_far_down_a_long_list_is_scrolled_to(make_session) -> None:
    session = make_session("many", transitions=False)
    result = flow_on(session).cancel("Coffee part 4")
    assert result.promotion_id == "P-3059" and result.cancelled


@pytest.mark.parametrize("world", ["current", "business"])
def test_the_same_flow_works_on_every_release(make_session, world: str) -> None:
    result = flow_on(make_session(world, transitions=False)).cancel("Summer haul try-on")
    assert result.cancelled and result.after.status_text == "Stopped"


def test_a_confirm_whose_answer_is_lost_is_read_back_and_never_tapped_twice(make_session) -> None:
    # sim:faults lost_answers: the confirm lands in the app and the connection closes unanswered.
    session = make_session("default", faults={"lost_answers": 1}, transitions=False)
    result = flow_on(session).cancel("Summer haul try-on")
    assert result.cancelled and not result.already_cancelled  # this run's cancel, read back from the app
    assert result.confirms == 1 and result.after.status_text == "Canceled"
    assert statuses(session)["P-1001"] == "canceled"
    assert session.stats()["faults"] == {"lost_answer": 1}

