"""The app as a whole: what the engine must know of it, where a journey starts (the home feed), and how to
start it again."""

from __future__ import annotations

from harness.run.session import AppiumSession, AppUnderTest
from harness.ui.finder import Finder
from pages.base import PACKAGE
from pages.feed import FeedPage
from pages.popups import KNOWN_POPUPS

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
