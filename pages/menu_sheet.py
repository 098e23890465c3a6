"""The sheet the profile's three-line menu opens: Creator tools, Settings and privacy, ..."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.creator_tools import PROMOTIONS, CreatorToolsPage

# A row's content-desc is its label (docs/app-facts.md, seen): found by accessibility id, the row is
# a UiObject2 (one walk, a tap with no search again); its text, a UiSelector's, is the fallback.
CREATOR_TOOLS = wordings.target("Creator tools", "creator_tools", ACCESSIBILITY_ID, TEXT)


class MenuSheet(BasePage):
    """The settings menu sheet over the profile."""

    def open_creator_tools(self) -> CreatorToolsPage:
        """Select "Creator tools" (Business Suite on business accounts)."""
        # The row rises with the sheet: a tap that met the screen below as it passed is told by Promotions not
        # showing, and made again where the row rests.
        self._tap(CREATOR_TOOLS, opens=(PROMOTIONS,))
        return CreatorToolsPage(self.ui)
