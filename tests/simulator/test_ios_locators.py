"""`-ios predicate string` and `-ios class chain` on the iOS face: WDA's syntax and errors, through the XCUITest
driver (which swallows them), and property tests of both parsers over random trees and queries."""

from __future__ import annotations

import pytest
from appium.webdriver.common.appiumby import AppiumBy
from hypothesis import given, settings
from hypothesis import strategies as st
from selenium.common.exceptions import NoSuchElementException
from simkit import PROTOCOL_AT_REST, mobile

from tiktok_promo.simulator.errors import InvalidSelector, UnknownError, WebDriverError
from tiktok_promo.simulator.ios import classchain
from tiktok_promo.simulator.ios.predicate import compile_predicate
from tiktok_promo.simulator.ios.tree import XElement

PREDICATE = AppiumBy.IOS_PREDICATE
CHAIN = AppiumBy.IOS_CLASS_CHAIN


# --- through the client ------------------------------------------------------------------------------------------
@PROTOCOL_AT_REST
def test_a_predicate_finds_by_type_label_and_modifiers(make_ios) -> None:
    driver = make_ios(world="current")
    # FBElementCommands handleGetText: a Button without value reads as its label
    profile = driver.find_element(PREDICATE, 'type == "XCUIElementTypeButton" AND label == "Profile"')
    assert profile.text == "Profile"
    tabs = driver.find_elements(PREDICATE, "type == 'XCUIElementTypeButton' AND label IN {'Home', 'Inbox'}")
    assert [t.get_attribute("label") for t in tabs] == ["Home", "Inbox"]
    assert driver.find_element(PREDICATE, 'label ==[c] "PROFILE"').get_attribute("name") == "Profile"
    assert driver.find_element(PREDICATE, 'wdLabel BEGINSWITH "Prof" AND visible == 1').tag_name == \
        "XCUIElementTypeButton"
    selected = driver.find_elements(PREDICATE, 'value == "1" AND type == "XCUIElementTypeButton"')
    assert [s.get_attribute("label") for s in selected] == ["For You", "Home"]  # the feed's tab, the bar's tab


@PROTOCOL_AT_REST
def test_a_predicate_finds_a_french_label_without_its_accents(make_ios) -> None:
    driver = make_ios(world="current", **{"appium:language": "fr"})
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Profil").click()
    driver.find_element(AppiumBy.ACCESSIBILITY_ID, "Menu du profil").click()
    tools = driver.find_element(PREDICATE, 'label ==[cd] "outils pour createurs"')
    assert tools.get_attribute("label") == "Outils pour créateurs"


@PROTOCOL_AT_REST
def test_a_class_chain_walks_types_positions_and_predicates(make_ios) -> None:
    driver = make_ios(world="current")
    tabs = driver.find_elements(CHAIN, "**/XCUIElementTypeTabBar/XCUIElementTypeButton")
    assert [t.get_attribute("label") for t in tabs] == ["Home", "Friends", "Create", "Inbox", "Profile"]
    assert driver.find_element(CHAIN, "**/XCUIElementTypeTabBar/XCUIElementTypeButton[-1]").id == tabs[-1].id
    assert driver.find_element(CHAIN, "**/XCUIElementTypeButton[`label == \"Inbox\"`]").id == tabs[3].id
    assert driver.find_element(CHAIN, "**/*[$label == \"Inbox\"$]/XCUIElementTypeButton[2]") \
        .get_attribute("label") == "Friends"  # the bar that holds Inbox, then the second of its Buttons
    assert driver.find_element(CHAIN, "XCUIElementTypeWindow/*/XCUIElementTypeTabBar").tag_name == \
        "XCUIElementTypeTabBar"


@PROTOCOL_AT_REST
def test_a_cell_is_found_by_its_title_and_opens_the_details(make_ios) -> None:
    driver = make_ios(world="current")
    for label in ("Profile", "Profile menu", "Creator tools", "Promote"):
        driver.find_element(AppiumBy.ACCESSIBILITY_ID, label).click()
    driver.find_element(CHAIN, '**/XCUIElementTypeCell[`label CONTAINS "Latte art"`]').click()
    assert driver.find_element(PREDICATE, 'name == "Video"').text == "Latte art in 30 seconds"


@pytest.mark.parametrize(("using", "query", "wda_says"), [
    (PREDICATE, 'label == "Home" AND', 'Unable to parse the format string "label == "Home" AND"'),
    (PREDICATE, "content-desc == 'Home'", "Unable to parse the format string"),
    (PREDICATE, "text == 'Home'", "The attribute 'text' is unknown"),
    (CHAIN, "**/Button", "'Button' class name is unknown to WDA"),
    (CHAIN, "**/XCUIElementTypeButton[0]", "Position value '0' is expected to be a valid integer"),
    (CHAIN, "**/XCUIElementTypeButton[`label == \"Home\"", "Cannot find the end of"),
    (AppiumBy.XPATH, "//XCUIElementTypeButton[", "Cannot evaluate results for XPath expression"),
])
@PROTOCOL_AT_REST
def test_bad_syntax_is_wda_s_error_which_the_driver_turns_into_no_such_element(make_ios, using: str, query: str,
                                                                               wda_says: str) -> None:
    # find.ts doNativeFind: every error of a lookup is caught and the lookup retried until the implicit wait ends,
    # so the client sees "no such element" (or an empty list); WDA's own answer is kept in the sim's stats.
    driver = make_ios(world="current")
    with pytest.raises(NoSuchElementException):
        driver.find_element(using, query)
    assert driver.find_elements(using, query) == []
    assert any(wda_says in said for said in mobile(driver, "simStats")["wda_errors"])


@PROTOCOL_AT_REST
def test_a_bad_predicate_in_mobile_scroll_is_not_swallowed(make_ios) -> None:
    # gesture.ts mobileScroll proxies /wda/scroll without catching: WDA's error reaches the client
    driver = make_ios(world="current")
    with pytest.raises(Exception, match="Unable to parse the format string"):
        mobile(driver, "scroll", predicateString="label ==")


# --- the parsers, property by property ------------------------------------------------------------------------
LABELS = ["Stop", "stop", "Not now", "Arrêter", "arreter", "", "Home"]
TYPES = ["Button", "StaticText", "Other", "Cell"]


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> XElement:
    """A random tree of elements under an Application."""
    counter = iter(range(10_000))

    def element(level: int) -> XElement:
        node = XElement(draw(st.sampled_from(TYPES)), f"k{next(counter)}", label=draw(st.sampled_from(LABELS)),
                        ax=True, enabled=draw(st.booleans()))
        if level < depth:
            node.add(*(element(level + 1) for _ in range(draw(st.integers(0, 3)))))
        return node

    app = XElement("Application", "app", label="TikTok")
    return app.add(*(element(1) for _ in range(draw(st.integers(1, 3)))))


@settings(max_examples=60, deadline=None)
@given(tree=trees(), label=st.sampled_from(LABELS), kind=st.sampled_from(TYPES))
def test_a_predicate_selects_what_its_meaning_says(tree: XElement, label: str, kind: str) -> None:
    everything = list(tree.walk())
    equal = compile_predicate(f'label == "{label}"')
    # an empty label is nil to WDA, and nil equals no string, not even ""
    assert [e for e in everything if equal(e)] == [e for e in everything if e.wd_label is not None and
                                                   e.wd_label == label]
    folded = compile_predicate(f'label ==[c] "{label.upper()}"')
    assert [e for e in everything if folded(e)] == [e for e in everything if label and e.label.casefold() ==
                                                    label.upper().casefold()]
    both = compile_predicate(f'type == "XCUIElementType{kind}" AND NOT enabled == 0')
    assert [e for e in everything if both(e)] == [e for e in everything if e.type == kind and e.enabled]
    either = compile_predicate(f'type == "XCUIElementType{kind}" OR label BEGINSWITH "S"')
    assert [e for e in everything if either(e)] == [e for e in everything
                                                    if e.type == kind or e.label.startswith("S")]


@settings(max_examples=60, deadline=None)
@given(tree=trees(), kind=st.sampled_from(TYPES), position=st.integers(-4, 4).filter(bool))
def test_a_class_chain_position_picks_among_all_matches(tree: XElement, kind: str, position: int) -> None:
    everything = [e for e in tree.walk() if e is not tree and e.type == kind]
    assert classchain.find(f"**/XCUIElementType{kind}", tree) == everything
    picked = classchain.find(f"**/XCUIElementType{kind}[{position}]", tree)
    index = position - 1 if position > 0 else len(everything) + position
    assert picked == ([everything[index]] if 0 <= index < len(everything) else [])
    children = classchain.find("*", tree)
    assert children == tree.children


@settings(max_examples=200, deadline=None)
@given(query=st.text(alphabet="*/[]`$-0123456789 XCUIElementTypeButonlab=\"", max_size=30))
def test_any_class_chain_either_parses_or_is_refused_with_wda_s_error(query: str) -> None:
    try:
        classchain.parse(query)
    except WebDriverError as error:
        assert isinstance(error, InvalidSelector | UnknownError)
        assert error.message.startswith(("Cannot parse class chain query", "Unable to parse the format string",
                                         "The attribute"))


@settings(max_examples=200, deadline=None)
@given(query=st.text(alphabet="labelvuyp =!<>\"'(){},ANDORTcd[]&|1", max_size=30))
def test_any_predicate_either_compiles_or_is_refused_with_wda_s_error(query: str) -> None:
    try:
        compile_predicate(query)
    except UnknownError as error:
        assert error.message.startswith(("Unable to parse the format string", "The attribute"))


@settings(max_examples=100, deadline=None)
@given(label=st.text(alphabet="ab`$ \"'", min_size=1, max_size=8), kind=st.sampled_from(TYPES),
       position=st.sampled_from(["", "[1]", "[-1]"]), descendant=st.booleans())
def test_a_valid_class_chain_always_parses_and_a_doubled_backtick_is_one(label: str, kind: str, position: str,
                                                                         descendant: bool) -> None:
    # FBClassChainQueryParser.m: a doubled enclosing character inside a predicate stands for itself
    app = XElement("Application", "app", label="TikTok")
    target = XElement(kind, "target", label=label, ax=True)
    app.add(XElement("Window", "window").add(XElement("Other", "group").add(target)))
    quoted = label.replace("\\", "\\\\").replace('"', '\\"').replace("`", "``")
    chain = f'XCUIElementType{kind}[`label == "{quoted}"`]{position}'
    query = f"**/{chain}" if descendant else f"XCUIElementTypeWindow/XCUIElementTypeOther/{chain}"
    assert classchain.find(query, app) == [target]
