"""Selenium 4 alone (no Appium client) runs the cancel flow and its users' idioms, on the virtual device directly
and through a real Appium 3 with our TikTokSim driver.

Selenium sends By.ID, By.CLASS_NAME and By.NAME as CSS; the UiAutomator2 driver converts CSS to a UiSelector
(appium/appium-uiautomator2-driver lib/commands/find.ts and lib/css/), and refuses `name` (not in
lib/css/schema.ts). Selenium's get_attribute and is_displayed run JavaScript atoms, which UiAutomator2 refuses
in NATIVE_APP (appium/appium-android-driver lib/commands/execute.ts: NotImplementedError, 405 unknown method);
get_dom_attribute is the route that works. `driver.timeouts` reads pageLoad and script, which GET /timeouts
does not answer (appium/appium packages/base-driver/lib/basedriver/commands/timeout.ts).

As a client of TikTok on a phone must, the session sets waitForIdleTimeout to 0 (the feed is never idle, so
each find and click there would wait the default 10 s), and so it meets screens coming in: a find right after
a tap waits for its view explicitly (`shown`), as WebDriverWait users do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import InvalidSelectorException, NoSuchElementException, WebDriverException
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.command import Command
from selenium.webdriver.support.wait import WebDriverWait

from tiktok_promo.harness.run.appium_server import AppiumServer

pytestmark = pytest.mark.slow  # a real Appium 3 server and a Node client per test

PACKAGE = "com.zhiliaoapp.musically"
ACCESSIBILITY_ID, UIAUTOMATOR = "accessibility id", "-android uiautomator"
LIST = 'new UiSelector().className("androidx.recyclerview.widget.RecyclerView")'  # the list, not the filter strip


def selenium_session(url: str, automation: str) -> webdriver.Remote:
    options = ArgOptions()
    options.set_capability("platformName", "Android")
    options.set_capability("appium:automationName", automation)
    options.set_capability("appium:appPackage", PACKAGE)
    options.set_capability("appium:noReset", True)
    options.set_capability("sim:world", "default")
    options.set_capability("appium:settings[waitForIdleTimeout]", 0)  # Appium applies settings[...] at start
    return webdriver.Remote(command_executor=url, options=options)


def shown(driver: webdriver.Remote, using: str, value: str):
    """The element once the screen coming in shows it (an explicit wait, polled every 50 ms)."""
    return WebDriverWait(driver, 3, poll_frequency=0.05, ignored_exceptions=(NoSuchElementException,)).until(
        lambda d: d.find_element(using, value))


@pytest.fixture(params=["device", "appium"])
def driver(request: pytest.FixtureRequest) -> Iterator[webdriver.Remote]:
    if request.param == "device":
        session = selenium_session(request.getfixturevalue("sim_url"), "UiAutomator2")
    else:
        appium: AppiumServer = request.getfixturevalue("appium")
        session = selenium_session(appium.url, "TikTokSim")
    yield session
    session.quit()


def tap(driver: webdriver.Remote, x: int, y: int) -> None:
    actions = ActionBuilder(driver, mouse=PointerInput("touch", "finger"))
    actions.pointer_action.move_to_location(x, y).pointer_down().pause(0.05).pointer_up()
    actions.perform()


def centre(element) -> tuple[int, int]:
    rect = element.rect
    return rect["x"] + rect["width"] // 2, rect["y"] + rect["height"] // 2


def test_selenium_runs_the_cancel_flow(driver: webdriver.Remote) -> None:
    # feed -> profile, with a W3C tap
    tap(driver, *centre(driver.find_element(ACCESSIBILITY_ID, "Me")))
    assert shown(driver, By.XPATH, "//*[@text='@mia.creates']")
    # profile -> menu -> creator tools -> promotions
    shown(driver, ACCESSIBILITY_ID, "Profile menu").click()
    shown(driver, UIAUTOMATOR, 'new UiSelector().text("Creator tools")').click()
    shown(driver, ACCESSIBILITY_ID, "Promotions").click()
    # promotions -> details, the row found inside the list, once the list has come to rest (its rect holds)
    listing = shown(driver, UIAUTOMATOR, LIST)
    WebDriverWait(driver, 3, poll_frequency=0.05).until(lambda d: listing.rect["x"] == 0)
    row_title = listing.find_element(By.XPATH, "//android.widget.TextView[@text='Summer haul try-on']")
    driver.execute_script("mobile: clickGesture", {"elementId": row_title})  # an element object in the args
    status = shown(driver, ACCESSIBILITY_ID, "Status")
    assert status.text == "Active"
    # details -> cancel -> confirm -> status
    shown(driver, ACCESSIBILITY_ID, "Cancel").click()
    shown(driver, ACCESSIBILITY_ID, "Confirm").click()
    WebDriverWait(driver, 5).until(lambda d: d.find_element(ACCESSIBILITY_ID, "Status").text == "Canceled")


def test_selenium_finds_by_id_and_class_name_through_css(driver: webdriver.Remote) -> None:
    home = driver.find_element(ACCESSIBILITY_ID, "Home")
    resource_id = home.get_dom_attribute("resource-id")
    assert driver.find_element(By.ID, resource_id.split(":id/")[1]).get_dom_attribute("content-desc") == "Home"
    assert driver.find_element(By.ID, resource_id).get_dom_attribute("content-desc") == "Home"
    labels = driver.find_elements(By.CLASS_NAME, "android.widget.TextView")
    assert "Home" in [label.text for label in labels]
    assert home.find_elements(By.CLASS_NAME, "android.widget.TextView")[0].text == "Home"  # a child find
    with pytest.raises(InvalidSelectorException, match="Unsupported CSS selector"):
        driver.find_element(By.NAME, "Home")


def test_selenium_attributes_rect_source_screenshot_back(driver: webdriver.Remote) -> None:
    label = driver.find_element(UIAUTOMATOR, 'new UiSelector().text("Home")')
    assert label.get_dom_attribute("name") == "Home"
    assert label.get_dom_attribute("content-desc") is None
    assert label.rect["width"] > 0 and label.rect["height"] > 0
    # Selenium has no class for W3C `unknown method`: a plain WebDriverException with the driver's message
    with pytest.raises(WebDriverException, match="Method is not implemented"):
        label.get_attribute("text")  # Selenium's getAttribute atom is JavaScript
    with pytest.raises(WebDriverException, match="Method is not implemented"):
        label.is_displayed()  # so is its isDisplayed atom
    assert "<hierarchy" in driver.page_source
    assert driver.get_screenshot_as_png()[:4] == b"\x89PNG"
    driver.find_element(ACCESSIBILITY_ID, "Me").click()
    shown(driver, ACCESSIBILITY_ID, "Profile menu").click()
    driver.back()
    assert driver.find_elements(UIAUTOMATOR, 'new UiSelector().text("Creator tools")') == []


def test_selenium_swipes_and_mobile_gestures(driver: webdriver.Remote) -> None:
    driver.find_element(ACCESSIBILITY_ID, "Me").click()
    shown(driver, ACCESSIBILITY_ID, "Profile menu").click()
    shown(driver, UIAUTOMATOR, 'new UiSelector().text("Creator tools")').click()
    shown(driver, ACCESSIBILITY_ID, "Promotions").click()
    listing = shown(driver, UIAUTOMATOR, LIST)
    WebDriverWait(driver, 3, poll_frequency=0.05).until(lambda d: listing.rect["x"] == 0)  # at rest
    x, y = centre(listing)
    actions = ActionBuilder(driver, mouse=PointerInput("touch", "finger"), duration=1000)
    actions.pointer_action.move_to_location(x, y + 200).pointer_down().move_to_location(x, y).pointer_up()
    actions.perform()
    assert driver.execute_script("mobile: scrollGesture",
                                 {"elementId": listing, "direction": "up", "percent": 1.0}) in (True, False)
    with pytest.raises(WebDriverException, match="Parameters were incorrect"):
        driver.execute_script("mobile: swipeGesture", {"elementId": listing, "direction": "up"})


def test_selenium_app_state_terminate_activate_and_timeouts(driver: webdriver.Remote) -> None:
    assert driver.execute_script("mobile: queryAppState", {"appId": PACKAGE}) == 4
    assert driver.execute_script("mobile: terminateApp", {"appId": PACKAGE}) is True
    assert driver.execute_script("mobile: queryAppState", {"appId": PACKAGE}) == 1
    driver.execute_script("mobile: activateApp", {"appId": PACKAGE})
    assert shown(driver, ACCESSIBILITY_ID, "Home")
    driver.implicitly_wait(0.3)
    assert driver.execute(Command.GET_TIMEOUTS)["value"]["implicit"] == 300
    with pytest.raises(KeyError):
        driver.timeouts  # noqa: B018 - Selenium reads pageLoad, which Appium does not answer
    with pytest.raises(WebDriverException, match="Not implemented yet for script"):
        driver.set_script_timeout(5)
    with pytest.raises(WebDriverException, match="Unsupported execute method"):
        driver.execute_script("mobile: flyAway", {})
