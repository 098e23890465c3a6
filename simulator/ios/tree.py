"""The iOS element tree of the current screen, as WebDriverAgent reads a UIKit app through XCTest.

An `XElement` is one XCUIElement snapshot: its type, identifier, label, value, frame in points, and what WDA
derives from them (its `name`, `value`, `visible`, `accessible`, `index`; XCUIElement+FBWebDriverAttributes.m).
`Translator` reads the app's screens as the app draws them (simulator.ui.screens, without Android's skeleton)
and gives each view the iOS element a UIKit build of the screen would expose. Every choice of type and structure
is a guess (no public iOS page source of TikTok is known); the rules, in short:

- a text is a StaticText labelled with its words (a view the Android face describes with a content-desc and
  shows a value in reads as label = the description, value = the text, as UIKit's accessibilityValue);
- a button, a tappable icon or a tappable row with a description is a Button labelled with the description;
- a top bar is a NavigationBar named after its title, its back arrow a Button labelled "Back" (or the phone's
  language's word); the bottom bar is a TabBar of Buttons, the selected one with value "1";
- a list is a CollectionView of Cells, each labelled with its texts joined (what VoiceOver reads of a cell);
- the app's confirmation dialog is an Alert labelled with its title, cancel-style button first (UIKit's order);
- a toast is a StaticText over the window; Android's status bar and its own windows are not part of the app.

`name == label` everywhere: WDA's name is the accessibility identifier when the app sets one, and TikTok's are
unknown (a guess). Frames are the Android face's pixels scaled to the iPhone's points (1080 x 2400 px onto
393 x 852 pt); a tap at a point reaches the device at the matching pixel (`to_pixels`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Node

WIDTH_PT, HEIGHT_PT = 393, 852  # an iPhone 15 Pro in points
SCALE = 3  # its screen's pixels per point: screenshots are 1179 x 2556
_SX, _SY = WIDTH_PT / SCREEN_WIDTH, HEIGHT_PT / SCREEN_HEIGHT
PREFIX = "XCUIElementType"
Rect = tuple[int, int, int, int]  # x, y, width, height in points

# Element types whose elements are accessibility elements (what VoiceOver stops on); the containers are not.
_AX_TYPES = frozenset({"Button", "StaticText", "Cell", "Image", "Switch", "TextField", "SecureTextField", "Link",
                       "ActivityIndicator"})
# WDA's traits string per type (FBAccessibilityTraitsToStringsArray of what UIKit sets by default).
_TRAITS = {"Button": "Button", "StaticText": "StaticText", "Image": "Image", "Link": "Link",
           "Header": "Header"}


def to_points(bounds: tuple[int, int, int, int]) -> Rect:
    """An Android face's pixel bounds as an iOS frame in whole points (WDA's wdFrame is CGRectIntegral)."""
    x1, y1, x2, y2 = bounds
    left, top = math.floor(x1 * _SX), math.floor(y1 * _SY)
    return left, top, math.ceil(x2 * _SX) - left, math.ceil(y2 * _SY) - top


def to_pixels(x: float, y: float) -> tuple[float, float]:
    """A point of the iPhone's screen as the pixel of the device's screen under it."""
    return x / _SX, y / _SY


@dataclass(eq=False, slots=True)
class XElement:
    """One element of an iOS app as XCTest snapshots it and WDA reports it.

    `key` names it within its screen instance (element ids point at keys, so a re-rendered screen makes ids
    stale); `press` is what pressing it does when it is no view of the app (a system alert's button).
    """

    type: str  # without the XCUIElementType prefix: "Button", "StaticText"...
    key: str
    rect: Rect = (0, 0, WIDTH_PT, HEIGHT_PT)
    identifier: str = ""
    label: str = ""
    value: str = ""
    enabled: bool = True
    selected: bool = False
    ax: bool = False  # isAccessibilityElement
    press: str | None = None
    children: list[XElement] = field(default_factory=list)
    parent: XElement | None = field(default=None, repr=False)
    index: int = 0

    def add(self, *children: XElement) -> XElement:
        for child in children:
            child.parent = self
            child.index = len(self.children)
            self.children.append(child)
        return self

    def walk(self) -> Iterator[XElement]:
        """This element and all below it, in document order."""
        stack = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(element.children))

    @property
    def wd_type(self) -> str:
        return PREFIX + self.type

    @property
    def name(self) -> str | None:
        """wdName: the accessibility identifier if set, else the label; nothing when both are empty."""
        return self.identifier or self.label or None

    @property
    def wd_label(self) -> str | None:
        return self.label or None

    @property
    def wd_value(self) -> str | None:
        """wdValue: a StaticText's value or else its label; a Button's value or "1" when selected."""
        value: str | None = self.value or None
        if self.type == "StaticText":
            value = value or self.wd_label
        elif self.type == "Button":
            value = value or ("1" if self.selected else None)
        elif self.type == "Switch":
            value = "1" if self.value in ("1", "true") else "0"
        return value

    @property
    def visible(self) -> bool:
        """fb_isVisible: a frame of some size that shows on the screen."""
        x, y, w, h = self.rect
        return w > 0 and h > 0 and x < WIDTH_PT and y < HEIGHT_PT and x + w > 0 and y + h > 0

    @property
    def accessible(self) -> bool:
        """isWDAccessible: an accessibility element none of whose ancestors (tables apart) is one."""
        if self.type == "Cell":
            if not self.ax and not (self.children and self.children[0].ax):
                return False
        elif not self.ax:
            return False
        parent = self.parent
        while parent is not None:
            if parent.type != "Table" and parent.ax:
                return False
            parent = parent.parent
        return True

    @property
    def traits(self) -> str:
        words = [_TRAITS[self.type]] if self.type in _TRAITS else []
        if self.selected:
            words.append("Selected")
        if not self.enabled:
            words.append("NotEnabled")
        return ", ".join(words)

    @property
    def center(self) -> tuple[float, float]:
        x, y, w, h = self.rect
        return x + w / 2, y + h / 2

    def contains(self, x: float, y: float) -> bool:
        ex, ey, w, h = self.rect
        return ex <= x < ex + w and ey <= y < ey + h

    def source_attributes(self) -> dict[str, str]:
        """The attributes WDA writes for it in a page source, in WDA's order, the empty ones left out (FBXPath.m)."""
        x, y, w, h = self.rect
        out: dict[str, str] = {"type": self.wd_type}
        for name, value in (("value", self.wd_value), ("name", self.name), ("label", self.wd_label)):
            if value is not None:
                out[name] = value
        out.update(enabled=_bool(self.enabled), visible=_bool(self.visible), accessible=_bool(self.accessible),
                   x=str(x), y=str(y), width=str(w), height=str(h), index=str(self.index), traits=self.traits)
        return out

    def wd_attribute(self, name: str) -> object:
        """A WDA attribute by its name or its wd-prefixed name (FBElementUtils wdAttributeNamesMapping); KeyError
        for a name WDA does not know."""
        x, y, w, h = self.rect
        values: dict[str, object] = {
            "name": self.name, "label": self.wd_label, "value": self.wd_value, "type": self.wd_type,
            "enabled": self.enabled, "visible": self.visible, "accessible": self.accessible,
            "selected": self.selected, "index": self.index, "traits": self.traits, "hittable": self.visible,
            "rect": {"x": x, "y": y, "width": w, "height": h},
            "frame": f"{{{{{x}, {y}}}, {{{w}, {h}}}}}", "nativeFrame": f"{{{{{x}, {y}}}, {{{w}, {h}}}}}",
            "UID": None, "placeholderValue": None, "focused": False, "accessibilityContainer": False,
            "nativeAccessibilityElement": self.ax, "minValue": None, "maxValue": None, "customActions": None,
        }
        short = name[2].lower() + name[3:] if name.startswith("wd") and len(name) > 3 and name[2].isupper() else name
        if short == "uID":
            short = "UID"
        return values[short]


# WDA's attribute names: each wd-prefixed property of FBElement and its short alias (FBElementUtils.m).
_WD_PROPERTIES = ("name", "label", "value", "type", "enabled", "visible", "accessible", "selected", "index",
                  "traits", "hittable", "rect", "frame", "nativeFrame", "UID", "placeholderValue", "focused",
                  "accessibilityContainer", "nativeAccessibilityElement", "minValue", "maxValue", "customActions")
WD_ATTRIBUTE_NAMES = tuple(sorted({*_WD_PROPERTIES, *("wd" + n[0].upper() + n[1:] for n in _WD_PROPERTIES)}))


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


def _text(node: Node) -> str:
    return node.text or node.desc


def _texts(node: Node) -> list[str]:
    return [n.text for n in node.walk() if n.text]


class Translator:
    """Reads the app's windows (as the app draws them) as the iOS elements of one Window."""

    RECYCLER = "androidx.recyclerview.widget.RecyclerView"
    HSCROLL = "android.widget.HorizontalScrollView"
    TEXTS = ("android.widget.TextView", "android.view.View")
    BUTTONS = ("android.widget.Button",)
    IMAGES = ("android.widget.ImageView", "android.widget.Image")

    def __init__(self, back_word: str) -> None:
        self.back_word = back_word

    def application(self, windows: list[Node], toasts: list[Node], app_name: str) -> XElement:
        """The Application element: one Window holding the app's windows bottom to top, then its toast."""
        app = XElement("Application", "ios:app", label=app_name)
        window = XElement("Window", "ios:window")
        for root in windows:
            window.add(*self.window(root))
        for toast in toasts:
            window.add(XElement("StaticText", f"ios:{toast.key}", to_points(toast.bounds), label=toast.text,
                                ax=True))
        app.add(window)
        return app

    def window(self, root: Node) -> list[XElement]:
        """One of the app's windows; the system's permission dialog is SpringBoard's, not the app's."""
        kind = root.key.rsplit(":", 1)[-1]
        if kind == "popup-perm":
            return []
        if kind == "confirm":
            return [self._alert_screen(root)]
        if kind == "launcher":  # the home screen: the app's icon
            home = XElement("Other", f"ios:{root.key}", to_points(root.bounds))
            home.add(*(XElement("Icon", f"ios:{n.key}", to_points(n.bounds), label=n.desc, ax=True)
                       for n in root.walk() if n.action == "launch"))
            return [home]
        screen = XElement("Other", f"ios:{root.key}", to_points(root.bounds), label=root.desc)
        if root.clickable and root.desc:  # a pop-up that is one big tappable view ("Swipe up for more")
            screen.type, screen.ax = "Button", True
        screen.add(*self._children(root))
        return [screen]

    def _children(self, node: Node) -> list[XElement]:
        return [x for child in node.children for x in self.convert(child)]

    def convert(self, node: Node) -> list[XElement]:
        key, rect = f"ios:{node.key}", to_points(node.bounds)
        if node.key.endswith("/statusbar"):
            return []
        if node.key.endswith("/topbar"):
            title = next((n.text for n in node.children if n.key.endswith(("/title", "/name"))), "")
            bar = XElement("NavigationBar", key, rect, identifier=title)
            bar.add(*self._children(node))
            return [bar]
        if node.key.endswith("/back"):
            return [XElement("Button", key, rect, label=self.back_word, ax=True, enabled=node.enabled)]
        if node.key.endswith("/bottombar"):
            bar = XElement("TabBar", key, rect, label="Tab Bar")
            bar.add(*(XElement("Button", f"ios:{tab.key}", to_points(tab.bounds), label=_text(tab), ax=True,
                               selected=tab.selected) for tab in node.children))
            return [bar]
        if node.cls == self.RECYCLER:
            listing = XElement("CollectionView", key, rect)
            for row in node.children:
                cell = XElement("Cell", f"ios:{row.key}", to_points(row.bounds), label=", ".join(_texts(row)),
                                ax=True, enabled=row.enabled)
                cell.add(*self._children(row))
                listing.add(cell)
            return [listing]
        if node.cls == self.HSCROLL:
            strip = XElement("ScrollView", key, rect)
            strip.add(*self._children(node))
            return [strip]
        if node.cls == "android.widget.ProgressBar":
            return [XElement("ActivityIndicator", key, rect, label=node.desc, ax=True)]
        if node.cls == "android.webkit.WebView":
            web = XElement("WebView", key, rect)
            web.add(*self._children(node))
            return [web]
        tappable = node.clickable or node.cls in self.BUTTONS
        if not node.children and node.text and not tappable:
            # a text; described ones read their description as label and their words as value (accessibilityValue)
            label, value = (node.desc, node.text) if node.desc and node.desc != node.text else (node.text, "")
            return [XElement("StaticText", key, rect, label=label, value=value, ax=True)]
        if node.cls in self.BUTTONS or (tappable and not node.scrollable and (node.desc or node.text)):
            return [XElement("Button", key, rect, label=_text(node), ax=True, enabled=node.enabled,
                             selected=node.selected)]
        if node.cls in self.IMAGES:
            return [XElement("Image", key, rect, label=node.desc, ax=bool(node.desc))]
        if node.clickable and not node.children:
            return [XElement("Button", key, rect, ax=True, enabled=node.enabled)]  # a text-less button
        group = XElement("Other", key, rect, label=node.desc)
        group.add(*self._children(node))
        return [group]

    def _alert_screen(self, root: Node) -> XElement:
        """The app's confirmation as a UIAlertController: title and message, then the buttons, cancel first."""
        screen = XElement("Other", f"ios:{root.key}", to_points(root.bounds))
        card = root.children[0] if root.children else root
        texts = [n for n in card.children if n.cls not in self.BUTTONS]
        buttons = [n for n in card.children if n.cls in self.BUTTONS]
        title = texts[0].text if texts else ""
        alert = XElement("Alert", f"ios:{card.key}/alert", to_points(card.bounds), label=title)
        body = XElement("Other", f"ios:{card.key}/body", to_points(card.bounds))
        words = XElement("ScrollView", f"ios:{card.key}/texts", alert.rect)
        words.add(*(XElement("StaticText", f"ios:{n.key}", to_points(n.bounds), label=n.text, ax=True)
                    for n in texts))
        row = XElement("Other", f"ios:{card.key}/buttons", alert.rect)
        # UIKit puts the cancel-style action first (leading); the app's "keep" is that one (a guess).
        for node in sorted(buttons, key=lambda n: 0 if n.key.endswith("/keep") else 1):
            row.add(XElement("Button", f"ios:{node.key}", to_points(node.bounds), label=_text(node), ax=True))
        body.add(words, row)
        alert.add(body)
        screen.add(alert)
        return screen


def system_alert(kind: str, title: str, message: str, buttons: list[str]) -> XElement:
    """A permission alert of iOS itself (SpringBoard's), centred on the screen; its buttons say what they do."""
    width, height = 270, 190
    x, y = (WIDTH_PT - width) // 2, (HEIGHT_PT - height) // 2
    alert = XElement("Alert", f"ios:system/{kind}", (x, y, width, height), label=title)
    body = XElement("Other", f"ios:system/{kind}/body", alert.rect)
    texts = XElement("ScrollView", f"ios:system/{kind}/texts", (x, y, width, 120))
    texts.add(XElement("StaticText", f"ios:system/{kind}/title", (x + 16, y + 20, width - 32, 44), label=title,
                       ax=True),
              XElement("StaticText", f"ios:system/{kind}/message", (x + 16, y + 66, width - 32, 50), label=message,
                       ax=True))
    row = XElement("Other", f"ios:system/{kind}/buttons", (x, y + height - 44, width, 44))
    half = width // len(buttons)
    for i, word in enumerate(buttons):
        # the first button refuses, the last allows (iOS's order)
        row.add(XElement("Button", f"ios:system/{kind}/button-{i}", (x + i * half, y + height - 44, half, 44),
                         label=word, ax=True, press="allow" if i == len(buttons) - 1 else "deny"))
    body.add(texts, row)
    alert.add(body)
    springboard = XElement("Application", "ios:springboard", label=" ")  # SpringBoard's Application is labelled " "
    springboard.add(XElement("Window", "ios:springboard/window").add(alert))
    return alert
