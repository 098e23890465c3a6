"""The `-android uiautomator` locator strategy: parsing UiSelector / UiScrollable and matching."""

from __future__ import annotations

import pytest

from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.uiselector import ScrollIntoView, ScrollStep, Selector, UiSelectorSyntaxError, find, parse

PKG = "com.zhiliaoapp.musically"


def tv(key: str, text: str = "", **kwargs: object) -> Node:
    return Node(cls="android.widget.TextView", key=key, text=text, **kwargs)


@pytest.fixture
def tree() -> Node:
    """A small screen: a toolbar and a scrollable list of two rows, plus a hidden view."""
    return Node(cls="android.widget.FrameLayout", key="root", package=PKG).add(
        Node(cls="android.view.ViewGroup", key="toolbar", rid=f"{PKG}:id/toolbar").add(
            Node(cls="android.widget.ImageView", key="back", desc="Back", clickable=True),
            tv("title", "Promotions", rid=f"{PKG}:id/title"),
        ),
        Node(cls="androidx.recyclerview.widget.RecyclerView", key="list", scrollable=True).add(
            Node(cls="android.view.ViewGroup", key="row0", clickable=True).add(
                tv("row0.name", "My video", desc="Video one"),
                tv("row0.budget", "Budget: $10", selected=True),
                Node(cls="android.widget.CheckBox", key="row0.check", checkable=True, checked=True),
            ),
            Node(cls="android.view.ViewGroup", key="row1", clickable=True, enabled=False).add(
                tv("row1.name", "Other video"),
                tv("row1.budget", "budget: $20", focusable=True, focused=True),
            ),
        ),
        tv("hidden", "Promotions", displayed=False),
    )


def keys(expression: str, root: Node) -> list[str]:
    (query,) = parse(expression)
    assert isinstance(query, Selector)
    return [node.key for node in find(query, root)]


# ---------------------------------------------------------------- criteria


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('text("Promotions")', ["title"]),
        ('textContains("video")', ["row0.name", "row1.name"]),
        ('textContains("BUDGET")', ["row0.budget", "row1.budget"]),  # case-insensitive, as Android
        ('textStartsWith("my")', ["row0.name"]),
        (r'textMatches("Budget: \$\d+")', ["row0.budget"]),  # one backslash: the regex's own escape
        ('textMatches("video")', []),  # the whole text must match
        ('description("Back")', ["back"]),
        ('descriptionContains("one")', ["row0.name"]),
        ('descriptionStartsWith("vid")', ["row0.name"]),
        ('descriptionMatches("B.ck")', ["back"]),
        (f'resourceId("{PKG}:id/title")', ["title"]),
        ('resourceIdMatches(".*:id/t.*")', ["toolbar", "title"]),
        ('className("android.widget.CheckBox")', ["row0.check"]),
        ('classNameMatches(".*ViewGroup")', ["toolbar", "row0", "row1"]),
        (f'packageName("{PKG}").className("android.view.ViewGroup").index(0)', ["toolbar", "row0"]),
        ('packageName("other")', []),
        ("clickable(true)", ["back", "row0", "row1"]),
        ("enabled(false)", ["row1"]),
        ("checked(true)", ["row0.check"]),
        ("checkable(true)", ["row0.check"]),
        ("focusable(true)", ["row1.budget"]),
        ("focused(true)", ["row1.budget"]),
        ("scrollable(true)", ["list"]),
        ("selected(true)", ["row0.budget"]),
        ("longClickable(true)", []),
        ('index(1).className("android.widget.TextView")', ["title", "row0.budget", "row1.budget"]),
        ('className("android.widget.TextView").textContains("Budget").instance(1)', ["row1.budget"]),
        ('className("android.widget.TextView").instance(9)', []),
        ('className("android.widget.TextView").instance(-1)', []),
    ],
)
def test_criteria(tree: Node, expression: str, expected: list[str]) -> None:
    assert keys(f"new UiSelector().{expression}", tree) == expected


def test_empty_selector_matches_every_displayed_node_in_document_order(tree: Node) -> None:
    expected = [node.key for node in tree.walk() if node.displayed]
    assert keys("new UiSelector()", tree) == expected
    assert "hidden" not in expected


def test_all_criteria_must_hold_and_a_repeated_method_overrides(tree: Node) -> None:
    assert keys('new UiSelector().text("My video").clickable(true)', tree) == []
    assert keys('new UiSelector().text("nope").text("My video")', tree) == ["row0.name"]


def test_constructor_forms(tree: Node) -> None:
    for expression in (
        'UiSelector().text("My video")',
        'text("My video")',
        '.text("My video")',
        'new  UiSelector ( ) . text ( "My video" ) ',
    ):
        assert keys(expression, tree) == ["row0.name"], expression


def test_find_can_exclude_the_root_like_an_element_scoped_search(tree: Node) -> None:
    row = tree.children[1].children[0]
    (query,) = parse("new UiSelector().clickable(true).instance(0)")
    assert [n.key for n in find(query, row)] == ["row0"]
    assert find(query, row, include_root=False) == []
    (query,) = parse('new UiSelector().className("android.widget.TextView").instance(1)')
    assert [n.key for n in find(query, row, include_root=False)] == ["row0.budget"]


# ---------------------------------------------------------------- childSelector / fromParent


def test_child_selector_searches_descendants(tree: Node) -> None:
    expr = 'new UiSelector().scrollable(true).childSelector(new UiSelector().textContains("video"))'
    assert keys(expr, tree) == ["row0.name", "row1.name"]
    expr = f'new UiSelector().resourceId("{PKG}:id/toolbar").childSelector(new UiSelector().text("My video"))'
    assert keys(expr, tree) == []


def test_instance_applies_per_level(tree: Node) -> None:
    rows = 'new UiSelector().className("android.view.ViewGroup").clickable(true)'
    assert keys(f'{rows}.instance(1).childSelector(className("android.widget.TextView"))', tree) == [
        "row1.name",
        "row1.budget",
    ]
    assert keys(f'{rows}.childSelector(className("android.widget.TextView").instance(2))', tree) == [
        "row1.name"
    ]


def test_chained_child_selectors_descend_step_by_step(tree: Node) -> None:
    expr = (
        "new UiSelector().scrollable(true)"
        ".childSelector(new UiSelector().index(1))"
        ".childSelector(new UiSelector().index(0))"
    )
    assert keys(expr, tree) == ["row1.name"]
    nested = "new UiSelector().scrollable(true).childSelector(index(1).childSelector(index(0)))"
    assert keys(nested, tree) == ["row1.name"]


def test_from_parent_searches_siblings_including_itself(tree: Node) -> None:
    video = 'new UiSelector().text("My video")'
    assert keys(f'{video}.fromParent(new UiSelector().className("android.widget.CheckBox"))', tree) == [
        "row0.check"
    ]
    assert keys(f'{video}.fromParent(className("android.widget.TextView"))', tree) == [
        "row0.name",
        "row0.budget",
    ]
    assert keys('new UiSelector().text("My video").fromParent(text("Other video"))', tree) == []


def test_from_parent_of_the_root_is_the_root_alone(tree: Node) -> None:
    assert keys("new UiSelector().index(0).instance(0).fromParent(new UiSelector())", tree) == ["root"]


# ---------------------------------------------------------------- statements and literals


def test_several_statements_in_order(tree: Node) -> None:
    queries = parse('new UiSelector().text("My video"); new UiSelector().description("Back");')
    assert [[n.key for n in find(q, tree)] for q in queries] == [["row0.name"], ["back"]]


def test_semicolons_and_parens_inside_strings_are_text() -> None:
    (query,) = parse('new UiSelector().text("a;b(c)")')
    assert query == Selector(criteria=(("text", "a;b(c)"),))


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (r'"say \"hi\""', 'say "hi"'),
        # Only \" is unescaped (appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/utils/
        # UiExpressionParser.java: replaceAll("\\\\\"", "\"")); every other backslash stays.
        (r'"back\\slash"', r"back\\slash"),
        (r'"two\nlines\ttab"', r"two\nlines\ttab"),
        (r'"\u00e9t\u00E9"', r"\u00e9t\u00E9"),
        (r'"\d+"', r"\d+"),
        ('"ünï"', "ünï"),
    ],
)
def test_java_string_escapes(literal: str, value: str) -> None:
    assert parse(f"new UiSelector().text({literal})") == [Selector(criteria=(("text", value),))]


def test_regex_escape_in_matches(tree: Node) -> None:
    assert keys(r'new UiSelector().textMatches("Budget: \$\d+")', tree) == ["row0.budget"]


def test_parse_returns_a_fresh_list_each_time() -> None:
    first = parse('text("a")')
    first.clear()
    assert parse('text("a")') == [Selector(criteria=(("text", "a"),))]


# ---------------------------------------------------------------- UiScrollable


def test_scroll_into_view() -> None:
    (query,) = parse(
        "new UiScrollable(new UiSelector().scrollable(true).instance(0))"
        '.scrollIntoView(new UiSelector().text("My video"))'
    )
    target = Selector(criteria=(("text", "My video"),))
    assert query.scrollable == Selector(criteria=(("scrollable", True),), instance=0)
    assert query.result == target
    assert query.steps == (ScrollStep("scrollIntoView", count=30, target=target),)
    assert query.vertical is True


def test_scrollable_configuration() -> None:
    (query,) = parse(
        "UiScrollable(new UiSelector().scrollable(true)).setAsHorizontalList().setMaxSearchSwipes(5)"
        '.scrollIntoView(descriptionContains("x")).setMaxSearchSwipes(9).setSwipeDeadZonePercentage(0.2)'
    )
    assert isinstance(query, ScrollIntoView)
    assert query.target == Selector(criteria=(("descriptionContains", "x"),))
    assert query.steps[0].count == 5  # a setting after the scroll comes too late for it
    assert query.vertical is False


# appium-uiautomator2-server app/src/main/java/io/appium/uiautomator2/utils/UiScrollableParser.java:
# the result is the last method returning a UiObject, else the UiScrollable itself.
@pytest.mark.parametrize(
    ("call", "steps", "result"),
    [
        ('scrollTextIntoView("Hi")', (ScrollStep("scrollIntoView", 30, Selector((("text", "Hi"),))),),
         Selector((("text", "Hi"),))),
        ('scrollDescriptionIntoView("Hi")', (ScrollStep("scrollIntoView", 30, Selector((("description", "Hi"),))),),
         Selector((("description", "Hi"),))),
        ("scrollForward()", (ScrollStep("scrollForward"),), None),
        ("scrollBackward(40)", (ScrollStep("scrollBackward"),), None),
        ("scrollToEnd(7, 20)", (ScrollStep("scrollToEnd", 7),), None),
        ("scrollToBeginning(4)", (ScrollStep("scrollToBeginning", 4),), None),
        ("flingForward()", (ScrollStep("flingForward"),), None),
        ("flingToEnd(3).flingBackward()", (ScrollStep("flingToEnd", 3), ScrollStep("flingBackward")), None),
        ('getChildByInstance(text("a"), 2)', (), Selector((("text", "a"),), 2)),
    ],
)
def test_scroll_actions(call: str, steps: tuple, result: Selector | None) -> None:
    (query,) = parse(f"new UiScrollable(new UiSelector().scrollable(true)).{call}")
    assert query.steps == steps
    assert query.target == result  # None: the chain answers the scrollable


def test_scrollable_and_selector_statements_mix() -> None:
    queries = parse('new UiScrollable(new UiSelector()).scrollIntoView(text("a")); text("b")')
    assert isinstance(queries[0], ScrollIntoView)
    assert queries[1] == Selector(criteria=(("text", "b"),))


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("expression", "message", "column"),
    [
        ("", "Empty expression", 1),
        ("   ", "Empty expression", 1),
        ('new UiSelector().txt("a")', "no supported method 'txt' (did you mean 'text'?)", 18),
        ('new UiSelector().getChild(text("a"))', "no supported method 'getChild'", 18),
        ('new UiSelector().text("a"', "Expected ',' or ')' closing text( at column 22", 26),
        ('new UiSelector().text("a"))', "Expected '.' or ';' but found ')'", 27),
        ('new UiSelector(.text("a")', "Expected ')'", 16),
        ("new UiSelector().text(true)", "UiSelector.text takes text(String), not text(boolean)", 23),
        ('new UiSelector().clickable("yes")', "takes clickable(boolean), not clickable(String)", 28),
        ('new UiSelector().instance("1")', "takes instance(int), not instance(String)", 27),
        ("new UiSelector().index()", "takes index(int), not index()", 23),
        ('new UiSelector().text("a", "b")', "not text(String, String)", 23),
        ('new UiSelector().childSelector("x")', "takes childSelector(UiSelector)", 32),
        ("new UiSelector().text(null)", "(String, int, double, boolean or UiSelector) but found ident null", 23),
        ('new UiSelector().text("a)', "Unterminated string literal", 23),
        ("new UiSelector().text('a')", 'Unexpected character "\'"', 23),
        ("new UiSelector().instance(9999999999)", "out of range for a Java int", 27),
        ('new UiSelector().textMatches("(unclosed")', "Invalid regular expression", 30),
        ("new UiObject(new UiSelector())", "Expected 'UiSelector' but found ident UiObject", 5),
        ('new UiSelector().text("a") text("b")', "Expected '.' or ';' but found ident text", 28),
        ('text("a");;text("b")', "Empty statement", 11),
        ('new UiScrollable(new UiSelector()).scrollIntoView("x")', "takes scrollIntoView(UiSelector)", 51),
        ("new UiScrollable(new UiSelector()).scrollToEnd(true)", "or scrollToEnd(int, int)", 48),
        ('new UiScrollable(new UiSelector().scrollIntoView(text("a"))', "no supported method", 35),
    ],
)
def test_syntax_errors(expression: str, message: str, column: int) -> None:
    with pytest.raises(UiSelectorSyntaxError) as caught:
        parse(expression)
    assert message in str(caught.value)
    assert caught.value.column == column
    assert f"at column {column} of: {expression}" in str(caught.value)


def test_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no supported method 'foo'"):
        parse("new UiSelector().foo()")
