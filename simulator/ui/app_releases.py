"""The releases of the app the virtual device can be: each one's version, words and resource-ids, as its release
file (the tiktok_promo.releases package, which the pages read too) says.

Resource-ids are short and opaque, like the real app's obfuscated ids, and differ per release; texts and
content-descs carry the words a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiktok_promo import releases


@dataclass(frozen=True)
class Release:
    """One release of the app as the virtual device shows it: its name, version and resource-ids (its words are
    read in the phone's language by simulator.ui.localise)."""

    name: str
    app_version: str
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
# The release file's words the screens of every release show, in English at least.
DEVICE_WORDS = ("profile_tab", "profile_menu", "creator_tools", "promotions", "stop_button", "confirm_title",
                "confirm_button", "keep_button", "create_new", "back")


def _from_file(found: releases.Release) -> Release:
    shared = releases.shared()
    missing = [key for key in DEVICE_WORDS if found.word(key, "en", shared) is None]
    if missing:
        raise releases.ReleaseFileError(f"{found.name}.yaml: the virtual device needs its English words for "
                                               f"{missing}")
    ids = {**found.ids, **(found.device_ids or {})}
    if set(ids) != set(VIEW_NAMES):
        raise releases.ReleaseFileError(
            f"{found.name}.yaml: ids and device: ids together name every view once; missing "
            f"{sorted(set(VIEW_NAMES) - set(ids))}, unknown {sorted(set(ids) - set(VIEW_NAMES))}")
    return Release(name=found.name, app_version=found.app_versions.split(",")[0].strip(),
                   ids={name: ids[name] for name in VIEW_NAMES})


def release_names() -> tuple[str, ...]:
    """The releases the virtual device can be: those whose file has a `device:` block, in their order."""
    return tuple(r.name for r in releases.releases() if r.on_device)


def device_release(name: str) -> Release:
    """The release `name` as the virtual device shows it, from its release file (KeyError when unknown)."""
    found = releases.release(name)
    if not found.on_device:
        raise KeyError(name)
    return _from_file(found)
