"""The shared base of every page: find, tap, read, scroll into view and wait, through the Finder."""

from __future__ import annotations

from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.ui.finder import Finder
from tiktok_promo.harness.ui.locators import Target
from tiktok_promo.harness.ui.snapshot import Snapshot

# The app under test, as installed from the store (global build).
PACKAGE = "com.zhiliaoapp.musically"


def app_id(name: str) -> str:
    """A full resource-id of the app: app_id('a4ae') -> 'com.zhiliaoapp.musically:id/a4ae'."""
    return f"{PACKAGE}:id/{name}"


class BasePage:
    """A screen of the app. Subclasses name their targets and offer the actions a person has there."""

    def __init__(self, ui: Finder) -> None:
        self.ui = ui

    def _tap(self, target: Target, retry_if_unsure: bool = True, opens: tuple[Target, ...] = (),
             sought: Target | None = None) -> None:
        """Tap the target; with `opens`, once what it opens shows (a tap is confirmed by the next screen), or once
        `sought`, what the next step looks for there, shows at the first look."""
        self.ui.tap(target, retry_if_unsure=retry_if_unsure, opens=opens, sought=sought)

    def _read(self, *anchors: Target, reuse: bool = True) -> Snapshot:
        """The screen as a snapshot, once one of the anchors shows."""
        return self.ui.read(*anchors, reuse=reuse)

    def _shows(self, target: Target) -> bool:
        """Whether the target is on screen now (one look, no waiting)."""
        return self.ui.present(target)

    def _scroll_into_view(self, target: Target, *otherwise: Target) -> tuple[Target, list[WebElement]]:
        """Wait for a target whose candidates scroll it into view, or for one of `otherwise`."""
        return self.ui.first_of(target, *otherwise)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}>"
