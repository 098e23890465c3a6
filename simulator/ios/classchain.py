"""`-ios class chain`: WDA's chained queries of types, predicates and positions (FBClassChainQueryParser.m,
XCUIElement+FBClassChain.m), read with a small hand-written scanner that follows WDA's tokens.

A chain is items split by `/`: a type (`XCUIElementTypeButton`) or `*`, each optionally followed by predicates
in backticks (`` [`label == "Stop"`] ``, the element itself matches) or in dollars (`[$label == "Stop"$]`, a
descendant matches), then at most one position (`[1]`, `[-1]` from the end, never `[0]`). An item matches the
children of what the previous item matched, or any descendant when `**/` comes before it. A position picks one
of all that its item matched (not one per parent), and an item with a position narrows the next lookup to that one
element, as XCUIElementQuery does. A doubled delimiter inside a predicate is the delimiter itself.

Bad syntax is WDA's `invalid selector` with WDA's own sentence ("Cannot parse class chain query '...'. ...").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tiktok_promo.simulator.errors import InvalidSelector, WebDriverError
from tiktok_promo.simulator.ios.predicate import compile_predicate
from tiktok_promo.simulator.ios.tree import PREFIX

# FBElementTypeTransformer.m's names (without the prefix); a prefixed name it does not know counts as Other.
_TYPE_NAMES = """ActivityIndicator Alert Any Application Browser Button Cell CheckBox CollectionView
ColorWell ComboBox DatePicker DecrementArrow Dialog DisclosureTriangle DockItem Drawer Grid Group Handle HelpTag Icon
Image IncrementArrow Key Keyboard LayoutArea LayoutItem LevelIndicator Link Map Matte Menu MenuBar MenuBarItem
MenuButton MenuItem NavigationBar Other Outline OutlineRow PageIndicator Picker PickerWheel PopUpButton Popover
ProgressIndicator RadioButton RadioGroup RatingIndicator RelevanceIndicator Ruler RulerMarker ScrollBar ScrollView
SearchField SecureTextField SegmentedControl Sheet Slider SplitGroup Splitter StaticText StatusBar StatusItem Stepper
Switch Tab TabBar TabGroup Table TableColumn TableRow TextField TextView Timeline Toggle Toolbar ToolbarButton TouchBar
ValueIndicator WebView Window"""
KNOWN_TYPES = frozenset(_TYPE_NAMES.split())


def element_type(name: str) -> str | None:
    """The type a name selects (None: any); ValueError for a name WDA refuses (no XCUIElementType prefix)."""
    if name == "*":
        return None
    if not name.startswith(PREFIX) or len(name) == len(PREFIX):
        raise ValueError(name)
    short = name[len(PREFIX):]
    if short == "Any":
        return None
    return short if short in KNOWN_TYPES else "Other"


@dataclass
class Item:
    """One link of the chain: a type (None: any), its predicates, its position (0: all), children or descendants."""

    type: str | None = None
    own: list[Callable[[Any], bool]] = field(default_factory=list)
    below: list[Callable[[Any], bool]] = field(default_factory=list)
    position: int = 0
    descendant: bool = False


def _error(query: str, description: str) -> WebDriverError:
    return InvalidSelector(f"Cannot parse class chain query '{query}'. {description}")


def _unexpected(query: str, index: int) -> WebDriverError:
    return _error(query, f"Unexpected character detected at position {index + 1}:\n{query[:index + 1]} <----")


def _tokens(query: str) -> list[tuple[str, str]]:
    """WDA's tokens: (kind, text) with kinds name, star, descendant, split, open, number, self, below, close."""
    follows = {"name": "split open", "star": "split open", "descendant": "name star", "split": "star name",
               "open": "number self below", "number": "close", "self": "close", "below": "close",
               "close": "split open"}
    out: list[tuple[str, str]] = []
    i = 0
    if query.startswith("**/"):
        out.append(("descendant", "**/"))
        i = 3
    while i < len(query):
        char = query[i]
        allowed = follows[out[-1][0]].split() if out else ["name", "star"]
        if char.isalpha() and "name" in allowed:
            start = i
            while i < len(query) and query[i].isalnum():
                i += 1
            out.append(("name", query[start:i]))
            continue
        if char == "*" and ("star" in allowed or (out and out[-1] == ("star", "*"))):
            if query.startswith("**/", i) and "star" in allowed:
                out.append(("descendant", "**/"))
                i += 3
                continue
            if out and out[-1] == ("star", "*") and query.startswith("*/", i):
                out[-1] = ("descendant", "**/")
                i += 2
                continue
            out.append(("star", "*"))
            i += 1
            continue
        if char == "/" and "split" in allowed:
            out.append(("split", "/"))
        elif char == "[" and "open" in allowed:
            out.append(("open", "["))
        elif char == "]" and "close" in allowed:
            out.append(("close", "]"))
        elif (char.isdigit() or char == "-") and "number" in allowed:
            start = i
            while i < len(query) and (query[i].isdigit() or query[i] == "-"):
                i += 1
            out.append(("number", query[start:i]))
            continue
        elif char in "`$" and ("self" in allowed or "below" in allowed):
            kind = "self" if char == "`" else "below"
            text, i = _predicate(query, i, char)
            out.append((kind, text))
            continue
        else:
            raise _unexpected(query, i)
        i += 1
    if not out or out[-1][0] not in ("close", "name", "star"):
        raise _unexpected(query, len(query) - 1)
    return out


def _predicate(query: str, start: int, mark: str) -> tuple[str, int]:
    """The text between two delimiters (a doubled one is the delimiter itself) and the index after it; a
    predicate left open is WDA's "Cannot find the end" error."""
    text = ""
    i = start + 1
    while i < len(query):
        if query[i] == mark:
            if query.startswith(mark * 2, i):
                text += mark
                i += 2
                continue
            return text, i + 1
        text += query[i]
        i += 1
    raise _error(query, f"Cannot find the end of '{text}' predicate value.")


@lru_cache(maxsize=256)
def parse(query: str) -> tuple[Item, ...]:
    """The chain's items; InvalidSelector with WDA's words for what WDA cannot parse."""
    if not query:
        raise _error(query, "The query must not be empty")
    items: list[Item] = []
    item = Item()
    typed = placed = False
    for kind, text in _tokens(query):
        if kind in ("name", "star"):
            if typed:
                raise _error(query, f"Unexpected token '{text}'. The type name can be set only once.")
            try:
                item.type = element_type(text)
            except ValueError:
                raise _error(query, f"'{text}' class name is unknown to WDA") from None
            typed = True
        elif kind == "descendant":
            if item.descendant:
                raise _error(query, f"Unexpected token '{text}'. Descendant markers cannot be duplicated.")
            item = Item(descendant=True)
            typed = placed = False
        elif kind in ("self", "below"):
            if placed:
                raise _error(query, f"Predicate value '{text}' must be set before position value.")
            test = compile_predicate(text)
            (item.own if kind == "self" else item.below).append(test)
        elif kind == "number":
            if placed:
                raise _error(query, f"Position value '{text}' is expected to be set only once.")
            try:
                position = int(text)
            except ValueError:
                position = 0
            if position == 0:
                raise _error(query, f"Position value '{text}' is expected to be a valid integer number not equal "
                                    "to zero.")
            item.position, placed = position, True
        elif kind == "split" and (typed or not item.descendant):
            items.append(item)
            item = Item()
            typed = placed = False
    if item.descendant and not typed:
        raise _error(query, "Descendants lookup modifier '**/' should be followed with the actual element type")
    items.append(item)
    return tuple(items)


def _matches(item: Item, element: Any) -> bool:
    if item.type is not None and element.type != item.type:
        return False
    if not all(test(element) for test in item.own):
        return False
    return all(any(test(d) for d in element.walk() if d is not element) for test in item.below)


def find(query: str, root: Any) -> list[Any]:
    """The elements under `root` the chain selects, in document order."""
    roots = [root]
    chain = parse(query)
    found: list[Any] = []
    for number, item in enumerate(chain):
        found = []
        for base in roots:
            pool = (e for e in base.walk() if e is not base) if item.descendant else iter(base.children)
            found.extend(e for e in pool if _matches(item, e) and e not in found)
        if item.position:
            index = item.position - 1 if item.position > 0 else len(found) + item.position
            found = [found[index]] if 0 <= index < len(found) else []
        if number < len(chain) - 1:
            roots = found
    return found
