"""Refusals: wrong account, logged out, nothing to cancel, unknown or ambiguous title; and pop-ups."""

from __future__ import annotations

from typing import TypeVar

from pytest_bdd import parsers, then

from tiktok_promo.flows.errors import (
    AmbiguousPromotion,
    FlowRefused,
    LoggedOut,
    NothingToCancel,
    UnknownPromotion,
    WrongAccount,
)
from tiktok_promo.flows.inventory import listed_row
from tiktok_promo.harness.report.scenario_results import checks_feature_values
from tiktok_promo.pages.values import ACTIVE
from tiktok_promo.steps.context import Journey

R = TypeVar("R", bound=FlowRefused)


def _refusal(journey: Journey, kind: type[R]) -> R:
    assert journey.result is None, f"The cancel went through: {journey.result}"
    assert isinstance(journey.refusal, kind), f"Expected {kind.__name__}, got {journey.refusal!r}"
    return journey.refusal


@then("the cancel is refused because a different account is logged in")
def refused_wrong_account(journey: Journey) -> None:
    _refusal(journey, WrongAccount)


@then("the cancel fails saying that nobody is logged in")
def fails_logged_out(journey: Journey) -> None:
    refusal = _refusal(journey, LoggedOut)
    assert "nobody is logged in" in str(refusal).lower(), str(refusal)


@then("I am told there is nothing to cancel")
def nothing_to_cancel(journey: Journey) -> None:
    refusal = _refusal(journey, NothingToCancel)
    assert "nothing to cancel" in str(refusal).lower(), str(refusal)


@checks_feature_values
@then("the cancel fails and names the active promotions:")
def fails_naming_active(journey: Journey, datatable: list[list[str]]) -> None:
    refusal = _refusal(journey, UnknownPromotion)
    expected = [row[0] for row in datatable[1:]]
    assert refusal.active_titles == expected, f"Listed {refusal.active_titles}, expected {expected}"
    assert all(title in str(refusal) for title in expected), str(refusal)


@then("the cancel is refused as ambiguous")
def refused_ambiguous(journey: Journey) -> None:
    refusal = _refusal(journey, AmbiguousPromotion)
    assert "ambiguous" in str(refusal).lower(), str(refusal)


@then(parsers.parse('the promotion "{title}" is still listed as active'))
def still_listed_active(journey: Journey, title: str) -> None:
    listing = journey.flow.open_promotions(journey.page, check_account=False)
    row = listed_row(listing, title)
    journey.page = listing
    shown = row.status_text if row is not None else None
    # The row reads its status word in the app's language ('Arrêtée' on a French phone is cancelled).
    assert row is not None and row.status == ACTIVE, f'"{title}" is listed as {shown!r}, not Active'


@then(parsers.parse('the app\'s ledger shows every promotion called "{title}" still active'))
def ledger_still_active(journey: Journey, title: str) -> None:
    promos = [p for p in journey.session.ledger()["promotions"] if p["title"] == title]
    assert promos, f'No promotion called "{title}" in the ledger'
    assert all(p["status"] == "active" for p in promos), f"Changed: {promos}"


@checks_feature_values
@then("these pop-ups were dismissed on the way:")
def popups_dismissed(journey: Journey, datatable: list[list[str]]) -> None:
    expected = {row[0] for row in datatable[1:]}
    dismissed = set(journey.session.guard.dismissed)
    assert expected <= dismissed, f"Dismissed {sorted(dismissed)}, expected at least {sorted(expected)}"


@then("at least one pop-up was dismissed on the way")
def some_popup_dismissed(journey: Journey) -> None:
    assert journey.session.guard.dismissed, "No pop-up appeared: the scenario did not test interruptions"
