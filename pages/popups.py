"""The pop-ups that interrupt the flow, as the pop-up guard knows them: how to recognise, how to close.

Only harmless dismiss buttons are listed ("Not now", "Don't allow"); "Update" would leave the app.
"""

from __future__ import annotations

from harness.ui.locators import ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, Candidate, Target, resource_id
from harness.ui.popup_guard import KnownPopup
from pages import wordings

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
NOTIFICATION_PERMISSION = KnownPopup(
    name="notification permission",
    identify=_any_language("notification permission", "notification_body", TEXT_CONTAINS,
                           extra=(resource_id(_PERMISSION_DENY),)),
    dismiss=_any_language("notification permission: Don't allow", "notification_deny", TEXT,
                          extra=(resource_id(_PERMISSION_DENY),)),
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

KNOWN_POPUPS = (NOTIFICATION_PERMISSION, UPDATE_PROMPT, SWIPE_UP_HINT, CONTACTS_SYNC)
