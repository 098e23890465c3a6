"""A snapshot of the screen: one page-source read, from which many values are read locally.

Reading a details screen value by value costs two round trips per value (find, then text); reading
the page source once costs one, however many values the step needs. Targets resolve against the
snapshot with the same candidates, memory and drift record as finds on the device.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from harness.ui.drift import DriftRecord
from harness.ui.locators import Candidate, LocatorMemory, Target

_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")


class ScreenNode:
    """One view in a snapshot, with what UiAutomator2 reported about it."""

    __slots__ = ("element",)

    def __init__(self, element: etree._Element) -> None:
        self.element = element

    def _attr(self, name: str) -> str:
        return self.element.get(name) or ""

    @property
    def text(self) -> str:
        return self._attr("text")

    @property
    def description(self) -> str:
        return self._attr("content-desc")

    @property
    def resource_id(self) -> str:
        return self._attr("resource-id")

    @property
    def class_name(self) -> str:
        return self._attr("class") or str(self.element.tag)

    @property
    def package(self) -> str:
        return self._attr("package")

    @property
    def clickable(self) -> bool:
        return self._attr("clickable") == "true"

    @property
    def scrollable(self) -> bool:
        return self._attr("scrollable") == "true"

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in screen pixels; zeros when the source gives none."""
        match = _BOUNDS.fullmatch(self._attr("bounds"))
        if not match:
            return (0, 0, 0, 0)
        left, top, right, bottom = (int(n) for n in match.groups())
        return left, top, right, bottom

    def texts(self) -> list[str]:
        """Every non-empty text in this view and below it, in screen order."""
        return [t for t in (el.get("text") or "" for el in self.element.iter()) if t.strip()]

    def __repr__(self) -> str:
        return f"ScreenNode({self.class_name}, text={self.text!r}, desc={self.description!r})"


class Snapshot:
    """The top window as one page source, searchable by Target without further round trips."""

    at_once = True  # every answer comes from the one moment the page source was taken
    moving = False  # read while its window still came in: views where they were passing, some not yet shown
    window: tuple[int, ...] | None = None  # the bounds of its window's root, as read

    def __init__(self, xml: str, memory: LocatorMemory | None = None, drift: DriftRecord | None = None) -> None:
        self.xml = xml
        self.memory = memory if memory is not None else LocatorMemory()
        self.drift = drift
        try:
            self.root = etree.fromstring(xml.encode("utf-8"))
        except etree.XMLSyntaxError:
            # A half-written source (the app was mid-render) reads as an empty screen; the caller waits.
            self.root = etree.Element("hierarchy")

    @property
    def size(self) -> int:
        """How many views the page source holds (what building it cost the server)."""
        return sum(1 for _ in self.root.iter()) - 1

    def _match(self, candidate: Candidate) -> list[ScreenNode]:
        try:
            found = self.root.xpath(candidate.local_xpath(), v=candidate.value)
        except etree.XPathError:
            return []
        if not isinstance(found, list):
            return []
        return [ScreenNode(el) for el in found if isinstance(el, etree._Element)]

    def matches(self, candidate: Candidate) -> bool:
        """Whether this one candidate finds something on the snapshot (memory and drift untouched)."""
        return bool(self._match(candidate))

    def matched_by(self, candidate: Candidate) -> list[ScreenNode]:
        """Every view this one candidate finds, as a find on the device would (memory and drift untouched)."""
        return self._match(candidate)

    @property
    def locale(self) -> str | None:
        """The device's locale, as the session knows it (asked once when not known; None: unknown)."""
        return self.memory.locale

    @property
    def language(self) -> str | None:
        """The language of the screen's words, as far as the session knows it without asking (None: any)."""
        return self.memory.language

    def nodes(self, target: Target) -> list[ScreenNode]:
        """The views the first matching candidate finds (in memory order); records memory and drift."""
        for candidate in self.memory.ordered(target):
            found = self._match(candidate)
            if found:
                self.memory.remember(target, candidate)
                if self.drift is not None:
                    self.drift.note(target, candidate, self.memory.primary(target))
                return found
        return []

    def has(self, target: Target) -> bool:
        return bool(self.nodes(target))

    def enabled(self, target: Target) -> bool:
        """Whether the target is on screen and a person can use it (not `enabled="false"`)."""
        node = self.node(target)
        return node is not None and node.element.get("enabled") != "false"

    def node(self, target: Target) -> ScreenNode | None:
        found = self.nodes(target)
        return found[0] if found else None

    def text(self, target: Target) -> str | None:
        """The text of the first view the target finds, or None when it is not on screen."""
        node = self.node(target)
        return node.text if node is not None else None

    def all_nodes(self) -> Iterator[ScreenNode]:
        for element in self.root.iter():
            if element is not self.root:
                yield ScreenNode(element)

    def texts(self) -> list[str]:
        return [node.text for node in self.all_nodes() if node.text.strip()]

    @property
    def package(self) -> str:
        """The package of the top window (the app, Android's permission dialog, the launcher...)."""
        first = next(iter(self.root), None)
        return (first.get("package") or "") if first is not None else ""

    def describe(self, limit: int = 8) -> str:
        """What a person would read on the screen, shortened, for error messages."""
        words = [t.replace("\n", " ") for t in self.texts()]
        if not words:
            labels = [n.description for n in self.all_nodes() if n.description]
            words = labels
        shown = ", ".join(f'"{w}"' for w in words[:limit])
        more = f" and {len(words) - limit} more" if len(words) > limit else ""
        return (shown + more) if shown else "nothing readable"
