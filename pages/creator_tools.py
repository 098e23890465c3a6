"""Creator tools (Business Suite, TikTok Studio): Analytics, Promotions and the other tools."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.promotions_list import PromotionsListPage

PROMOTIONS = wordings.target("Promotions", "promotions", ACCESSIBILITY_ID, TEXT)


class CreatorToolsPage(BasePage):
    """The creator tools screen."""

    def open_promotions(self) -> PromotionsListPage:
        """Tap "Promotions" ("Promote" on current releases)."""
        # Not confirmed by the list showing: the list's own screen is titled "Promotions" too, and a slow list shows
        # only its title and a spinner for a while, which would read as the tap not taken.
        self._tap(PROMOTIONS)
        return PromotionsListPage(self.ui)
