"""Element commands, page source and screenshots, read through the real client."""

from __future__ import annotations

import io
import re

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from PIL import Image
from selenium.common.exceptions import InvalidElementStateException, StaleElementReferenceException
from simkit import PACKAGE, PROTOCOL_AT_REST, by_desc, by_text, open_promotions

NODE_ATTRIBUTES = [
    "index", "package", "class", "text", "checkable", "checked", "clickable",
    "enabled", "focusable", "focused", "scrollable", "selected", "displayed", "bounds",
]
BOUNDS = re.compile(r"^\[(\d+),(\d+)\]\[(\d+),(\d+)\]$")


def _png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- element commands -----------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_click_navigates(driver) -> None:
    by_desc(driver, "Me").click()
    assert driver.find_element(AppiumBy.XPATH, "//*[@text='@mia.creates']").is_displayed()
    assert by_desc(driver, "Me").is_selected()
    assert not by_desc(driver, "Home").is_selected()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("text", "Me"),
        ("content-desc", "Me"),
        ("class", "android.widget.FrameLayout"),
        ("package", PACKAGE),
        ("clickable", "true"),
        ("enabled", "true"),
        ("displayed", "true"),
        ("selected", "false"),
        ("checked", "false"),
        ("focused", "false"),
        ("scrollable", "false"),
        ("bounds", "[864,2210][1080,2400]"),
    ],
)
def test_attributes_of_the_profile_tab(driver, name: str, expected: str) -> None:
    tab = by_desc(driver, "Me")
    if name == "text":
        tab = tab.find_element(AppiumBy.CLASS_NAME, "android.widget.TextView")
    assert tab.get_attribute(name) == expected


def test_resource_id_attribute_is_the_full_id(driver) -> None:
    rid = by_desc(driver, "Me").get_attribute("resource-id")
    assert rid.startswith(f"{PACKAGE}:id/") and len(rid) > len(f"{PACKAGE}:id/")


@PROTOCOL_AT_REST
def test_scrollable_attribute_of_the_promotions_list(driver) -> None:
    open_promotions(driver)
    lists = driver.find_elements(AppiumBy.CLASS_NAME, "androidx.recyclerview.widget.RecyclerView")
    assert [x.get_attribute("scrollable") for x in lists] == ["true"]


@PROTOCOL_AT_REST
def test_text_displayed_enabled_rect(driver) -> None:
    by_desc(driver, "Me").click()
    name = by_text(driver, "@mia.creates")
    assert name.text == "@mia.creates"
    assert name.is_displayed() and name.is_enabled()
    assert name.rect == {"x": 140, "y": 610, "width": 800, "height": 80}
    assert name.tag_name == "android.widget.Button"


def test_send_keys_and_clear_on_a_label_are_invalid_element_state(driver) -> None:
    label = by_text(driver, "Following")
    with pytest.raises(InvalidElementStateException):
        label.send_keys("hello")
    with pytest.raises(InvalidElementStateException):
        label.clear()


def test_element_screenshot_is_a_png_of_the_element(driver) -> None:
    tab = by_desc(driver, "Me")
    image = _png(tab.screenshot_as_png)
    assert image.size == (tab.rect["width"], tab.rect["height"])


@PROTOCOL_AT_REST
def test_element_left_behind_is_stale_even_after_coming_back(driver) -> None:
    by_desc(driver, "Me").click()
    username = by_text(driver, "@mia.creates")
    by_desc(driver, "Home").click()
    with pytest.raises(StaleElementReferenceException):
        _ = username.text
    by_desc(driver, "Me").click()  # the same screen again, drawn anew
    with pytest.raises(StaleElementReferenceException):
        _ = username.text
    assert by_text(driver, "@mia.creates").text == "@mia.creates"


@PROTOCOL_AT_REST
def test_element_stays_valid_while_its_screen_stays(driver) -> None:
    by_desc(driver, "Me").click()
    username = by_text(driver, "@mia.creates")
    _ = driver.page_source
    _ = driver.get_screenshot_as_png()
    by_desc(driver, "Profile menu")
    assert username.text == "@mia.creates"


@PROTOCOL_AT_REST
def test_view_under_a_sheet_is_stale_to_its_old_id_only_when_it_leaves(driver) -> None:
    by_desc(driver, "Me").click()
    username = by_text(driver, "@mia.creates")
    by_desc(driver, "Profile menu").click()
    assert username.text == "@mia.creates"  # still on screen, under the menu sheet
    driver.back()
    assert username.text == "@mia.creates"


# --- page source ----------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_page_source_has_uiautomator2_shape(driver) -> None:
    by_desc(driver, "Me").click()
    root = etree.fromstring(driver.page_source.encode("utf-8"))
    assert root.tag == "hierarchy"
    assert (root.get("rotation"), root.get("width"), root.get("height")) == ("0", "1080", "2400")
    nodes = list(root.iter())[1:]
    assert len(nodes) > 10
    for node in nodes:
        assert node.tag == node.get("class")
        missing = [a for a in NODE_ATTRIBUTES if node.get(a) is None]
        assert not missing, (node.tag, missing)
        x1, y1, x2, y2 = map(int, BOUNDS.match(node.get("bounds")).groups())
        assert 0 <= x1 <= x2 <= 1080 and 0 <= y1 <= y2 <= 2400
        assert node.get("package") == PACKAGE
    texts = {n.get("text") for n in nodes}
    assert {"@mia.creates", "Mia Creates", "Me"} <= texts
    assert root[0].get("index") == "0"


@PROTOCOL_AT_REST
def test_page_source_shows_only_the_active_window_unless_multi_windows(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    source = driver.page_source
    assert 'text="Creator tools"' in source
    assert "@mia.creates" not in source
    assert driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']") == []
    driver.update_settings({"enableMultiWindows": True})
    source = driver.page_source
    assert "@mia.creates" in source and 'text="Creator tools"' in source
    root = etree.fromstring(source.encode("utf-8"))
    # Android's status bar, the profile's window, the sheet above it, Android's navigation bar: every window
    # UiAutomation lists (appium/appium-uiautomator2-server utils/AXWindowHelpers.java), Android's own too.
    assert [w.get("package") for w in root] == ["com.android.systemui", PACKAGE, PACKAGE, "com.android.systemui"]
    # Two views say "Home": the app's tab and Android's Home button (which would leave the app).
    homes = driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Home")
    assert [e.get_attribute("package") for e in homes] == [PACKAGE, "com.android.systemui"]
    assert len(driver.find_elements(AppiumBy.XPATH, "//*[@text='@mia.creates']")) == 1


@PROTOCOL_AT_REST
def test_long_list_shows_only_the_rows_on_screen(make_driver) -> None:
    driver = make_driver(world="many")
    open_promotions(driver)
    root = etree.fromstring(driver.page_source.encode("utf-8"))
    budgets = [n for n in root.iter() if n.get("text", "").startswith("Budget ")]
    assert 8 <= len(budgets) <= 10  # of sixty: a screenful, the last one cut by the screen's edge
    assert root.xpath("//*[@text='Sourdough part 1']") and not root.xpath("//*[@text='Coffee part 4']")
    assert max(int(BOUNDS.match(n.get("bounds")).group(4)) for n in budgets) <= 2400


# --- screenshot -----------------------------------------------------------------------------------
def test_screenshot_is_a_portrait_png_that_changes_with_the_screen(driver) -> None:
    feed = _png(driver.get_screenshot_as_png())
    assert feed.size == (1080, 2400)
    by_desc(driver, "Me").click()
    profile = _png(driver.get_screenshot_as_png())
    assert profile.size == (1080, 2400)
    assert feed.tobytes() != profile.tobytes()
    # base64 through the client's own decoding too
    assert driver.get_screenshot_as_base64()


@PROTOCOL_AT_REST
def test_back_closes_the_sheet_then_leaves_the_screen(driver) -> None:
    by_desc(driver, "Me").click()
    by_desc(driver, "Profile menu").click()
    driver.back()
    assert by_desc(driver, "Profile menu").is_displayed()
    assert driver.find_elements(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Creator tools")') == []
