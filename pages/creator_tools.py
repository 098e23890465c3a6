"""Creator tools (Business Suite, TikTok Studio): Analytics, Promotions and the other tools."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.promotions_list import EMPTY, LIST, PromotionsListPage

PROMOTIONS = wordings.target("Promotions", "promotions", ACCESSIBILITY_ID, TEXT)


class CreatorToolsPage(BasePage):
    """The creator tools screen."""

    def open_promotions(self, title: str | None = None) -> PromotionsListPage:
        """Tap "Promotions" ("Promote" on current releases); with `title`, the list's row of that title is looked
        for once first, as the list's page then looks for it (one find for both, when the row shows at once)."""
        # Confirmed by what only the list's screen shows, the list or its empty state (each release's ids and shapes,
        # the release files), or a row of the title scrolled into view in a list, not by the title: that screen is
        # titled "Promotions" too. A slow list shows its title and a spinner for a while: the confirmation waits for
        # it (the finder's tap), it does not tap again.
        self._tap(PROMOTIONS, opens=(LIST, EMPTY), sought=None if title is None else PromotionsListPage.row(title))
        return PromotionsListPage(self.ui)
