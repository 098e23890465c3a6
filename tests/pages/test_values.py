"""Reading the app's numbers and words back as values."""

from __future__ import annotations

from decimal import Decimal

from tiktok_promo.pages import values
from tiktok_promo.pages.promotions_list import PromotionRow, merge_pages


def test_money_counts_budgets_and_durations() -> None:
    assert values.money("Spent $1,021.40") == Decimal("1021.40")
    assert values.money("no money") is None
    assert values.count("5,350") == 5350
    assert values.count("12.3K") == 12300
    assert values.count("n/a") is None
    daily = values.budget("$10.00/day")
    assert daily == values.Budget(Decimal("10.00"), per_day=True) and daily.total(5) == Decimal("50.00")
    assert str(values.budget("Budget $50.00 total")) == "$50.00 total"
    assert values.duration_days("7 days · Nov 17 - Nov 24, 2026") == 7


def test_status_words_of_every_release() -> None:
    assert values.status_of("Canceled") == values.status_of("Stopped") == values.CANCELLED
    assert values.status_of("Active") == values.ACTIVE
    assert values.status_of("In review") == values.IN_REVIEW
    assert values.status_of("Paused?") is None


def _row(title: str) -> PromotionRow:
    return PromotionRow(title, "Active", "Budget $10.00 total", "Spent $1.00")


def test_scrolled_pages_merge_without_repeating_the_overlap() -> None:
    first = [_row(t) for t in "ABCDE"]
    second = [_row(t) for t in "DEFGH"]
    assert [r.title for r in merge_pages(first, second)] == list("ABCDEFGH")
    assert [r.title for r in merge_pages(first, [_row("X")])] == list("ABCDEX")
    assert merge_pages(first, first[-2:]) == first


def test_a_french_phone_writes_amounts_counts_and_durations_its_own_way() -> None:
    # CLDR through Babel: "," decimal mark, U+202F (narrow no-break space) between thousands, "k" for thousands.
    assert values.money("Dépensé 21,40 €", "fr_FR") == Decimal("21.40")
    assert values.money("1\u202f021,40\u00a0€", "fr_FR") == Decimal("1021.40")
    assert values.count("5\u202f350", "fr_FR") == 5350
    assert values.count("5,3 K", "fr_FR") == values.count("5,3\u00a0k vues", "fr_FR") == 5300
    assert values.budget("Budget 10,00\u00a0€/jour", "fr_FR") == values.Budget(Decimal("10.00"), per_day=True)
    assert values.duration_days("7 jours · du 17 nov. au 24 nov. 2026", "fr_FR") == 7
    assert values.status_of("Arrêtée", "fr_FR") == values.CANCELLED
    assert values.status_of("En pause", "fr_FR") == values.PAUSED  # a pause is not a stop
    assert values.status_of("Stopped", "fr_FR") is None  # a French phone says Arrêtée


def test_an_amount_in_the_wrong_locale_is_not_misread() -> None:
    # "21,40" on an English phone is no amount (Babel refuses it), not 2140 dollars.
    assert values.money("$21,40", "en_US") is None
    assert values.count("5.3K views") == 5300
