"""The app as a whole: what the engine must know of it (its package, the pop-ups that interrupt a flow),
where a journey starts (the home feed), and how to start it again.

The pop-ups are listed as the pop-up guard knows them: how to recognise one, how to close it. Only
harmless dismiss buttons are listed ("Not now", "Don't allow"); "Update" would leave the app.
"""

from __future__ import annotations

from harness.run.session import AppiumSession, AppUnderTest
from harness.ui.finder import Finder
from harness.ui.locators import accessibility_id, resource_id, target, text, text_contains
from harness.ui.popup_guard import KnownPopup
from pages.base import PACKAGE
from pages.feed import FeedPage

_PERMISSION_DENY = "com.android.permissioncontroller:id/permission_deny_button"

UPDATE_PROMPT = KnownPopup(
    name="update prompt",
    identify=target("update prompt", text("Update available"), text_contains("new version of TikTok")),
    dismiss=target("update prompt: Not now", accessibility_id("Not now"), text("Not now"), text("Later")),
)
NOTIFICATION_PERMISSION = KnownPopup(
    name="notification permission",
    identify=target("notification permission", text_contains("send you notifications"),
                    resource_id(_PERMISSION_DENY)),
    dismiss=target("notification permission: Don't allow", text("Don't allow"), resource_id(_PERMISSION_DENY)),
)
SWIPE_UP_HINT = KnownPopup(
    name="swipe-up hint",
    identify=target("swipe-up hint", accessibility_id("Swipe up for more"), text("Swipe up for more")),
    dismiss=target("swipe-up hint", accessibility_id("Swipe up for more"), text("Swipe up for more")),
)
CONTACTS_SYNC = KnownPopup(
    name="contacts sync",
    identify=target("contacts sync", text("Find your contacts"), text_contains("Sync your contacts")),
    dismiss=target("contacts sync: Don't allow", accessibility_id("Don't allow"), text("Don't allow")),
)

KNOWN_POPUPS = (NOTIFICATION_PERMISSION, UPDATE_PROMPT, SWIPE_UP_HINT, CONTACTS_SYNC)

# Handed to every AppiumSession: the package to restart, the pop-ups its finder may close.
TIKTOK = AppUnderTest(package=PACKAGE, popups=KNOWN_POPUPS)


class TikTokApp:
    """The TikTok app on the device under test."""

    def __init__(self, ui: Finder, package: str = PACKAGE) -> None:
        self.ui = ui
        self.package = package

    @classmethod
    def on(cls, session: AppiumSession) -> TikTokApp:
        """The app in this session (starting the session, and so opening the app, if it is not yet)."""
        ui = session.finder
        return cls(ui, session.package or PACKAGE)

    def home(self) -> FeedPage:
        """The screen the app opened on when the session started (no command needed)."""
        return FeedPage(self.ui)

    def restart(self) -> FeedPage:
        """Close the app and open it again on its first screen."""
        self.ui.execute("mobile: terminateApp", {"appId": self.package})
        self.ui.execute("mobile: activateApp", {"appId": self.package})
        return FeedPage(self.ui)
