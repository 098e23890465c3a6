"""Page source and locator strategies, resolved against a window's views as UiAutomator2 does."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from tiktok_promo.simulator import css, uiselector
from tiktok_promo.simulator.errors import InvalidSelector
from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node

# The accessibility attributes the server writes after `displayed`, with the values an ordinary
# app view has (nothing here is a heading, a live region or an input field).
_A11Y_HEAD = " ".join(f'{name}="{value}"' for name, value in (
    ("a11y-important", "true"), ("screen-reader-focusable", "false")))
_A11Y_TAIL = " ".join(f'{name}="{value}"' for name, value in (
    ("showing-hint", "false"), ("text-entry-key", "false"), ("dismissable", "false"),
    ("a11y-focused", "false"), ("heading", "false"), ("live-region", "0"), ("context-clickable", "false"),
    ("content-invalid", "false"),
))
# What an attribute value needs escaped, as lxml writes it (a newline or tab survives as a character reference).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;",
                          "\r": "&#13;"})


def _attr(value: str) -> str:
    return value.translate(_ESCAPES) if value else value
TOAST_PACKAGE = "com.android.settings"  # the package the server gives every toast node
STRATEGIES = ("id", "accessibility id", "xpath", "-android uiautomator", "class name", "css selector")


class SourceTree:
    """The UiAutomator2 XML of some windows (or of one view), with a way back to each XML element's view.

    With `scope` the document's root is that view itself, as the server builds it for an XPath
    search from an element (setting limitXPathContextScope, true by default): nothing above it exists.
    """

    def __init__(self, windows: list[Node], toasts: list[Node] | None = None, landscape: bool = False,
                 scope: Node | None = None) -> None:
        # The XML is written as text, in document order, with `_order` holding each element's view;
        # lxml parses it only when an XPath needs a tree (setting ~30 attributes per element through
        # lxml's API cost more than the whole page-source budget).
        self._order: list[Node | None] = []
        self._lines: list[str] = []
        self._tree: etree._Element | None = None
        self._nodes: dict[etree._Element, Node] = {}
        if scope is not None:
            self._write(scope, 0, window_id=1, index=None)
            return
        width, height = (SCREEN_HEIGHT, SCREEN_WIDTH) if landscape else (SCREEN_WIDTH, SCREEN_HEIGHT)
        shown = [w for w in windows if w.displayed]
        # The root's own attributes (index, class), then the display info, in the server's order.
        root = (f'<hierarchy index="0" class="hierarchy" rotation="{1 if landscape else 0}" width="{width}" '
                f'height="{height}"')
        self._order.append(None)
        if not shown and not toasts:
            self._lines.append(root + "/>\n")
            return
        self._lines.append(root + ">\n")
        for number, window in enumerate(windows):
            if window.displayed:
                self._write(window, 1, window_id=number + 1, index=number)
        for offset, toast in enumerate(toasts or []):
            # A toast is a child of the root with only these five attributes, no bounds, no id.
            self._order.append(toast)
            self._lines.append(
                f'  <{toast.cls} index="{len(windows) + offset}" package="{TOAST_PACKAGE}" class="{toast.cls}" '
                f'text="{_attr(toast.text)}" displayed="true"/>\n'
            )
        self._lines.append("</hierarchy>\n")

    def _write(self, node: Node, depth: int, window_id: int, index: int | None) -> None:
        t, f = "true", "false"
        desc = f' content-desc="{_attr(node.desc)}"' if node.desc else ""  # null on Android: left out
        rid = f' resource-id="{_attr(node.rid)}"' if node.rid else ""
        head = (
            f'{"  " * depth}<{node.cls} index="{node.index if index is None else index}" '
            f'package="{_attr(node.package)}" class="{node.cls}" text="{_attr(node.text)}"{desc}{rid} '
            f'checkable="{t if node.checkable else f}" checked="{t if node.checked else f}" '
            f'clickable="{t if node.clickable else f}" enabled="{t if node.enabled else f}" '
            f'focusable="{t if node.focusable else f}" focused="{t if node.focused else f}" '
            f'long-clickable="false" password="false" scrollable="{t if node.scrollable else f}" '
            f'selected="{t if node.selected else f}" bounds="{node.bounds_text}" displayed="true" '
            f'{_A11Y_HEAD} drawing-order="{node.drawing_order}" {_A11Y_TAIL} window-id="{window_id}"'
        )
        self._order.append(node)
        children = [child for child in node.children if child.displayed]
        if not children:
            self._lines.append(head + "/>\n")
            return
        self._lines.append(head + ">\n")
        for child in children:
            self._write(child, depth + 1, window_id, None)
        self._lines.append(f'{"  " * depth}</{node.cls}>\n')

    @property
    def root(self) -> etree._Element:
        """The document's root element, parsed on first use; each element mapped back to its view."""
        if self._tree is None:
            self._tree = etree.fromstring("".join(self._lines))
            self._nodes = {el: node for el, node in zip(self._tree.iter(), self._order, strict=True)
                           if node is not None}
        return self._tree

    def xml(self) -> str:
        return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" + "".join(self._lines)

    def xpath(self, expression: str, context: Node | None = None) -> list[Node]:
        """Evaluate XPath 1.0 with the document as the context node, as the server does, or (with
        limitXPathContextScope off) with `context`'s element of the whole page as the context node."""
        start: etree._Element | etree._ElementTree
        root = self.root
        if context is not None:
            element = next((el for el, node in self._nodes.items() if node is context), None)
            if element is None:
                return []
            start = element
        else:
            start = root.getroottree()
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
