"""Page source and locator strategies, resolved against a window's views as UiAutomator2 does."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from simulator import css, uiselector
from simulator.errors import InvalidSelector
from simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node

# The accessibility attributes the server writes after `displayed`, with the values an ordinary
# app view has (nothing here is a heading, a live region or an input field).
_A11Y_TAIL = dict((
    ("a11y-important", "true"), ("screen-reader-focusable", "false"), ("drawing-order", "0"),
    ("showing-hint", "false"), ("text-entry-key", "false"), ("dismissable", "false"),
    ("a11y-focused", "false"), ("heading", "false"), ("live-region", "0"), ("context-clickable", "false"),
    ("content-invalid", "false"),
))
TOAST_PACKAGE = "com.android.settings"  # the package the server gives every toast node
STRATEGIES = ("id", "accessibility id", "xpath", "-android uiautomator", "class name", "css selector")


class SourceTree:
    """The UiAutomator2 XML of some windows (or of one view), with a way back to each XML element's view.

    With `scope` the document's root is that view itself, as the server builds it for an XPath
    search from an element (setting limitXPathContextScope, true by default): nothing above it exists.
    """

    def __init__(self, windows: list[Node], toasts: list[Node] | None = None, landscape: bool = False,
                 scope: Node | None = None) -> None:
        self._nodes: dict[etree._Element, Node] = {}
        self._windows = {id(w): i for i, w in enumerate(windows)}
        if scope is not None:
            self.root = self._element(None, scope, window_id=1)
            self._children(self.root, scope, window_id=1)
            return
        width, height = (SCREEN_HEIGHT, SCREEN_WIDTH) if landscape else (SCREEN_WIDTH, SCREEN_HEIGHT)
        # The root's own attributes (index, class), then the display info, in the server's order.
        self.root = etree.Element("hierarchy")
        for name, value in (("index", "0"), ("class", "hierarchy"), ("rotation", "1" if landscape else "0"),
                            ("width", str(width)), ("height", str(height))):
            self.root.set(name, value)
        for number, window in enumerate(windows):
            if window.displayed:
                el = self._element(self.root, window, window_id=number + 1, index=number)
                self._children(el, window, window_id=number + 1)
        for offset, toast in enumerate(toasts or []):
            # A toast is a child of the root with only these five attributes, no bounds, no id.
            attrib = {"index": str(len(windows) + offset), "package": TOAST_PACKAGE, "class": toast.cls,
                      "text": toast.text, "displayed": "true"}
            self._nodes[etree.SubElement(self.root, toast.cls, attrib)] = toast

    def _element(self, parent: etree._Element | None, node: Node, window_id: int,
                 index: int | None = None) -> etree._Element:
        # One dict literal per view, its flags read straight off the node: the general getter
        # (Node.attribute) per attribute would cost most of the page-source budget.
        t, f = "true", "false"
        attrib = {"index": str(node.index if index is None else index), "package": node.package,
                  "class": node.cls, "text": node.text}
        if node.desc:
            attrib["content-desc"] = node.desc  # an empty content-desc is null on Android: left out
        if node.rid:
            attrib["resource-id"] = node.rid
        attrib.update(
            checkable=t if node.checkable else f, checked=t if node.checked else f,
            clickable=t if node.clickable else f, enabled=t if node.enabled else f,
            focusable=t if node.focusable else f, focused=t if node.focused else f,
        )
        attrib["long-clickable"] = f
        attrib["password"] = f
        attrib["scrollable"] = t if node.scrollable else f
        attrib["selected"] = t if node.selected else f
        attrib["bounds"] = node.bounds_text
        attrib["displayed"] = t
        attrib.update(_A11Y_TAIL)
        attrib["window-id"] = str(window_id)
        el = etree.Element(node.cls, attrib) if parent is None else etree.SubElement(parent, node.cls, attrib)
        self._nodes[el] = node
        return el

    def _children(self, el: etree._Element, node: Node, window_id: int) -> None:
        for child in node.children:
            if child.displayed:
                self._children(self._element(el, child, window_id), child, window_id)

    def xml(self) -> str:
        body = etree.tostring(self.root, encoding="unicode", pretty_print=True)
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" + body

    def xpath(self, expression: str, context: Node | None = None) -> list[Node]:
        """Evaluate XPath 1.0 with the document as the context node, as the server does, or (with
        limitXPathContextScope off) with `context`'s element of the whole page as the context node."""
        start: etree._Element | etree._ElementTree
        if context is not None:
            element = next((el for el, node in self._nodes.items() if node is context), None)
            if element is None:
                return []
            start = element
        else:
            start = self.root.getroottree()
            stripped = expression.lstrip()
            if stripped and not stripped.startswith(("/", "(")):
                # lxml evaluates a relative path from the root element; the server's context is the
                # document node above it, so `./*` is the root element itself and `..` is nothing.
                expression = "/" + stripped
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


def post_order(root: Node) -> Iterator[Node]:
    """The views under `root` (itself included) in ByMatcher's order: a view after its children.

    androidx ByMatcher.findMatches adds a node to its results only once its subtree is searched, so
    `By.res`/`By.desc`/`By.clazz` finds list nested matches innermost first.
    """
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children) if child.displayed)


def find_in(using: str, value: str, root: Node, package: str, windows: list[Node] | None = None,
            below: bool = False) -> list[Node]:
    """All views under `root` that a locator matches, in the order the server returns them.

    `below` is a search from an element. For id, accessibility id and class name the server calls
    UiObject2.findObject(s) on the element, which matches the element itself too; a UiSelector
    search (UiObject.getChild) looks only below it; XPath sees a document whose root is the element.
    `-android uiautomator` expressions with UiScrollable are handled by the session (they scroll);
    here such an expression is answered for what is on screen now.
    """
    if using == "id":
        wanted = full_id(value, package)
        return [n for n in post_order(root) if n.displayed and n.rid == wanted]
    if using == "accessibility id":
        return [n for n in post_order(root) if n.displayed and n.desc == value]
    if using == "class name":
        return [n for n in post_order(root) if n.displayed and n.cls == value]
    if using == "xpath":
        tree = SourceTree(windows or [root], scope=root if below else None)
        return tree.xpath(value)
    if using in ("-android uiautomator", "css selector"):
        if using == "css selector":
            value = css.to_uiselector(value, package)
        found: list[Node] = []
        for query in parse_uiautomator(value):
            selector = query.result if isinstance(query, uiselector.ScrollIntoView) else query
            matched = uiselector.find(selector, root, include_root=not below)
            found.extend(n for n in matched if n not in found)
        return found
    raise InvalidSelector(
        f"Locator Strategy '{using}' is not supported for this session"
    )


def parse_uiautomator(value: str) -> list:
    try:
        return uiselector.parse(value)
    except uiselector.UiSelectorSyntaxError as error:
        raise InvalidSelector(f"Could not parse UiSelector argument: {error}") from None
