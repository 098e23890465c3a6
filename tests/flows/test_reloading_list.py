"""Reading and opening rows of a list that reloads as the app comes back to it (simulator/recycler.py).

A row's view is rebound to another promotion when the list scrolls or reloads, and on UiAutomator2 an element
held from before reads and taps whatever the view shows now (androidx.test.uiautomator
UiObject2.getAccessibilityNodeInfo, as appium-uiautomator2-server model/UiObject2Element.java uses it). So a
row is found by what it shows each time, and the details' promotion ID proves which one opened.
"""

from __future__ import annotations

import pytest

from tiktok_promo.flows.cancel_flow import CancelFlow
from tiktok_promo.flows.inventory import monitor
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.promotions_list import PromotionsListPage
from tiktok_promo.simulator.recycler import ListRefresh


def listing_of(session) -> PromotionsListPage:
    return CancelFlow(TikTokApp.on(session), "mia.creates").open_promotions(check_account=False)


def _seed(first_return: str) -> int:
    """A session seed whose first return to the list reloads it as said: 'sorted in place' or 'to the top'."""
    for seed in range(1000):
        refresh = ListRefresh("many", seed).on_return(after_cancel=False)
        if refresh is None:
            continue
        if (first_return == "sorted in place" and refresh.sort_by_status and not refresh.to_top) or (
                first_return == "to the top" and refresh.to_top):
            return seed
    raise AssertionError(f"no seed below 1000 reloads {first_return}")


def test_a_row_held_from_before_a_return_opens_the_promotion_it_names_after_the_list_reloads(make_session) -> None:
    listing = listing_of(make_session("many", faults={"seed": _seed("sorted in place")}, transitions=False))
    # Screens at rest here (transitions=False). On a phone the list may still be sliding in (150-400 ms): a scroll
    # into view made then sees the eighth row off screen and scrolls it to the top, taking the first row away. So it
    # is read first, as a phone needs: the eighth row shows on the first screen, so the scroll below moves nothing.
    assert "Plant care part 1" in [row.title for row in listing.visible_rows()]
    [held] = listing.scroll_to("Plant care part 1")  # the eighth row, its element found now
    first = next(row for row in listing.visible_rows() if row.title == "Sourdough part 1")
    assert listing.details_of(first, None).promotion_id == "P-3000"  # the app is on its details now
    listing.come_back()
    assert "Plant care part 1" in [row.title for row in listing.visible_rows()]  # the reloaded list shows
    # It reloaded sorted by status: the two ended rows above sink, and the row view the held element points at
    # shows another promotion now (its element is still attached: no stale answer warns). The handle finds its
    # row by its title instead.
    details = held.open().read()
    assert (details.title, details.promotion_id) == ("Plant care part 1", "P-3007")


@pytest.mark.slow
@pytest.mark.parametrize("first_return", ["sorted in place", "to the top"])
def test_monitoring_a_long_list_that_reloads_reads_every_active_promotion_once(make_session,
                                                                                first_return: str) -> None:
    expected = [r.title for r in listing_of(make_session("many", faults={"list_refresh": False})).all_rows()
                if r.is_active]
    report = monitor(listing_of(make_session("many", faults={"seed": _seed(first_return)})))
    assert sorted(m.row.title for m in report) == sorted(expected) and len(expected) == 44
    assert len({m.details.promotion_id for m in report}) == 44  # 44 promotions, each read once
    assert all(m.details.title == m.row.title for m in report)

