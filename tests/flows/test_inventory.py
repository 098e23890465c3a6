"""Reading promotions (flows.inventory) on the virtual device: the monitoring rows, the list's status words, and a
long list walked row by row (each row opened once, as held; the walk picks up after the caller scrolls). The screens
rest at once (`transitions=False`): what is read is the same at rest."""

from __future__ import annotations

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.flows.inventory import listed_status, monitor
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.promotions_list import PromotionsListPage


def listing_of(session) -> PromotionsListPage:
    return CancelFlow(TikTokApp.on(session), "mia.creates").open_promotions(check_account=False)


def test_monitoring_reads_every_active_promotion(make_session) -> None:
    report = monitor(listing_of(make_session("default", transitions=False)))
    assert [(m.details.title, m.details.spent_text, m.details.metric_texts["views"]) for m in report] == [
        ("Summer haul try-on", "$21.40", "5,350"), ("Latte art in 30 seconds", "$10.00", "2,500")]


def test_the_list_shows_each_title_with_its_status_word(make_session) -> None:
    listing = listing_of(make_session("default", transitions=False))
    assert listed_status(listing, "Summer haul try-on") == "Active"
    assert listed_status(listing, "Spring recipes") == "Completed"
    assert listed_status(listing, "No such promotion") is None


@pytest.mark.slow
def test_monitoring_a_long_list_opens_each_active_row_once_at_its_place(make_session, one_ms_per_command) -> None:
    session = make_session("many", transitions=False)
    expected = [r.title for r in listing_of(session).all_rows() if r.is_active]
    session.close()
    # The cost of a list that stays as left, with screens at rest and every command timed at 1 ms: with screens
    # sliding in, a page source or a find made mid-slide is made again, as often as the machine's load decides.
    session = make_session("many", faults={"list_refresh": False}, transitions=False)
    report = monitor(listing_of(session))
    assert [m.row.title for m in report] == expected and len(expected) == 44
    assert all(m.details.title == m.row.title for m in report)
    stats = session.stats()
    # Per active row: open (tapped at its place on the last page source), read, back, and one page source of
    # the list; per screen: one page source and one scroll; then the way to the list (203 commands, 7 finds here).
    assert stats["commands"] <= 44 * 4 + 10 * 2 + 8 + 10
    assert stats["by_route"]["POST /session/:sid/elements"] <= 15


def test_each_row_picks_up_after_the_caller_scrolls_the_list(make_session) -> None:
    listing = listing_of(make_session("many", transitions=False))
    expected = [r.title for r in listing.all_rows()]
    listing = PromotionsListPage(listing.ui)
    listing._scrolled = True
    seen = []
    for row, _handle in listing.each_row():
        seen.append(row.title)
        if len(seen) == 12:
            listing.scroll_to(expected[-1])  # the list jumps to its end under the walk
    assert seen == expected
