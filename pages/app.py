"""The app as a whole: where a journey starts (the home feed) and how to start it again."""

from __future__ import annotations

from harness.ui.finder import Finder
from pages.base import PACKAGE
from pages.feed import FeedPage


class TikTokApp:
    """The TikTok app on the device under test."""

    def __init__(self, ui: Finder, package: str = PACKAGE) -> None:
        self.ui = ui
        self.package = package

    def home(self) -> FeedPage:
        """The screen the app opened on when the session started (no command needed)."""
        return FeedPage(self.ui)

    def restart(self) -> FeedPage:
        """Close the app and open it again on its first screen."""
        self.ui.execute("mobile: terminateApp", {"appId": self.package})
        self.ui.execute("mobile: activateApp", {"appId": self.package})
        return FeedPage(self.ui)
