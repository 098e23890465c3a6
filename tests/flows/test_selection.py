"""Choosing what to cancel (flows.selection), without a device: the rules never pick a promotion in review or
ended, names report what is cancelled or ended already, and unknown or shared names are refused; and the figures
the rules compare (cost per thousand views, what is left of the budget)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiktok_promo.flows.errors import AmbiguousPromotion, UnknownPromotion
from tiktok_promo.flows.inventory import PromotionInfo
from tiktok_promo.flows.selection import Selection, UnknownPromotionId
from tiktok_promo.pages.values import Budget


def promo(title: str, status: str = "active", spent: str = "10", budget: str = "50", views: int | None = 1000,
          pid: str | None = None) -> PromotionInfo:
    words = {"active": "Active", "in review": "In review", "completed": "Completed", "cancelled": "Canceled"}
    return PromotionInfo(title=title, status=status, status_text=words[status], promotion_id=pid or f"P-{title}",
                         budget=Budget(Decimal(budget), per_day=False), total_budget=Decimal(budget),
                         spent=Decimal(spent), views=views, likes=0, detailed=True)


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
