"""Every screen a person meets on the way to cancelling a promotion, in each release of the app."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from simkit import (
    PACKAGE,
    PROTOCOL_AT_REST,
    READS_AT_REST,
    back_to_list,
    by_desc,
    by_text,
    mobile,
    open_details,
    open_promotions,
    texts,
)

from tiktok_promo.simulator.device import Device
from tiktok_promo.simulator.model import CANCELED
from tiktok_promo.simulator.ui import screens
from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.ui.screens import POPUP_KINDS
from tiktok_promo.simulator.world import resolve_world

PERMISSION_PACKAGE = "com.android.permissioncontroller"


@dataclass(frozen=True)
class Words:
    """What a person reads in one release of the app (written out by hand here, not read from the code)."""

    world: str
    release: str
    profile: str
    menu: str
    tools: str
    entry: str
    cancel: str
    confirm: str
    keep: str
    stopped: str

    @property
    def path(self) -> dict[str, str]:
        return {"profile": self.profile, "menu": self.menu, "tools": self.tools, "entry": self.entry}


GUIDE = Words("default", "guide", "Me", "Profile menu", "Creator tools", "Promotions", "Cancel", "Confirm",
              "Keep promotion", "Canceled")
CURRENT = Words("current", "current", "Profile", "Profile menu", "Creator tools", "Promote", "Stop promotion", "Stop",
                "Not now", "Stopped")
BUSINESS = Words("business", "business", "Profile", "Profile menu", "Business Suite", "Promotions", "Stop", "Stop",
                 "Keep running", "Stopped")
ALL_WORDS = [GUIDE, CURRENT, BUSINESS]


# --- the guide's screens --------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_feed_has_a_video_and_the_bottom_bar(driver) -> None:
    assert by_desc(driver, "Video").is_displayed()
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    tabs = bar.find_elements(AppiumBy.XPATH, "/*/*")  # the element is the document root (limitXPathContextScope)
    assert [t.get_attribute("content-desc") for t in tabs] == ["Home", "Friends", "Create", "Inbox", "Me"]
    assert tabs[0].is_selected()
    assert "For You" in texts(driver)


@PROTOCOL_AT_REST
def test_feed_swipes_to_the_next_video(driver) -> None:
    caption = driver.find_elements(AppiumBy.XPATH, "//*[@content-desc='Video']//android.widget.TextView")
    first = [c.text for c in caption]
    driver.swipe(540, 1800, 540, 600, 200)
    second = [c.text for c in driver.find_elements(AppiumBy.XPATH,
                                                   "//*[@content-desc='Video']//android.widget.TextView")]
    assert second != first


@PROTOCOL_AT_REST
def test_profile_shows_the_account_and_a_menu_named_as_such(driver) -> None:
    by_desc(driver, "Me").click()
    words = texts(driver)
    assert "@mia.creates" in words and "Mia Creates" in words
    menu = by_desc(driver, "Profile menu")
    assert menu.rect["x"] > 800 and menu.rect["y"] < 300  # top right
    assert "menu" in menu.get_attribute("content-desc").lower()


@PROTOCOL_AT_REST
def test_menu_sheet_lists_creator_tools_and_more(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    assert {"Creator tools", "Settings and privacy", "Your QR code"} <= set(texts(driver))


@PROTOCOL_AT_REST
def test_creator_tools_has_analytics_and_the_promotions_entry(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    by_text(driver, "Creator tools").click()
    words = texts(driver)
    assert words[0] == "Creator tools"  # the page title
    assert {"Analytics", "Promotions"} <= set(words)
    assert driver.current_activity == "com.ss.android.ugc.aweme.creatortools.CreatorToolsActivity"


@PROTOCOL_AT_REST
def test_promotions_list_rows_show_title_status_budget_spend(driver) -> None:
    open_promotions(driver)
    rows = driver.find_elements(AppiumBy.XPATH, "//androidx.recyclerview.widget.RecyclerView/*")
    assert [[t.text for t in r.find_elements(AppiumBy.CLASS_NAME, "android.widget.TextView")] for r in rows] == [
        ["Summer haul try-on", "Active", "Budget $50.00 total", "Spent $21.40"],
        ["Latte art in 30 seconds", "Active", "Budget $10.00/day", "Spent $10.00"],
        ["Studio tour", "In review", "Budget $30.00 total", "Spent $0.00"],
        ["Spring recipes", "Completed", "Budget $20.00 total", "Spent $20.00"],
    ]


@PROTOCOL_AT_REST
def test_details_of_an_active_promotion(driver) -> None:
    open_details(driver, "Summer haul try-on")
    assert by_desc(driver, "Status").text == "Active"
    assert by_desc(driver, "Budget").text == "$50.00 total"
    assert by_desc(driver, "Duration").text == "7 days · Nov 17 - Nov 24, 2026"
    assert by_desc(driver, "Spent").text == "$21.40"
    metrics = {name: by_desc(driver, name).text for name in
               ("Views", "Likes", "Comments", "Shares", "Followers gained")}
    assert metrics == {"Views": "5,350", "Likes": "428", "Comments": "21", "Shares": "32", "Followers gained": "11"}
    assert by_desc(driver, "Cancel").is_enabled()
    assert "Create new promotion" not in texts(driver)


@PROTOCOL_AT_REST
def test_details_of_an_in_review_promotion_can_be_cancelled(driver) -> None:
    open_details(driver, "Studio tour")
    assert by_desc(driver, "Status").text == "In review"
    assert by_desc(driver, "Cancel").is_displayed()


@PROTOCOL_AT_REST
def test_details_of_a_completed_promotion_offer_only_a_new_one(driver) -> None:
    open_details(driver, "Spring recipes")
    assert by_desc(driver, "Status").text == "Completed"
    buttons = driver.find_elements(AppiumBy.CLASS_NAME, "android.widget.Button")
    assert [b.text for b in buttons] == ["Create new promotion"]
    buttons[0].click()
    assert driver.current_activity == "com.ss.android.ugc.aweme.promote.PromoteCreateActivity"
    assert "Spring recipes" in texts(driver)


@PROTOCOL_AT_REST
def test_confirm_dialog_says_no_refund_and_offers_confirm_and_keep(driver) -> None:
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    words = texts(driver)
    assert "Cancel this promotion?" in words
    assert any("not refunded" in w for w in words)
    assert by_desc(driver, "Confirm").is_displayed() and by_desc(driver, "Keep promotion").is_displayed()
    assert "Performance" not in words  # the dialog is the active window; details are below it


@PROTOCOL_AT_REST
def test_logged_out_app_shows_the_login_screen(make_driver) -> None:
    driver = make_driver(world="logged-out")
    assert driver.current_activity == "com.ss.android.ugc.aweme.account.login.LoginActivity"
    assert "Log in to TikTok" in texts(driver)
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Me") == []


# --- pop-ups --------------------------------------------------------------------------------------
def _walk_through_every_pop_up(make_driver) -> None:
    driver = make_driver(world="interruptions")
    swipe_up = by_desc(driver, "Swipe up for more")
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Me") == []  # the overlay covers the feed
    swipe_up.click()

    by_desc(driver, "Me").click()
    allow = driver.find_element(AppiumBy.ID, f"{PERMISSION_PACKAGE}:id/permission_allow_button")
    assert allow.get_attribute("package") == PERMISSION_PACKAGE
    assert "Allow TikTok to send you notifications?" in texts(driver)
    driver.find_element(AppiumBy.ID, f"{PERMISSION_PACKAGE}:id/permission_deny_button").click()

    by_desc(driver, "Profile menu").click()
    by_text(driver, "Creator tools").click()
    # The update prompt has nothing to read (seen): text-less ViewGroups only; BACK closes it.
    source = etree.fromstring(driver.page_source.encode())
    assert [n.get("text") for n in source.iter() if n.get("text")] == []
    assert [n.get("content-desc") for n in source.iter() if n.get("content-desc")] == []
    assert {n.get("class") for n in source.iter()} - {"hierarchy"} <= {"android.widget.FrameLayout",
                                                                      "android.view.ViewGroup"}
    driver.back()

    by_desc(driver, "Promotions").click()
    assert "Find your contacts" in texts(driver)
    by_desc(driver, "Don't allow").click()
    assert "Summer haul try-on" in texts(driver)


@PROTOCOL_AT_REST
def test_every_pop_up_appears_where_the_world_says_and_can_be_dismissed(make_driver) -> None:
    _walk_through_every_pop_up(make_driver)


@pytest.mark.slow  # seconds of screens sliding in, and the device waiting for each to rest before a read
@READS_AT_REST
def test_every_pop_up_appears_and_is_dismissed_with_screens_sliding_in_as_on_a_phone(make_driver) -> None:
    _walk_through_every_pop_up(make_driver)


@PROTOCOL_AT_REST
def test_update_button_leaves_for_the_store(make_driver) -> None:
    driver = make_driver(world="interruptions")
    by_desc(driver, "Swipe up for more").click()
    by_desc(driver, "Me").click()
    driver.back()  # BACK dismisses a dialog too
    by_desc(driver, "Profile menu").click()
    by_text(driver, "Creator tools").click()
    buttons = driver.find_elements(AppiumBy.XPATH, "//android.view.ViewGroup[@clickable='true']")
    buttons[0].click()  # the upper of the prompt's two text-less buttons
    assert driver.current_package == "com.android.vending"
    assert driver.query_app_state(PACKAGE) == 3


# --- the three releases ------------------------------------------------------------------------------
@pytest.mark.parametrize("words", ALL_WORDS, ids=lambda w: w.world)
@PROTOCOL_AT_REST
def test_release_labels_along_the_whole_cancel_flow(make_driver, words: Words) -> None:
    driver = make_driver(world=words.world)
    assert mobile(driver, "deviceInfo")["release"] == words.release
    by_desc(driver, words.profile).click()
    by_desc(driver, words.menu).click()
    assert words.tools in texts(driver)
    by_text(driver, words.tools).click()
    by_desc(driver, words.entry).click()
    assert texts(driver)[0] == words.entry  # the list's title
    by_text(driver, "Summer haul try-on").click()
    by_desc(driver, words.cancel).click()
    assert by_desc(driver, words.keep).is_displayed()
    by_desc(driver, words.confirm).click()
    assert by_desc(driver, "Status").text == words.stopped
    back_to_list(driver)
    assert words.stopped in texts(driver)


@PROTOCOL_AT_REST
def test_releases_use_different_opaque_resource_ids(make_driver) -> None:
    ids = set()
    for words in ALL_WORDS:
        driver = make_driver(world=words.world)
        by_desc(driver, words.profile).click()
        rid = by_text(driver, "@mia.creates").get_attribute("resource-id")
        assert rid.startswith(f"{PACKAGE}:id/")
        assert "user" not in rid and "name" not in rid  # opaque, like the real app's
        ids.add(rid)
    assert len(ids) == 3


# --- element ids: one per view --------------------------------------------------------------------
def _assert_one_id_per_view(driver, where: str) -> None:
    elements = driver.find_elements(AppiumBy.XPATH, "//*")
    ids = [e.id for e in elements]
    assert len(ids) == len(set(ids)), f"two views share an element id on {where}"


@pytest.mark.parametrize("words", ALL_WORDS, ids=lambda w: w.world)
@PROTOCOL_AT_REST
def test_every_view_gets_its_own_element_id_on_every_screen(make_driver, words: Words) -> None:
    driver = make_driver(world=words.world)
    driver.update_settings({"enableMultiWindows": True})
    _assert_one_id_per_view(driver, "feed")
    open_promotions(driver, **words.path)
    _assert_one_id_per_view(driver, "promotions")
    for title in ("Summer haul try-on", "Studio tour", "Spring recipes"):
        by_text(driver, title).click()
        _assert_one_id_per_view(driver, f"details of {title}")
        back_to_list(driver)
    by_text(driver, "Summer haul try-on").click()
    by_desc(driver, words.cancel).click()
    _assert_one_id_per_view(driver, "confirm dialog")


def _windows_of_every_screen(world_name: str) -> list[tuple[str, list[Node]]]:
    """Every screen the device can show for a world, each as the windows on screen."""
    world = resolve_world(world_name)
    device = Device(world)
    device.launch()
    found = []

    def visit(where: str, *route: tuple[str, str | None]) -> None:
        device.stack = []
        for name, param in route:
            device._open(name, param)
        device.popups = []
        device._changed()
        found.append((where, device.windows()))

    visit("feed", ("feed", None))
    visit("profile", ("profile", None))
    visit("menu", ("profile", None), ("menu", None))
    visit("tools", ("creator_tools", None))
    visit("promotions", ("creator_tools", None), ("promotions", None))
    for promo in device.model.promotions:
        visit(f"details {promo.status}", ("promotions", None), ("details", promo.id))
        visit(f"confirm {promo.id}", ("details", promo.id), ("confirm", promo.id))
        visit(f"create {promo.id}", ("details", promo.id), ("create_promotion", promo.id))
    running = [p for p in device.model.promotions if p.cancellable]
    if running:
        device.model.cancel(running[0].id)
        assert running[0].status == CANCELED
        visit("details after cancel", ("details", running[0].id))
    visit("logged out", ("logged_out", None))
    for kind in POPUP_KINDS:
        device.stack = []
        device._open("feed")
        device.popups = [kind]
        device.show_toast("Something went wrong. Please try again.")
        device._changed()
        found.append((f"pop-up {kind} with a toast", device.windows()))
    device.toast = None
    device.home()
    found.append(("launcher", device.windows()))
    return found


@pytest.mark.parametrize("world_name", ["default", "current", "business", "many", "none-active"])
def test_no_two_views_of_a_window_share_a_key(world_name: str) -> None:
    screens_seen = _windows_of_every_screen(world_name)
    assert len(screens_seen) > 15
    for where, windows in screens_seen:
        keys = [node.key for window in windows for node in window.walk()]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"{world_name} / {where}: {duplicates}"


def test_every_builder_was_walked() -> None:
    # If a screen is added to the app, the walk above must learn to visit it.
    walked = {"feed", "profile", "menu", "creator_tools", "promotions", "details", "create_promotion", "confirm",
              "logged_out", "launcher"}
    assert set(screens.BUILDERS) == walked
