"""The home feed (For You), where the app opens; its bottom bar leads to the profile ("Me")."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.logged_out import LOGIN_SCREEN, LoggedOutPage
from tiktok_promo.pages.profile import ProfilePage

PROFILE_TAB = wordings.target("profile tab (Me)", "profile_tab", ACCESSIBILITY_ID, TEXT, ids="tab_profile")


class FeedPage(BasePage):
    """The For You feed with the bottom bar: Home, Friends, Create, Inbox, Me/Profile."""

    def open_profile(self) -> ProfilePage | LoggedOutPage:
        """Tap "Me" (bottom right); the log-in screen instead when nobody is logged in."""
        shown, found = self.ui.first_of(PROFILE_TAB, LOGIN_SCREEN)
        if shown is LOGIN_SCREEN:
            return LoggedOutPage(self.ui)
        self.ui.click(found[0], PROFILE_TAB)
        return ProfilePage(self.ui)
