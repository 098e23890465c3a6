"""A snapshot of the screen: one page-source read, from which many values are read locally.

Reading a details screen value by value costs two round trips per value (find, then text); reading
the page source once costs one, however many values the step needs. Targets resolve against the
snapshot with the same candidates, memory and drift record as finds on the device.

Both platforms' page sources read into one model. UiAutomator2's (root `hierarchy`) gives a view's text,
content-desc, resource-id, class and `bounds="[l,t][r,b]"` in pixels; WebDriverAgent's (root
`XCUIElementTypeApplication`) gives `type name label value enabled visible x y width height` in points. A
node's `text` is then the Android text, or WDA's value else its label (WDA shows a StaticText's text in
both); its `description` the content-desc, or WDA's label; its `bounds` (left, top, right, bottom) in the
page source's own units, which are the units a tap at a place takes on that platform.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from tiktok_promo.harness.ui.drift import DriftRecord
from tiktok_promo.harness.ui.locators import ANDROID, IOS, Candidate, LocatorMemory, Target

_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
_IOS_ROOT = "XCUIElementTypeApplication"
_IOS_PREFIX = "XCUIElementType"
# WDA's element types that scroll their content (what `mobile: scroll` moves).
_IOS_SCROLLING = {"XCUIElementTypeScrollView", "XCUIElementTypeTable", "XCUIElementTypeCollectionView",
                  "XCUIElementTypeWebView"}
# WDA's element types a person taps (an accessibility element of these types acts when tapped).
_IOS_TAPPABLE = {"XCUIElementTypeButton", "XCUIElementTypeCell", "XCUIElementTypeLink", "XCUIElementTypeTab",
                 "XCUIElementTypeSwitch", "XCUIElementTypeMenuItem"}


def _number(text: str | None) -> float:
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def platform_of_source(root: etree._Element) -> str:
    """Which platform a parsed page source comes from: WDA's root is the application element."""
    return IOS if str(root.tag) == _IOS_ROOT or str(root.tag).startswith(_IOS_PREFIX) else ANDROID


def _text_of(element: etree._Element, ios: bool) -> str:
    if ios:
        return element.get("value") or element.get("label") or ""
    return element.get("text") or ""


class ScreenNode:
    """One view in a snapshot, with what UiAutomator2 or WebDriverAgent reported about it."""

    __slots__ = ("element", "ios")

    def __init__(self, element: etree._Element, ios: bool = False) -> None:
        self.element = element
        self.ios = ios

    def _attr(self, name: str) -> str:
        return self.element.get(name) or ""

    @property
    def text(self) -> str:
        """What the view shows: Android's text; on iOS WDA's value, else its label."""
        return _text_of(self.element, self.ios)

    @property
    def description(self) -> str:
        """What a screen reader says: Android's content-desc; on iOS WDA's label."""
        return self._attr("label" if self.ios else "content-desc")

    @property
    def resource_id(self) -> str:
        return "" if self.ios else self._attr("resource-id")

    @property
    def class_name(self) -> str:
        return self._attr("type" if self.ios else "class") or str(self.element.tag)

    @property
    def package(self) -> str:
        return "" if self.ios else self._attr("package")

    @property
    def clickable(self) -> bool:
        if self.ios:
            return self.class_name in _IOS_TAPPABLE
        return self._attr("clickable") == "true"

    @property
    def scrollable(self) -> bool:
        if self.ios:
            return self.class_name in _IOS_SCROLLING
        return self._attr("scrollable") == "true"

    @property
    def shown(self) -> bool:
        """Whether the platform says the view is on screen (UiAutomator2's displayed, WDA's visible)."""
        return self._attr("visible" if self.ios else "displayed") != "false"

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom): screen pixels on Android, points on iOS; zeros when the source gives none."""
        if self.ios:
            x, y = _number(self.element.get("x")), _number(self.element.get("y"))
            width, height = _number(self.element.get("width")), _number(self.element.get("height"))
            return round(x), round(y), round(x + width), round(y + height)
        match = _BOUNDS.fullmatch(self._attr("bounds"))
        if not match:
            return (0, 0, 0, 0)
        left, top, right, bottom = (int(n) for n in match.groups())
        return left, top, right, bottom

    @property
    def has_area(self) -> bool:
        """Whether the view covers any of the screen: a tap at its centre meets it (one of zero size is a view the
        layout keeps but does not draw)."""
        left, top, right, bottom = self.bounds
        return right > left and bottom > top

    def texts(self) -> list[str]:
        """Every non-empty text in this view and below it, in screen order.

        On iOS only the innermost elements count: a cell's or a button's label repeats the texts it holds
        (an accessibility container reads its children out), so a row's title would come twice, or joined."""
        if self.ios:
            found = (_text_of(el, True) for el in self.element.iter() if len(el) == 0)
        else:
            found = (el.get("text") or "" for el in self.element.iter())
        return [t for t in found if t.strip()]

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
        # The page source says its platform (the session knows it too; a recorded source has only itself).
        self.platform = platform_of_source(self.root)
        self._ios = self.platform == IOS
        self._order: dict[etree._Element, int] | None = None

    @property
    def size(self) -> int:
        """How many views the page source holds (what building it cost the server)."""
        return sum(1 for _ in self.root.iter()) - 1

    def _match(self, candidate: Candidate) -> list[ScreenNode]:
        path = candidate.local_xpath(self.platform) if candidate.runs_on(self.platform) else None
        if path is None:
            return []
        try:
            found = self.root.xpath(path, v=candidate.value)
        except etree.XPathError:
            return []
        if not isinstance(found, list):
            return []
        return [ScreenNode(el, self._ios) for el in found if isinstance(el, etree._Element)]

    def matches(self, candidate: Candidate) -> bool:
        """Whether this one candidate finds something on the snapshot (memory and drift untouched)."""
        return bool(self._match(candidate))

    def position(self, node: ScreenNode) -> int:
        """Where a view stands in the page source's order (later: drawn over what comes before, when it is not
        inside it); -1 for a view of another snapshot."""
        if self._order is None:
            self._order = {element: index for index, element in enumerate(self.root.iter())}
        return self._order.get(node.element, -1)

    def has_any(self, target: Target) -> bool:
        """Whether any candidate of the target, of this page source's platform, finds something (memory and
        drift untouched: for the engine's own looks, such as "is there a list to scroll")."""
        return any(self._match(candidate) for candidate in target.candidates)

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
            if found and self._ios and len(found) > 1:
                # What the app presents over a screen (an alert, a sheet) leaves the screen under it in WDA's page
                # source, first in document order, yet takes the touches there. So a view inside an alert comes
                # before its namesake under it (the details' "Stop" and the dialog's "Stop" on some releases), and
                # then a view of a layer drawn later before one under it (the studio profile's "TikTok Studio"
                # under the menu sheet's: a tap at the profile's meets the sheet's dimming and closes it).
                found.sort(key=_on_top_first)
            if found:
                self.memory.remember(target, candidate)
                if self.drift is not None:
                    self.drift.note(target, candidate, self.memory.primary(target))
                return found
        return []

    def has(self, target: Target) -> bool:
        return bool(self.nodes(target))

    def enabled(self, target: Target) -> bool:
        """Whether the target is on screen and a person can use it (not `enabled="false"`, on either platform)."""
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
                yield ScreenNode(element, self._ios)

    def texts(self) -> list[str]:
        """Every text on the screen in page-source order (on iOS the innermost elements': see ScreenNode.texts)."""
        return [node.text for node in self.all_nodes() if node.text.strip() and not (self._ios and len(node.element))]

    @property
    def package(self) -> str:
        """The package of the top window (the app, Android's permission dialog, the launcher...); on iOS the bundle
        id WDA writes on the application it read (the app, or SpringBoard when the app is not in front)."""
        if self._ios:
            return self.root.get("bundleId") or ""
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


def _on_top_first(node: ScreenNode) -> tuple[bool, float]:
    """Sort key of an iOS view among its namesakes: inside an alert first, then by the layer it is in (the
    window's child it belongs to), the one drawn last first."""
    element = node.element
    in_alert = bool(element.xpath("ancestor-or-self::XCUIElementTypeAlert"))
    layer = element.xpath("ancestor-or-self::*[parent::XCUIElementTypeWindow][1]")
    drawn = float(layer[0].xpath("count(preceding::*)")) if layer else 0.0
    return not in_alert, -drawn
