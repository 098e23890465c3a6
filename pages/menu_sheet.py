"""The sheet the profile's three-line menu opens: Creator tools, Settings and privacy, ..."""

from __future__ import annotations

from harness.ui.locators import BUSINESS, CURRENT, GUIDE, REAL, accessibility_id, target, text
from pages.base import BasePage
from pages.creator_tools import CreatorToolsPage

CREATOR_TOOLS = target(
    "Creator tools",
    text("Creator tools", GUIDE, CURRENT),
    text("Business Suite", BUSINESS),
    text("TikTok Studio", REAL),
    accessibility_id("Creator tools", REAL),
)


class MenuSheet(BasePage):
    """The settings menu sheet over the profile."""

    def open_creator_tools(self) -> CreatorToolsPage:
        """Select "Creator tools" (Business Suite on business accounts)."""
        self._tap(CREATOR_TOOLS)
        return CreatorToolsPage(self.ui)
