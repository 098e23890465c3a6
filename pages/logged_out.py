"""The log-in screen the app shows when nobody is logged in."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage

LOGIN_SCREEN = wordings.target("log-in screen", "login_screen", TEXT, ids="login_title")


class LoggedOutPage(BasePage):
    """The app's log-in screen: no account is logged in, so nothing can be cancelled."""

    def shown(self) -> bool:
        return self._shows(LOGIN_SCREEN)
