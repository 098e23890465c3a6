"""The studio release: TikTok Studio on the profile, Promote as a hybrid (web) page, in English and French."""

from __future__ import annotations

from pathlib import Path

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from lxml import etree
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from simkit import PROTOCOL_AT_REST, at_rest, by_desc, by_text, ledger, mobile, texts

from tiktok_promo.simulator.world import resolve_world

WEB_ACTIVITY = "com.bytedance.hybrid.spark.page.SparkActivity"
WEBVIEW_CONTEXT = "WEBVIEW_com.zhiliaoapp.musically"
EN = {"profile": "Profile", "menu": "Profile menu", "promote": "Promote", "stop": "Stop promotion",
      "dialog_stop": "Stop", "dialog_cancel": "Cancel", "pause": "Pause", "title": "Stop this promotion?"}
FR = {"profile": "Profil", "menu": "Menu du profil", "promote": "Promouvoir", "stop": "Arrêter la promotion",
      "dialog_stop": "Arrêter", "dialog_cancel": "Annuler", "pause": "Mettre en pause",
      "title": "Arrêter cette promotion\u00a0?"}


def _source(driver) -> etree._Element:
    return etree.fromstring(driver.page_source.encode("utf-8"))


def _open_promote(driver, words: dict[str, str] = EN) -> None:
    by_desc(driver, words["profile"]).click()
    by_text(driver, "TikTok Studio").click()
    by_text(driver, words["promote"]).click()


def _open_details(driver, title: str, words: dict[str, str] = EN) -> None:
    _open_promote(driver, words)
    by_text(driver, title).click()


# --- native screens -----------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_profile_has_a_studio_entry_under_the_bio_with_text_only(make_driver) -> None:
    driver = make_driver(world="studio")
    by_desc(driver, "Profile").click()
    entry = by_text(driver, "TikTok Studio")
    # appium/appium-uiautomator2-server model/UiObject2Element.java: a null content-desc or resource-id reads null.
    assert entry.get_attribute("content-desc") is None
    assert entry.get_attribute("clickable") == "true"
    bio = driver.find_element(AppiumBy.ID, "desc")
    assert entry.rect["y"] >= bio.rect["y"] + bio.rect["height"]
    # The menu is a Button without a resource-id (seen on real builds): only its label finds it.
    menu = by_desc(driver, "Profile menu")
    assert menu.get_attribute("className") == "android.widget.Button"
    assert menu.get_attribute("resource-id") is None


@PROTOCOL_AT_REST
def test_the_menu_sheet_also_leads_to_tiktok_studio(make_driver) -> None:
    driver = make_driver(world="studio")
    by_desc(driver, "Profile").click()
    by_desc(driver, "Profile menu").click()
    at_rest(driver)  # the sheet has risen: its rows below the bottom edge are not on the screen before
    sheet = by_desc(driver, "Bottom sheet")
    # appium/appium-uiautomator2-server core/AccessibilityNodeInfoDumper.java (fetchContext): from an element,
    # the element is the document's root, so "./*" is the sheet itself and its rows are "./*/*".
    rows = sheet.find_elements(AppiumBy.XPATH, "./*/*")
    assert rows[0].get_attribute("content-desc") == "TikTok Studio"
    assert len({r.get_attribute("resource-id") for r in rows}) == 1  # one shared id: the label tells them apart
    rows[0].click()
    assert {"Analytics", "Promote", "Tools"} <= set(texts(driver))
    assert "TikTokStudioActivity" in mobile(driver, "getCurrentActivity")


@pytest.mark.parametrize("world", ["default", "current", "business", "studio"])
@PROTOCOL_AT_REST
def test_the_selected_tab_stays_clickable_with_its_children_selected_and_the_feed_avatar_is_a_profile_trap(
        make_driver, world: str) -> None:
    driver = make_driver(world=world)
    home = by_desc(driver, "Home")
    assert home.is_selected() and home.get_attribute("clickable") == "true"  # as in every real dump
    assert all(child.is_selected() for child in home.find_elements(AppiumBy.XPATH, "./*"))
    avatars = driver.find_elements(AppiumBy.XPATH, "//*[contains(@content-desc, 'profile')]")
    assert [a.get_attribute("content-desc") for a in avatars] == ["dance.daily profile"]
    assert len(driver.find_elements(AppiumBy.ACCESSIBILITY_ID, "Search")) == 2  # the button and a caption chip
    avatars[0].click()
    assert "New choreo drop #fyp" in texts(driver)  # still the feed: the avatar is not the Profile tab


# --- the hybrid page ----------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_promote_is_a_web_page_in_the_spark_container(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_promote(driver)
    assert mobile(driver, "getCurrentActivity") == WEB_ACTIVITY
    root = _source(driver)
    (webview,) = root.iter("android.webkit.WebView")
    assert webview.get("text") == "Promote"
    web_nodes = list(webview.iter())[1:]
    assert {n.get("class") for n in web_nodes} <= {
        "android.view.View", "android.widget.Button", "android.widget.Image", "android.widget.TabWidget",
        "android.widget.ListView",
    }
    # appium/appium-uiautomator2-server model/UiElementSnapshot.java: an empty resource-id is left out of the source.
    assert all(n.get("resource-id") is None for n in web_nodes)
    tabs = next(webview.iter("android.widget.TabWidget"))
    assert [t.get("text") for t in tabs] == ["All", "Active", "Completed"]
    assert tabs[0].get("selected") == "true"


@PROTOCOL_AT_REST
def test_list_tabs_filter_the_campaigns_and_numbers_are_compact(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_promote(driver)
    assert {"5.3K views", "Budget $50.00 total", "$21.40 spent", "Summer haul try-on", "Spring recipes"} <= set(
        texts(driver))
    by_text(driver, "Completed").click()
    shown = set(texts(driver))
    assert "Spring recipes" in shown and "Summer haul try-on" not in shown
    by_text(driver, "Active").click()
    shown = set(texts(driver))
    assert {"Summer haul try-on", "Studio tour"} <= shown and "Spring recipes" not in shown


@PROTOCOL_AT_REST
def test_contexts_list_the_webview_only_while_a_web_page_is_open(make_driver) -> None:
    # appium/appium-android-driver lib/commands/context/helpers.ts: a WebView is listed once it has pages.
    driver = make_driver(world="studio")
    by_desc(driver, "Profile").click()
    assert driver.contexts == ["NATIVE_APP"]
    by_text(driver, "TikTok Studio").click()
    by_text(driver, "Promote").click()
    assert driver.contexts == ["NATIVE_APP", WEBVIEW_CONTEXT]
    assert driver.current_context == "NATIVE_APP"
    driver.back()
    assert driver.contexts == ["NATIVE_APP"]


@PROTOCOL_AT_REST
def test_switching_to_the_webview_fails_as_appium_without_chromedriver_and_stays_native(make_driver) -> None:
    # appium/appium-android-driver lib/commands/context/exports.ts (setContext, switchContext) and
    # appium/appium-chromedriver lib/commands/binary.ts ("No Chromedriver found that can automate Chrome").
    driver = make_driver(world="studio")
    _open_promote(driver)
    with pytest.raises(WebDriverException, match="No Chromedriver found that can automate Chrome"):
        driver.switch_to.context(WEBVIEW_CONTEXT)
    with pytest.raises(WebDriverException, match="No Chromedriver found"):
        driver.switch_to.context("WEBVIEW")
    assert driver.current_context == "NATIVE_APP"
    assert by_text(driver, "Summer haul try-on").is_displayed()  # commands still go to UiAutomator2
    # appium/appium packages/base-driver/lib/protocol/errors.ts: NoSuchContextError is an unknown error.
    with pytest.raises(WebDriverException, match="No such context found"):
        driver.switch_to.context("WEBVIEW_com.android.chrome")
    driver.switch_to.context("NATIVE_APP")
    assert driver.current_context == "NATIVE_APP"


# --- details, pause, the web dialog ---------------------------------------------------------------
@PROTOCOL_AT_REST
def test_cancel_in_the_web_dialog_keeps_the_promotion_running(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_details(driver, "Summer haul try-on")
    by_text(driver, "Stop promotion").click()
    dialog = driver.find_element(AppiumBy.CLASS_NAME, "android.app.Dialog")
    buttons = dialog.find_elements(AppiumBy.CLASS_NAME, "android.widget.Button")
    assert [b.text for b in buttons] == ["Cancel", "Stop"]
    assert "Stop this promotion?" in texts(driver)
    buttons[0].click()
    assert "Stop this promotion?" not in texts(driver)
    assert ledger(driver, "P-1001")["status"] == "active" and ledger(driver, "P-1001")["canceled_at"] is None
    before = ledger(driver, "P-1001")["spend_cents"]
    mobile(driver, "simAdvanceClock", hours=12)
    assert ledger(driver, "P-1001")["spend_cents"] > before  # still running: still charged
    driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Active")')


@PROTOCOL_AT_REST
def test_stop_in_the_web_dialog_stops_at_once_without_refund(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_details(driver, "Summer haul try-on")
    by_text(driver, "Stop promotion").click()
    by_text(driver, "Stop").click()
    words = texts(driver)
    assert "Stopped" in words and "Stop promotion" not in words and "Pause" not in words
    assert any(w.startswith("Stopped Nov 20, 2026") for w in words)
    record = ledger(driver, "P-1001")
    assert record["status"] == "canceled" and record["spend_cents"] == record["spend_at_cancel_cents"] == 2140
    mobile(driver, "simAdvanceClock", days=2)
    assert ledger(driver, "P-1001")["spend_cents"] == 2140


@PROTOCOL_AT_REST
def test_the_page_under_the_dialog_stays_in_the_source_but_a_tap_on_it_does_nothing(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_details(driver, "Summer haul try-on")
    by_text(driver, "Stop promotion").click()
    under = by_text(driver, "Stop promotion")  # still in the accessibility tree, behind the backdrop
    under.click()
    assert "Stop this promotion?" in texts(driver)
    assert ledger(driver, "P-1001")["status"] == "active"
    driver.back()  # BACK closes the web dialog like Cancel
    assert "Stop this promotion?" not in texts(driver)
    assert ledger(driver, "P-1001")["status"] == "active"


@PROTOCOL_AT_REST
def test_pause_is_not_a_stop(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_details(driver, "Summer haul try-on")
    by_text(driver, "Pause").click()
    words = texts(driver)
    assert "Paused" in words and "Resume" in words and "Stop promotion" in words
    record = ledger(driver, "P-1001")
    assert record["status"] == "paused" and record["canceled_at"] is None
    mobile(driver, "simAdvanceClock", hours=6)
    assert ledger(driver, "P-1001")["spend_cents"] == 2140  # no charges while paused
    by_text(driver, "Resume").click()
    mobile(driver, "simAdvanceClock", hours=6)
    assert ledger(driver, "P-1001")["spend_cents"] > 2140


@PROTOCOL_AT_REST
def test_a_promotion_in_review_shows_a_disabled_stop_that_does_nothing(make_driver) -> None:
    driver = make_driver(world="studio")
    _open_details(driver, "Studio tour")
    stop = by_text(driver, "Stop promotion")
    # Chromium's AXNodeData::IsClickable (ui/accessibility/ax_node_data.cc) goes by the role: a
    # <button disabled> stays clickable="true"; only enabled="false" tells it is disabled.
    assert not stop.is_enabled() and stop.get_attribute("clickable") == "true"
    stop.click()
    assert "Stop this promotion?" not in texts(driver)
    assert ledger(driver, "P-1003")["status"] == "in_review"
    # the screen is at rest, so one find tells: no Pause (by_text would wait seconds for what never shows)
    with pytest.raises(NoSuchElementException):
        driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiSelector().text("Pause")')


# --- language -------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_device_info_answers_the_locale_as_uiautomator2_does(make_driver) -> None:
    # appium/appium-uiautomator2-server GetDeviceInfo / DeviceInfoHelper: Locale.getDefault().toString()
    # and TimeZone.getDefault().toZoneId().getId().
    info = mobile(make_driver(world="studio-fr"), "deviceInfo")
    assert (info["locale"], info["timeZone"]) == ("fr_FR", "Europe/Paris")
    info = mobile(make_driver(world="studio"), "deviceInfo")
    assert (info["locale"], info["timeZone"]) == ("en_US", "UTC")


@PROTOCOL_AT_REST
def test_a_french_phone_shows_french_labels_numbers_and_amounts(make_driver) -> None:
    driver = make_driver(world="studio-fr")
    bar = driver.find_element(AppiumBy.XPATH, "//*[@content-desc='Accueil']/..")
    assert [t.get_attribute("content-desc") for t in bar.find_elements(AppiumBy.XPATH, "./*/*")] == [
        "Accueil", "Amis", "Créer", "Messages", "Profil"]  # 47.0 says "Amis" (43.1: "Ami(e)s")
    by_desc(driver, "Profil").click()
    assert by_desc(driver, "Menu du profil").get_attribute("resource-id") is None
    by_text(driver, "TikTok Studio").click()
    by_text(driver, "Promouvoir").click()
    words = set(texts(driver))
    # CLDR French: a no-break space before € and in "5,3 k".
    assert {"Toutes", "Actives", "Terminées", "5,3\u00a0k vues", "21,40\u00a0€ dépensés",
            "Budget 50,00\u00a0€ au total", "Budget 10,00\u00a0€/jour", "En cours d'examen"} <= words
    by_text(driver, "Summer haul try-on").click()
    words = set(texts(driver))
    assert {"21,40\u00a0€", "5\u202f350", "7 jours · du 17 nov. au 24 nov. 2026", "Mettre en pause",
            "Arrêter la promotion"} <= words


@PROTOCOL_AT_REST
def test_a_french_annuler_keeps_it_running_and_arreter_stops_it(make_driver) -> None:
    driver = make_driver(world="studio-fr")
    _open_details(driver, "Summer haul try-on", FR)
    by_text(driver, FR["stop"]).click()
    assert FR["title"] in texts(driver)
    by_text(driver, "Annuler").click()
    assert ledger(driver, "P-1001")["status"] == "active"
    by_text(driver, FR["stop"]).click()
    by_text(driver, "Arrêter").click()
    assert "Arrêtée" in texts(driver)
    assert ledger(driver, "P-1001")["status"] == "canceled"


# --- a long list, pop-ups, a slow page ------------------------------------------------------------
@pytest.fixture
def studio_many(tmp_path) -> str:
    """The sixty promotions of the `many` world on the studio release."""
    text = Path(resolve_world("many").source).read_text(encoding="utf-8").replace("release: guide", "release: studio")
    path = tmp_path / "studio-many.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@PROTOCOL_AT_REST
def test_the_web_list_shows_only_rows_on_screen_and_scrolls_into_view(make_driver, studio_many: str) -> None:
    driver = make_driver(world=studio_many)
    _open_promote(driver)
    assert "Sourdough part 1" in texts(driver) and "Trail run part 3" not in texts(driver)
    found = driver.find_element(AppiumBy.ANDROID_UIAUTOMATOR, 'new UiScrollable(new UiSelector().scrollable(true))'
                                '.scrollIntoView(new UiSelector().text("Trail run part 3"))')
    assert found.rect["y"] >= 360 and found.text == "Trail run part 3"  # below the sticky tabs
    listing = driver.find_element(AppiumBy.CLASS_NAME, "android.widget.ListView")
    assert all(row.rect["y"] >= 360 for row in listing.find_elements(AppiumBy.XPATH, "./*/*"))


@PROTOCOL_AT_REST
def test_pop_ups_and_the_slow_list_work_on_the_web_page(make_driver, tmp_path) -> None:
    text = Path(resolve_world("studio").source).read_text(encoding="utf-8").replace(
        "logged_in: mia.creates", "logged_in: mia.creates\npopups:\n  - {kind: update, on: promotions}")
    path = tmp_path / "studio-popup.yaml"
    path.write_text(text, encoding="utf-8")
    driver = make_driver(world=str(path), faults={"slow_list_ms": 300})
    _open_promote(driver)
    assert texts(driver) == []  # the update prompt: nothing to read (seen)
    driver.back()  # BACK closes it
    driver.implicitly_wait(2)
    assert by_text(driver, "Summer haul try-on").is_displayed()  # after the spinner ("Loading")


@PROTOCOL_AT_REST
def test_mobile_get_contexts_describes_the_webview_as_appium_does(make_driver) -> None:
    # appium/appium-android-driver lib/commands/types.ts (WebviewsMapping) and mobileGetContexts.
    driver = make_driver(world="studio")
    assert mobile(driver, "getContexts") == []
    _open_promote(driver)
    (webview,) = mobile(driver, "getContexts")
    assert webview["webviewName"] == WEBVIEW_CONTEXT
    assert webview["info"]["Android-Package"] == "com.zhiliaoapp.musically"
    assert [p["title"] for p in webview["pages"]] == ["Promote"]
