"""The profile ("Me"): the logged-in account's @username and the three-line menu at the top right."""

from __future__ import annotations

from harness.ui.locators import (
    BUSINESS,
    CURRENT,
    GUIDE,
    REAL,
    accessibility_id,
    resource_id,
    target,
    text_starts_with,
)
from pages.base import BasePage, app_id
from pages.menu_sheet import MenuSheet

USERNAME = target(
    "profile @username",
    text_starts_with("@"),
    resource_id(app_id("a1mw"), GUIDE), resource_id(app_id("b6f5"), CURRENT), resource_id(app_id("cb9d"), BUSINESS),
)
MENU_BUTTON = target(
    "three-line menu",
    accessibility_id("Menu", GUIDE),
    accessibility_id("Profile menu", CURRENT, BUSINESS, REAL),
    resource_id(app_id("azu8"), GUIDE), resource_id(app_id("b4nh"), CURRENT), resource_id(app_id("c9gq"), BUSINESS),
)


class ProfilePage(BasePage):
    """The logged-in account's profile page."""

    def account(self) -> str | None:
        """The @username shown on the profile, without the '@'."""
        # Read only on the profile itself (the menu button says so): the feed shows other people's @names.
        snap = self.ui.read_until(lambda s: s.has(MENU_BUTTON) and s.has(USERNAME), what="the profile's @username")
        shown = snap.text(USERNAME)
        return shown.strip().lstrip("@") if shown else None

    def open_menu(self) -> MenuSheet:
        """Tap the three horizontal lines at the top right."""
        self._tap(MENU_BUTTON)
        return MenuSheet(self.ui)
