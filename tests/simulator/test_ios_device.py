"""The iOS face's `mobile:` methods, `back`, W3C actions, system alerts and WDA's autoAcceptAlerts /
autoDismissAlerts, as the XCUITest driver and WebDriverAgent answer them."""

from __future__ import annotations

from pathlib import Path

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import InvalidArgumentException, NoSuchElementException
from selenium.webdriver.common.action_chains import ActionChains
from simkit import PROTOCOL_AT_REST, ledger, mobile

from tiktok_promo.simulator.world import resolve_world

BUNDLE = "com.zhiliaoapp.musically"
PATH = ["Profile", "Profile menu", "Creator tools", "Promote"]


def _tap(driver, label: str) -> None:
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, label).click()


def _world_with_popup(tmp_path: Path, kind: str, on: str, base: str = "current") -> str:
    text = Path(resolve_world(base).source).read_text(encoding="utf-8").replace(
        "logged_in: mia.creates", f"logged_in: mia.creates\npopups:\n  - {{kind: {kind}, on: {on}}}")
    path = tmp_path / f"{base}-{kind}-{on}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- system alerts ---------------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_a_permission_alert_is_springboard_s_outside_the_page_source_and_blocks_taps(make_ios, tmp_path) -> None:
    # FBSession.m activeApplication: without respectSystemAlerts the source and finds are the app's, not
    # SpringBoard's; FBAlert.m looks in SpringBoard first, so the alert commands see the system's alert.
    driver = make_ios(world=_world_with_popup(tmp_path, "notifications", "profile"))
    _tap(driver, "Profile")
    assert "XCUIElementTypeAlert" not in driver.page_source
    assert driver.switch_to.alert.text == ("“TikTok” Would Like to Send You Notifications\nNotifications may "
                                           "include alerts, sounds, and icon badges. These can be configured in "
                                           "Settings.")
    assert mobile(driver, "alert", action="getButtons") == ["Don\u2019t Allow", "Allow"]
    _tap(driver, "Profile menu")  # found in the app, but the alert takes the touch
    assert not driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Creator tools")
    driver.switch_to.alert.accept()  # an Alert's last button: Allow
    _tap(driver, "Profile menu")
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Creator tools")


@PROTOCOL_AT_REST
def test_with_respect_system_alerts_wda_reads_springboard_and_its_alert(make_ios, tmp_path) -> None:
    # FBSession.m activeApplication: with the respectSystemAlerts setting on and an alert in SpringBoard, WDA's
    # source and finds are SpringBoard's
    driver = make_ios(world=_world_with_popup(tmp_path, "notifications", "profile"))
    driver.update_settings({"respectSystemAlerts": True})
    _tap(driver, "Profile")
    assert 'bundleId="com.apple.springboard"' in driver.page_source
    assert not driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    _tap(driver, "Allow")
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")


@PROTOCOL_AT_REST
def test_app_tracking_transparency_asks_at_launch_in_the_phone_s_language(make_ios, tmp_path) -> None:
    driver = make_ios(world=_world_with_popup(tmp_path, "tracking", "launch"), **{"appium:language": "fr"})
    assert mobile(driver, "alert", action="getButtons") == ["Demander à l\u2019app de ne pas suivre", "Autoriser"]
    mobile(driver, "alert", action="accept", buttonLabel="Demander à l\u2019app de ne pas suivre")
    with pytest.raises(Exception, match="No alert is open"):
        mobile(driver, "alert", action="getButtons")


@PROTOCOL_AT_REST
def test_a_tap_on_a_system_alert_s_button_answers_it(make_ios, tmp_path) -> None:
    driver = make_ios(world=_world_with_popup(tmp_path, "tracking", "launch"))
    size = driver.get_window_size()
    mobile(driver, "tap", x=size["width"] // 2 - 60, y=size["height"] // 2 + 75)  # the left button of the alert
    with pytest.raises(Exception, match="No alert is open"):
        driver.switch_to.alert.text  # noqa: B018 (the read is the test)


@PROTOCOL_AT_REST
def test_auto_accept_alerts_answers_every_alert_the_app_s_confirmation_too(make_ios, tmp_path) -> None:
    # FBAlertsMonitor.m / FBSession.m didDetectAlert: with autoAcceptAlerts every alert WDA detects is accepted,
    # and FBAlert.m detects the app's own Alert as well as SpringBoard's: a tap on "Stop promotion" stops it.
    driver = make_ios(world=_world_with_popup(tmp_path, "notifications", "profile"),
                      **{"appium:autoAcceptAlerts": True})
    for label in PATH:
        _tap(driver, label)  # the notification prompt on the profile was answered before the next tap
    driver.find_element(AppiumBy.XPATH, "//XCUIElementTypeCell[contains(@label, 'Summer haul')]").click()
    _tap(driver, "Stop promotion")
    driver.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeAlert")  # any next command: the monitor has acted
    assert ledger(driver, "P-1001")["status"] == "canceled"


@PROTOCOL_AT_REST
def test_auto_dismiss_alerts_keeps_the_promotion_running(make_ios) -> None:
    driver = make_ios(world="current", **{"appium:autoDismissAlerts": True})
    for label in PATH:
        _tap(driver, label)
    driver.find_element(AppiumBy.XPATH, "//XCUIElementTypeCell[contains(@label, 'Summer haul')]").click()
    _tap(driver, "Stop promotion")
    assert not driver.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeAlert")
    assert ledger(driver, "P-1001")["status"] == "active"


@PROTOCOL_AT_REST
def test_the_text_less_update_prompt_closes_when_pulled_down_as_a_sheet(make_ios, tmp_path) -> None:
    # A guess: the prompt has no words on Android and iOS has no BACK key; a page sheet closes when pulled down.
    driver = make_ios(world=_world_with_popup(tmp_path, "update", "creator_tools"))
    for label in PATH[:3]:
        _tap(driver, label)
    prompt = "//XCUIElementTypeButton[not(@name)]"  # its two buttons have no words
    assert len(driver.find_elements(AppiumBy.XPATH, prompt)) == 2
    _tap(driver, "Promote")  # found under the prompt (WDA reads through it), but the prompt takes the tap
    driver.back()  # the navigation bar's Back is under the prompt too
    mobile(driver, "swipe", direction="up")  # a push up moves nothing
    assert len(driver.find_elements(AppiumBy.XPATH, prompt)) == 2
    mobile(driver, "swipe", direction="down")
    assert not driver.find_elements(AppiumBy.XPATH, prompt)
    _tap(driver, "Promote")
    assert driver.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeCell")


# --- back ------------------------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_back_taps_the_navigation_bar_s_back_button(make_ios) -> None:
    # navigation.ts nativeBack: the first NavigationBar's Button labelled "Back", else its first Button
    driver = make_ios(world="current")
    for label in PATH[:3]:
        _tap(driver, label)
    driver.back()
    assert driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeNavigationBar").get_attribute("name") == \
        "Mia Creates"


@PROTOCOL_AT_REST
def test_back_without_a_back_button_taps_the_bar_s_first_button(make_ios) -> None:
    driver = make_ios(world="current")
    _tap(driver, "Profile")
    driver.back()  # the profile's bar has no "Back": its first Button is the menu
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Creator tools")


@PROTOCOL_AT_REST
def test_back_in_french_finds_no_back_label_and_still_goes_back(make_ios) -> None:
    driver = make_ios(world="current", **{"appium:language": "fr"})
    for label in ("Profil", "Menu du profil", "Outils pour créateurs"):
        _tap(driver, label)
    driver.back()  # "Retour" is not "Back"; the bar's first Button is still the back arrow
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Menu du profil")


@PROTOCOL_AT_REST
def test_back_with_no_navigation_bar_does_nothing_and_says_nothing(make_ios) -> None:
    driver = make_ios(world="current")
    driver.back()  # the feed has no navigation bar: the driver logs it and answers success
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "For You")


# --- gestures ------------------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_mobile_tap_is_in_points_of_the_screen_or_of_an_element(make_ios) -> None:
    # gesture.ts mobileTap -> /wda/tap or /wda/element/:uuid/tap with x and y
    driver = make_ios(world="current")
    profile = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile").rect
    mobile(driver, "tap", x=profile["x"] + profile["width"] / 2, y=profile["y"] + profile["height"] / 2)
    menu = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    mobile(driver, "tap", x=5, y=5, elementId=menu.id)
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Creator tools")
    with pytest.raises(InvalidArgumentException, match="We wanted"):
        mobile(driver, "tap", elementId=menu.id)  # execute-method-map.ts: x and y are required


@PROTOCOL_AT_REST
def test_swipes_and_scrolls_move_a_long_list(make_ios) -> None:
    driver = make_ios(world="many")
    for label in ("Me", "Profile menu", "Creator tools", "Promotions"):
        _tap(driver, label)

    def first_cell() -> str:
        return driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeCell").get_attribute("label")

    top = first_cell()
    listing = driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeCollectionView")
    mobile(driver, "swipe", direction="up", elementId=listing.id)  # the finger goes up: further down the list
    after_swipe = first_cell()
    assert after_swipe != top
    mobile(driver, "scroll", direction="up", elementId=listing.id)  # back towards the top
    mobile(driver, "scroll", direction="up", elementId=listing.id)
    assert first_cell() == top
    mobile(driver, "scroll", direction="down")
    assert first_cell() != top
    with pytest.raises(InvalidArgumentException, match="'direction' must be one of"):
        mobile(driver, "swipe", direction="sideways")


@PROTOCOL_AT_REST
def test_a_scroll_to_what_is_not_there_is_wda_s_no_such_element(make_ios) -> None:
    # FBElementCommands handleScroll: a name or predicate that matches nothing
    driver = make_ios(world="current")
    with pytest.raises(NoSuchElementException, match="predicate didn't match any elements"):
        mobile(driver, "scroll", predicateString='label == "Nowhere"')
    with pytest.raises(NoSuchElementException, match="identifier didn't match any elements"):
        driver.execute_script("mobile: scroll", {"name": "Nowhere"})
    with pytest.raises(InvalidArgumentException, match="name, direction, predicateString, and toVisible"):
        mobile(driver, "scroll")


@PROTOCOL_AT_REST
def test_w3c_actions_tap_and_swipe_in_points(make_ios) -> None:
    driver = make_ios(world="current")
    rect = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile").rect
    ActionChains(driver).move_by_offset(rect["x"] + 20, rect["y"] + 20).click().perform()
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")


# --- the app and the phone ------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_app_state_terminate_and_activate_by_bundle_id(make_ios) -> None:
    # app-management.ts: bundleId (not appId); XCUIApplicationState 1 not running, 3 background, 4 foreground
    driver = make_ios(world="current")
    assert driver.query_app_state(BUNDLE) == 4
    assert mobile(driver, "terminateApp", bundleId=BUNDLE) is True
    assert mobile(driver, "queryAppState", bundleId=BUNDLE) == 1
    assert not driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Home")
    # FBSession.m activeApplication: with the app gone, WDA reads SpringBoard, the home screen with the app's icon
    assert 'bundleId="com.apple.springboard"' in driver.page_source
    driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeIcon").click()
    assert driver.query_app_state(BUNDLE) == 4
    assert mobile(driver, "terminateApp", bundleId=BUNDLE) is True
    mobile(driver, "activateApp", bundleId=BUNDLE)
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home")
    assert mobile(driver, "queryAppState", bundleId="com.example.other") == 0
    driver.background_app(-1)  # app-management.ts background: a negative time keeps it in the background
    assert driver.query_app_state(BUNDLE) == 3
    with pytest.raises(InvalidArgumentException, match="We wanted"):
        mobile(driver, "queryAppState", appId=BUNDLE)


@PROTOCOL_AT_REST
def test_device_info_time_and_keyboard(make_ios) -> None:
    driver = make_ios(world="current", **{"appium:locale": "fr_FR"})
    info = mobile(driver, "deviceInfo")
    assert (info["currentLocale"], info["timeZone"], info["userInterfaceIdiom"]) == ("fr_FR", "UTC", 0)
    assert mobile(driver, "getDeviceTime", format="YYYY-MM-DD") == "2026-11-20"
    assert mobile(driver, "isKeyboardShown") is False
    assert mobile(driver, "hideKeyboard") is None
