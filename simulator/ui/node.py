"""The widget tree of one screen, as UiAutomator2 sees an Android window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SCREEN_WIDTH = 1080
SCREEN_HEIGHT = 2400

Bounds = tuple[int, int, int, int]


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
        """An attribute as UiAutomator2's `getAttribute` answers it (strings, 'true'/'false')."""
        simple = {
            "text": self.text,
            "name": self.desc or self.text,
            "content-desc": self.desc,
            "contentDescription": self.desc,
            "resource-id": self.rid,
            "resourceId": self.rid,
            "class": self.cls,
            "className": self.cls,
            "package": self.package,
            "bounds": self.bounds_text,
            "index": str(self.index),
        }
        if name in simple:
            return simple[name]
        flags = {
            "clickable": self.clickable,
            "enabled": self.enabled,
            "focusable": self.focusable,
            "focused": self.focused,
            "scrollable": self.scrollable,
            "selected": self.selected,
            "checkable": self.checkable,
            "checked": self.checked,
            "displayed": self.displayed,
            "long-clickable": False,
            "password": False,
        }
        if name in flags:
            return "true" if flags[name] else "false"
        return None

    def find_action_target(self) -> Node:
        """The view that handles a tap on this one: itself, or its nearest clickable ancestor."""
        node: Node | None = self
        while node is not None:
            if node.action is not None:
                return node
            node = node.parent
        return self
