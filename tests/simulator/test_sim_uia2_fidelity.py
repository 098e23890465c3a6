"""The virtual device answers as Appium 3 + UiAutomator2 do, where a kinder answer would hide a phone's failure.

Each test names, in a comment, the real source file (repository and path) its expectation was read from.
"""

from __future__ import annotations

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
)
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.command import Command
from simkit import PACKAGE, by_desc, mobile, open_details, open_promotions, raw

from simulator.faults import parse_faults
from simulator.session import Session
from simulator.world import resolve_world


def post(server, driver, path: str, body: dict) -> tuple[int, dict]:
    return raw(server, "POST", f"/session/{driver.session_id}{path}", json.dumps(body).encode())


def source_root(driver) -> etree._Element:
    return etree.fromstring(driver.page_source.encode("utf-8"))


# --- css selector ---------------------------------------------------------------------------
# appium/appium-uiautomator2-driver lib/commands/find.ts, lib/css/schema.ts, lib/css/ui-automator-emitter.ts
# and appium/css-locator-to-native lib/internal/normalize-from-parsed.ts


def test_css_selectors_as_selenium_sends_by_id_and_class_name(driver) -> None:
    by_desc(driver, "Me").click()
    username = driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']")
    short_id = username.get_attribute("resource-id").split(":id/", 1)[1]
    # Selenium 4 sends By.ID as [id="..."] and By.CLASS_NAME as .a.b.c (css selector on the wire).
    assert driver.find_element(By.ID, short_id).text == "@mia.creates"
    assert {e.text for e in driver.find_elements(By.CLASS_NAME, "android.widget.TextView")} >= {"@mia.creates"}
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


def test_unknown_argument_names_are_dropped_not_honoured(driver) -> None:
    open_promotions(driver)
    # `elementID` is not `elementId`: dropped, so the gesture has no area and is refused
    listing = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, "new UiSelector().scrollable(true)")
    with pytest.raises(InvalidArgumentException, match="elementId or the left"):
        mobile(driver, "scrollGesture", elementID=listing.id, direction="down", percent=0.5)


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


def test_implicit_wait_polls_every_half_second() -> None:
    # implicitWaitForCondition: waitForCondition(..., {intervalMs: 500})
    session = Session({"appPackage": PACKAGE}, resolve_world("default"), parse_faults(None))
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


def test_uiscrollable_chain_without_a_uiobject_answers_the_scrollable(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    scrollable = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR, "new UiScrollable(new UiSelector().scrollable(true)).scrollForward()")
    assert scrollable.get_attribute("scrollable") == "true"
    back = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR, "new UiScrollable(new UiSelector().scrollable(true)).scrollToBeginning(5)")
    assert back.id == scrollable.id


def test_get_child_by_text_scrolls_and_returns_the_row(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    titles = [el.text for el in driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR,
                                                     'new UiSelector().className("android.widget.TextView")')]
    assert titles
    row = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR,
                              "new UiScrollable(new UiSelector().scrollable(true))"
                              '.getChildByText(new UiSelector().clickable(true), "Coffee part 4")')
    assert "Coffee part 4" in [el.text for el in row.find_elements(AppiumBy.CLASS_NAME,
                                                                        "android.widget.TextView")]


def test_mobile_scroll_scrolls_a_row_into_view(make_driver) -> None:
    # appium/appium-uiautomator2-driver lib/commands/gestures.ts (mobileScroll) and appium-uiautomator2-server
    # app/src/main/java/io/appium/uiautomator2/handler/gestures/ScrollTo.java, utils/Device.java
    driver = make_driver(world="many")
    open_promotions(driver)
    mobile(driver, "scroll", strategy="-android uiautomator", selector='new UiSelector().text("Coffee part 4")')
    assert driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Coffee part 4")')
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


def test_a_press_held_500_ms_is_a_long_press_not_a_tap(driver) -> None:
    # ViewConfiguration.getLongPressTimeout() (500 ms on stock Android): a held press does not click
    me = by_desc(driver, "Me").rect
    x, y = me["x"] + me["width"] // 2, me["y"] + me["height"] // 2
    _press(driver, x, y, 600)
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']") == []
    _press(driver, x, y, 50)
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']")


def _swipe(driver, move_ms: int) -> None:
    box = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, "new UiSelector().scrollable(true)").rect
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
            for el in root.xpath("//*[@scrollable='true']/*/android.widget.TextView[1]")}  # each row's title


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
