"""Every screen of the cancel flow on the iOS face, for each release in each language it has words in, with the
worlds and faults the Android face has; only the Appium Python client's calls drive it. The screens rest at once
(sim:transitions false): what is checked is what each screen holds and does; one walk, marked slow, has them slide in
as an iPhone's do, and their timing has tests of its own (test_ios_timing.py)."""

from __future__ import annotations

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from simkit import IOS_READS_AT_REST, PROTOCOL_AT_REST, ledger, mobile

FR_CAPS = {"appium:language": "fr", "appium:locale": "fr_FR"}
# (world, caps, the words on the way: profile tab, menu or studio entry, creator tools, promotions entry, the
# details' cancel button, the dialog's confirm and keep, the status a stopped promotion shows)
RELEASES = {
    "guide-en": ("default", {}, ["Me", "Profile menu", "Creator tools", "Promotions"], "Cancel", "Confirm",
                 "Keep promotion", "Canceled"),
    "current-en": ("current", {}, ["Profile", "Profile menu", "Creator tools", "Promote"], "Stop promotion", "Stop",
                   "Not now", "Stopped"),
    "current-fr": ("current", FR_CAPS, ["Profil", "Menu du profil", "Outils pour créateurs", "Promouvoir"],
                   "Arrêter la promotion", "Arrêter", "Pas maintenant", "Arrêtée"),
    "business-en": ("business", {}, ["Profile", "Profile menu", "Business Suite", "Promotions"], "Stop", "Stop",
                    "Keep running", "Stopped"),
    "studio-en": ("studio", {}, ["Profile", "TikTok Studio", "Promote"], "Stop promotion", "Stop", "Cancel",
                  "Stopped"),
    "studio-fr": ("studio", FR_CAPS, ["Profil", "TikTok Studio", "Promouvoir"], "Arrêter la promotion", "Arrêter",
                  "Annuler", "Arrêtée"),
}


def _tap(driver, label: str) -> None:
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, label).click()


def _tap_in_dialog(driver, label: str) -> None:
    """A dialog's button: the last element of that name, as the dialog comes after the page under it."""
    driver.find_element(AppiumBy.XPATH, f"(//*[@name='{label}'])[last()]").click()


def _open_details(driver, path: list[str], title: str) -> None:
    for label in path:
        _tap(driver, label)
    # a row of the list: a Cell labelled with its texts (classic releases) or the web page's title text (studio)
    driver.find_element(AppiumBy.XPATH, f"//*[(self::XCUIElementTypeCell and contains(@label, '{title}')) or "
                                        f"(self::XCUIElementTypeStaticText and @label = '{title}')]").click()


def _cancel_end_to_end(make_ios, release: str) -> None:
    world, caps, path, cancel, confirm, keep, stopped = RELEASES[release]
    driver = make_ios(world=world, **caps)
    _open_details(driver, path, "Summer haul try-on")
    _tap(driver, cancel)
    _tap_in_dialog(driver, keep)  # changing one's mind keeps it running
    assert ledger(driver, "P-1001")["status"] == "active"
    _tap(driver, cancel)
    _tap_in_dialog(driver, confirm)
    assert ledger(driver, "P-1001")["status"] == "canceled"
    shown = [e.get_attribute("label") for e in driver.find_elements(AppiumBy.CLASS_NAME, "StaticText")]
    assert any(stopped in (label or "") for label in shown), shown
    assert not driver.find_elements(AppiumBy.ACCESSIBILITY_ID, cancel)  # no cancel button on a stopped promotion


@PROTOCOL_AT_REST
@pytest.mark.parametrize("release", list(RELEASES))
def test_a_promotion_is_cancelled_end_to_end_through_every_screen(make_ios, release: str) -> None:
    """Screens at rest: the words and the ledger along the walk; the walk's timing is the next test's."""
    _cancel_end_to_end(make_ios, release)


@pytest.mark.slow  # seconds of screens sliding in and the never-idle feed's idle waits
@IOS_READS_AT_REST
def test_a_promotion_is_cancelled_end_to_end_with_screens_sliding_in_as_on_an_iphone(make_ios) -> None:
    _cancel_end_to_end(make_ios, "current-en")


@PROTOCOL_AT_REST
def test_the_app_s_confirmation_is_an_alert_wda_accepts_with_its_last_button(make_ios) -> None:
    # FBAlert.m: an XCUIElementTypeAlert of the app is found after SpringBoard's; its text is its texts one a line;
    # accept taps the last button and dismiss the first (UIKit puts the cancel-style button first).
    driver = make_ios(world="current")
    _open_details(driver, ["Profile", "Profile menu", "Creator tools", "Promote"], "Summer haul try-on")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (the read is the test)
    _tap(driver, "Stop promotion")
    alert = driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeAlert")
    assert alert.get_attribute("label") == "Stop promotion?"
    assert driver.switch_to.alert.text.startswith("Stop promotion?\nYour promotion stops right away")
    assert mobile(driver, "alert", action="getButtons") == ["Not now", "Stop"]
    driver.switch_to.alert.dismiss()
    assert ledger(driver, "P-1001")["status"] == "active"
    _tap(driver, "Stop promotion")
    driver.switch_to.alert.accept()
    assert ledger(driver, "P-1001")["status"] == "canceled"


@PROTOCOL_AT_REST
def test_the_page_under_an_alert_stays_in_the_tree_and_its_button_comes_first(make_ios) -> None:
    # A presented alert leaves the presenting page in XCTest's snapshot (XCUIElement+FBFind.m searches the whole
    # app in document order): on the business release the details' "Stop" is found before the dialog's "Stop",
    # and tapping it hits the alert's dimming view, which does nothing.
    driver = make_ios(world="business")
    _open_details(driver, ["Profile", "Profile menu", "Business Suite", "Promotions"], "Summer haul try-on")
    _tap(driver, "Stop")
    first, second = driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Stop")
    assert first.location["y"] > second.location["y"]  # the page's button is lower on screen, yet found first
    first.click()
    assert ledger(driver, "P-1001")["status"] == "active"
    assert driver.find_elements(AppiumBy.CLASS_NAME, "XCUIElementTypeAlert")
    driver.find_element(AppiumBy.CLASS_NAME, "XCUIElementTypeAlert").find_element(
        AppiumBy.ACCESSIBILITY_ID, "Stop").click()
    assert ledger(driver, "P-1001")["status"] == "canceled"


@PROTOCOL_AT_REST
def test_a_slow_list_shows_a_spinner_before_its_cells(make_ios) -> None:
    driver = make_ios(world="current", faults={"slow_list_ms": 600})
    for label in ("Profile", "Profile menu", "Creator tools", "Promote"):
        _tap(driver, label)
    assert driver.find_elements(AppiumBy.CLASS_NAME, "ActivityIndicator")
    assert not driver.find_elements(AppiumBy.CLASS_NAME, "Cell")
    driver.implicitly_wait(2)
    assert len(driver.find_elements(AppiumBy.CLASS_NAME, "Cell")) == 4


@PROTOCOL_AT_REST
def test_a_failed_confirm_shows_a_toast_and_leaves_the_promotion_running(make_ios) -> None:
    driver = make_ios(world="current", faults={"confirm_fails_once": True})
    _open_details(driver, ["Profile", "Profile menu", "Creator tools", "Promote"], "Latte art in 30 seconds")
    _tap(driver, "Stop promotion")
    _tap_in_dialog(driver, "Stop")
    assert driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Something went wrong. Please try again.")
    assert ledger(driver, "P-1002")["status"] == "active"
    _tap(driver, "Stop promotion")
    _tap_in_dialog(driver, "Stop")
    assert ledger(driver, "P-1002")["status"] == "canceled"


@PROTOCOL_AT_REST
def test_a_re_rendered_screen_makes_held_elements_stale(make_ios) -> None:
    driver = make_ios(world="current", faults={"stale_rate": 1.0, "seed": 3})
    tab = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profile")
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Home")  # a command that looks at the screen re-renders it
    with pytest.raises(StaleElementReferenceException):
        tab.click()


@PROTOCOL_AT_REST
def test_the_app_s_own_pop_ups_stand_over_the_screen_as_on_android(make_ios) -> None:
    driver = make_ios(world="interruptions")
    swipe = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Swipe up for more")  # over the feed, one big button
    assert swipe.tag_name == "XCUIElementTypeButton"
    swipe.click()
    assert not driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Swipe up for more")
