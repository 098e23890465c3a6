"""Page source and locator strategies, resolved against a window's views as UiAutomator2 does."""

from __future__ import annotations

from lxml import etree

from simulator import uiselector
from simulator.errors import InvalidSelector
from simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node

# Page-source flag -> the Node field behind it, in UiAutomator2's order (None: always false here).
_FLAGS = {
    "checkable": "checkable", "checked": "checked", "clickable": "clickable", "enabled": "enabled",
    "focusable": "focusable", "focused": "focused", "long-clickable": None, "password": None,
    "scrollable": "scrollable", "selected": "selected",
}
STRATEGIES = ("id", "accessibility id", "xpath", "-android uiautomator", "class name")


class SourceTree:
    """The UiAutomator2 XML of some windows, with a way back from each XML element to its view."""

    def __init__(self, windows: list[Node]) -> None:
        self.root = etree.Element("hierarchy", index="0", rotation="0", width=str(SCREEN_WIDTH),
                                  height=str(SCREEN_HEIGHT))
        self.root.set("class", "hierarchy")
        self._nodes: dict[etree._Element, Node] = {}
        self._elements: dict[int, etree._Element] = {}
        for window in windows:
            self._add(self.root, window)

    def _add(self, parent: etree._Element, node: Node) -> None:
        if not node.displayed:
            return
        # One attribute dict per view, its flags read straight off the node: Node.attribute() is the
        # general getter, and calling it per flag cost half of the page-source time budget.
        attrib = {
            "index": str(node.index),
            "package": node.package,
            "class": node.cls,
            "text": node.text,
            "resource-id": node.rid,
            "content-desc": node.desc,
        }
        for flag, field in _FLAGS.items():
            attrib[flag] = "true" if field and getattr(node, field) else "false"
        attrib["bounds"] = node.bounds_text
        attrib["displayed"] = "true"
        el = etree.SubElement(parent, node.cls, attrib)
        self._nodes[el] = node
        self._elements[id(node)] = el
        for child in node.children:
            self._add(el, child)

    def xml(self) -> str:
        body = etree.tostring(self.root, encoding="unicode", pretty_print=True)
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" + body

    def xpath(self, expression: str, context: Node | None = None) -> list[Node]:
        """Evaluate XPath 1.0 from the hierarchy root, or from a view (a search below an element)."""
        start = self._elements.get(id(context), self.root) if context is not None else self.root
        try:
            found = start.xpath(expression)
        except etree.XPathError as error:
            raise InvalidSelector(f"Invalid XPath expression {expression!r}: {error}") from None
        if not isinstance(found, list) or any(not isinstance(item, etree._Element) for item in found):
            raise InvalidSelector(
                f"The XPath expression {expression!r} does not select elements; it must resolve to elements"
            )
        return [self._nodes[el] for el in found if el in self._nodes]


def full_id(value: str, package: str) -> str:
    """UiAutomator2's rule: an id without 'package:id/' belongs to the app under test."""
    return value if ":id/" in value else f"{package}:id/{value}"


def find_in(
    using: str, value: str, root: Node, package: str, windows: list[Node] | None = None, below: bool = False
) -> list[Node]:
    """All views under `root` that a locator matches, in document order.

    `below` is a search from an element: UiAutomator2 looks only at the element's descendants, never
    at the element itself (even when the element is a window's root view). XPath is evaluated over
    the page source of `windows` (default: `root`'s window), from the hierarchy or from the element.
    `-android uiautomator` expressions with UiScrollable are handled by the session (they scroll);
    here such an expression is answered for what is on screen now.
    """
    candidates = root.descendants() if below else root.walk()
    if using == "id":
        wanted = full_id(value, package)
        return [n for n in candidates if n.displayed and n.rid == wanted]
    if using == "accessibility id":
        return [n for n in candidates if n.displayed and n.desc == value]
    if using == "class name":
        return [n for n in candidates if n.displayed and n.cls == value]
    if using == "xpath":
        tree = SourceTree(windows if windows is not None else [root])
        return tree.xpath(value, context=root if below else None)
    if using == "-android uiautomator":
        found: list[Node] = []
        for query in parse_uiautomator(value):
            selector = query.target if isinstance(query, uiselector.ScrollIntoView) else query
            if selector is None:
                raise InvalidSelector("Last method called on a UiScrollable object must return a UiObject object")
            matched = uiselector.find(selector, root, include_root=not below)
            found.extend(n for n in matched if n not in found)
        return found
    raise InvalidSelector(
        f"Locator Strategy {using!r} is not supported for this session; use one of {', '.join(STRATEGIES)}"
    )


def parse_uiautomator(value: str) -> list:
    try:
        return uiselector.parse(value)
    except uiselector.UiSelectorSyntaxError as error:
        raise InvalidSelector(f"Could not parse UiSelector argument: {error}") from None
