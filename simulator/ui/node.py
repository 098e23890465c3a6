"""The widget tree of one screen, as UiAutomator2 sees an Android window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SCREEN_WIDTH = 1080
SCREEN_HEIGHT = 2400

Bounds = tuple[int, int, int, int]


class UnknownAttribute(LookupError):
    """A name getAttribute refuses (the server's NoSuchAttributeException)."""


# The attributes getAttribute answers (utils/Attribute.java, UiObject2Element.getAttribute), by alias.
_ALIASES = {
    "checkable": ("checkable",), "checked": ("checked",), "class": ("class", "className"),
    "clickable": ("clickable",), "content-desc": ("content-desc", "contentDescription"),
    "enabled": ("enabled",), "focusable": ("focusable",), "focused": ("focused",),
    "long-clickable": ("long-clickable", "longClickable"), "package": ("package",), "password": ("password",),
    "resource-id": ("resource-id", "resourceId"), "scrollable": ("scrollable",),
    "selection-start": ("selection-start",), "selection-end": ("selection-end",), "selected": ("selected",),
    "text": ("text", "name"), "hint": ("hint",), "extras": ("extras",), "bounds": ("bounds",),
    "displayed": ("displayed",),
    # known names the server refuses in getAttribute (page source only)
    "index": ("index",), "original-text": ("original-text",), "a11y-important": ("a11y-important",),
}
_ATTRIBUTE_ALIASES = {alias.lower(): name for name, aliases in _ALIASES.items() for alias in aliases}
ATTRIBUTE_NAMES = tuple(
    "{" + ",".join(aliases) + "}" if len(aliases) > 1 else aliases[0]
    for name, aliases in _ALIASES.items() if name not in ("index", "original-text", "a11y-important")
)
_STRINGS = {"text": "text", "content-desc": "desc", "resource-id": "rid", "class": "cls", "package": "package"}
_FLAGS = {
    "checkable": "checkable", "checked": "checked", "clickable": "clickable", "enabled": "enabled",
    "focusable": "focusable", "focused": "focused", "scrollable": "scrollable", "selected": "selected",
    "displayed": "displayed", "long-clickable": None, "password": None,
}


@dataclass(eq=False, slots=True)
class Node:
    """One Android view: what UiAutomator2 reports of it, plus what tapping it does.

    `key` names the view within its screen instance; an element id handed to a client points at
    a key, so a view that disappears (navigation, a recycled list row, a re-render) makes the id
    stale. `action` is what a tap asks of the app model (``None``: a tap does nothing).
    `style` is a hint for the screenshot painter only; it never reaches the page source.
    """

    cls: str
    key: str
    bounds: Bounds = (0, 0, SCREEN_WIDTH, SCREEN_HEIGHT)
    text: str = ""
    desc: str = ""
    rid: str = ""
    package: str = ""
    clickable: bool = False
    enabled: bool = True
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    selected: bool = False
    checkable: bool = False
    checked: bool = False
    displayed: bool = True
    action: str | None = None
    style: str = ""
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    index: int = 0
    drawing_order: int = 0  # the order the parent draws it in (getDrawingOrder); 0 until a screen is finished

    def add(self, *children: Node) -> Node:
        """Append children (setting their parent and sibling index); returns self for chaining."""
        for child in children:
            child.parent = self
            child.index = len(self.children)
            if self.package:
                for node in child.walk():
                    node.package = node.package or self.package
            self.children.append(child)
        return self

    def walk(self) -> Iterator[Node]:
        """This node and all below it, in document order (the order UiAutomator2 searches)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def descendants(self) -> Iterator[Node]:
        it = self.walk()
        next(it)
        return it

    @property
    def center(self) -> tuple[int, int]:
        x1, y1, x2, y2 = self.bounds
        return (x1 + x2) // 2, (y1 + y2) // 2

    def contains(self, x: float, y: float) -> bool:
        x1, y1, x2, y2 = self.bounds
        return x1 <= x < x2 and y1 <= y < y2

    @property
    def bounds_text(self) -> str:
        x1, y1, x2, y2 = self.bounds
        return f"[{x1},{y1}][{x2},{y2}]"

    def attribute(self, name: str) -> str | None:
        """An attribute as the server's UiObject2Element.getAttribute answers it.

        Names match any alias, ignoring case (Attribute.fromString). `name` is an alias of `text`; a
        null value (no content-desc, no resource-id, no hint) reads as None; `index` and the
        accessibility attributes exist in the page source only, and like an unknown name they
        raise UnknownAttribute (the server's NoSuchAttributeException).
        """
        attribute = _ATTRIBUTE_ALIASES.get(name.lower())
        if attribute is None:
            raise UnknownAttribute(name)
        if attribute in _STRINGS:
            value = getattr(self, _STRINGS[attribute])
            return value if value or attribute in ("text", "class", "package") else None
        if attribute == "bounds":
            return self.bounds_text
        if attribute in _FLAGS:
            field_name = _FLAGS[attribute]
            return "true" if field_name and getattr(self, field_name) else "false"
        if attribute in ("hint", "selection-start", "selection-end", "extras"):
            return None
        raise UnknownAttribute(name)

    def find_action_target(self) -> Node:
        """The view that handles a tap on this one: itself, or its nearest clickable ancestor."""
        node: Node | None = self
        while node is not None:
            if node.action is not None:
                return node
            node = node.parent
        return self
