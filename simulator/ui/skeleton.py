"""The real app's skeleton around each screen, from the data in shapes.yaml.

A screen builder (screens.py, studio.py) makes the views a person reads and taps; `dress` puts them
where the real app has them: about thirty levels deep under Android's content view, inside pagers
with R8-obfuscated class names, beside the views a real feed and profile carry (the creator's
avatar, counters, a video grid, a seek bar, text-less views), with short ids shared by unrelated
views. `finish` then gives every view its drawing order and leaves gaps in the child indexes where a
real parent has children that are not visible to the user. Everything is deterministic: the same
screen in the same state is the same tree.
"""

from __future__ import annotations

import functools
import zlib
from pathlib import Path
from typing import Any

import yaml

from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Bounds, Node

W, H = SCREEN_WIDTH, SCREEN_HEIGHT
SHAPES_FILE = Path(__file__).with_name("shapes.yaml")
TV = "android.widget.TextView"
IMAGE = "android.widget.ImageView"
FRAME = "android.widget.FrameLayout"
LINEAR = "android.widget.LinearLayout"
BUTTON = "android.widget.Button"
VIEW = "android.view.View"
RECYCLER = "androidx.recyclerview.widget.RecyclerView"
HSCROLL = "android.widget.HorizontalScrollView"
BAR_TOP = 2210
# The wrappers that scroll (seen: the full-screen pager first, the feed's pager, the feed's top tabs).
SCROLLING = frozenset({"X.05ht", "X.122f", "X.0043", HSCROLL, RECYCLER})
KINDS = {"feed": "main", "profile": "main", "menu": "sheet", "confirm": "dialog", "launcher": None}
WEB_KINDS = {**KINDS, "confirm": "page"}  # a release whose confirmation is a web dialog in its page
_GAP_EVERY = 11  # about one parent in eleven skips a child index (seen: 8-10% of parents)


@functools.cache
def shapes() -> dict[str, Any]:
    with SHAPES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _code(release: str, name: str) -> str:
    # Three characters that mean nothing to a person, stable per release and name (like R8's ids).
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    n = zlib.crc32(f"{release}/{name}".encode())
    return alphabet[n % 26] + alphabet[(n // 26) % 36] + alphabet[(n // 936) % 36]


def short_id(release: str, package: str, name: str) -> str:
    """The resource-id a named view has in this release: Android's own, a plain one, or three letters."""
    if name.startswith("android:"):
        return f"android:id/{name.removeprefix('android:')}"
    if name in shapes()["plain_ids"]:
        return f"{package}:id/{name}"
    return f"{package}:id/{_code(release, name)}"


class Dresser:
    """Builds one window's skeleton: the release's ids, the phone's language and the screen's key."""

    def __init__(self, release: str, package: str, language: str, key: str) -> None:
        self.release = release
        self.package = package
        self.language = language
        self.key = key
        self._count = 0

    def word(self, english: str, **fields: object) -> str:
        words = shapes()["words"].get(self.language, {})
        return str(words.get(english, english)).format(**fields)

    def rid(self, name: str | None) -> str:
        return short_id(self.release, self.package, name) if name else ""

    def node(self, cls: str, bounds: Bounds, **attrs: Any) -> Node:
        self._count += 1
        name = attrs.pop("rid_name", None)
        rid = attrs.pop("rid", "") or self.rid(name)
        return Node(cls, key=f"{self.key}/~{self._count}", bounds=bounds, rid=rid,
                    scrollable=cls in SCROLLING, **attrs)

    def chain(self, name: str, bounds: Bounds = (0, 0, W, H)) -> tuple[Node, Node]:
        """The wrappers named `name` in shapes.yaml, nested; (outermost, innermost)."""
        outer: Node | None = None
        inner: Node | None = None
        for cls, rid, *_ in shapes()["chains"][name]:
            node = self.node(cls, bounds, rid_name=rid)
            if inner is None:
                outer = node
            else:
                inner.add(node)
            inner = node
        assert outer is not None and inner is not None
        return outer, inner

    def wrap(self, child: Node, levels: int, cls: str = FRAME) -> Node:
        """`child` under `levels` plain wrappers of its own size (how real rows nest their views)."""
        for _ in range(levels):
            child = self.node(cls, child.bounds).add(child)
        return child

    def icon_count(self, box: Bounds, desc: str, count: str, rid_name: str) -> Node:
        """A clickable icon with a number under it (the feed's like, comment, favourite, share)."""
        x1, y1, x2, y2 = box
        return self.node(LINEAR, box, desc=desc, clickable=True, focusable=True, action="noop").add(
            self.wrap(self.node(IMAGE, (x1, y1, x2, y2 - 50)), 1),
            self.node(TV, (x1, y2 - 50, x2, y2), text=count, rid_name=rid_name),
        )


def _take(nodes: list[Node], suffix: str) -> list[Node]:
    return [n for n in nodes if n.key.endswith(suffix)]


def _find(root: Node, suffix: str) -> Node | None:
    return next((n for n in root.walk() if n.key.endswith(suffix)), None)


def dress(screen: str, root: Node, release: str, package: str, language: str, compact: Any,
          kinds: dict[str, str | None] = KINDS) -> Node:
    """Put a builder's window into the real app's skeleton (in place); returns the window."""
    kind = kinds.get(screen, "page")
    if kind is None:
        return finish(root)
    d = Dresser(release, package, language, root.key)
    children = root.children
    root.children = []
    status = _take(children, "/statusbar")
    bar = _take(children, "/bottombar")
    content = [c for c in children if c not in status and c not in bar]
    if kind == "main":
        top_o, top_i = d.chain("main_top")
        pager_o, pager_i = d.chain("main_pager")
        page = _feed(d, content, compact) if screen == "feed" else _profile(d, content)
        pager_i.add(page)
        bar_o, bar_i = d.chain("main_bar", (0, BAR_TOP, W, H))
        bar_i.add(*bar)
        for tab in (t for b in bar for t in b.children):
            _tab_facts(d, tab)
        top_i.add(pager_o, bar_o)
        root.add(*status, top_o)
    elif kind == "sheet":
        outer, inner = d.chain("sheet")
        for sheet in content:
            sheet.desc = sheet.desc or d.word("Bottom sheet")
        inner.add(d.node(VIEW, (0, 0, W, content[0].bounds[1] if content else H)), *content)  # touch outside
        root.add(outer)
    elif kind == "dialog":
        outer, inner = d.chain("dialog")
        for card in content:
            card.desc = card.desc or d.word("Dialog")
        inner.add(*content)
        root.add(outer)
    else:
        outer, inner = d.chain("page")
        inner.add(*content)
        root.add(*status, outer)
    return finish(root)


def _tab_facts(d: Dresser, tab: Node) -> None:
    """Seen: every tab holds an icon; Create is a Button with two images; Inbox carries an unread badge;
    the selected tab's children are selected too, and it stays clickable."""
    x1, y1, x2, _ = tab.bounds
    if not any(c.cls == IMAGE for c in tab.children):
        tab.add(d.node(IMAGE, (x1 + 70, y1 + 30, x2 - 70, y1 + 100)))
    if tab.key.endswith("-create"):
        tab.cls = BUTTON
        tab.add(d.node(IMAGE, (x1 + 50, y1 + 40, x2 - 50, y1 + 130)))
    if tab.key.endswith("-inbox"):
        tab.add(d.node(TV, (x2 - 80, y1 + 10, x2 - 20, y1 + 60), text="16"))
    if tab.selected:
        tab.clickable = True
        for child in tab.descendants():
            child.selected = True


def _feed(d: Dresser, content: list[Node], compact: Any) -> Node:
    """A video of the feed with what a real one carries around the caption and the handle."""
    spec = shapes()["feed"]
    page_o, page_i = d.chain("feed_page")
    video = next((n for n in content if "/video-" in n.key and n.key.count("/") == 1), None)
    tabs = next((n for n in content if n.key.endswith("/tabs")), None)
    rest = [n for n in content if n is not video and n is not tabs]
    handle_node = _find(video, "/handle") if video is not None else None
    name = handle_node.text.lstrip("@") if handle_node is not None else "creator"
    cell_o, cell_i = d.chain("feed_video")
    if video is not None:
        video.scrollable = False  # the pager around it scrolls (seen), not the video
        caption = _find(video, "/caption")
        if caption is not None:
            caption.cls, caption.rid = "X.095L", d.rid("desc")
        cell_i.add(video)
    # text-less clickable views over the video (seen: NAF="true" in a uiautomator dump)
    for i in range(int(spec["naf"])):
        x, y = 60 + (i % 3) * 300, 400 + (i // 3) * 400
        cell_i.add(d.node(VIEW, (x, y, x + 240, y + 300), clickable=True))
    seed = zlib.crc32(name.encode())
    rail = d.node(LINEAR, (930, 980, 1070, 1900), rid_name="rail")
    y = 980
    for kind, words in spec["rail"]:
        if kind == "avatar":
            rail.add(d.wrap(d.node(IMAGE, (940, y, 1060, y + 120), desc=d.word(words, name=name),
                                   rid_name="user_avatar", clickable=True, focusable=True, action="noop",
                                   style="avatar"), 1))
            y += 100
        elif kind == "follow":
            rail.add(d.node(BUTTON, (975, y, 1025, y + 50), desc=d.word(words, name=name), clickable=True,
                            action="noop"))
            y += 80
        elif kind == "count":
            count = compact(seed % 90000 + 1000)
            seed //= 3
            rail.add(d.wrap(d.icon_count((940, y, 1060, y + 150), d.word(words, count=count), count, "rail_count"),
                            2))
            y += 160
        else:
            rail.add(d.node(IMAGE, (950, y, 1050, y + 100), desc=d.word(words, name=name), clickable=True,
                            action="noop"))
            y += 110
    search_rid = "search"
    chip = d.node(LINEAR, (40, 1820, 500, 1890), desc=d.word(spec["search_chip"]), rid_name=search_rid,
                  clickable=True, action="noop").add(
        d.node(IMAGE, (40, 1830, 90, 1880)),
        d.node(TV, (100, 1830, 500, 1880), text=name.replace(".", " ")),
    )
    anchors = d.node(HSCROLL, (40, 2070, 1000, 2130)).add(
        d.node(LINEAR, (40, 2070, 1000, 2130)).add(
            *(d.node(TV, (40 + i * 240, 2070, 260 + i * 240, 2130), text=tag, clickable=True, action="noop")
              for i, tag in enumerate(spec["anchors"]))))
    sound = d.node(LINEAR, (40, 2140, 800, 2185)).add(
        d.node(IMAGE, (40, 2140, 85, 2185)),
        d.node(TV, (100, 2140, 800, 2185), text=d.word("Sound: original sound - {name}", name=name).split(": ", 1)[-1]),
    )
    seek = d.node("android.widget.SeekBar", (0, 2188, W, 2208), focusable=True)
    cell_i.add(d.wrap(rail, 2), chip, anchors, sound, seek, *_blocks(d, spec["blocks"]))
    top = spec["top"]
    if tabs is not None:
        tabs.cls, tabs.scrollable, tabs.rid = "X.0043", True, d.rid("top_tabs")
        for word in top["tabs"]:
            tabs.children.insert(0, d.node(TV, (240, 100, 240, 180), text=d.word(word), clickable=True,
                                           action="noop"))
        for i, child in enumerate(tabs.children):
            child.index, child.parent = i, tabs
    overlay = d.node(FRAME, (0, 80, W, 200), rid_name="top_overlay").add(
        d.node(TV, (40, 100, 180, 180), text=d.word(top["live"]), desc=d.word(top["live"]), clickable=True,
               action="noop"),
        *([tabs] if tabs is not None else []),
        d.node(IMAGE, (940, 90, 1060, 190), desc=d.word(top["search"]), rid_name=search_rid, clickable=True,
               focusable=True, action="noop"),
    )
    page_i.add(cell_o, d.wrap(overlay, 2), *rest)
    return page_o


def _blocks(d: Dresser, spec: list) -> list[Node]:
    out = []
    for box, levels, parts in spec:
        left, top, right, bottom = box
        width = (right - left) // len(parts)
        group = d.node(LINEAR, (left, top, right, bottom)).add(
            *(d.node(cls, (left + i * width, top, left + (i + 1) * width, bottom), text=d.word(words) if words else "")
              for i, (cls, words) in enumerate(parts)))
        out.append(d.wrap(group, levels))
    return out


def _profile(d: Dresser, content: list[Node]) -> Node:
    """A profile with what a real one carries under the counters: buttons, tabs and the video grid."""
    spec = shapes()["profile"]
    page_o, page_i = d.chain("profile_page")
    username = next((n for n in content if n.key.endswith("/username")), None)
    if not any(n.key.endswith("/bio") for n in content):
        content.append(d.node(TV, (90, 1000, 990, 1070), text=d.word("Bio"), rid_name="bio"))
    followers = next((n for c in content for n in c.walk() if n.key.endswith("/count-1/label")), None)
    if username is not None and followers is not None:
        followers.rid = username.rid  # seen: one short id on the @username and on an unrelated label
    y = 1280
    buttons = d.node(LINEAR, (90, y, 990, y + 100)).add(
        *(d.node(BUTTON, (90 + i * 450, y, 530 + i * 450, y + 100), text=d.word(word), clickable=True,
                 action="noop") for i, word in enumerate(spec["buttons"])))
    y += 120
    tabs = d.node(LINEAR, (0, y, W, y + 110), rid_name="profile_tabs")
    width = W // len(spec["tabs"])
    for i, word in enumerate(spec["tabs"]):
        box = (i * width, y, (i + 1) * width, y + 110)
        tabs.add(d.node(FRAME, box, desc=d.word(word), clickable=True, selected=i == 0, action="noop").add(
            d.node(IMAGE, (box[0] + 60, y + 25, box[2] - 60, y + 85), selected=i == 0)))
    y += 110
    grid = d.node(RECYCLER, (0, y, W, H), rid_name="grid", focusable=True)
    cell_w, cell_h = W // 3, 280
    for i in range(int(spec["grid"])):
        x1, y1 = (i % 3) * cell_w, y + (i // 3) * cell_h
        box = (x1, y1, x1 + cell_w - 2, min(y1 + cell_h - 2, H))
        if box[1] >= H:
            break
        grid.add(d.node(FRAME, box, clickable=True, focusable=True, action="noop", style="video").add(
            d.node(IMAGE, box, rid_name="cover"),
            d.node(LINEAR, (x1 + 20, box[3] - 70, x1 + 200, box[3] - 20)).add(
                d.node(IMAGE, (x1 + 20, box[3] - 65, x1 + 60, box[3] - 25)),
                d.node(TV, (x1 + 70, box[3] - 70, x1 + 200, box[3] - 20), text=f"{(i * 7919) % 900 + 100}",
                       rid_name="play_count"),  # seen: one short id on many views
            )))
    header = d.wrap(d.node(LINEAR, (0, 80, W, y)).add(*content, buttons, *_blocks(d, spec["blocks"])), 1)
    page_i.add(header, d.wrap(tabs, 1), grid)
    return page_o


def finish(root: Node) -> Node:
    """Drawing orders and child-index gaps, as a real window reports them (the same tree every time)."""
    parents = (node for node in root.walk() if node.children)
    for number, node in enumerate(parents):
        gap = number % _GAP_EVERY == _GAP_EVERY // 2 and len(node.children) > 1
        for i, child in enumerate(node.children):
            child.drawing_order = min(i + 1, 11)
            child.index = i + (1 if gap and i > 0 else 0)  # a child not visible to the user is left out
    root.drawing_order = 0
    return root
