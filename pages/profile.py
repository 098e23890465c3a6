"""The profile ("Me"): the logged-in account's @username and the three-line menu at the top right."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT, text_starts_with
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.creator_tools import CreatorToolsPage
from tiktok_promo.pages.menu_sheet import CREATOR_TOOLS, MenuSheet

USERNAME = wordings.target("profile @username", None, lead=(text_starts_with("@"),), ids="profile_username")
MENU_BUTTON = wordings.target("three-line menu", "profile_menu", ACCESSIBILITY_ID, ids="profile_menu")
STUDIO_ENTRY = wordings.target("TikTok Studio entry", "studio_entry", TEXT)  # under the bio, on current builds


class ProfilePage(BasePage):
    """The logged-in account's profile page."""

    def account(self) -> str | None:
        """The @username shown on the profile, without the '@'."""
        # Read only on the profile itself (the menu button says so): the feed shows other people's @names.
        # Three targets are asked of this screen: the menu, the @username and the TikTok Studio entry.
        screen = self.ui.view_until(lambda s: s.has(MENU_BUTTON) and s.has(USERNAME), what="the profile's @username",
                                    targets=3)
        shown = screen.text(USERNAME)
        return shown.strip().lstrip("@") if shown else None

    def open_creator_tools(self) -> CreatorToolsPage:
        """The creator tools: straight from the profile's "TikTok Studio" entry when it shows, else via the menu."""
        if self.ui.memory.may_show(STUDIO_ENTRY) and self.ui.screen(targets=1).has(STUDIO_ENTRY):
            self._tap(STUDIO_ENTRY)
            return CreatorToolsPage(self.ui)
        return self.open_menu().open_creator_tools()

    def open_menu(self) -> MenuSheet:
        """Tap the three horizontal lines at the top right."""
        # At the top right it is the last of the profile to slide in: a tap that met the screen passing by is
        # told by the sheet not rising, and made again where the button rests.
        self._tap(MENU_BUTTON, opens=(CREATOR_TOOLS,))
        return MenuSheet(self.ui)
