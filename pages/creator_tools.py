"""Creator tools (Business Suite, TikTok Studio): Analytics, Promotions and the other tools."""

from __future__ import annotations

from harness.ui.locators import BUSINESS, CURRENT, GUIDE, REAL, accessibility_id, target, text
from pages.base import BasePage
from pages.promotions_list import PromotionsListPage

PROMOTIONS = target(
    "Promotions",
    accessibility_id("Promotions", GUIDE, BUSINESS),
    accessibility_id("Promote", CURRENT, REAL),
    text("Promotions", GUIDE, BUSINESS),
    text("Promote", CURRENT, REAL),
)


class CreatorToolsPage(BasePage):
    """The creator tools screen."""

    def open_promotions(self) -> PromotionsListPage:
        """Tap "Promotions" ("Promote" on current releases)."""
        self._tap(PROMOTIONS)
        return PromotionsListPage(self.ui)
