"""The guide's rules about what cancelling means: charges stop, nothing is refunded, no restart,
views and interactions stay."""

from __future__ import annotations

from pytest_bdd import then, when

from tiktok_promo.pages.create_promotion import CreatePromotionPage
from tiktok_promo.pages.promotion_details import PromotionDetailsPage
from tiktok_promo.steps.context import Journey
from tiktok_promo.steps.errors import NO_CANCEL_YET, MissingEarlierStep

INTERACTIONS = ("views", "likes", "comments", "shares")


def _ledger_promotion(journey: Journey) -> dict:
    if journey.result is None:
        raise MissingEarlierStep(NO_CANCEL_YET)
    ledger = journey.session.ledger()
    return next(p for p in ledger["promotions"] if p["id"] == journey.result.promotion_id)


@then("the amount spent is what it was before cancelling")
def spent_unchanged_by_cancel(journey: Journey) -> None:
    assert journey.noted is not None, "Nothing was noted before cancelling"
    now = journey.on(PromotionDetailsPage).read()
    assert journey.noted.spent and journey.noted.spent > 0, "The promotion had spent nothing before cancelling"
    assert now.spent == journey.noted.spent, f"Spent was {journey.noted.spent_text}, now {now.spent_text}"


@then("the amount spent is still what it was when I cancelled")
def spent_frozen(journey: Journey) -> None:
    if journey.result is None:
        raise MissingEarlierStep(NO_CANCEL_YET)
    now = journey.on(PromotionDetailsPage).read()
    assert now.spent == journey.result.spent_at_cancel, (
        f"Spent {journey.result.after.spent_text} at cancel, now {now.spent_text}: charged after cancelling")


@then("the app's ledger shows no charge for it after the cancel")
def ledger_no_charge_after_cancel(journey: Journey) -> None:
    promo = _ledger_promotion(journey)
    ledger = journey.session.ledger()
    late = [c for c in ledger["charges"] if c["promotion"] == promo["id"] and c["at"] > promo["canceled_at"]]
    assert promo["spend_cents"] == promo["spend_at_cancel_cents"], f"Spend moved after the cancel: {promo}"
    assert not late, f"Charged after the cancel: {late}"


@then("the app's ledger shows no refund for it")
def ledger_no_refund(journey: Journey) -> None:
    promo = _ledger_promotion(journey)
    ledger = journey.session.ledger()
    refunds = [c for c in ledger["charges"] if c["promotion"] == promo["id"] and c["cents"] < 0]
    assert not refunds, f"A refund appeared: {refunds}"
    assert promo["spend_cents"] > 0, "What was spent before the cancel is gone"


@then("the app's ledger shows the other active promotions kept spending")
def others_kept_spending(journey: Journey) -> None:
    promo = _ledger_promotion(journey)
    ledger = journey.session.ledger()
    others = [c for c in ledger["charges"] if c["promotion"] != promo["id"] and c["at"] > promo["canceled_at"]]
    assert others, "No other promotion was charged while time passed: the clock did not move"


@then("the promotion offers no way to restart it")
def no_restart(journey: Journey) -> None:
    details = journey.on(PromotionDetailsPage).read()
    assert not details.can_restart, "The cancelled promotion offers a restart"
    assert not details.can_cancel, "The cancelled promotion still offers Cancel"


@then("it offers to create a new promotion instead")
def offers_new_promotion(journey: Journey) -> None:
    assert journey.on(PromotionDetailsPage).read().can_create_new, "No 'Create new promotion' is offered"


@when("I create a new promotion for its video")
def create_new_promotion(journey: Journey) -> None:
    journey.page = journey.on(PromotionDetailsPage).create_new_promotion()


@then("a new promotion is set up for the same video")
def new_promotion_for_same_video(journey: Journey) -> None:
    if journey.result is None:
        raise MissingEarlierStep(NO_CANCEL_YET)
    video = journey.on(CreatePromotionPage).video_title()
    assert video == journey.result.title, f'The new promotion is for "{video}", not "{journey.result.title}"'


@then("its views, likes, comments and shares are still there")
def interactions_stay(journey: Journey) -> None:
    # What was noted on the details before the cancel: a cancel reads only the values its checks need.
    before = journey.noted
    assert before is not None, "Nothing was noted before cancelling (a step 'I note its views...' comes first)"
    now = journey.on(PromotionDetailsPage).read()
    lost = {name: (before.metrics[name], now.metrics[name]) for name in INTERACTIONS
            if (now.metrics[name] or 0) < (before.metrics[name] or 0)}
    assert not lost, f"Interactions went down after cancelling (before, now): {lost}"
