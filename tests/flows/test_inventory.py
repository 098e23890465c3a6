"""Reading promotions (flows.inventory) on the virtual device: the monitoring rows and the list's status words."""

from __future__ import annotations

from flows.cancel_flow import CancelFlow
from flows.inventory import listed_status, monitor
from pages.app import TikTokApp
from pages.promotions_list import PromotionsListPage


def listing_of(session) -> PromotionsListPage:
    return CancelFlow(TikTokApp.on(session), "mia.creates").open_promotions(check_account=False)


def test_monitoring_reads_every_active_promotion(make_session) -> None:
    report = monitor(listing_of(make_session("default")))
    assert [(m.details.title, m.details.spent_text, m.details.metric_texts["views"]) for m in report] == [
        ("Summer haul try-on", "$21.40", "5,350"), ("Latte art in 30 seconds", "$10.00", "2,500")]


def test_the_list_shows_each_title_with_its_status_word(make_session) -> None:
    listing = listing_of(make_session("default"))
    assert listed_status(listing, "Summer haul try-on") == "Active"
    assert listed_status(listing, "Spring recipes") == "Completed"
    assert listed_status(listing, "No such promotion") is None
