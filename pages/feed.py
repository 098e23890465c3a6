"""The home feed (For You), where the app opens; its bottom bar leads to the profile ("Me")."""

from __future__ import annotations

from harness.ui.locators import BUSINESS, CURRENT, GUIDE, REAL, accessibility_id, resource_id, target, text
from pages.base import BasePage, app_id
from pages.logged_out import LOGIN_SCREEN, LoggedOutPage
from pages.profile import ProfilePage

PROFILE_TAB = target(
    "profile tab (Me)",
    accessibility_id("Me", GUIDE),
    accessibility_id("Profile", CURRENT, BUSINESS, REAL),
    text("Me", GUIDE),
    text("Profile", CURRENT, BUSINESS, REAL),
    resource_id(app_id("a4ae"), GUIDE), resource_id(app_id("b93m"), CURRENT), resource_id(app_id("cexv"), BUSINESS),
)


class FeedPage(BasePage):
    """The For You feed with the bottom bar: Home, Friends, Create, Inbox, Me/Profile."""

    def open_profile(self) -> ProfilePage | LoggedOutPage:
        """Tap "Me" (bottom right); the log-in screen instead when nobody is logged in."""
        shown, found = self.ui.first_of(PROFILE_TAB, LOGIN_SCREEN)
        if shown is LOGIN_SCREEN:
            return LoggedOutPage(self.ui)
        self.ui.click(found[0], PROFILE_TAB)
        return ProfilePage(self.ui)
