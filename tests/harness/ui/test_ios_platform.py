"""The same page objects on iOS: WDA page sources read into the snapshot model, each target found the XCUITest
way, taps and BACK as the XCUITest driver does them, iOS's system alerts closed by their words.

The page sources in wda/ follow WebDriverAgent's XML (root XCUIElementTypeApplication; `type name label value
enabled visible accessible x y width height index`, in points, as appium/WebDriverAgent
WebDriverAgentLib/Utilities/FBXPath.m writes them) and the virtual device's iOS contract. A StaticText's value
falls back to its label (appium/WebDriverAgent WebDriverAgentLib/Categories/XCUIElement+FBWebDriverAttributes.m,
wdValue); XCUITest's `back` taps the navigation bar's back button (appium/appium-xcuitest-driver
lib/commands/navigation.ts, nativeBack). Every TikTok label in them is a
guess: no page source of TikTok for iOS is known.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree
from selenium.common.exceptions import NoAlertPresentException

from tiktok_promo.harness.errors import PopupInTheWay
from tiktok_promo.harness.ui.finder import BUSY, Finder
from tiktok_promo.harness.ui.locators import ANDROID, IOS, Candidate, LocatorMemory, platform_of, text
from tiktok_promo.harness.ui.popup_guard import KnownPopup, PopupGuard
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.pages import catalog, wordings
from tiktok_promo.pages.app import (
    KNOWN_POPUPS,
    NOTIFICATION_PERMISSION,
    TEXTLESS_UPDATE_PROMPT,
    TRACKING_PERMISSION,
    TikTokApp,
)
from tiktok_promo.pages.confirm_dialog import CONFIRM, KEEP, TITLE
from tiktok_promo.pages.feed import PROFILE_TAB
from tiktok_promo.pages.promotion_details import BACK, BUDGET, STATUS, VIDEO
from tiktok_promo.pages.promotions_list import LIST, ROW, ROWS, PromotionsListPage

WDA = Path(__file__).resolve().parent / "wda"


def source(name: str) -> str:
    return (WDA / f"{name}.xml").read_text(encoding="utf-8")


def without_alert(xml: str) -> str:
    """The details screen once its confirmation is gone (the alert's window removed)."""
    root = etree.fromstring(xml.encode("utf-8"))
    for window in root.findall("XCUIElementTypeWindow")[1:]:
        root.remove(window)
    return etree.tostring(root, encoding="unicode")


def ios_memory() -> LocatorMemory:
    memory = LocatorMemory(locale="en_US")
    memory.platform = IOS
    return memory


# --- the snapshot reads WDA's page source ---------------------------------------------------------------
def test_a_wda_page_source_reads_into_the_same_model_as_uiautomator2s() -> None:
    snap = Snapshot(source("details_confirm"), ios_memory())
    assert snap.platform == IOS
    status = snap.node(STATUS)
    assert status is not None
    # A label and its value: what a screen reader says, and what the screen shows.
    assert (status.description, status.text) == ("Status", "Active")
    assert status.class_name == "XCUIElementTypeStaticText"
    # x/y/width/height in points become (left, top, right, bottom), the units `mobile: tap` takes.
    assert status.bounds == (113, 140, 213, 162)
    assert snap.text(VIDEO) == "Studio tour"
    assert snap.enabled(CONFIRM)
    assert snap.package == ""  # this page source names no bundle (WDA's real one does, on the application)
    assert Snapshot('<XCUIElementTypeApplication type="XCUIElementTypeApplication" bundleId="com.apple.springboard"/>'
                    ).package == "com.apple.springboard"


def test_a_value_is_read_from_the_element_it_describes_not_from_the_caption_beside_it() -> None:
    # On iOS the caption "Budget" is named "Budget" too (a text is named by its words); Android's content-desc
    # marks only the value. An accessibility id on iOS leaves out a text whose value is its name.
    snap = Snapshot(source("details_confirm"), ios_memory())
    assert snap.text(BUDGET) == "$30.00 total"
    assert len(snap.nodes(BUDGET)) == 1


def test_an_android_page_source_is_still_read_as_android() -> None:
    xml = ('<hierarchy rotation="0"><android.widget.FrameLayout package="com.zhiliaoapp.musically" '
           'bounds="[0,0][1080,2400]"><android.widget.TextView text="Active" content-desc="Status" '
           'bounds="[340,390][620,460]" displayed="true"/></android.widget.FrameLayout></hierarchy>')
    snap = Snapshot(xml, LocatorMemory(locale="en_US"))
    assert snap.platform == ANDROID
    node = snap.node(STATUS)
    assert node is not None and (node.text, node.bounds) == ("Active", (340, 390, 620, 460))


def test_a_row_of_the_ios_list_reads_its_title_status_and_amounts_once_each() -> None:
    snap = Snapshot(source("promotions"), ios_memory())
    rows = PromotionsListPage.rows_of(snap)
    # The cell's own label repeats its title: read from the innermost texts, the title is not doubled.
    assert [(r.title, r.status_text, r.budget_text, r.spent_text) for r in rows] == [
        ("Studio tour", "Active", "Budget $30.00", "Spent $12.40"),
        ("Morning run", "Completed", "Budget $10.00", "Spent $10.00")]
    assert rows[0].is_active and not rows[1].is_active
    listing = snap.node(LIST)
    assert listing is not None and listing.scrollable and listing.bounds == (0, 98, 393, 852)


def test_the_catalog_recognises_each_ios_screen_by_the_same_targets() -> None:
    memory = ios_memory()
    assert catalog.recognise(Snapshot(source("feed"), memory)) is catalog.FEED
    assert catalog.recognise(Snapshot(source("promotions"), memory)) is catalog.PROMOTIONS
    assert catalog.recognise(Snapshot(source("details_confirm"), memory)) is catalog.CONFIRMATION
    details = Snapshot(without_alert(source("details_confirm")), memory)
    assert catalog.recognise(details) is catalog.DETAILS
    # Every target the cancel flow needs on the details screen finds exactly one element there.
    assert all(len(details.nodes(t)) == 1 for t in catalog.DETAILS.needs(details))


# --- one target, each platform's strategy ---------------------------------------------------------------
def test_a_target_asks_each_platform_in_its_own_strategy() -> None:
    by_label = next(c for c in PROFILE_TAB.candidates if c.kind == "accessibility id" and c.value == "Profile")
    assert by_label.appium(platform=ANDROID) == ("accessibility id", "Profile")
    # WDA's name, as a content-desc: a view described so, not a text that shows the word.
    assert by_label.appium(platform=IOS) == (
        "-ios predicate string",
        'name == "Profile" AND NOT (type == "XCUIElementTypeStaticText" AND value == "Profile")')
    by_text = next(c for c in PROFILE_TAB.candidates if c.kind == "text" and c.value == "Profile")
    assert by_text.appium(platform=ANDROID) == ("-android uiautomator", 'new UiSelector().text("Profile")')
    assert by_text.appium(platform=IOS) == ("-ios predicate string", 'label == "Profile" OR value == "Profile"')
    quoted = text('Say "hi"')
    assert quoted.appium(platform=IOS)[1] == 'label == "Say \\"hi\\"" OR value == "Say \\"hi\\""'


def test_resource_ids_and_android_classes_are_never_looked_for_on_ios() -> None:
    android, ios = LocatorMemory(locale="en_US"), ios_memory()
    android.platform = ANDROID
    on_ios = ios.allowed(PROFILE_TAB) + ios.allowed(LIST) + ios.allowed(ROWS) + ios.allowed(BUSY)
    assert on_ios and not [c for c in on_ios if c.kind == "resource-id" or "android." in c.value]
    assert any(c.kind == "resource-id" for c in android.allowed(PROFILE_TAB))
    assert not [c for c in android.allowed(LIST) + android.allowed(BACK) if "XCUIElementType" in c.value]


def test_ios_words_differ_from_androids_only_where_the_word_files_say_so() -> None:
    ios, android = ios_memory(), LocatorMemory(locale="en_US")
    android.platform = ANDROID
    # The current release's toolbar says "Navigate up" on Android; on iOS the navigation bar says "Back".
    android.release = ios.release = "current"
    assert android.primary(BACK).value == "Navigate up"
    assert ios.primary(BACK).value == "Back"
    # Words iOS shares with Android are one candidate for both.
    shared = [c for c in PROFILE_TAB.candidates if c.value == "Profile" and c.kind == "accessibility id"]
    assert len(shared) == 1 and shared[0].platform is None


def test_every_ios_entry_of_the_word_files_is_marked_a_guess() -> None:
    shared = next(r for r in wordings.releases() if not r.name)
    assert shared.ios.seen == frozenset()
    assert {"shape:promo_list", "shape:promo_rows", "shape:back", "en:back", "en:tracking_deny"} <= set(
        shared.ios.guesses())


def test_the_platform_comes_from_the_sessions_capabilities() -> None:
    assert platform_of({"platformName": "iOS", "automationName": "XCUITest"}) == IOS
    assert platform_of({"platformName": "ios"}) == IOS
    assert platform_of({"platformName": "Android", "automationName": "UiAutomator2"}) == ANDROID


# --- the finder acts as the XCUITest driver expects ------------------------------------------------------
class FakeXcuitest:
    """A stand-in for an Appium session on XCUITest: a page source per state, every call it gets recorded."""

    def __init__(self, *sources: str, alert: tuple[str, list[str]] | None = None) -> None:
        self.sources = list(sources)
        self.calls: list[tuple[str, Any]] = []
        self.commands = 0
        self.screen_changes = 0
        self.alert = alert  # iOS's own alert over the app: its text and buttons (not in the page source)

    @property
    def switch_to(self) -> Any:
        """What WDA's GET /alert/text answers (no alert: NoAlertPresentException, as Selenium raises it)."""
        if self.alert is None:
            raise NoAlertPresentException("No alert is open")
        said = self.alert[0]
        return SimpleNamespace(alert=SimpleNamespace(text=said))

    @property
    def page_source(self) -> str:
        self.commands += 1
        return self.sources[0]

    def find_elements(self, by: str, value: str) -> list[Any]:
        self.commands += 1
        self.calls.append(("find", (by, value)))
        return []

    def execute_script(self, script: str, params: dict) -> Any:
        self.commands += 1
        self.calls.append((script, params))
        if script == "mobile: alert":
            if self.alert is None:
                raise NoAlertPresentException("No alert is open")
            if params.get("action") == "getButtons":
                return self.alert[1]
            self.alert = None
        elif script == "mobile: tap" and len(self.sources) > 1:
            self.sources.pop(0)  # the tap closed what covered the screen
        self.screen_changes += 1
        return None

    def swipe(self, start_x: int, start_y: int, end_x: int, end_y: int, duration: int) -> None:
        self.commands += 1
        self.screen_changes += 1
        self.calls.append(("swipe", (start_x, start_y, end_x, end_y)))
        if self.alert is None and len(self.sources) > 1:  # iOS's own alert takes every touch
            self.sources.pop(0)

    def back(self) -> None:
        self.commands += 1
        self.screen_changes += 1
        self.calls.append(("back", None))
        if len(self.sources) > 1:
            self.sources.pop(0)


def ios_finder(driver: FakeXcuitest, popups: tuple[KnownPopup, ...] = KNOWN_POPUPS) -> Finder:
    return Finder(driver, ios_memory(), guard=PopupGuard(popups), timeout=0.2, poll=0.01)  # type: ignore[arg-type]


def test_a_tap_at_a_place_is_mobile_tap_in_points() -> None:
    driver = FakeXcuitest(source("details_confirm"))
    finder = ios_finder(driver)
    finder.snapshot(reuse=False)
    finder.tap(CONFIRM)
    # The "Stop" button's centre in points (197 + 135 / 2, 476 + 44 / 2), with no find before it.
    assert driver.calls == [("mobile: tap", {"x": 264, "y": 498})]


def test_the_confirm_is_tapped_in_the_alert_not_on_its_namesake_under_it() -> None:
    # The business release's details button and its dialog's confirm both read "Stop". WDA's page source keeps the
    # page under a presented alert, first in document order (XCUIElement+FBFind.m), but the alert is modal: a tap
    # on the page's "Stop" meets the dimming view and nothing happens, so the promotion kept running.
    xml = source("details_confirm").replace('name="Stop promotion" label="Stop promotion" enabled',
                                            'name="Stop" label="Stop" enabled', 1)
    assert xml.count('name="Stop"') == 2
    driver = FakeXcuitest(xml)
    finder = ios_finder(driver)
    finder.snapshot(reuse=False)
    finder.tap(CONFIRM)
    assert driver.calls == [("mobile: tap", {"x": 264, "y": 498})]  # the alert's button, not (196, 784) under it


def test_a_find_sends_the_xcuitest_strategies_only() -> None:
    driver = FakeXcuitest(source("feed"))
    finder = ios_finder(driver)
    assert finder.look(KEEP) is None
    strategies = {call[0] for kind, call in driver.calls if kind == "find"}
    assert strategies and strategies <= {"accessibility id", "-ios predicate string", "xpath"}
    assert not [call for kind, call in driver.calls if kind == "find" and "android" in call[1]]


def test_a_row_below_the_fold_is_scrolled_to_by_its_predicate_then_found_again() -> None:
    driver = FakeXcuitest(source("promotions"))
    finder = ios_finder(driver)
    finder.look(ROW.filled(title="Zoo day"))
    wanted = 'label == "Zoo day" OR value == "Zoo day"'
    # XCUITest has no find that scrolls: a find, one `mobile: scroll` with one strategy, the find again.
    assert driver.calls[:3] == [("find", ("-ios predicate string", wanted)),
                                ("mobile: scroll", {"predicateString": wanted}),
                                ("find", ("-ios predicate string", wanted))]
    # WDA scrolls only to a cell the list has built: then the list is paged through from its top, by swipes
    # over the list (not the strip above it), until a swipe no longer moves it.
    swipes = [call for kind, call in driver.calls if kind == "swipe"]
    assert swipes and all(98 <= y <= 852 for _, start, _, end in swipes for y in (start, end))


def test_a_layer_with_nothing_safe_to_tap_is_swiped_down_as_a_sheet_on_ios() -> None:
    # iOS has no BACK key (XCUITest's back taps the navigation bar, here under the layer): a sheet is pulled down.
    blocked = KnownPopup("blocking sheet", identify=TITLE, dismiss=None)
    driver = FakeXcuitest(source("details_confirm"), without_alert(source("details_confirm")))
    finder = ios_finder(driver, (blocked,))
    finder.settle()
    swipes = [call for kind, call in driver.calls if kind == "swipe"]
    assert len(swipes) == 1
    _, start, _, end = swipes[0]
    assert 330 <= start < end <= 520 and end - start >= 100  # within the alert's frame, downwards
    assert not [kind for kind, _ in driver.calls if kind in ("back", "mobile: pressKey")]
    assert finder.guard is not None and finder.guard.dismissed == ["blocking sheet"]


def test_a_layer_a_swipe_cannot_close_stops_the_run_in_one_sentence() -> None:
    blocked = KnownPopup("blocking sheet", identify=TITLE, dismiss=None)
    finder = ios_finder(FakeXcuitest(source("details_confirm")), (blocked,))
    with pytest.raises(PopupInTheWay, match="has nothing safe to tap and a swipe down does not close it"):
        finder.settle()


def test_the_apps_restart_names_it_by_bundle_id_on_ios() -> None:
    driver = FakeXcuitest(source("feed"))
    TikTokApp(ios_finder(driver), "com.zhiliaoapp.musically").restart()
    assert driver.calls == [("mobile: terminateApp", {"bundleId": "com.zhiliaoapp.musically"}),
                            ("mobile: activateApp", {"bundleId": "com.zhiliaoapp.musically"})]


# --- iOS's own system alerts --------------------------------------------------------------------------------
def test_ios_notification_alert_is_known_by_its_words_and_closed_with_dont_allow() -> None:
    snap = Snapshot(source("notifications"), ios_memory())
    guard = PopupGuard(KNOWN_POPUPS)
    assert guard.recognise(snap) is NOTIFICATION_PERMISSION
    dismiss = snap.node(NOTIFICATION_PERMISSION.dismiss)  # type: ignore[arg-type]
    assert dismiss is not None and dismiss.description == "Don\u2019t Allow"


def test_the_tracking_alert_is_known_on_ios_and_never_looked_for_on_android() -> None:
    xml = source("notifications").replace("\u201cTikTok\u201d Would Like to Send You Notifications",
                                          "Allow \u201cTikTok\u201d to track your activity across other "
                                          "companies\u2019 apps and websites?")
    xml = xml.replace("Don\u2019t Allow", "Ask App Not to Track")
    snap = Snapshot(xml, ios_memory())
    assert PopupGuard(KNOWN_POPUPS).recognise(snap) is TRACKING_PERMISSION
    android = LocatorMemory(locale="en_US")
    android.platform = ANDROID
    assert android.allowed(TRACKING_PERMISSION.identify) == []


def test_a_candidate_written_for_one_platform_says_which() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        Candidate("xpath", "//x", platform="windows")


# --- what covers the app on iOS ---------------------------------------------------------------------------
NOTIFICATIONS = ("\u201cTikTok\u201d Would Like to Send You Notifications\nNotifications may include alerts, sounds, "
                 "and icon badges.", ["Don\u2019t Allow", "Allow"])


def test_ios_own_alert_is_closed_by_its_harmless_button_before_a_tap() -> None:
    # SpringBoard's alert is not in the app's page source, yet it takes every touch: WDA's alert commands see it.
    driver = FakeXcuitest(source("feed"), alert=NOTIFICATIONS)
    finder = ios_finder(driver)
    finder.tap(PROFILE_TAB)
    alert_calls = [params for kind, params in driver.calls if kind == "mobile: alert"]
    assert {"action": "dismiss", "buttonLabel": "Don\u2019t Allow"} in alert_calls
    assert finder.guard is not None and finder.guard.dismissed == ["notification permission"]
    # Then the tab is tapped where the page source shows it, in points.
    assert driver.calls[-1] == ("mobile: tap", {"x": 354, "y": 794})


def test_an_ios_alert_nobody_knows_is_never_answered() -> None:
    driver = FakeXcuitest(source("feed"), alert=("Rate TikTok\nEnjoying the app?", ["Not Now", "Rate"]))
    ios_finder(driver).tap(PROFILE_TAB)
    assert [p for kind, p in driver.calls if kind == "mobile: alert"] == [{"action": "getButtons"}]
    assert driver.alert is not None


def test_the_apps_own_confirmation_is_never_taken_for_a_pop_up() -> None:
    # The app's alert is in its page source: WDA's alert commands are not even asked.
    driver = FakeXcuitest(source("details_confirm"))
    finder = ios_finder(driver)
    finder.settle()
    assert not [kind for kind, _ in driver.calls if kind == "mobile: alert"]
    assert finder.guard is not None and finder.guard.dismissed == []


def test_a_tap_on_ios_first_closes_an_overlay_a_find_would_have_seen_through() -> None:
    overlay = source("feed").replace("</XCUIElementTypeWindow>", (
        '<XCUIElementTypeButton type="XCUIElementTypeButton" name="Swipe up for more" label="Swipe up for more" '
        'enabled="true" visible="true" accessible="true" x="0" y="0" width="393" height="852" index="1"/>'
        "</XCUIElementTypeWindow>"))
    driver = FakeXcuitest(overlay, source("feed"))
    finder = ios_finder(driver)
    finder.tap(PROFILE_TAB)
    assert finder.guard is not None and finder.guard.dismissed == ["swipe-up hint"]
    # The hint is tapped where the page source just read shows it (no find between: a find is a look, and a
    # pop-up that came at it would take the tap), then the tab.
    taps = [params for kind, params in driver.calls if kind == "mobile: tap"]
    assert taps == [{"x": 196, "y": 426}, {"x": 354, "y": 794}]
    assert not [kind for kind, _ in driver.calls if kind == "find"]


def test_an_ios_layer_with_nothing_readable_is_known_as_the_textless_update_prompt() -> None:
    layer = source("feed").replace("</XCUIElementTypeWindow>", (
        '<XCUIElementTypeOther type="XCUIElementTypeOther" enabled="true" visible="true" accessible="false" x="0" '
        'y="0" width="393" height="852" index="1"><XCUIElementTypeButton type="XCUIElementTypeButton" '
        'enabled="true" visible="true" accessible="true" x="72" y="472" width="249" height="47" index="0"/>'
        "</XCUIElementTypeOther></XCUIElementTypeWindow>"))
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(layer, ios_memory())) is TEXTLESS_UPDATE_PROMPT
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(source("feed"), ios_memory())) is None


def test_on_ios_the_pop_up_drawn_last_is_the_one_on_top() -> None:
    # WDA's page source holds what is covered too: contacts under a layer with nothing readable. Tapping
    # "Don't allow" there would land on the layer's buttons (one of them "Update").
    contacts = ('<XCUIElementTypeOther type="XCUIElementTypeOther" x="32" y="291" width="329" height="270" index="1">'
                '<XCUIElementTypeStaticText type="XCUIElementTypeStaticText" name="Find your contacts" '
                'label="Find your contacts" value="Find your contacts" x="50" y="319" width="293" height="33"/>'
                '<XCUIElementTypeButton type="XCUIElementTypeButton" name="Don\'t allow" label="Don\'t allow" '
                'x="50" y="489" width="293" height="44"/></XCUIElementTypeOther>')
    layer = ('<XCUIElementTypeOther type="XCUIElementTypeOther" x="0" y="0" width="393" height="852" index="2">'
             '<XCUIElementTypeButton type="XCUIElementTypeButton" x="72" y="472" width="249" height="47"/>'
             "</XCUIElementTypeOther>")
    both = source("feed").replace("</XCUIElementTypeWindow>", contacts + layer + "</XCUIElementTypeWindow>")
    assert PopupGuard(KNOWN_POPUPS).recognise(Snapshot(both, ios_memory())) is TEXTLESS_UPDATE_PROMPT
    only_contacts = source("feed").replace("</XCUIElementTypeWindow>", contacts + "</XCUIElementTypeWindow>")
    under = PopupGuard(KNOWN_POPUPS).recognise(Snapshot(only_contacts, ios_memory()))
    assert under is not None and under.name == "contacts sync"


def test_a_layer_over_the_apps_confirmation_is_pulled_down_once_ios_own_alert_over_both_is_closed() -> None:
    # Seen in the soak on the iOS face: the app's stop confirmation, the text-less update layer over it, and iOS's
    # notification alert over everything. The swipe meets iOS's alert; the alert is then read, though the app shows
    # its own (WDA answers with iOS's first: FBAlert.m), closed with "Don't Allow", and the swipe made again.
    blocked = KnownPopup("blocking sheet", identify=TITLE, dismiss=None)
    driver = FakeXcuitest(source("details_confirm"), without_alert(source("details_confirm")), alert=NOTIFICATIONS)
    finder = ios_finder(driver, (blocked, NOTIFICATION_PERMISSION))
    finder.settle()
    moves = [(kind, params.get("action") if kind == "mobile: alert" else None) for kind, params in driver.calls
             if kind in ("swipe", "mobile: alert")]
    # then the screen is looked at again, with no app alert in it: iOS's alert asked for as at any look
    assert moves[:4] == [("swipe", None), ("mobile: alert", "getButtons"), ("mobile: alert", "dismiss"),
                         ("swipe", None)], moves
    assert ("mobile: alert", {"action": "dismiss", "buttonLabel": "Don\u2019t Allow"}) in driver.calls
    assert finder.guard is not None and finder.guard.dismissed == ["notification permission", "blocking sheet"]


def test_the_apps_own_confirmation_is_never_answered_when_a_layer_over_it_does_not_close() -> None:
    # WDA's alert commands answer with the app's alert when iOS shows none: its title tells it apart.
    blocked = KnownPopup("blocking sheet", identify=TITLE, dismiss=None)
    confirmation = ("Stop promotion?\nYour promotion stops right away.", ["Not now", "Stop"])
    driver = FakeXcuitest(source("details_confirm"), alert=confirmation)
    finder = ios_finder(driver, (blocked, *KNOWN_POPUPS))
    with pytest.raises(PopupInTheWay):
        finder.settle()
    answered = [params for kind, params in driver.calls if kind == "mobile: alert" and params["action"] != "getButtons"]
    assert answered == [] and driver.alert == confirmation
