"""The app as a whole: what the engine must know of it (its package, the pop-ups that interrupt a flow),
where a journey starts (the home feed), and how to start it again.

The pop-ups are listed as the pop-up guard knows them: how to recognise one, how to close it (on either
platform: iOS's system alerts are known by their own words). Only
harmless dismiss buttons are listed ("Not now", "Don't allow"); "Update" would leave the app. An update
prompt with nothing readable on it is known by its shape and closed with BACK, never by a tap.
"""

from __future__ import annotations

from tiktok_promo.harness.run.session import AppiumSession, AppUnderTest
from tiktok_promo.harness.ui.finder import Finder
from tiktok_promo.harness.ui.locators import (
    ACCESSIBILITY_ID,
    TEXT,
    TEXT_CONTAINS,
    Candidate,
    Target,
    android_xpath,
    ios_xpath,
    resource_id,
    target,
)
from tiktok_promo.harness.ui.popup_guard import KnownPopup
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import PACKAGE
from tiktok_promo.pages.feed import FeedPage

_PERMISSION_DENY = "com.android.permissioncontroller:id/permission_deny_button"


def _any_language(name: str, key: str, *kinds: str, extra: tuple[Candidate, ...] = ()) -> Target:
    # A pop-up may come from Android (in the system's language) or from an untranslated part of the app.
    return wordings.target(name, key, *kinds, extra=extra, any_language=True)


UPDATE_PROMPT = KnownPopup(
    name="update prompt",
    identify=_any_language("update prompt", "update_title", TEXT,
                           extra=wordings.candidates("update_body", TEXT_CONTAINS, any_language=True)),
    dismiss=_any_language("update prompt: Not now", "update_dismiss", ACCESSIBILITY_ID, TEXT),
)
# The prompt as real builds show it: no text, no content-desc, no id, only ViewGroups (seen). Known by that
# shape: a top window of the app where nothing can be read and a ViewGroup can be tapped. Nothing on it is
# tapped (one of its buttons is "Update"); BACK closes it, or the run stops with a screenshot.
_NOTHING_READABLE = ("/hierarchy[not(.//*[string-length(@text) > 0 or string-length(@content-desc) > 0])]"
                     "/*[1][.//android.view.ViewGroup[@clickable='true']]")
# On iOS (a guess): a layer over the app's screen, in the app's window, where nothing has a label and something
# is a button. Nothing on it is tapped either: iOS has no BACK key, so the finder pulls it down as a sheet.
_NOTHING_READABLE_IOS = ("/XCUIElementTypeApplication/XCUIElementTypeWindow/*[position() > 1]"
                         "[not(.//*[string-length(@label) > 0])][.//XCUIElementTypeButton]")
TEXTLESS_UPDATE_PROMPT = KnownPopup(
    name="update prompt",
    identify=target("update prompt without readable buttons", android_xpath(_NOTHING_READABLE),
                    ios_xpath(_NOTHING_READABLE_IOS)),
    dismiss=None,
)
NOTIFICATION_PERMISSION = KnownPopup(
    name="notification permission",
    identify=_any_language("notification permission", "notification_body", TEXT_CONTAINS,
                           extra=(resource_id(_PERMISSION_DENY),)),
    dismiss=_any_language("notification permission: Don't allow", "notification_deny", TEXT,
                          extra=(resource_id(_PERMISSION_DENY),)),
)
# iOS's App Tracking Transparency alert (its words are iOS's, in the wording files' `ios:` blocks; Android
# has none, so on Android this is never looked for). "Ask App Not to Track" is the harmless answer.
TRACKING_PERMISSION = KnownPopup(
    name="tracking permission",
    identify=_any_language("tracking permission", "tracking_body", TEXT_CONTAINS),
    dismiss=_any_language("tracking permission: Ask App Not to Track", "tracking_deny", ACCESSIBILITY_ID, TEXT),
)
SWIPE_UP_HINT = KnownPopup(
    name="swipe-up hint",
    identify=_any_language("swipe-up hint", "swipe_up", ACCESSIBILITY_ID, TEXT),
    dismiss=_any_language("swipe-up hint", "swipe_up", ACCESSIBILITY_ID, TEXT),
)
CONTACTS_SYNC = KnownPopup(
    name="contacts sync",
    identify=_any_language("contacts sync", "contacts_title", TEXT,
                           extra=wordings.candidates("contacts_body", TEXT_CONTAINS, any_language=True)),
    dismiss=_any_language("contacts sync: Don't allow", "contacts_deny", ACCESSIBILITY_ID, TEXT),
)

KNOWN_POPUPS = (NOTIFICATION_PERMISSION, TRACKING_PERMISSION, UPDATE_PROMPT, SWIPE_UP_HINT, CONTACTS_SYNC,
                TEXTLESS_UPDATE_PROMPT)

# Handed to every AppiumSession: the package to restart, the pop-ups its finder may close.
TIKTOK = AppUnderTest(package=PACKAGE, popups=KNOWN_POPUPS, release_of=wordings.release_of_version)


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
