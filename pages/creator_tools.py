"""Creator tools (Business Suite, TikTok Studio): Analytics, Promotions and the other tools."""

from __future__ import annotations

from harness.ui.locators import ACCESSIBILITY_ID, TEXT
from pages import wordings
from pages.base import BasePage
from pages.promotions_list import EMPTY, LIST, PromotionsListPage

PROMOTIONS = wordings.target("Promotions", "promotions", ACCESSIBILITY_ID, TEXT)


class CreatorToolsPage(BasePage):
    """The creator tools screen."""

    def open_promotions(self) -> PromotionsListPage:
        """Tap "Promotions" ("Promote" on current releases)."""
        # Found as the page slides in, it may be tapped where it passes: the list (or its empty state) showing says
        # the tap opened it.
        self._tap(PROMOTIONS, opens=(LIST, EMPTY))
        return PromotionsListPage(self.ui)
