"""The virtual device's iOS face: a session as the XCUITest driver opens it, WDA's page source, finds, element reads,
taps and the screenshot, driven with the Appium Python client's XCUITestOptions over HTTP.

Sources read (appium/WebDriverAgent, appium/appium-xcuitest-driver) are named in each test.
"""

from __future__ import annotations

import base64
import io

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from PIL import Image
from selenium.common.exceptions import (
    NoSuchElementException,
    SessionNotCreatedException,
    UnknownMethodException,
    WebDriverException,
)
from simkit import PROTOCOL_AT_REST

from tiktok_promo.simulator.ios.tree import to_pixels, to_points


def _source(driver) -> etree._Element:
    return etree.fromstring(driver.page_source.encode("utf-8"))


@PROTOCOL_AT_REST
def test_an_ios_session_answers_as_the_xcuitest_driver(make_ios) -> None:
    driver = make_ios()
    caps = driver.capabilities
    assert (caps["platformName"], caps["automationName"], caps["bundleId"]) == (
        "iOS", "XCUITest", "com.zhiliaoapp.musically")
    assert driver.get_window_size() == {"width": 393, "height": 852}  # an iPhone 15 Pro, in points
    # Android's own commands are not the XCUITest driver's
    with pytest.raises(WebDriverException, match="Unsupported execute method 'mobile: getCurrentActivity'"):
        driver.execute_script("mobile: getCurrentActivity", {})


@PROTOCOL_AT_REST
def test_an_ios_session_needs_the_xcuitest_driver_and_the_app_s_bundle(make_ios, make_driver) -> None:
    with pytest.raises(SessionNotCreatedException, match="not installed"):
        make_ios(**{"appium:bundleId": "com.example.other"})
    with pytest.raises(SessionNotCreatedException, match="platformName 'iOS'"):
        make_driver(platformName="iOS")  # UiAutomator2 has no iOS


@PROTOCOL_AT_REST
def test_a_french_phone_by_xcuitest_language_and_locale_caps(make_ios) -> None:
    # appium/appium-xcuitest-driver docs/reference/capabilities.md: appium:language (fr) and appium:locale (fr_FR);
    # WebDriverAgent FBCustomCommands.m handleGetDeviceInfo answers the locale as currentLocale
    driver = make_ios(world="current", **{"appium:language": "fr", "appium:locale": "fr_FR"})
    assert driver.execute_script("mobile: deviceInfo")["currentLocale"] == "fr_FR"
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profil").get_attribute("label") == "Profil"
    with pytest.raises(SessionNotCreatedException, match="wordings in en only"):
        make_ios(world="default", **{"appium:language": "fr"})  # the guide release speaks English only


@PROTOCOL_AT_REST
def test_page_source_is_wda_xml_with_empty_attributes_left_out(make_ios) -> None:
    # FBXPath.m: one element per snapshot named after its type, attributes in WDA's order, nil ones not written;
    # the Application carries processId and bundleId. XCUIElement+FBWebDriverAttributes.m: name is the identifier
    # or else the label, a StaticText's value falls back to its label, a selected Button's value is "1".
    root = _source(make_ios())
    assert root.tag == "XCUIElementTypeApplication"
    assert root.get("bundleId") == "com.zhiliaoapp.musically" and root.get("processId")
    assert list(root.attrib)[:12] == ["type", "name", "label", "enabled", "visible", "accessible", "x", "y",
                                      "width", "height", "index", "traits"]
    window = root[0]
    assert window.tag == "XCUIElementTypeWindow"
    assert "name" not in window.attrib and "label" not in window.attrib and "value" not in window.attrib
    tabs = root.find(".//XCUIElementTypeTabBar")
    assert [b.get("label") for b in tabs] == ["Home", "Friends", "Create", "Inbox", "Profile"]
    assert tabs[0].get("value") == "1" and "value" not in tabs[1].attrib
    assert all(b.get("name") == b.get("label") for b in tabs)
    caption = root.find(".//XCUIElementTypeStaticText[@label='New choreo drop #fyp']")
    assert caption.get("value") == caption.get("label")


@PROTOCOL_AT_REST
def test_finds_by_accessibility_id_class_name_and_xpath(make_ios) -> None:
    driver = make_ios()
    profile = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile")
    assert profile.tag_name == "XCUIElementTypeButton"  # WDA's /name is the element's type
    # find.ts: a class name without the XCUIElementType prefix gets it (and "View" dropped but for a few)
    assert len(driver.find_elements(AppiumBy.CLASS_NAME, "Button")) == len(
        driver.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeButton")) >= 5
    assert driver.find_element(AppiumBy.ID, "Profile").id == profile.id  # id and name are accessibility ids
    assert driver.find_element(AppiumBy.XPATH, '//XCUIElementTypeTabBar/XCUIElementTypeButton[last()]').id == \
        profile.id
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")  # on the profile, not on the feed
    with pytest.raises(WebDriverException, match="Locator Strategy '-android uiautomator' is not supported"):
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Home")')


@PROTOCOL_AT_REST
def test_a_find_under_an_element_includes_the_element_itself(make_ios) -> None:
    # XCUIElement+FBFind.m: class name and predicate searches put the element itself first when it matches
    driver = make_ios()
    bar = driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeTabBar")
    assert bar.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeTabBar").id == bar.id
    assert len(bar.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeButton")) == 5


@PROTOCOL_AT_REST
def test_a_tap_on_the_profile_tab_opens_the_profile_with_its_menu_button(make_ios) -> None:
    driver = make_ios()
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile").click()
    bar = driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeNavigationBar")
    assert bar.get_attribute("name") == "Mia Creates"
    menu = bar.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile menu")
    assert menu.tag_name == "XCUIElementTypeButton" and menu.is_displayed() and menu.is_enabled()


@PROTOCOL_AT_REST
def test_attributes_read_as_the_driver_turns_them_into_strings(make_ios) -> None:
    # element.ts getNativeAttribute: the numbers 0 and 1 become booleans, anything not a string its JSON;
    # FBElementUtils.m: wd-prefixed names and their short aliases; an unknown name is refused naming the valid ones
    driver = make_ios()
    home = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home")
    assert home.get_attribute("visible") == "true"
    assert home.get_attribute("wdLabel") == "Home"
    assert home.get_attribute("index") == "false"  # its index is 0, which the driver reads as false
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Friends").get_attribute("index") == "true"
    assert home.get_attribute("value") == "1"
    with pytest.raises(WebDriverException, match="The attribute 'content-desc' is unknown"):
        home.get_attribute("content-desc")


@PROTOCOL_AT_REST
def test_text_and_rect_are_in_points_of_the_phone(make_ios) -> None:
    driver = make_ios()
    caption = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "New choreo drop #fyp")
    assert caption.text == "New choreo drop #fyp"  # FBElementCommands handleGetText: value, else label
    rect = caption.rect
    assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 393 and rect["y"] + rect["height"] <= 852
    home = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home").rect
    assert home["y"] + home["height"] == 852  # the tab bar sits at the bottom of the screen


def test_a_point_and_its_pixel_round_trip() -> None:
    x, y, w, h = to_points((100, 200, 300, 400))
    px, py = to_pixels(x + w / 2, y + h / 2)
    assert 100 <= px < 300 and 200 <= py < 400


@PROTOCOL_AT_REST
def test_a_screenshot_is_the_phone_s_pixels(make_ios) -> None:
    driver = make_ios()
    image = Image.open(io.BytesIO(base64.b64decode(driver.get_screenshot_as_base64())))
    assert (image.format, image.size) == ("PNG", (1179, 2556))  # 393 x 852 points at 3x
    shot = Image.open(io.BytesIO(driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home").screenshot_as_png))
    assert shot.size[1] == 3 * driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home").rect["height"]


@PROTOCOL_AT_REST
def test_javascript_is_refused_in_the_native_context(make_ios) -> None:
    with pytest.raises(UnknownMethodException):
        make_ios().execute_script("return 1")
