"""Every locator strategy, resolved the way UiAutomator2 resolves it."""

from __future__ import annotations

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from selenium.common.exceptions import InvalidSelectorException, NoSuchElementException
from simkit import PACKAGE, PROTOCOL_AT_REST, by_desc, open_promotions

# The list by its class: the promotions screen's first scrollable view is a strip that scrolls sideways.
LIST = 'new UiSelector().scrollable(true).className("androidx.recyclerview.widget.RecyclerView")'

PERMISSION_PACKAGE = "com.android.permissioncontroller"


def _username_id(driver) -> str:
    """The resource-id of the @username view, as the page source shows it."""
    return driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']").get_attribute("resource-id")


@PROTOCOL_AT_REST
def test_id_with_and_without_the_package_prefix(driver) -> None:
    by_desc(driver, "Me").click()
    full = _username_id(driver)
    assert full.startswith(f"{PACKAGE}:id/")
    short = full.split(":id/", 1)[1]
    assert driver.find_element(AppiumBy.ID, full).text == "@mia.creates"
    assert driver.find_element(AppiumBy.ID, short).text == "@mia.creates"
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ID, f"com.example.other:id/{short}")


@PROTOCOL_AT_REST
def test_short_id_means_the_app_package_not_another_one(make_driver) -> None:
    driver = make_driver(world="interruptions")
    by_desc(driver, "Swipe up for more").click()  # the feed's overlay goes first
    by_desc(driver, "Me").click()  # the notification-permission dialog comes up over the profile
    # An id without a package belongs to the app under test, so the system dialog's button needs its own.
    assert driver.find_elements(AppiumBy.ID, "permission_allow_button") == []
    allow = driver.find_element(AppiumBy.ID, f"{PERMISSION_PACKAGE}:id/permission_allow_button")
    assert allow.text == "Allow"


def test_accessibility_id_is_the_content_desc(driver) -> None:
    tab = driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
    assert tab.get_attribute("content-desc") == "Me"
    assert len(driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Home")) == 1
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, "me")  # exact, case-sensitive


@PROTOCOL_AT_REST
def test_class_name(driver) -> None:
    open_promotions(driver)
    driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Summer haul try-on")').click()
    buttons = driver.find_elements(AppiumBy.CLASS_NAME, "android.widget.Button")
    assert [b.text for b in buttons] == ["Cancel"]


@PROTOCOL_AT_REST
def test_xpath_from_the_root(driver) -> None:
    by_desc(driver, "Me").click()
    assert driver.find_element(AppiumBy.XPATH, "//android.widget.Button[@text='@mia.creates']").is_displayed()
    tabs = driver.find_elements(AppiumBy.XPATH, "//*[@clickable='true' and contains(@content-desc, 'e')]")
    assert {t.get_attribute("content-desc") for t in tabs} >= {"Home", "Create", "Me", "Profile menu"}
    first = driver.find_element(AppiumBy.XPATH, "/hierarchy/*[1]")
    assert first.get_attribute("class") == "android.widget.FrameLayout"


def test_xpath_from_an_element_searches_below_it(driver) -> None:
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    labels = bar.find_elements(AppiumBy.XPATH, ".//android.widget.TextView")
    assert [label.text for label in labels] == ["Home", "Friends", "Inbox", "16", "Me"]  # Inbox's unread badge
    # The feed caption is a TextView too, but it is not inside the bottom bar.
    assert len(driver.find_elements(AppiumBy.XPATH, "//android.widget.TextView")) > len(labels)
    # The element is the document's root (limitXPathContextScope): its children are at ./*/*, not ./*
    assert bar.find_element(AppiumBy.XPATH, "./*/*[@content-desc='Me']").get_attribute("selected") == "false"


@pytest.mark.parametrize("expression", ["//*[@text=", "count(//*)", "//*[@content-desc='Home']/@content-desc", "///"])
def test_xpath_that_is_invalid_or_selects_no_elements_is_invalid_selector(driver, expression: str) -> None:
    with pytest.raises(InvalidSelectorException):
        driver.find_element(AppiumBy.XPATH, expression)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ('text("Summer haul try-on")', ["Summer haul try-on"]),
        ('textContains("LATTE")', ["Latte art in 30 seconds"]),
        ('textStartsWith("Studio")', ["Studio tour"]),
        ('className("android.widget.TextView").textStartsWith("Spent")',
         ["Spent $21.40", "Spent $10.00", "Spent $0.00", "Spent $20.00"]),
        ('description("Back")', [""]),
        ('descriptionContains("Promo")', []),
        ('className("android.widget.TextView").text("In review")', ["In review"]),
        ('className("android.widget.TextView").textContains("Budget").instance(1)', ["Budget $10.00/day"]),
        ('clickable(true).index(0).className("android.widget.LinearLayout")', [""]),
        ('enabled(false)', []),
    ],
)
@PROTOCOL_AT_REST
def test_uiselector_criteria_on_the_promotions_list(driver, selector: str, expected: list[str]) -> None:
    open_promotions(driver)
    found = driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, f"new UiSelector().{selector}")
    assert [e.text for e in found] == expected


@PROTOCOL_AT_REST
def test_uiselector_by_resource_id_and_child_selector(driver) -> None:
    open_promotions(driver)
    row = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Studio tour")')
    status_id = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("In review")') \
        .get_attribute("resource-id")
    statuses = driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, f'new UiSelector().resourceId("{status_id}")')
    assert [s.text for s in statuses] == ["Active", "Active", "In review", "Completed"]
    assert row.text == "Studio tour"
    nested = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR,
        'new UiSelector().clickable(true).childSelector(new UiSelector().text("Studio tour"))',
    )
    assert nested.text == "Studio tour"


def test_uiselector_from_an_element_searches_below_it(driver) -> None:
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    inside = bar.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().className("android.widget.TextView")')
    assert [e.text for e in inside] == ["Home", "Friends", "Inbox", "16", "Me"]


@PROTOCOL_AT_REST
def test_uiscrollable_scroll_into_view_finds_a_row_below_the_fold(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    assert driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Coffee part 4")') == []
    row = driver.find_element(
        AppiumBy.ANDROID_UIAUTOMATOR,
        f'new UiScrollable({LIST}).scrollIntoView(new UiSelector().text("Coffee part 4"))',
    )
    assert row.text == "Coffee part 4"
    x, y = row.location["x"], row.location["y"]
    assert 0 <= x < 1080 and 230 <= y < 2400  # on screen now, below the top bar
    row.click()
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='ID P-3059']").is_displayed()


@PROTOCOL_AT_REST
def test_uiscrollable_for_a_row_that_does_not_exist_finds_nothing(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    with pytest.raises(NoSuchElementException):
        driver.find_element(
            AppiumBy.ANDROID_UIAUTOMATOR,
            f'new UiScrollable({LIST}).scrollIntoView(new UiSelector().text("Nope"))',
        )


@pytest.mark.parametrize(
    "expression",
    ['new UiSelector().text("unclosed', "new UiSelector().noSuchMethod(1)", 'new UiSelector().index("x")'],
)
def test_bad_uiselector_is_invalid_selector(driver, expression: str) -> None:
    with pytest.raises(InvalidSelectorException):
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, expression)


def test_unsupported_strategy_is_invalid_selector(driver) -> None:
    with pytest.raises(InvalidSelectorException, match="not supported"):
        driver.find_element(AppiumBy.IOS_PREDICATE, "label == 'Me'")


def test_uiselector_from_an_element_never_returns_the_element_itself(driver) -> None:
    # UiObject.getChild searches below the element only (appium-uiautomator2-server
    # app/src/main/java/io/appium/uiautomator2/utils/ByUiAutomatorFinder.java: context.getChild(selector)).
    window = driver.find_element(AppiumBy.XPATH, "/hierarchy/*[1]")  # the window's root view, a FrameLayout
    found = [e.id for e in window.find_elements(
        AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().className("android.widget.FrameLayout")')]
    assert len(found) >= 2 and window.id not in found
    # XPath sees the element as the document's root element (limitXPathContextScope)
    assert [e.id for e in window.find_elements(AppiumBy.XPATH, "/*")] == [window.id]


def test_id_and_accessibility_id_from_an_element(driver) -> None:
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Home']/..")
    me = bar.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")
    assert bar.find_element(AppiumBy.ID, me.get_attribute("resource-id")).id == me.id
    tab = bar.find_element(AppiumBy.ACCESSIBILITY_ID, "Friends")
    with pytest.raises(NoSuchElementException):
        tab.find_element(AppiumBy.ACCESSIBILITY_ID, "Me")  # a sibling is not below it
