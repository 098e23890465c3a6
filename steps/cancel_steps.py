"""Selecting a promotion, reading its details, Cancel, and the confirmation."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from tiktok_promo.flows.errors import NotCancelled
from tiktok_promo.harness.report import evidence
from tiktok_promo.pages.confirm_dialog import ConfirmCancelDialog
from tiktok_promo.pages.promotion_details import PromotionDetails, PromotionDetailsPage
from tiktok_promo.pages.promotions_list import PromotionsListPage
from tiktok_promo.pages.values import ACTIVE, CANCELLED
from tiktok_promo.steps.context import Journey
from tiktok_promo.steps.errors import NO_CANCEL_YET, MissingEarlierStep


def details_table(details: PromotionDetails) -> list[dict[str, str]]:
    shown = {"title": details.title, "promotion ID": details.promotion_id, "status": details.status_text,
             "budget": details.budget_text, "duration": details.duration_text, "spent": details.spent_text,
             **details.metric_texts}
    return [{"field": name, "shown": value or ""} for name, value in shown.items()]


@when(parsers.parse('I select the promotion "{title}"'))
def select_promotion(journey: Journey, title: str) -> None:
    journey.page = journey.flow.choose(journey.on(PromotionsListPage), title)


@then("I see its details: budget, duration and performance metrics")
def see_details(journey: Journey) -> None:
    details = journey.details = journey.on(PromotionDetailsPage).read()
    evidence.attach_table("promotion details", details_table(details))
    assert details.budget is not None, f"No budget is shown: {details.budget_text!r}"
    assert details.duration_days, f"No duration is shown: {details.duration_text!r}"
    assert details.spent is not None, f"No spend is shown: {details.spent_text!r}"
    missing = [name for name, value in details.metrics.items() if value is None]
    assert not missing, f"Performance metrics missing: {', '.join(missing)}"


@then(parsers.parse('it is the promotion "{title}" with its promotion ID'))
def is_the_promotion(journey: Journey, title: str) -> None:
    details = journey.flow.check_promotion(journey.on(PromotionDetailsPage), title)
    assert details.promotion_id, "The details show no promotion ID"


@when("I note what it has spent so far")
@when("I note its views, likes, comments and shares")
def note_details(journey: Journey) -> None:
    journey.noted = journey.on(PromotionDetailsPage).read()


@when("I tap Cancel to stop the promotion")
def tap_cancel(journey: Journey) -> None:
    journey.page = journey.flow.tap_cancel(journey.on(PromotionDetailsPage))


@then("I am asked to confirm the cancellation")
def asked_to_confirm(journey: Journey) -> None:
    confirmation = journey.on(ConfirmCancelDialog).read()
    assert confirmation.title, "No confirmation question is shown"


@then("the confirmation says charges already incurred are not refunded")
def confirmation_says_no_refund(journey: Journey) -> None:
    confirmation = journey.on(ConfirmCancelDialog).read()
    assert confirmation.warns_no_refund, f"The confirmation does not mention refunds: {confirmation.message!r}"


@when("I confirm the cancellation")
def confirm(journey: Journey) -> None:
    journey.result = journey.flow.confirm(journey.on(ConfirmCancelDialog))
    journey.page = journey.result.page


@when(parsers.parse('I answer the confirmation with "{label}", the guide\'s word for cancelling'))
def answer_with(journey: Journey, label: str) -> None:
    journey.outcome(journey.flow.attempt_confirm(journey.on(ConfirmCancelDialog), lambda d: d.press(label)))


@then(parsers.parse('the cancel is not reported done: the app still shows it "{status}"'))
def not_reported_done(journey: Journey, status: str) -> None:
    assert journey.result is None, f"Reported cancelled although the app shows {journey.result.after.status_text!r}"
    refusal = journey.refusal
    assert isinstance(refusal, NotCancelled), f"Expected 'not cancelled', got {refusal!r}"
    assert refusal.shown is not None and refusal.shown.status_text == status, str(refusal)


@when("I back out of the confirmation")
def back_out(journey: Journey) -> None:
    journey.page = journey.on(ConfirmCancelDialog).keep()


@when(parsers.parse('I cancel the promotion "{title}"'))
def cancel_promotion(journey: Journey, title: str) -> None:
    journey.outcome(journey.flow.cancel(title, start=journey.page))


@when(parsers.parse('I try to cancel the promotion "{title}"'))
def try_to_cancel(journey: Journey, title: str) -> None:
    journey.outcome(journey.flow.attempt(title, start=journey.page))


@then("the app shows the promotion as cancelled")
def shown_cancelled(journey: Journey) -> None:
    result = journey.result
    if result is None:
        raise MissingEarlierStep(NO_CANCEL_YET)
    assert result.after.status == CANCELLED, f"The app shows {result.after.status_text!r}, not cancelled"


@then(parsers.parse('the app shows the promotion "{title}" as cancelled'))
def shown_cancelled_by_title(journey: Journey, title: str) -> None:
    shown_cancelled(journey)
    result = journey.result
    assert result is not None and result.title == title, \
        f'The cancelled promotion is "{result and result.title}", not "{title}"'


@then("the promotion is still active")
def still_active(journey: Journey) -> None:
    details = journey.on(PromotionDetailsPage).read()
    assert details.status == ACTIVE, f"The promotion shows {details.status_text!r}, not Active"
    assert details.can_cancel, "The promotion no longer offers Cancel"


@then("the app says there will be no further charges")
def no_further_charges(journey: Journey) -> None:
    details = journey.on(PromotionDetailsPage).read()
    assert details.no_further_charges, f"No 'no further charges' notice; the screen says {details.notice!r}"
