"""Touch (W3C actions and `mobile:` gestures), keys, the app's lifecycle and the `sim:` extensions."""

from __future__ import annotations

from datetime import datetime

from appium.webdriver.common.appiumby import AppiumBy
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from simkit import PACKAGE, PROTOCOL_AT_REST, by_desc, by_text, mobile, open_promotions

RUNNING_IN_FOREGROUND, RUNNING_IN_BACKGROUND, NOT_RUNNING = 4, 3, 1
LIST = 'new UiSelector().className("androidx.recyclerview.widget.RecyclerView")'  # the list, not the first scrollable


def _finger(driver) -> tuple[ActionChains, ActionBuilder]:
    chain = ActionChains(driver)
    chain.w3c_actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    return chain, chain.w3c_actions


def _first_row_title(driver) -> str:
    listing = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, LIST)
    return listing.find_elements(AppiumBy.XPATH, ".//android.widget.TextView")[0].text


def _on_profile(driver) -> bool:
    return bool(driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']"))


# --- W3C actions ---------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_tap_at_a_point_hits_what_is_there(driver) -> None:
    chain, actions = _finger(driver)
    actions.pointer_action.move_to_location(972, 2305).pointer_down().pause(0.05).pointer_up()
    chain.perform()
    assert _on_profile(driver)


@PROTOCOL_AT_REST
def test_tap_with_an_element_origin(driver) -> None:
    tab = by_desc(driver, "Me")
    chain, actions = _finger(driver)
    actions.pointer_action.move_to(tab).pointer_down().pointer_up()
    chain.perform()
    assert _on_profile(driver)


@PROTOCOL_AT_REST
def test_appium_tap_helper(driver) -> None:
    driver.tap([(972, 2305)])
    assert _on_profile(driver)


@PROTOCOL_AT_REST
def test_swipe_scrolls_the_list_and_back(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    assert _first_row_title(driver) == "Sourdough part 1"
    chain, actions = _finger(driver)
    actions.pointer_action.move_to_location(540, 2000).pointer_down().move_to_location(540, 700) \
        .pointer_up()
    chain.perform()
    after = _first_row_title(driver)
    assert after != "Sourdough part 1"
    driver.swipe(540, 700, 540, 2000, 200)  # the client's own swipe: content comes back down
    assert _first_row_title(driver) == "Sourdough part 1"
    chain.reset_actions()  # DELETE /actions: releasing is accepted


@PROTOCOL_AT_REST
def test_a_press_and_release_in_place_does_not_scroll(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    chain, actions = _finger(driver)
    actions.pointer_action.move_to_location(540, 2300).pointer_down().move_to_location(545, 2305).pointer_up()
    chain.perform()
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='Promotion details']")  # a tap opened a row


# --- mobile: gestures ----------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_click_gesture_on_an_element_and_at_a_point(driver) -> None:
    mobile(driver, "clickGesture", elementId=by_desc(driver, "Me").id)
    assert _on_profile(driver)
    mobile(driver, "clickGesture", x=108, y=2305)  # Home
    assert not _on_profile(driver)


@PROTOCOL_AT_REST
def test_scroll_gesture_pages_the_list_and_says_whether_more_is_left(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    listing = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, LIST)
    more = mobile(driver, "scrollGesture", elementId=listing.id, direction="down", percent=1.0)
    assert more is True
    assert _first_row_title(driver) != "Sourdough part 1"
    for _ in range(30):
        listing = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, LIST)
        if not mobile(driver, "scrollGesture", elementId=listing.id, direction="down", percent=1.0):
            break
    else:
        raise AssertionError("the list never reached its end")
    assert by_text(driver, "Coffee part 4").is_displayed()
    mobile(driver, "scrollGesture", left=0, top=230, width=1080, height=2170, direction="up", percent=1.0)
    assert "Coffee part 4" not in driver.page_source


@PROTOCOL_AT_REST
def test_swipe_gesture_up_moves_the_list_forward(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    mobile(driver, "swipeGesture", left=0, top=300, width=1080, height=1800, direction="up", percent=0.5)
    assert _first_row_title(driver) != "Sourdough part 1"


# --- keys and the app's lifecycle ----------------------------------------------------------------
@PROTOCOL_AT_REST
def test_current_activity_and_package_follow_the_screens(driver) -> None:
    assert driver.current_package == PACKAGE
    assert driver.current_activity == "com.ss.android.ugc.aweme.main.MainActivity"
    open_promotions(driver)
    assert driver.current_activity == "com.ss.android.ugc.aweme.promote.PromoteListActivity"
    assert mobile(driver, "getCurrentActivity") == "com.ss.android.ugc.aweme.promote.PromoteListActivity"
    assert mobile(driver, "getCurrentPackage") == PACKAGE


@PROTOCOL_AT_REST
def test_press_key_back_and_home_then_activate_comes_back(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    mobile(driver, "pressKey", keycode=4)  # BACK closes the sheet
    assert _on_profile(driver) and "Creator tools" not in driver.page_source
    mobile(driver, "pressKey", keycode=3)  # HOME
    assert driver.query_app_state(PACKAGE) == RUNNING_IN_BACKGROUND
    assert driver.current_package != PACKAGE
    assert driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Me") == []
    driver.activate_app(PACKAGE)
    assert driver.query_app_state(PACKAGE) == RUNNING_IN_FOREGROUND
    assert _on_profile(driver)  # back where it was, not restarted


def test_terminate_then_activate_restarts_on_the_feed(driver) -> None:
    by_desc(driver, "Me").click()
    assert driver.terminate_app(PACKAGE) is True
    assert driver.query_app_state(PACKAGE) == NOT_RUNNING
    assert mobile(driver, "queryAppState", appId=PACKAGE) == NOT_RUNNING
    assert mobile(driver, "terminateApp", appId=PACKAGE) is False  # nothing left to stop
    mobile(driver, "activateApp", appId=PACKAGE)
    assert mobile(driver, "queryAppState", appId=PACKAGE) == RUNNING_IN_FOREGROUND
    assert not _on_profile(driver) and by_desc(driver, "Home").is_selected()


def test_other_apps_are_not_installed(driver) -> None:
    assert driver.query_app_state("com.example.other") == 0
    assert driver.terminate_app("com.example.other") is False


def test_back_on_the_first_screen_goes_home(driver) -> None:
    driver.back()
    assert driver.query_app_state(PACKAGE) == RUNNING_IN_BACKGROUND
    by_desc(driver, "TikTok").click()  # the launcher icon
    assert driver.query_app_state(PACKAGE) == RUNNING_IN_FOREGROUND


# --- sim: extensions -----------------------------------------------------------------------------
def test_sim_advance_clock_returns_the_new_time(driver) -> None:
    before = datetime.fromisoformat(mobile(driver, "deviceInfo")["clock"])
    after = datetime.fromisoformat(mobile(driver, "simAdvanceClock", hours=2, minutes=30))
    assert (after - before).total_seconds() == 2.5 * 3600
    assert mobile(driver, "simLedger")["clock"] == after.isoformat()


@PROTOCOL_AT_REST
def test_sim_stats_count_commands_by_route(driver) -> None:
    by_desc(driver, "Me").click()
    _ = driver.page_source
    stats = mobile(driver, "simStats")
    routes = stats["by_route"]
    assert routes["POST /session/:sid/element"] == 1
    assert routes["POST /session/:sid/element/:eid/click"] == 1
    assert routes["GET /session/:sid/source"] == 1
    assert stats["commands"] == sum(routes.values())
    assert set(stats["server_ms_by_route"]) == set(routes)
    assert stats["taps"] == 1


def test_sim_ledger_and_device_info(driver) -> None:
    ledger = mobile(driver, "simLedger")
    assert ledger["logged_in"] == "mia.creates"
    assert {p["id"] for p in ledger["promotions"]} == {"P-1001", "P-1002", "P-1003", "P-0990"}
    info = mobile(driver, "deviceInfo")
    assert info["realDisplaySize"] == "1080x2400"
    assert (info["world"], info["release"], info["uiVariant"]) == ("default", "guide", "guide")


def test_auto_launch_off_starts_on_the_home_screen(make_driver) -> None:
    driver = make_driver(**{"appium:autoLaunch": False})
    assert driver.query_app_state(PACKAGE) == NOT_RUNNING
    assert driver.current_package != PACKAGE
    driver.activate_app(PACKAGE)
    assert by_desc(driver, "Home").is_selected()


@PROTOCOL_AT_REST
def test_tapping_outside_the_menu_sheet_closes_it(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    driver.tap([(540, 400)])  # on the dimmed profile above the sheet
    assert "Creator tools" not in driver.page_source
    assert _on_profile(driver)
