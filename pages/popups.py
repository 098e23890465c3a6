"""The pop-ups that interrupt the flow, as the pop-up guard knows them: how to recognise, how to close.

Only harmless dismiss buttons are listed ("Not now", "Don't allow"); "Update" would leave the app.
"""

from __future__ import annotations

from harness.ui.locators import accessibility_id, resource_id, target, text, text_contains
from harness.ui.popup_guard import KnownPopup

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
