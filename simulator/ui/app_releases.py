"""The releases of the app the virtual device can be: each one's version, words and resource-ids.

Resource-ids are short and opaque, like the real app's obfuscated ids, and differ per release; texts and
content-descs carry the words a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Release:
    """One release of the app's user interface: labels, status words and resource-id names."""

    name: str
    app_version: str
    profile_tab: str
    menu_desc: str
    creator_tools: str
    promotions_entry: str
    promotions_title: str
    cancel_button: str
    confirm_title: str
    confirm_button: str
    keep_button: str
    status_canceled: str
    create_new: str
    back_desc: str
    ids: dict[str, str]

    def rid(self, package: str, name: str) -> str:
        """The full resource-id of a named view in this release, e.g. 'com.zhiliaoapp.musically:id/x3k'."""
        return f"{package}:id/{self.ids[name]}"


# Names of the views that carry resource-ids; every release maps each of them.
VIEW_NAMES = (
    "tab_home", "tab_friends", "tab_create", "tab_inbox", "tab_profile", "feed_video", "feed_caption",
    "profile_username", "profile_name", "profile_menu", "sheet", "sheet_item", "page_title", "back",
    "tool_item", "promo_list", "promo_row", "promo_title", "promo_status", "promo_budget", "promo_spend",
    "detail_title", "detail_status", "detail_budget", "detail_duration", "detail_spend", "metric_value",
    "metric_label", "cancel_button", "create_new", "dialog_title", "dialog_message", "dialog_confirm",
    "dialog_keep", "toast", "spinner", "login_title", "login_button", "popup_title", "popup_message",
    "popup_primary", "popup_dismiss",
)


def _ids(prefix: str, salt: int) -> dict[str, str]:
    # Opaque, stable per release: like R8-shortened ids, they mean nothing to a person.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    out = {}
    for i, name in enumerate(VIEW_NAMES):
        n = (i + 7) * 7919 + salt * 104729
        code = ""
        for _ in range(3):
            code += alphabet[n % len(alphabet)]
            n //= len(alphabet)
        out[name] = f"{prefix}{code}"
    return out


RELEASES: dict[str, Release] = {
    "guide": Release(
        name="guide",
        app_version="32.5.3",
        profile_tab="Me",
        menu_desc="Profile menu",  # seen on every real build; the guide's "Menu" was never seen
        creator_tools="Creator tools",
        promotions_entry="Promotions",
        promotions_title="Promotions",
        cancel_button="Cancel",
        confirm_title="Cancel this promotion?",
        confirm_button="Confirm",
        keep_button="Keep promotion",
        status_canceled="Canceled",
        create_new="Create new promotion",
        back_desc="Back",
        ids=_ids("a", 1),
    ),
    "current": Release(
        name="current",
        app_version="37.8.4",
        profile_tab="Profile",
        menu_desc="Profile menu",
        creator_tools="Creator tools",
        promotions_entry="Promote",
        promotions_title="Promote",
        cancel_button="Stop promotion",
        confirm_title="Stop promotion?",
        confirm_button="Stop",
        keep_button="Not now",
        status_canceled="Stopped",
        create_new="Create new promotion",
        back_desc="Navigate up",
        ids=_ids("b", 2),
    ),
    "business": Release(
        name="business",
        app_version="37.9.1",
        profile_tab="Profile",
        menu_desc="Profile menu",
        creator_tools="Business Suite",
        promotions_entry="Promotions",
        promotions_title="Promotions",
        cancel_button="Stop",
        confirm_title="Stop this promotion?",
        confirm_button="Stop",
        keep_button="Keep running",
        status_canceled="Stopped",
        create_new="Create new promotion",
        back_desc="Back",
        ids=_ids("c", 3),
    ),
}
# The studio release (TikTok 46-47): "TikTok Studio" on the profile, Promote as a web page. Its
# words come from its wording files per language (simulator/ui/lang/studio-*.yaml); these fields
# are the English ones, for what reads a release directly (capabilities, the ids).
RELEASES["studio"] = Release(
    name="studio",
    app_version="47.0.3",
    profile_tab="Profile",
    menu_desc="Profile menu",
    creator_tools="TikTok Studio",
    promotions_entry="Promote",
    promotions_title="Promote",
    cancel_button="Stop promotion",
    confirm_title="Stop this promotion?",
    confirm_button="Stop",
    keep_button="Cancel",
    status_canceled="Stopped",
    create_new="Create new promotion",
    back_desc="Back",
    ids=_ids("d", 4),
)
