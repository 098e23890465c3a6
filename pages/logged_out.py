"""The log-in screen the app shows when nobody is logged in."""

from __future__ import annotations

from harness.ui.locators import BUSINESS, CURRENT, GUIDE, REAL, resource_id, target, text
from pages.base import BasePage, app_id

LOGIN_SCREEN = target(
    "log-in screen",
    text("Log in to TikTok", GUIDE, CURRENT, BUSINESS, REAL),
    text("Log in or sign up", REAL),
    resource_id(app_id("a8tt"), GUIDE), resource_id(app_id("bdn2"), CURRENT), resource_id(app_id("cigb"), BUSINESS),
)


class LoggedOutPage(BasePage):
    """The app's log-in screen: no account is logged in, so nothing can be cancelled."""

    def shown(self) -> bool:
        return self._shows(LOGIN_SCREEN)
