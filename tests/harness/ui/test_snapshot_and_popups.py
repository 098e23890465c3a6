"""Snapshots (one page source, many reads) and the pop-up guard that recognises what covers the screen."""

from __future__ import annotations

from tiktok_promo.harness.ui.drift import DriftRecord
from tiktok_promo.harness.ui.locators import LocatorMemory, accessibility_id, target
from tiktok_promo.harness.ui.popup_guard import PopupGuard
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.pages.app import KNOWN_POPUPS

# App releases are free tags to the engine (the releases are data of the pages).
GUIDE, CURRENT, BUSINESS = "guide", "current", "business"

PKG = "com.zhiliaoapp.musically"
DETAILS = f"""<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<hierarchy rotation="0">
  <android.widget.FrameLayout package="{PKG}" class="android.widget.FrameLayout" text="" content-desc="">
    <android.widget.TextView package="{PKG}" text="Active" content-desc="Status" bounds="[340,390][620,460]"/>
    <android.widget.TextView package="{PKG}" text="ID P-1001" content-desc="Promotion ID" bounds="[340,490][1040,550]"/>
    <android.widget.Button package="{PKG}" text="Stop promotion" content-desc="Stop promotion" clickable="true"
        bounds="[60,2140][1020,2280]"/>
  </android.widget.FrameLayout>
</hierarchy>"""


def popup_source(*nodes: str, package: str = PKG) -> str:
    inner = "".join(nodes)
    frame = f'<android.widget.FrameLayout package="{package}">{inner}</android.widget.FrameLayout>'
    return f"<hierarchy>{frame}</hierarchy>"


def tv(label: str, desc: str = "", rid: str = "") -> str:
    return f'<android.widget.TextView text="{label}" content-desc="{desc}" resource-id="{rid}"/>'


def test_one_snapshot_answers_many_reads() -> None:
    snap = Snapshot(DETAILS)
    assert snap.text(target("status", accessibility_id("Status"))) == "Active"
    assert snap.text(target("id", accessibility_id("Promotion ID"))) == "ID P-1001"
    assert snap.text(target("nothing", accessibility_id("Budget"))) is None
    node = snap.node(target("cancel", accessibility_id("Stop promotion")))
    assert node is not None and node.clickable and node.bounds == (60, 2140, 1020, 2280)
    assert snap.package == PKG
    assert snap.describe(2) == '"Active", "ID P-1001" and 1 more'


def test_snapshot_reads_record_memory_and_drift() -> None:
    memory, drift = LocatorMemory(), DriftRecord()
    cancel = target("Cancel button", accessibility_id("Cancel", GUIDE), accessibility_id("Stop promotion", CURRENT))
    assert Snapshot(DETAILS, memory, drift).has(cancel)
    assert memory.matched_releases == {CURRENT}
    assert [e.target for e in drift.events] == ["Cancel button"]


def test_a_half_written_source_reads_as_an_empty_screen() -> None:
    snap = Snapshot("<hierarchy><broken")
    assert snap.texts() == [] and snap.describe() == "nothing readable"


def test_every_known_popup_is_recognised() -> None:
    guard = PopupGuard(KNOWN_POPUPS)
    deny = "com.android.permissioncontroller:id/permission_deny_button"
    screens = {
        "update prompt": popup_source(tv("Update available"), tv("Update", "Update"), tv("Not now", "Not now")),
        "notification permission": popup_source(tv("Allow TikTok to send you notifications?"),
                                                tv("Don't allow", rid=deny),
                                                package="com.android.permissioncontroller"),
        "swipe-up hint": popup_source(tv("Swipe up for more")),
        "contacts sync": popup_source(tv("Find your contacts"), tv("Don't allow", "Don't allow")),
    }
    for name, source in screens.items():
        popup = guard.recognise(Snapshot(source))
        assert popup is not None and popup.name == name


def test_an_ordinary_screen_is_no_popup() -> None:
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(DETAILS)) is None
    # The confirmation's "Not now" (current release) is not the update prompt's.
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(popup_source(tv("Stop promotion?"), tv("Not now")))) is None


def test_an_update_prompt_with_nothing_readable_is_known_by_its_shape() -> None:
    # As a real dump shows it (seen): ViewGroups only, no text, no content-desc, no id.
    group = '<android.view.ViewGroup text="" clickable="{}" bounds="[152,562][928,1658]"/>'
    prompt = popup_source(group.format("false"), group.format("true"), group.format("true"))
    popup = PopupGuard(KNOWN_POPUPS).recognise(Snapshot(prompt))
    assert popup is not None and popup.name == "update prompt" and popup.dismiss is None  # BACK, never a tap
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(popup_source(group.format("true"), tv("Home")))) is None


def test_the_guard_never_taps_update() -> None:
    for popup in (p for p in KNOWN_POPUPS if p.dismiss is not None):
        values = {c.value for c in popup.dismiss.candidates}
        assert "Update" not in values and "Allow" not in values and "Sync contacts" not in values


def test_the_guard_remembers_what_it_dismissed() -> None:
    guard = PopupGuard(KNOWN_POPUPS)
    guard.record(KNOWN_POPUPS[0])
    assert guard.dismissed == [KNOWN_POPUPS[0].name]
