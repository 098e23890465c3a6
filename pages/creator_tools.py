"""Creator tools (Business Suite, TikTok Studio): Analytics, Promotions and the other tools."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.promotions_list import EMPTY, LIST, PromotionsListPage

PROMOTIONS = wordings.target("Promotions", "promotions", ACCESSIBILITY_ID, TEXT)


class CreatorToolsPage(BasePage):
    """The creator tools screen."""

    def open_promotions(self, read_next: int | None = None) -> PromotionsListPage:
        """Tap "Promotions" ("Promote" on current releases); `read_next`: how the caller reads the list next (see
        Finder.tap: 0 whole, or PromotionsListPage.LOOK when a look by finds may do)."""
        # Confirmed by what only the list's screen shows, the list or its empty state (each release's ids and shapes,
        # the release files), not by the title: that screen is titled "Promotions" too. A slow list shows its title
        # and a spinner for a while: the confirmation waits for it (the finder's tap), it does not tap again.
        self._tap(PROMOTIONS, opens=(LIST, EMPTY), read_next=read_next)
        return PromotionsListPage(self.ui)
