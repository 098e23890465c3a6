"""The ``-android uiautomator`` locator strategy: UiSelector / UiScrollable Java expressions.

UiAutomator2 evaluates expressions such as::

    new UiSelector().className("android.widget.TextView").textContains("Budget").instance(1)
    new UiScrollable(new UiSelector().scrollable(true)).scrollIntoView(new UiSelector().text("x"))

This module parses them (a tokenizer plus a recursive-descent parser; nothing is evaluated) into
immutable `Selector` / `ScrollIntoView` values, and matches a `Selector` against a `Node` tree with
Android's `UiSelector` semantics. Scrolling itself is the server's job.

Grammar (``;`` separates statements; a trailing ``;`` is allowed)::

    statement  := scrollable | selector
    scrollable := ["new"] "UiScrollable" "(" selector ")" ("." call)+
    selector   := ["new"] "UiSelector" "(" ")" ("." call)*  |  ["."] call ("." call)*
    call       := NAME "(" [value ("," value)*] ")"
    value      := STRING | INT | "true" | "false" | selector
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from tiktok_promo.simulator.errors import UiSelectorSyntaxError
from tiktok_promo.simulator.ui.node import Node

__all__ = ["Query", "ScrollIntoView", "ScrollStep", "Selector", "UiSelectorSyntaxError", "find", "parse"]


@dataclass(frozen=True)
class Selector:
    """A parsed ``UiSelector``: criteria that one node must all meet, then an optional instance pick.

    `criteria` holds (method name, argument) pairs, the argument of a ``*Matches`` method compiled.
    `related` is the chain of ``childSelector`` / ``fromParent`` sub-selectors, applied in order to
    the nodes this selector picked (Android appends each one to the end of the chain, too).
    """

    criteria: tuple[tuple[str, Value], ...] = ()
    instance: int | None = None
    related: tuple[tuple[str, Selector], ...] = ()

    def matches(self, node: Node) -> bool:
        """Whether `node` meets every criterion (instance and sub-selectors aside)."""
        return all(_CRITERIA[name](node, value) for name, value in self.criteria)


@dataclass(frozen=True)
class ScrollStep:
    """One UiScrollable method call that scrolls (or looks for a child), in chain order.

    `count` is the maxSwipes argument of scrollToEnd / scrollToBeginning / flingTo* (for
    scrollIntoView: setMaxSearchSwipes as it stood when the call was made); `target` what
    scrollIntoView brings on screen; `scroll_to` what getChildByText / getChildByDescription scroll to
    before they pick their child.
    """

    name: str
    count: int = 1
    target: Selector | None = None
    scroll_to: Selector | None = None


@dataclass(frozen=True)
class ScrollIntoView:
    """A parsed ``UiScrollable`` statement; the server performs the scrolling.

    `steps` are the scrolling calls in order. `result` is what the statement finds, as
    UiScrollableParser decides it: the selector of the last method that returns a UiObject
    (scrollIntoView's argument, getChildByText's child...), else the scrollable itself (so a chain
    ending in scrollForward() or scrollToEnd(n) answers the scrollable element).
    `max_swipes` is setMaxSearchSwipes (default 30) for scrollIntoView.
    """

    scrollable: Selector
    result: Selector
    steps: tuple[ScrollStep, ...] = ()
    max_swipes: int = 30
    vertical: bool = True

    @property
    def target(self) -> Selector | None:
        """The selector the statement answers unless it answers the scrollable itself."""
        return None if self.result is self.scrollable else self.result


Query = Selector | ScrollIntoView
Value = str | bool | int | re.Pattern[str] | Selector  # a UiSelector method's argument, as parsed


def parse(expression: str) -> list[Query]:
    """Parse a ``-android uiautomator`` expression: one query per ``;``-separated statement.

    Raises UiSelectorSyntaxError for anything UiAutomator2 would not accept (or we don't support).
    """
    return list(_parse_cached(expression))


def find(selector: Selector, root: Node, *, include_root: bool = True) -> list[Node]:
    """All displayed nodes under `root` that `selector` picks, in document order.

    With ``include_root=False`` the search covers only the descendants of `root`, as
    UiAutomator2's element-scoped search (``UiObject.getChild``) does; instance counting then
    ignores `root` too.
    """
    order = [node for node in root.walk() if node.displayed]
    if not include_root:
        order = order[1:] if order and order[0] is root else order
    return _select(selector, order, order)


# ---------------------------------------------------------------- matching


def _select(selector: Selector, scope: list[Node], order: list[Node]) -> list[Node]:
    found = [node for node in scope if selector.matches(node)]
    if selector.instance is not None:
        # A negative instance matches nothing on a device; a Python slice would count from the end.
        i = selector.instance
        found = found[i : i + 1] if i >= 0 else []
    for relation, sub in selector.related:
        found = _select(sub, _scope(relation, found, order), order)
    return found


def _scope(relation: str, picked: list[Node], order: list[Node]) -> list[Node]:
    """The nodes a sub-selector searches, kept in document order (so `instance` counts right)."""
    chosen = set(picked)
    if relation == "childSelector":
        # Walking up from each node is O(n * depth); gathering descendants per pick could be O(n^2).
        return [node for node in order if any(a in chosen for a in _ancestors(node))]
    # fromParent: the children of each picked node's parent, i.e. its siblings and itself.
    # A node without a parent counts as its own only sibling.
    parents = {node.parent for node in picked if node.parent is not None}
    return [node for node in order if node.parent in parents or (node.parent is None and node in chosen)]


def _ancestors(node: Node) -> Iterator[Node]:
    while node.parent is not None:
        node = node.parent
        yield node


Predicate = Callable[[Node, Any], bool]


def _string_criteria(method: str, attribute: str, *, partial: bool) -> dict[str, Predicate]:
    get = attrgetter(attribute)
    criteria: dict[str, Predicate] = {
        method: lambda node, value: get(node) == value,
        # Java's Matcher.matches() must consume the whole string.
        f"{method}Matches": lambda node, pattern: pattern.fullmatch(get(node)) is not None,
    }
    if partial:
        # Android lower-cases both sides for Contains / StartsWith (but not for exact matches).
        criteria[f"{method}Contains"] = lambda node, value: value.lower() in get(node).lower()
        criteria[f"{method}StartsWith"] = lambda node, value: get(node).lower().startswith(value.lower())
    return criteria


def _flag_criterion(attribute: str) -> Predicate:
    get = attrgetter(attribute)
    return lambda node, value: get(node) == value


_FLAGS = ("clickable", "enabled", "checked", "checkable", "focusable", "focused", "scrollable", "selected")

# UiSelector criterion method -> how a node meets it.
_CRITERIA: dict[str, Predicate] = {
    **_string_criteria("text", "text", partial=True),
    **_string_criteria("description", "desc", partial=True),
    **_string_criteria("resourceId", "rid", partial=False),
    **_string_criteria("className", "cls", partial=False),
    **_string_criteria("packageName", "package", partial=False),
    **{flag: _flag_criterion(flag) for flag in _FLAGS},
    "longClickable": lambda node, value: value is False,  # no simulated view is long-clickable
    "index": lambda node, value: node.index == value,
}

# ---------------------------------------------------------------- method signatures

Signature = tuple[str, ...]  # Java parameter types, e.g. ("int", "int")


def _param_type(method: str) -> str:
    if method in _FLAGS or method == "longClickable":
        return "boolean"
    return "int" if method == "index" else "String"


_SELECTOR_METHODS: dict[str, tuple[Signature, ...]] = {
    **{method: ((_param_type(method),),) for method in _CRITERIA},
    "instance": (("int",),),
    "childSelector": (("UiSelector",),),
    "fromParent": (("UiSelector",),),
}

# UiCollection.getChildByText / getChildByDescription pick the item that is, or holds, a view with
# that text / description; these criteria are reachable only through those methods.
_CRITERIA["~textWithin"] = lambda node, value: any(n.displayed and n.text == value for n in node.walk())
_CRITERIA["~descriptionWithin"] = lambda node, value: any(n.displayed and n.desc == value for n in node.walk())

_SCROLLABLE_METHODS: dict[str, tuple[Signature, ...]] = {
    # configuration
    "setMaxSearchSwipes": (("int",),),
    "setAsVerticalList": ((),),
    "setAsHorizontalList": ((),),
    "setSwipeDeadZonePercentage": (("double",), ("int",)),
    "getMaxSearchSwipes": ((),),
    "getSwipeDeadZonePercentage": ((),),
    # methods that return a UiObject (the statement's result)
    "scrollIntoView": (("UiSelector",),),
    "scrollTextIntoView": (("String",),),
    "scrollDescriptionIntoView": (("String",),),
    "getChild": (("UiSelector",),),
    "getChildByText": (("UiSelector", "String"), ("UiSelector", "String", "boolean")),
    "getChildByDescription": (("UiSelector", "String"), ("UiSelector", "String", "boolean")),
    "getChildByInstance": (("UiSelector", "int"),),
    # methods that scroll and return a boolean
    "scrollForward": ((), ("int",)),  # optional: steps per swipe
    "scrollBackward": ((), ("int",)),
    "scrollToEnd": (("int",), ("int", "int")),  # maxSwipes[, steps]
    "scrollToBeginning": (("int",), ("int", "int")),
    "flingForward": ((),),
    "flingBackward": ((),),
    "flingToEnd": (("int",),),  # maxSwipes
    "flingToBeginning": (("int",),),
}


def _java_type(value: object) -> str:
    if isinstance(value, bool):  # before int: a Python bool is an int
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "String" if isinstance(value, str) else "UiSelector"


# ---------------------------------------------------------------- tokenizer


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "ident", "string", "int", "end", or the punctuation character itself
    text: str  # the source text of the token
    value: Any  # the decoded literal for "string" and "int"
    column: int  # 1-based


_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<double>[+-]?[0-9]+\.[0-9]+)
      | (?P<int>[+-]?[0-9]+)
      | (?P<ident>[A-Za-z_$][\w$]*)
      | (?P<punct>[().,;])""",
    re.VERBOSE | re.DOTALL,
)

_INT_RANGE = range(-(2**31), 2**31)


def _tokenize(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expression):
        column = pos + 1
        m = _TOKEN.match(expression, pos)
        if m is None:
            if expression[pos] == '"':
                raise UiSelectorSyntaxError("Unterminated string literal", expression, column)
            raise UiSelectorSyntaxError(f"Unexpected character {expression[pos]!r}", expression, column)
        pos = m.end()
        kind, text = m.lastgroup, m.group()
        if kind == "string":
            tokens.append(_Token("string", text, _unescape(text[1:-1], expression, column + 1), column))
        elif kind == "double":
            tokens.append(_Token("double", text, float(text), column))
        elif kind == "int":
            if int(text) not in _INT_RANGE:
                raise UiSelectorSyntaxError(f"{text} is out of range for a Java int", expression, column)
            tokens.append(_Token("int", text, int(text), column))
        elif kind == "ident":
            tokens.append(_Token("ident", text, None, column))
        elif kind == "punct":
            tokens.append(_Token(text, text, None, column))
    tokens.append(_Token("end", "", None, len(expression) + 1))
    return tokens


def _unescape(body: str, expression: str, column: int) -> str:
    """A string literal's body as the server reads it: only \\" becomes ", every other backslash stays.

    UiExpressionParser does `replaceAll("\\\\\"", "\"")` and nothing else, so "\\n" is a backslash and an
    n (a regex escape in textMatches), and "\\u0041" is six characters, not an A.
    """
    return body.replace('\\"', '"')


# ---------------------------------------------------------------- parser


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    args: tuple[Any, ...]
    columns: tuple[int, ...]  # where each argument starts
    column: int  # where the method name starts


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = _tokenize(expression)
        self.pos = 0

    # -- token helpers

    def _peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def _take(self) -> _Token:
        token = self._peek()
        if token.kind != "end":
            self.pos += 1
        return token

    def _is(self, kind: str, text: str | None = None, ahead: int = 0) -> bool:
        token = self._peek(ahead)
        return token.kind == kind and (text is None or token.text == text)

    def _error(self, message: str, column: int) -> UiSelectorSyntaxError:
        return UiSelectorSyntaxError(message, self.expression, column)

    def _expect(self, kind: str, what: str, text: str | None = None) -> _Token:
        if not self._is(kind, text):
            token = self._peek()
            raise self._error(f"Expected {what} but found {_describe(token)}", token.column)
        return self._take()

    # -- grammar rules

    def program(self) -> tuple[Query, ...]:
        if self._is("end"):
            raise self._error("Empty expression; expected UiAutomator Java code", 1)
        queries = [self._statement()]
        while self._is(";"):
            self._take()
            if self._is("end"):  # a trailing ';' is fine, as in UiAutomator2
                break
            if self._is(";"):
                raise self._error("Empty statement", self._peek().column)
            queries.append(self._statement())
        self._expect("end", "'.' or ';'")
        return tuple(queries)

    def _statement(self) -> Query:
        if self._starts_constructor("UiScrollable"):
            return self._scrollable()
        return self._selector()

    def _starts_constructor(self, cls: str) -> bool:
        ahead = 1 if self._is("ident", "new") else 0
        return self._is("ident", cls, ahead) and self._is("(", ahead=ahead + 1)

    def _constructor(self, cls: str) -> _Token:
        """Consume ``[new] Cls (`` and return the token that starts it."""
        start = self._peek()
        if self._is("ident", "new"):
            self._take()
        self._expect("ident", f"'{cls}'", text=cls)
        self._expect("(", f"'(' after {cls}")
        return start

    def _selector(self) -> Selector:
        calls: list[_Call] = []
        if self._starts_constructor("UiSelector") or self._is("ident", "new"):
            self._constructor("UiSelector")
            self._expect(")", "')' (UiSelector() takes no arguments)")
        else:
            # UiAutomator2 also takes a bare chain: `text("a")` or `.text("a")`.
            if self._is("."):
                self._take()
            calls.append(self._call("UiSelector", _SELECTOR_METHODS))
        while self._is("."):
            self._take()
            calls.append(self._call("UiSelector", _SELECTOR_METHODS))

        # Android keeps one value per criterion, so a repeated method overrides the earlier one.
        criteria: dict[str, Value] = {}
        instance: int | None = None
        related: list[tuple[str, Selector]] = []
        for call in calls:
            (arg,) = call.args
            if call.name == "instance":
                instance = arg
            elif call.name in ("childSelector", "fromParent"):
                related.append((call.name, arg))
            elif call.name.endswith("Matches"):
                criteria[call.name] = self._regex(arg, call.columns[0])
            else:
                criteria[call.name] = arg
        return Selector(tuple(criteria.items()), instance, tuple(related))

    def _scrollable(self) -> ScrollIntoView:
        self._constructor("UiScrollable")
        container = self._selector()
        self._expect(")", "')' closing new UiScrollable(...)")
        max_swipes, vertical = 30, True
        result: Selector = container
        steps: list[ScrollStep] = []
        while self._is("."):
            self._take()
            call = self._call("UiScrollable", _SCROLLABLE_METHODS)
            args = call.args
            match call.name:
                case "setMaxSearchSwipes":
                    max_swipes = args[0]
                case "setAsVerticalList" | "setAsHorizontalList":
                    vertical = call.name == "setAsVerticalList"
                case "scrollIntoView" | "scrollTextIntoView" | "scrollDescriptionIntoView":
                    if call.name == "scrollIntoView":
                        result = args[0]
                    else:
                        criterion = "text" if call.name == "scrollTextIntoView" else "description"
                        result = Selector(((criterion, args[0]),))
                    # setMaxSearchSwipes counts for the scrolls after it, not for one already made
                    steps.append(ScrollStep("scrollIntoView", count=max_swipes, target=result))
                case "getChild":
                    result = args[0]
                case "getChildByText" | "getChildByDescription":
                    pattern, wanted = args[0], args[1]
                    plain = "text" if call.name == "getChildByText" else "description"
                    result = Selector((*pattern.criteria, (f"~{plain}Within", wanted)), pattern.instance,
                                      pattern.related)
                    scroll = len(args) < 3 or args[2]
                    steps.append(ScrollStep(call.name, scroll_to=Selector(((plain, wanted),)) if scroll else None))
                case "getChildByInstance":
                    result = Selector(args[0].criteria, args[1], args[0].related)
                case "scrollToEnd" | "scrollToBeginning" | "flingToEnd" | "flingToBeginning":
                    steps.append(ScrollStep(call.name, count=args[0]))
                case "scrollForward" | "scrollBackward" | "flingForward" | "flingBackward":
                    steps.append(ScrollStep(call.name))
                case _:
                    pass  # getters: they change nothing
        return ScrollIntoView(container, result, tuple(steps), max_swipes, vertical)

    def _call(self, owner: str, methods: Mapping[str, tuple[Signature, ...]]) -> _Call:
        name = self._expect("ident", f"a {owner} method name")
        if name.text not in methods:
            guess = difflib.get_close_matches(name.text, methods, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            raise self._error(f"{owner} has no supported method '{name.text}'{hint}", name.column)
        opening = self._expect("(", f"'(' after {name.text}")
        args: list[tuple[Any, int]] = []
        if not self._is(")"):
            args.append(self._value())
            while self._is(","):
                self._take()
                args.append(self._value())
        if not self._is(")"):
            token = self._peek()
            raise self._error(
                f"Expected ',' or ')' closing {name.text}( at column {opening.column}"
                f" but found {_describe(token)}",
                token.column,
            )
        self._take()

        values = tuple(value for value, _ in args)
        got = tuple(_java_type(value) for value in values)
        signatures = methods[name.text]
        if got not in signatures:
            wanted = " or ".join(f"{name.text}({', '.join(sig)})" for sig in signatures)
            raise self._error(
                f"{owner}.{name.text} takes {wanted}, not {name.text}({', '.join(got)})",
                args[0][1] if args else opening.column,
            )
        return _Call(name.text, values, tuple(column for _, column in args), name.column)

    def _value(self) -> tuple[Any, int]:
        token = self._peek()
        if token.kind in ("string", "int", "double"):
            self._take()
            return token.value, token.column
        if token.kind == "ident" and token.text in ("true", "false"):
            self._take()
            return token.text == "true", token.column
        # A selector starts with `new`, `.`, or a name followed by `(`: `UiSelector(`, `text(`.
        if self._is(".") or self._is("ident", "new") or (self._is("ident") and self._is("(", ahead=1)):
            return self._selector(), token.column
        raise self._error(
            f"Expected an argument (String, int, double, boolean or UiSelector) but found {_describe(token)}",
            token.column,
        )

    def _regex(self, source: str, column: int) -> re.Pattern[str]:
        # Python's re is close enough to java.util.regex for locator patterns.
        try:
            return re.compile(source)
        except re.error as e:
            raise self._error(f"Invalid regular expression {source!r}: {e}", column) from None


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of expression"
    if token.kind in ("ident", "string", "int", "double"):
        return f"{token.kind} {token.text}"
    return f"'{token.text}'"


@functools.lru_cache(maxsize=512)
def _parse_cached(expression: str) -> tuple[Query, ...]:
    # Page objects repeat the same few locators; queries are immutable, so sharing them is safe.
    return _Parser(expression).program()
