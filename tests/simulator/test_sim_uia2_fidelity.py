"""The virtual device answers as Appium 3 + UiAutomator2 do, where a kinder answer would hide a phone's failure.

Each test names, in a comment, the real source file (repository and path) its expectation was read from.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import time

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from selenium.common.exceptions import (
    InvalidArgumentException,
    InvalidSelectorException,
    NoSuchElementException,
    StaleElementReferenceException,
    UnknownMethodException,
    WebDriverException,
)
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.command import Command
from simkit import PACKAGE, PROTOCOL_AT_REST, by_desc, mobile, open_details, open_promotions, raw

from tiktok_promo.simulator.faults import parse_faults
from tiktok_promo.simulator.session import Session
from tiktok_promo.simulator.world import resolve_world

RECYCLER = "androidx.recyclerview.widget.RecyclerView"
# The list by its class: the promotions screen's first scrollable view is a strip that scrolls sideways.
LIST = 'new UiSelector().scrollable(true).className("androidx.recyclerview.widget.RecyclerView")'


def post(server, driver, path: str, body: dict) -> tuple[int, dict]:
    return raw(server, "POST", f"/session/{driver.session_id}{path}", json.dumps(body).encode())


def source_root(driver) -> etree._Element:
    return etree.fromstring(driver.page_source.encode("utf-8"))


# --- css selector ---------------------------------------------------------------------------
# appium/appium-uiautomator2-driver lib/commands/find.ts, lib/css/schema.ts, lib/css/ui-automator-emitter.ts
# and appium/css-locator-to-native lib/internal/normalize-from-parsed.ts


@PROTOCOL_AT_REST
def test_css_selectors_as_selenium_sends_by_id_and_class_name(driver) -> None:
    by_desc(driver, "Me").click()
    username = driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']")
    short_id = username.get_attribute("resource-id").split(":id/", 1)[1]
    # Selenium 4 sends By.ID as [id="..."] and By.CLASS_NAME as .a.b.c (css selector on the wire).
    assert driver.find_element(By.ID, short_id).text == "@mia.creates"
    assert {e.text for e in driver.find_elements(By.CLASS_NAME, "android.widget.Button")} >= {"@mia.creates"}
    assert driver.find_element(By.CSS_SELECTOR, f"#{short_id}").text == "@mia.creates"
    assert driver.find_element(By.CSS_SELECTOR, '[content-desc="Me"]').get_attribute("content-desc") == "Me"
    assert driver.find_element(By.CSS_SELECTOR, '*[text^="@mia"]').text == "@mia.creates"


def test_css_the_driver_refuses_is_refused_the_same_way(driver) -> None:
    with pytest.raises(InvalidSelectorException, match="Unsupported CSS selector"):
        driver.find_element(By.CSS_SELECTOR, '[name="Me"]')  # what Selenium sends for By.NAME
    with pytest.raises(InvalidSelectorException, match="Locator Strategy 'name' is not supported"):
        driver.find_element(By.NAME, "Me")  # the Appium client sends `name` itself
    with pytest.raises(InvalidSelectorException, match=r"Unsupported CSS selector 'a \+ b'"):
        driver.find_element(By.CSS_SELECTOR, "a + b")
    with pytest.raises(InvalidSelectorException, match=r"Unsupported CSS selector '\[checked=maybe\]'"):
        driver.find_element(By.CSS_SELECTOR, "[checked=maybe]")
    with pytest.raises(InvalidSelectorException, match="Invalid CSS selector"):
        driver.find_element(By.CSS_SELECTOR, "???")


def test_css_ids_take_the_package_of_the_appPackage_capability(make_driver) -> None:
    # formatIdLocator: `${appPackage || 'android'}:id/${id}` with the driver's appPackage option
    with_package = make_driver()
    home = with_package.find_element(AppiumBy.ACCESSIBILITY_ID, "Home").get_attribute("resource-id")
    short = "#" + home.split(":id/")[1]
    assert with_package.find_element(By.CSS_SELECTOR, short).get_attribute("content-desc") == "Home"
    without = make_driver(**{"appium:appPackage": None})
    assert without.find_elements(By.CSS_SELECTOR, short) == []  # read as android:id/...
    assert without.find_element(By.ID, home).get_attribute("content-desc") == "Home"  # a full id still works


# --- app and keyboard routes ------------------------------------------------------------------
# @appium/base-driver lib/protocol/routes/appium-device.js (Appium 3.8); appium/appium-android-driver
# lib/commands/app-management.ts and lib/commands/keyboard.ts


def test_app_routes_as_webdriverio_calls_them(server, driver) -> None:
    assert post(server, driver, "/appium/device/app_state", {"appId": PACKAGE}) == (200, {"value": 4})
    assert post(server, driver, "/appium/device/terminate_app", {"appId": PACKAGE}) == (200, {"value": True})
    assert post(server, driver, "/appium/device/app_state", {"bundleId": PACKAGE}) == (200, {"value": 1})
    assert post(server, driver, "/appium/device/activate_app", {"appId": PACKAGE})[0] == 200
    assert by_desc(driver, "Home").is_displayed()
    status, body = post(server, driver, "/appium/device/activate_app", {})
    assert (status, body["value"]["error"]) == (400, "invalid argument")


def test_keyboard_routes(server, driver) -> None:
    shown = raw(server, "GET", f"/session/{driver.session_id}/appium/device/is_keyboard_shown")
    assert shown == (200, {"value": False})
    assert post(server, driver, "/appium/device/hide_keyboard", {}) == (200, {"value": False})  # nothing to hide


def test_deprecated_activity_package_and_keycode_routes_still_answer(server, driver) -> None:
    # appium/appium-android-driver lib/method-map.ts (deprecated routes, still mapped)
    sid = driver.session_id
    assert raw(server, "GET", f"/session/{sid}/appium/device/current_package") == (200, {"value": PACKAGE})
    activity = raw(server, "GET", f"/session/{sid}/appium/device/current_activity")
    assert activity == (200, {"value": "com.ss.android.ugc.aweme.main.MainActivity"})
    assert post(server, driver, "/appium/device/press_keycode", {"keycode": 3})[0] == 200  # HOME
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 3
    status, body = post(server, driver, "/appium/device/press_keycode", {})
    assert (status, body["value"]["error"]) == (400, "invalid argument")


def test_background_app_goes_home_and_comes_back(driver) -> None:
    assert mobile(driver, "backgroundApp", seconds=-1) is True
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 3
    mobile(driver, "activateApp", appId=PACKAGE)
    assert mobile(driver, "backgroundApp", seconds=0) is True
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 4


# --- mobile: arguments --------------------------------------------------------------------------
# appium/appium-android-driver lib/commands/execute.ts (preprocessExecuteMethodArgs) and
# appium/appium packages/base-driver/lib/protocol/protocol.ts (validateExecuteMethodParams, checkParams)


@PROTOCOL_AT_REST
def test_element_objects_in_mobile_arguments_are_unwrapped(driver) -> None:
    me = by_desc(driver, "Me")
    driver.execute_script("mobile: clickGesture", {"elementId": me})  # a W3C element object on the wire
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']")
    by_desc(driver, "Home").click()
    driver.execute_script("mobile: clickGesture", {"element": by_desc(driver, "Me").id})  # `element` alias
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']")


def test_gestures_require_direction_and_percent(driver) -> None:
    area = {"left": 0, "top": 300, "width": 1080, "height": 1800}
    with pytest.raises(InvalidArgumentException, match="Parameters were incorrect"):
        mobile(driver, "scrollGesture", direction="down", **area)
    with pytest.raises(InvalidArgumentException, match="Parameters were incorrect"):
        mobile(driver, "swipeGesture", percent=0.5, **area)
    with pytest.raises(InvalidArgumentException, match="Expected zero or one"):
        driver.execute_script("mobile: clickGesture", {"x": 1, "y": 1}, {"x": 2})


@PROTOCOL_AT_REST
def test_unknown_argument_names_are_dropped_not_honoured(driver) -> None:
    open_promotions(driver)
    # `elementID` is not `elementId`: dropped, so the gesture has no area and is refused
    listing = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, LIST)
    with pytest.raises(InvalidArgumentException, match="elementId or the left"):
        mobile(driver, "scrollGesture", elementID=listing.id, direction="down", percent=0.5)


@PROTOCOL_AT_REST
def test_click_gesture_offset_is_from_the_elements_top_left(driver) -> None:
    # appium/appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/utils/gestures/Click.java:
    # bounds.left + offset.x, bounds.top + offset.y
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    me = by_desc(driver, "Me").rect
    bar_rect = bar.rect
    mobile(driver, "clickGesture", elementId=bar.id, x=me["x"] - bar_rect["x"] + 10, y=10)
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']")


# --- page source ----------------------------------------------------------------------------------
# appium/appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/model/UiElementSnapshot.java
# and core/AccessibilityNodeInfoDumper.java


def test_page_source_leaves_out_null_attributes_and_keeps_the_servers_order(driver) -> None:
    root = source_root(driver)
    assert list(root.attrib) == ["index", "class", "rotation", "width", "height"]
    home = root.xpath("//*[@content-desc='Home']")[0]
    names = list(home.attrib)
    assert names[:7] == ["index", "package", "class", "text", "content-desc", "resource-id", "checkable"]
    assert names[names.index("focused") + 1:names.index("focused") + 5] == [
        "long-clickable", "password", "scrollable", "selected"]
    assert names[names.index("bounds") + 1] == "displayed"
    assert names.index("a11y-important") > names.index("displayed")
    plain = [el for el in root.iter() if el is not root and el.get("content-desc") is None]
    assert plain, "views without a content-desc exist"
    assert all(el.get("content-desc") != "" and el.get("resource-id") != "" for el in root.iter())
    assert all(el.get("text") is not None for el in root.iter() if el is not root)  # text is "" when null


def test_root_follows_the_orientation(driver) -> None:
    driver.orientation = "LANDSCAPE"
    root = source_root(driver)
    assert (root.get("rotation"), root.get("width"), root.get("height")) == ("1", "2400", "1080")


@PROTOCOL_AT_REST
def test_toast_is_a_child_of_the_root_with_only_the_servers_five_attributes(make_driver) -> None:
    driver = make_driver(faults={"confirm_fails_once": True})
    open_details(driver, "Summer haul try-on")
    by_desc(driver, "Cancel").click()
    by_desc(driver, "Confirm").click()
    root = source_root(driver)
    toast = root.find("android.widget.Toast")  # a direct child of <hierarchy>
    assert toast is not None
    assert dict(toast.attrib) == {"index": str(len(root) - 1), "package": "com.android.settings",
                                  "class": "android.widget.Toast", "text": "Something went wrong. Please try again.",
                                  "displayed": "true"}
    found = driver.find_element(AppiumBy.XPATH, "//android.widget.Toast")
    assert found.text == "Something went wrong. Please try again."
    # only the XML knows toasts: UiSelector searches the windows
    by_class = 'new UiSelector().className("android.widget.Toast")'
    assert driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, by_class) == []


# --- finds ----------------------------------------------------------------------------------------


def test_xpath_from_an_element_sees_the_element_as_the_document_root(driver) -> None:
    # AccessibilityNodeInfoDumper.java: limitXPathContextScope (default true) makes the element the root
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    inside = bar.find_elements(AppiumBy.XPATH, "//*")
    assert len(inside) < len(driver.find_elements(AppiumBy.XPATH, "//*"))
    assert inside[0].id == bar.id
    assert bar.find_elements(AppiumBy.XPATH, "..") == []
    assert bar.find_elements(AppiumBy.XPATH, "//*[@content-desc='Video']") == []  # outside the bar
    driver.update_settings({"limitXPathContextScope": False})  # the setting's other value: the whole page
    assert len(bar.find_elements(AppiumBy.XPATH, "..")) == 1
    assert bar.find_elements(AppiumBy.XPATH, "//*[@content-desc='Video']")


def test_id_class_and_accessibility_finds_follow_bymatcher_order_and_include_the_element(driver) -> None:
    # androidx.test.uiautomator ByMatcher.findMatches adds a node after its children (post-order);
    # UiObject2.findObject(s) from an element matches the element itself too.
    window = driver.find_element(AppiumBy.XPATH, "/hierarchy/*[1]")
    frames = window.find_elements(AppiumBy.CLASS_NAME, "android.widget.FrameLayout")
    assert frames[-1].id == window.id  # the window's root comes after all it holds
    tab = by_desc(driver, "Me")
    assert tab.find_element(AppiumBy.ACCESSIBILITY_ID, "Me").id == tab.id
    assert driver.find_element(AppiumBy.CLASS_NAME, "android.widget.FrameLayout").id != window.id


def test_an_empty_selector_is_an_unknown_error(server, driver) -> None:
    # appium/appium-android-driver lib/commands/find.ts: `throw new Error('Must provide a selector ...')`
    status, body = post(server, driver, "/element", {"using": "accessibility id", "value": ""})
    assert (status, body["value"]["error"]) == (500, "unknown error")
    assert "Must provide a selector" in body["value"]["message"]


# --- attributes ----------------------------------------------------------------------------------
# appium/appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/model/UiObject2Element.java,
# utils/Attribute.java and utils/ElementHelpers.java (generateNoAttributeException)


def test_attributes_as_the_server_reads_them(server, driver) -> None:
    tab_text = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Home")')
    assert tab_text.get_attribute("name") == "Home"  # `name` is an alias of text
    assert tab_text.get_attribute("content-desc") is None  # null, not ""
    assert tab_text.get_attribute("ContentDescription") is None  # aliases ignore case
    for refused in ("index", "fancy"):
        status, body = raw(server, "GET", f"/session/{driver.session_id}/element/{tab_text.id}/attribute/{refused}")
        assert (status, body["value"]["error"]) == (404, "unknown command")
        assert f"'{refused}' attribute is unknown for the element" in body["value"]["message"]


# --- timeouts --------------------------------------------------------------------------------------
# appium/appium packages/base-driver/lib/basedriver/commands/timeout.ts


def test_timeouts_answer_as_base_driver(server, driver) -> None:
    status, body = raw(server, "GET", f"/session/{driver.session_id}/timeouts")
    assert (status, set(body["value"])) == (200, {"command", "implicit"})
    with pytest.raises(UnknownMethodException, match="Not implemented yet for script"):
        driver.set_script_timeout(5)
    with pytest.raises(UnknownMethodException, match="Not implemented yet for pageLoad"):
        driver.set_page_load_timeout(5)
    status, body = post(server, driver, "/timeouts", {})
    assert (status, body["value"]["error"]) == (400, "invalid argument")


@pytest.mark.slow  # polls for real, half a second a time: a second
def test_implicit_wait_polls_every_half_second() -> None:
    # implicitWaitForCondition: waitForCondition(..., {intervalMs: 500})
    # At waitForIdleTimeout 0: the feed is never idle, and a wait for idle before the find is not what is timed here.
    session = Session({"appPackage": PACKAGE, "settings[waitForIdleTimeout]": 0}, resolve_world("default"),
                      parse_faults(None))
    session.implicit_wait_ms = 1200
    calls: list[float] = []
    original = session._locate_once

    def counting(*args):
        calls.append(time.monotonic())
        return original(*args)

    session._locate_once = counting
    with pytest.raises(Exception, match="could not be located"):
        session.find("accessibility id", "Nothing here", None, False)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert 3 <= len(calls) <= 4 and all(gap >= 0.45 for gap in gaps[:-1])  # the last one ends at the deadline


# --- errors ----------------------------------------------------------------------------------------


def test_unknown_mobile_method_is_unsupported_operation(server, driver) -> None:
    # appium/appium packages/base-driver/lib/basedriver/commands/execute.ts (executeMethod)
    status, body = post(server, driver, "/execute/sync", {"script": "mobile: flyAway", "args": [{}]})
    assert (status, body["value"]["error"]) == (500, "unsupported operation")
    assert "Unsupported execute method 'mobile: flyAway'" in body["value"]["message"]


def test_javascript_is_refused_in_native_context_so_selenium_atoms_fail(server, driver) -> None:
    # appium/appium-android-driver lib/commands/execute.ts: not mobile: and not a web context
    status, body = post(server, driver, "/execute/sync", {"script": "return 1", "args": []})
    assert (status, body["value"]["error"]) == (405, "unknown method")
    with pytest.raises(UnknownMethodException):
        driver.execute_script("return document.title")


def test_desired_capabilities_only_is_session_not_created_as_appium_3_8(server) -> None:
    # appium 3.8 build/lib/helpers/capability.js makeNonW3cCapsError; routes/w3c.js keeps only `capabilities`
    status, body = raw(server, "POST", "/session", b'{"desiredCapabilities": {"platformName": "Android"}}')
    assert (status, body["value"]["error"]) == (500, "session not created")
    assert "must comply to the W3C standard" in body["value"]["message"]


# --- UiSelector / UiScrollable ----------------------------------------------------------------------
# appium/appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/utils/UiExpressionParser.java
# and utils/UiScrollableParser.java


def test_only_escaped_quotes_are_unescaped(driver) -> None:
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("H\\u006fme")')
    assert driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().textMatches("H\\w+e")').text == "Home"


@PROTOCOL_AT_REST
def test_uiscrollable_chain_without_a_uiobject_answers_the_scrollable(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    scrollable = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR, "new UiScrollable(new UiSelector().scrollable(true)).scrollForward()")
    assert scrollable.get_attribute("scrollable") == "true"
    back = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR, "new UiScrollable(new UiSelector().scrollable(true)).scrollToBeginning(5)")
    assert back.id == scrollable.id


@PROTOCOL_AT_REST
def test_get_child_by_text_scrolls_and_returns_the_row(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    titles = [el.text for el in driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR,
                                                     'new UiSelector().className("android.widget.TextView")')]
    assert titles
    row = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR,
                              f'new UiScrollable({LIST})'
                              '.getChildByText(new UiSelector().clickable(true), "Coffee part 4")')
    assert "Coffee part 4" in [el.text for el in row.find_elements(AppiumBy.CLASS_NAME,
                                                                        "android.widget.TextView")]


@PROTOCOL_AT_REST
def test_mobile_scroll_swipes_the_first_scrollable_view_even_when_it_is_not_the_list(make_driver) -> None:
    # appium/appium-uiautomator2-driver lib/commands/gestures.ts (mobileScroll) and appium-uiautomator2-server
    # app/src/main/java/io/appium/uiautomator2/handler/gestures/ScrollTo.java, utils/Device.java
    driver = make_driver(world="many")
    open_promotions(driver)
    # The server swipes the first scrollable view: here a strip of filters that scrolls sideways, so an up
    # swipe on it moves nothing and the row stays out of view, as on a phone whose first scrollable is not
    # the list.
    with pytest.raises(NoSuchElementException, match="Cannot scroll to"):
        mobile(driver, "scroll", strategy="-android uiautomator", selector='new UiSelector().text("Coffee part 4")',
               maxSwipes=3)
    assert not driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Coffee part 4")')
    with pytest.raises(NoSuchElementException, match="Cannot scroll to"):
        mobile(driver, "scroll", strategy="accessibility id", selector="Nothing like it", maxSwipes=2)
    with pytest.raises(InvalidArgumentException, match="Unsupported strategy"):
        mobile(driver, "scroll", strategy="xpath", selector="//*")


def test_unknown_uiscrollable_method_is_refused(driver) -> None:
    with pytest.raises(InvalidSelectorException):
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, "new UiScrollable(new UiSelector()).flyToEnd()")


# --- touch ------------------------------------------------------------------------------------------


def _press(driver, x: int, y: int, hold_ms: int) -> None:
    actions = ActionBuilder(driver, mouse=PointerInput("touch", "finger"))
    actions.pointer_action.move_to_location(x, y).pointer_down().pause(hold_ms / 1000).pointer_up()
    actions.perform()


@PROTOCOL_AT_REST
def test_a_press_held_500_ms_is_a_long_press_not_a_tap(driver) -> None:
    # ViewConfiguration.getLongPressTimeout() (500 ms on stock Android): a held press does not click
    me = by_desc(driver, "Me").rect
    x, y = me["x"] + me["width"] // 2, me["y"] + me["height"] // 2
    _press(driver, x, y, 600)
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']") == []
    _press(driver, x, y, 50)
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']")


def _swipe(driver, move_ms: int) -> None:
    box = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, LIST).rect
    x, y = box["x"] + box["width"] // 2, box["y"] + box["height"] * 3 // 4
    finger = {"type": "pointer", "id": "finger", "parameters": {"pointerType": "touch"},
              "actions": [{"type": "pointerMove", "duration": 0, "x": x, "y": y},
                          {"type": "pointerDown", "button": 0},
                          {"type": "pointerMove", "duration": move_ms, "x": x, "y": y - 300},
                          {"type": "pointerUp", "button": 0}]}
    driver.execute(Command.W3C_ACTIONS, {"actions": [finger]})


def _title_tops(driver) -> dict[str, int]:
    root = source_root(driver)
    return {el.get("text"): int(el.get("bounds").split(",")[1].split("]")[0])
            for el in root.xpath(f"//{RECYCLER}/*/android.widget.TextView[1]")}  # each row's title


@PROTOCOL_AT_REST
def test_a_fast_swipe_flings_further_than_a_slow_one(make_driver) -> None:
    # Android's VelocityTracker / OverScroller: a release faster than the minimum fling velocity keeps
    # the list moving; a slow drag moves it by the finger's distance only.
    slow, fast = make_driver(world="many"), make_driver(world="many")
    for driver in (slow, fast):
        open_promotions(driver)
    before = _title_tops(slow)
    _swipe(slow, 1500)
    _swipe(fast, 40)
    after_slow, after_fast = _title_tops(slow), _title_tops(fast)
    moved_slow = [before[t] - after_slow[t] for t in after_slow if t in before]
    assert moved_slow and abs(sorted(moved_slow)[len(moved_slow) // 2] - 300) <= 10  # a drag follows the finger
    # the fast swipe carried the list further: what the slow one shows is higher up or gone
    common = [t for t in after_slow if t in after_fast]
    assert all(after_fast[t] < after_slow[t] for t in common)
    assert common


# --- about the session -------------------------------------------------------------------------------


def test_current_activity_is_the_full_class_name(driver) -> None:
    # docs/app-facts.md: the tab host is com.ss.android.ugc.aweme.main.MainActivity, outside the
    # package, so Android (and appium-adb getFocusedPackageAndActivity) cannot shorten it to ".main..."
    assert mobile(driver, "getCurrentActivity") == "com.ss.android.ugc.aweme.main.MainActivity"


def test_new_session_answers_with_the_capabilities_uiautomator2_adds(make_driver) -> None:
    # appium/appium-uiautomator2-driver lib/driver.ts getDeviceDetails, lib/uiautomator2-server/session.ts
    driver = make_driver(**{"appium:udid": "emulator-5554"})
    caps = driver.capabilities
    assert caps["deviceName"] == caps["deviceUDID"] == "emulator-5554"
    assert isinstance(caps["deviceApiLevel"], int) and caps["platformVersion"] == "14"
    assert caps["deviceScreenSize"] == "1080x2400" and caps["deviceScreenDensity"] == 420
    assert isinstance(caps["pixelRatio"], float) and caps["statBarHeight"] > 0
    assert caps["viewportRect"] == {"left": 0, "top": caps["statBarHeight"], "width": 1080,
                                    "height": 2400 - caps["statBarHeight"]}
    assert caps["deviceModel"] and caps["deviceManufacturer"]


def test_stale_element_is_not_revived(make_driver) -> None:
    # Deliberately stricter than ElementsCache.restore (appium-uiautomator2-server .../model/ElementsCache.java):
    # see docs/simulator.md; a phone may revive a single-match element, the device never does.
    driver = make_driver(faults={"stale_rate": 1.0, "seed": 1})
    home = by_desc(driver, "Home")
    by_desc(driver, "Me")  # the screen re-renders before this find
    with pytest.raises(StaleElementReferenceException):
        home.click()


# --- the phone around the app: mobile: methods --------------------------------------------------------------
def get(server, driver, path: str) -> tuple[int, dict]:
    return raw(server, "GET", f"/session/{driver.session_id}{path}")


def test_device_time_is_the_worlds_clock_in_dayjs_formats(make_driver) -> None:
    # appium-android-driver lib/commands/time.ts: `date +%Y-%m-%dT%T%z` formatted with dayjs, ISO 8601 by default
    driver = make_driver()
    stamp = mobile(driver, "getDeviceTime")
    assert stamp.startswith("2026-11-20T10:00:") and stamp.endswith("+00:00")
    assert mobile(driver, "getDeviceTime", format="YYYY/MM/DD [at] HH") == "2026/11/20 at 10"
    assert driver.get_device_time().startswith("2026-11-20T10:00:")  # GET /appium/device/system_time


def test_unknown_mobile_method_suggests_the_nearest_and_lists_all_by_distance(server, driver) -> None:
    # appium/appium packages/base-driver lib/basedriver/commands/execute.ts and lib/helpers/levenshtein-match.ts:
    # a suggestion within 2 edits, the driver's class named, every method listed nearest first
    status, body = post(server, driver, "/execute/sync", {"script": "mobile: getDeviceTim", "args": []})
    message = body["value"]["message"]
    assert status == 500 and message.startswith(
        "Unsupported execute method 'mobile: getDeviceTim', did you mean 'mobile: getDeviceTime'? Make sure the "
        "installed AndroidUiautomator2Driver is up-to-date. Execute methods available in the current driver version "
        "are: mobile: getDeviceTime, ")
    _, body = post(server, driver, "/execute/sync", {"script": "mobile: flyAwayNow", "args": []})
    assert "did you mean" not in body["value"]["message"] and "mobile: sim" not in body["value"]["message"]


def test_lock_unlock_and_is_locked(server, driver) -> None:
    # appium-android-driver lib/commands/lock/exports.ts and lib/method-map.ts (/appium/device/lock|is_locked|unlock)
    assert mobile(driver, "isLocked") is False
    driver.lock()
    assert driver.is_locked() is True
    mobile(driver, "unlock")
    assert mobile(driver, "isLocked") is False
    post(server, driver, "/appium/device/lock", {})
    assert post(server, driver, "/appium/device/is_locked", {})[1]["value"] is True
    post(server, driver, "/appium/device/unlock", {})
    assert driver.is_locked() is False


@PROTOCOL_AT_REST
def test_key_codes_as_numbers_or_numeric_strings_and_long_press(server, driver) -> None:
    # appium-uiautomator2-server handler/PressKeyCode.java reads the model with Gson (utils/ModelUtils.java), which
    # takes "4" for an Integer; Robot Framework's AppiumLibrary sends the key code as a string
    open_promotions(driver)
    assert post(server, driver, "/appium/device/press_keycode", {"keycode": "4"})[0] == 200
    assert by_desc(driver, "Promotions")  # BACK left the promotions list for creator tools
    status, body = post(server, driver, "/appium/device/press_keycode", {"keycode": "four"})
    assert (status, body["value"]["error"]) == (400, "invalid argument")
    assert post(server, driver, "/appium/device/long_press_keycode", {"keycode": 24})[0] == 200  # VOLUME_UP: no view
    mobile(driver, "pressKey", keycode="3")
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 3  # HOME: the app in the background


def test_connectivity_and_the_legacy_network_connection_bitmask(server, driver) -> None:
    # appium-android-driver lib/commands/network.ts: services by name, and the 1/2/4 bitmask of /network_connection
    assert mobile(driver, "getConnectivity") == {"wifi": True, "data": True, "airplaneMode": False}
    assert driver.network_connection == 6
    mobile(driver, "setConnectivity", wifi=False)
    assert mobile(driver, "getConnectivity", services=["wifi"]) == {"wifi": False}
    assert get(server, driver, "/network_connection")[1]["value"] == 4
    with pytest.raises(WebDriverException, match="Service name bluetooth is not known"):
        mobile(driver, "getConnectivity", services=["bluetooth"])
    with pytest.raises(InvalidArgumentException, match="Either one of"):
        mobile(driver, "setConnectivity")
    assert driver.set_network_connection(1) == 1  # airplane mode alone


def test_battery_density_bars_and_viewport_describe_one_1080x2400_phone(server, driver) -> None:
    # appium-uiautomator2-driver lib/commands/battery.ts (status renamed state), viewport.ts; appium-android-driver
    # lib/commands/misc.ts (getDisplayDensity) and system-bars.ts (both bars parsed from dumpsys window)
    battery = mobile(driver, "batteryInfo")
    assert 0 <= battery["level"] <= 1 and battery["state"] in (1, 2, 3, 4, 5) and "status" not in battery
    assert mobile(driver, "getDisplayDensity") == 420 == get(server, driver, "/appium/device/display_density")[1][
        "value"]
    bars = mobile(driver, "getSystemBars")
    assert bars == get(server, driver, "/appium/device/system_bars")[1]["value"]
    assert set(bars) == {"statusBar", "navigationBar"}
    assert set(bars["statusBar"]) == {"visible", "x", "y", "width", "height"}
    viewport = mobile(driver, "viewportRect")
    assert viewport == {"left": 0, "top": bars["statusBar"]["height"], "width": 1080,
                        "height": 2400 - bars["statusBar"]["height"]}


def test_list_windows_has_the_servers_fields_and_filters(driver) -> None:
    # appium-uiautomator2-server handler/ListWindows.java and model/api/WindowModel.java
    windows = mobile(driver, "listWindows")
    assert {w["packageName"] for w in windows} >= {PACKAGE, "com.android.systemui"}
    assert all(set(w) == {"windowId", "displayId", "physicalDisplayId", "rect", "packageName", "screenshot"}
               for w in windows)
    assert any(w["screenshot"] for w in windows)
    only_app = mobile(driver, "listWindows", filters={"packageName": "com.zhiliao*"}, skipScreenshots=True)
    assert only_app and {w["packageName"] for w in only_app} == {PACKAGE}
    assert all(w["screenshot"] is None for w in only_app)


def test_clipboard_round_trips_base64_plaintext(driver) -> None:
    # appium-uiautomator2-server handler/SetClipboard.java: base64 content, PLAINTEXT the only type
    driver.set_clipboard_text("promo ✓")
    assert driver.get_clipboard_text() == "promo ✓"
    with pytest.raises(InvalidArgumentException, match="content types are supported"):
        mobile(driver, "setClipboard", content="aGk=", contentType="image")


def test_start_activity_starts_the_app_and_nothing_else(driver) -> None:
    # appium-android-driver lib/commands/intent.ts: `am start`; an activity the phone lacks is an error
    driver.terminate_app(PACKAGE)
    mobile(driver, "startActivity", intent=f"{PACKAGE}/com.ss.android.ugc.aweme.splash.SplashActivity")
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 4
    with pytest.raises(WebDriverException, match="Activity not started"):
        mobile(driver, "startActivity", intent="com.android.settings/.Settings")


@PROTOCOL_AT_REST
def test_notifications_shade_closes_on_back_before_the_app_sees_it(driver) -> None:
    # appium-uiautomator2-server handler/OpenNotification.java; BACK closes the shade first, as on a phone
    open_promotions(driver)
    before = driver.page_source
    driver.open_notifications()
    driver.press_keycode(4)
    assert driver.page_source == before  # the shade closed; the promotions list is still there
    driver.press_keycode(4)
    assert by_desc(driver, "Promotions")  # now BACK reached the app


def test_shell_is_refused_as_an_insecure_feature_not_as_an_unknown_method(driver) -> None:
    # appium/appium packages/base-driver lib/basedriver/core.ts assertFeatureEnabled; appium-android-driver
    # lib/commands/shell.ts asserts adb_shell first
    with pytest.raises(WebDriverException, match="Potentially insecure feature 'adb_shell' has not been enabled"):
        mobile(driver, "shell", command="echo", args=["hi"])


# --- the phone around the app: Android routes Appium 3 still serves ------------------------------------------
def test_element_location_size_and_location_in_view(server, driver) -> None:
    # appium-android-driver lib/method-map.ts: /element/:id/location, /location_in_view, /size (deprecated, served)
    element = by_desc(driver, "Me")
    rect = element.rect
    assert element.location == {"x": rect["x"], "y": rect["y"]}
    assert element.size == {"width": rect["width"], "height": rect["height"]}
    assert get(server, driver, f"/element/{element.id}/location_in_view")[1]["value"] == element.location


def test_app_installed_background_orientation_rotation_and_location(server, driver) -> None:
    # base-driver lib/protocol/routes.ts (app_installed); appium-android-driver lib/method-map.ts (background,
    # rotation, location)
    assert driver.is_app_installed(PACKAGE) and not driver.is_app_installed("com.whatsapp")
    assert post(server, driver, "/appium/app/background", {"seconds": 0})[0] == 200
    assert mobile(driver, "queryAppState", appId=PACKAGE) == 4  # back after 0 s
    assert get(server, driver, "/rotation")[1]["value"] == {"x": 0, "y": 0, "z": 0}
    assert post(server, driver, "/rotation", {"x": 0, "y": 0, "z": 90})[0] == 200
    assert driver.orientation == "LANDSCAPE"
    driver.set_location(48.85, 2.35, 35)
    assert driver.location == {"latitude": 48.85, "longitude": 2.35, "altitude": 35.0}


def test_geolocation_gps_status_bar_and_ui_modes(driver) -> None:
    # appium-android-driver lib/commands/geolocation.ts (a zero answered as Number.MIN_VALUE), system-bars.ts
    # (statusBar commands), appearance.ts (`cmd uimode`)
    assert mobile(driver, "getGeolocation") == {"latitude": 5e-324, "longitude": 5e-324, "altitude": 5e-324}
    mobile(driver, "setGeolocation", latitude=52.52, longitude=13.4)
    assert mobile(driver, "getGeolocation")["latitude"] == 52.52
    mobile(driver, "toggleGps")
    assert mobile(driver, "isGpsEnabled") is False
    with pytest.raises(InvalidArgumentException, match="The 'fly' status bar command is unknown"):
        mobile(driver, "statusBar", command="fly")
    mobile(driver, "setUiMode", mode="night", value="yes")
    assert mobile(driver, "getUiMode", mode="night") == "yes"


def test_viewport_screenshot_leaves_out_the_status_bar_and_screenshots_name_the_display(driver) -> None:
    # appium-uiautomator2-driver lib/commands/screenshot.ts (viewport crop; screenshots keyed by display id)
    from PIL import Image

    viewport = mobile(driver, "viewportRect")
    with Image.open(io.BytesIO(base64.b64decode(mobile(driver, "viewportScreenshot")))) as picture:
        assert picture.size == (viewport["width"], viewport["height"])
    shots = mobile(driver, "screenshots")
    (display, shot), = shots.items()
    assert shot["id"] == display and shot["isDefault"] is True and base64.b64decode(shot["payload"])[:4] == b"\x89PNG"
