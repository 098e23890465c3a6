"""Paint a screen's Node tree as a PNG screenshot that looks like TikTok on an Android phone.

The screenshots only decorate Allure reports, so the look is a recognisable sketch, not a pixel copy:
each displayed node is drawn inside its bounds, in document order, by the painter its `style` hint
names (falling back on its Android class). Output is deterministic for a given tree.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from tiktok_promo.simulator.ui.node import SCREEN_HEIGHT, SCREEN_WIDTH, Bounds, Node

RGB = tuple[int, int, int]

BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
INK: RGB = (22, 24, 35)  # TikTok's near-black text colour
GREY_ON_LIGHT: RGB = (117, 119, 128)
GREY_ON_DARK: RGB = (170, 171, 176)
DIVIDER_ON_LIGHT: RGB = (234, 234, 236)
DIVIDER_ON_DARK: RGB = (44, 44, 48)
LIGHT_FILL: RGB = (241, 241, 242)
RED: RGB = (254, 44, 85)  # #FE2C55, TikTok's brand red
RED_DISABLED: RGB = (254, 170, 187)
CYAN: RGB = (37, 244, 238)
TOAST: RGB = (60, 60, 64)

BADGES: dict[str, tuple[RGB, RGB]] = {  # style -> (pill fill, text colour)
    "badge-active": ((222, 247, 236), (10, 140, 90)),
    "badge-review": ((255, 243, 214), (176, 110, 0)),
    "badge-done": ((226, 236, 254), (32, 96, 210)),
    "badge-stopped": ((241, 241, 242), (110, 110, 118)),
}
AVATAR_FILLS: tuple[RGB, ...] = ((255, 168, 120), (120, 190, 255), (170, 140, 255), (90, 210, 170))

# Styles that stand in for unstyled views, keyed by the last part of the Android class name.
CLASS_STYLES = {
    "TextView": "text",
    "EditText": "text",
    "Button": "button-secondary",
    "ImageView": "icon",
    "ImageButton": "icon",
    "ProgressBar": "spinner",
}
# Text inside these containers is centred, as TikTok centres page titles, dialogs and stat cells.
CENTRING_CONTAINERS = frozenset({"top-bar", "dialog", "metric", "toast"})

FONT_DIRS = (Path(__file__).resolve().parent.parent / "fonts", Path("/usr/share/fonts/truetype/dejavu"))


# --------------------------------------------------------------------------------------------- fonts


@cache
def _font(size: int, bold: bool) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """The font for a size and weight, and whether bold must be faked with a stroke."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = folder / name
        if path.is_file():
            # BASIC layout: faster than raqm and identical on every machine, and we only draw Latin.
            return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC), False
    # Pillow's bundled font has no bold face; a 1px stroke in the same colour reads as bold.
    return ImageFont.load_default(size=size), bold


def _ellipsize(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, text: str, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    lo, hi = 0, len(text)  # binary search for the longest prefix that fits with an ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid].rstrip() + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo or font.getlength("…") <= width else ""


@lru_cache(maxsize=2048)
def _lines(text: str, size: int, bold: bool, width: int, max_lines: int) -> tuple[str, ...]:
    """Word-wrap text to at most max_lines lines of the width; what does not fit ends in '…'."""
    font = _font(size, bold)[0]
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if line and font.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return tuple(_ellipsize(font, line, width) for line in lines)


@lru_cache(maxsize=512)
def _glyphs(text: str, size: int, bold: bool) -> tuple[Image.Image, int, int]:
    """An anti-aliased mask of one line of text, and its offset from a left-middle anchor.

    Rasterising text is the slowest part of painting; screens repeat the same labels on every
    screenshot, so caching the masks keeps a full screenshot within the speed budget.
    """
    font, fake_bold = _font(size, bold)
    stroke = 1 if fake_bold else 0
    # FreeType answers whole pixels; the type says float because other font kinds may not.
    left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor="lm", stroke_width=stroke))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text(
        (-left, -top), text, font=font, fill=255, anchor="lm", stroke_width=stroke, stroke_fill=255
    )
    return mask, left, top


# -------------------------------------------------------------------------------------------- canvas


@dataclass(slots=True)
class _Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw

    def is_dark(self, box: Bounds) -> bool:
        """Whether what is already painted under box is dark, so labels can pick a legible ink."""
        x1, y1, x2, y2 = box
        total = 0
        width, height = self.image.size
        for x, y in ((x1 + 1, y1 + 1), (x2 - 2, y2 - 2)):
            # A view cut by the screen's edge (a list row of which one line of pixels shows) is judged by what shows.
            x, y = min(max(x, 0), width - 1), min(max(y, 0), height - 1)
            r, g, b = self.image.getpixel((x, y))  # type: ignore[misc]
            total += r * 299 + g * 587 + b * 114
        return total < 2 * 128_000

    def ink(self, box: Bounds) -> RGB:
        return WHITE if self.is_dark(box) else INK

    def label(
        self,
        text: str,
        box: Bounds,
        *,
        size: int,
        fill: RGB,
        bold: bool = False,
        centre: bool = False,
        pad: int = 0,
        wrap: bool = False,
    ) -> None:
        """Draw text inside box: vertically centred, wrapped or ellipsised to the box's width."""
        x1, y1, x2, y2 = box
        width = x2 - x1 - 2 * pad
        if not text or width <= 0:
            return
        line_height = round(size * 1.3)
        max_lines = max(1, (y2 - y1) // line_height) if wrap else 1
        lines = _lines(text, size, bold, width, max_lines)
        y = (y1 + y2) / 2 - (len(lines) - 1) * line_height / 2
        for line in lines:
            if line:
                mask, left, top = _glyphs(line, size, bold)
                x = (x1 + x2 - mask.width) // 2 if centre else x1 + pad + left
                self.image.paste(fill, (int(x), int(y) + top), mask)
            y += line_height


def _inner(box: Bounds) -> Bounds:
    """ImageDraw includes the far edge; Android bounds exclude it."""
    x1, y1, x2, y2 = box
    return x1, y1, x2 - 1, y2 - 1


def _centred_square(box: tuple[float, float, float, float], side: float) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = box
    cx, cy, half = (x1 + x2) / 2, (y1 + y2) / 2, side / 2
    return cx - half, cy - half, cx + half, cy + half


def _centres_text(node: Node) -> bool:
    if node.bounds[0] <= 0 and node.bounds[2] >= SCREEN_WIDTH:
        return True  # edge-to-edge text never sits flush left on a phone: it is a centred heading
    parent = node.parent
    while parent is not None and not parent.style:
        parent = parent.parent
    return parent is not None and parent.style in CENTRING_CONTAINERS


# ------------------------------------------------------------------------------------------ painters

Painter = Callable[[_Canvas, Node, Bounds], None]


def _fill(colour: RGB) -> Painter:
    def paint_fill(c: _Canvas, node: Node, box: Bounds) -> None:
        c.draw.rectangle(_inner(box), fill=colour)

    return paint_fill


@lru_cache(maxsize=4)
def _video_texture(width: int, height: int) -> Image.Image:
    """A dark purple-to-black gradient with a faint play mark: reads as 'a video is here'."""
    ramp = Image.linear_gradient("L").resize((1, height), Image.Resampling.BILINEAR)
    texture = ImageOps.colorize(ramp, black=(58, 40, 86), white=(6, 6, 10)).resize((width, height))
    draw = ImageDraw.Draw(texture)
    side = min(width, height) * 0.18
    x1, y1, x2, y2 = _centred_square((0, 0, width, height), side)
    draw.ellipse((x1, y1, x2, y2), outline=(92, 84, 112), width=max(2, round(side / 24)))
    draw.polygon(
        [
            (x1 + side * 0.38, y1 + side * 0.28),
            (x1 + side * 0.38, y1 + side * 0.72),
            (x1 + side * 0.74, y1 + side / 2),
        ],
        fill=(92, 84, 112),
    )
    return texture


def _video(c: _Canvas, node: Node, box: Bounds) -> None:
    c.image.paste(_video_texture(box[2] - box[0], box[3] - box[1]), box[:2])


def _status_bar(c: _Canvas, node: Node, box: Bounds) -> None:
    _, y1, x2, y2 = box
    ink = c.ink(box)
    h = y2 - y1
    c.label(node.text or "9:41", box, size=max(12, round(h * 0.4)), fill=ink, bold=True, pad=48)
    # Right-hand cluster: four signal bars, then a battery about three quarters full.
    unit = max(2, round(h * 0.06))
    bottom = (y1 + y2) // 2 + 4 * unit
    right = x2 - 48
    battery = (right - 12 * unit, bottom - 6 * unit, right - unit, bottom)
    c.draw.rectangle(battery, outline=ink, width=max(1, unit // 2))
    c.draw.rectangle((right - unit, bottom - 4 * unit, right, bottom - 2 * unit), fill=ink)
    c.draw.rectangle((battery[0] + unit, battery[1] + unit, battery[0] + 8 * unit, battery[3] - unit), fill=ink)
    for i in range(4):
        bx = battery[0] - 4 * unit - (3 - i) * 2 * unit
        c.draw.rectangle((bx, bottom - (i + 1) * 2 * unit, bx + unit, bottom), fill=ink)


def _bottom_bar(c: _Canvas, node: Node, box: Bounds) -> None:
    c.draw.rectangle(_inner(box), fill=BLACK)
    c.draw.line((box[0], box[1], box[2] - 1, box[1]), fill=DIVIDER_ON_DARK, width=2)


def _top_bar(c: _Canvas, node: Node, box: Bounds) -> None:
    if not c.is_dark(box):  # light pages separate the bar with a hairline; the dark feed does not
        c.draw.line((box[0], box[3] - 2, box[2] - 1, box[3] - 2), fill=DIVIDER_ON_LIGHT, width=2)
    c.label(node.text, box, size=54, fill=c.ink(box), bold=True, centre=True)


def _tab(selected: bool) -> Painter:
    def paint_tab(c: _Canvas, node: Node, box: Bounds) -> None:
        dark = c.is_dark(box)
        ink = (WHITE if dark else INK) if selected else (GREY_ON_DARK if dark else GREY_ON_LIGHT)
        x1, y1, x2, y2 = box
        h = y2 - y1
        if h < 100:  # too short for an icon: just the label
            c.label(node.text, box, size=30, fill=ink, bold=selected, centre=True)
            return
        icon = _centred_square((x1, y1, x2, y1 + round(h * 0.78)), h * 0.3)
        _tab_glyph(c.draw, node.index, icon, ink, solid=selected)
        c.label(
            node.text,
            (x1, y1 + round(h * 0.56), x2, y2 - round(h * 0.06)),
            size=30,
            fill=ink,
            bold=selected,
            centre=True,
        )

    return paint_tab


def _tab_glyph(
    draw: ImageDraw.ImageDraw, position: int, box: tuple[float, float, float, float], ink: RGB, solid: bool
) -> None:
    """The tab's icon, outlined or (selected) solid as in TikTok.

    Chosen by position in the bar (Home, Friends, +, Inbox, Profile): that order is the same in
    every release, while the labels are not.
    """
    x1, y1, x2, y2 = box
    side, width, fill = x2 - x1, max(3, round((x2 - x1) / 12)), ink if solid else None
    if position == 0:  # a house
        eave, wall = y1 + side * 0.45, side * 0.14
        outline = [
            (x1, eave),
            ((x1 + x2) / 2, y1),
            (x2, eave),
            (x2 - wall, eave),
            (x2 - wall, y2),
            (x1 + wall, y2),
            (x1 + wall, eave),
        ]
        draw.polygon(outline, fill=fill, outline=ink, width=width)
    elif position == 1:  # two people
        shift = side * 0.22
        _bust(draw, (x1 - shift, y1, x2 - shift, y2), ink, solid)
        _bust(draw, (x1 + shift, y1, x2 + shift, y2), ink, solid)
    elif position == 3:  # a speech bubble
        draw.polygon(
            [(x1 + side * 0.2, y2 - side * 0.3), (x1 + side * 0.2, y2), (x1 + side * 0.5, y2 - side * 0.3)],
            fill=ink,
        )
        draw.rounded_rectangle(
            (x1, y1 + side * 0.05, x2, y2 - side * 0.22),
            radius=side * 0.2,
            fill=fill,
            outline=ink,
            width=width,
        )
    elif position == 4:  # the profile's person
        _bust(draw, box, ink, solid)
    else:
        draw.rounded_rectangle(box, radius=side / 4, fill=fill, outline=ink, width=width)


def _create_button(c: _Canvas, node: Node, box: Bounds) -> None:
    x1, y1, x2, y2 = box
    w, h = min(x2 - x1, 132), min(y2 - y1, 86)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    shift, radius = w * 0.07, h * 0.2
    # TikTok's "+" is a white key with a cyan edge peeking out left and a red edge right.
    c.draw.rounded_rectangle((cx - w / 2, cy - h / 2, cx + w / 2 - shift, cy + h / 2), radius, fill=CYAN)
    c.draw.rounded_rectangle((cx - w / 2 + shift, cy - h / 2, cx + w / 2, cy + h / 2), radius, fill=RED)
    c.draw.rounded_rectangle((cx - w / 2 + shift, cy - h / 2, cx + w / 2 - shift, cy + h / 2), radius, fill=WHITE)
    arm, thick = h * 0.26, max(3, round(h * 0.09))
    c.draw.rectangle((cx - arm, cy - thick / 2, cx + arm, cy + thick / 2), fill=BLACK)
    c.draw.rectangle((cx - thick / 2, cy - arm, cx + thick / 2, cy + arm), fill=BLACK)


def _text_style(size: int, bold: bool = False, muted: bool = False) -> Painter:
    def paint_text(c: _Canvas, node: Node, box: Bounds) -> None:
        dark = c.is_dark(box)
        ink = (GREY_ON_DARK if dark else GREY_ON_LIGHT) if muted else (WHITE if dark else INK)
        c.label(node.text, box, size=size, fill=ink, bold=bold, centre=_centres_text(node), wrap=True)

    return paint_text


def _caption(c: _Canvas, node: Node, box: Bounds) -> None:
    c.label(node.text, box, size=40, fill=WHITE, wrap=True, centre=_centres_text(node))


def _button(fill: RGB, ink: RGB) -> Painter:
    def paint_button(c: _Canvas, node: Node, box: Bounds) -> None:
        colour = fill if node.enabled else (RED_DISABLED if fill == RED else DIVIDER_ON_LIGHT)
        c.draw.rounded_rectangle(_inner(box), radius=min(12, (box[3] - box[1]) // 2), fill=colour)
        c.label(node.text, box, size=40, fill=ink, bold=True, centre=True, pad=24)

    return paint_button


def _row(c: _Canvas, node: Node, box: Bounds) -> None:
    dark = c.is_dark(box)
    c.label(node.text, box, size=40, fill=WHITE if dark else INK, pad=48)
    divider = DIVIDER_ON_DARK if dark else DIVIDER_ON_LIGHT
    c.draw.line((box[0] + 48, box[3] - 2, box[2] - 1, box[3] - 2), fill=divider, width=2)


def _badge(c: _Canvas, node: Node, box: Bounds) -> None:
    fill, ink = BADGES[node.style]
    c.draw.rounded_rectangle(_inner(box), radius=(box[3] - box[1]) // 2, fill=fill)
    c.label(node.text, box, size=30, fill=ink, bold=True, centre=True, pad=12)


def _sheet(c: _Canvas, node: Node, box: Bounds) -> None:
    c.draw.rounded_rectangle(_inner(box), radius=40, fill=WHITE, corners=(True, True, False, False))
    cx = (box[0] + box[2]) // 2
    c.draw.rounded_rectangle((cx - 40, box[1] + 18, cx + 40, box[1] + 28), radius=5, fill=DIVIDER_ON_LIGHT)


def _scrim(c: _Canvas, node: Node, box: Bounds) -> None:
    # Pasting black through a constant half-opacity mask dims what is below in one C call.
    size = (box[2] - box[0], box[3] - box[1])
    c.image.paste(BLACK, box, Image.new("L", size, 128))


def _dialog(c: _Canvas, node: Node, box: Bounds) -> None:
    c.draw.rounded_rectangle(_inner(box), radius=32, fill=WHITE)


def _spinner(c: _Canvas, node: Node, box: Bounds) -> None:
    dark = c.is_dark(box)
    ring = _centred_square(box, min(box[2] - box[0], box[3] - box[1]) * 0.8)
    width = max(3, round((ring[2] - ring[0]) / 10))
    c.draw.ellipse(ring, outline=DIVIDER_ON_DARK if dark else DIVIDER_ON_LIGHT, width=width)
    c.draw.arc(ring, start=-90, end=180, fill=WHITE if dark else RED, width=width)


def _toast(c: _Canvas, node: Node, box: Bounds) -> None:
    c.draw.rounded_rectangle(_inner(box), radius=(box[3] - box[1]) // 2, fill=TOAST)
    c.label(node.text, box, size=36, fill=WHITE, centre=True, pad=32)


def _icon_menu(c: _Canvas, node: Node, box: Bounds) -> None:
    ink = c.ink(box)
    x1, y1, x2, y2 = _centred_square(box, min(box[2] - box[0], box[3] - box[1]) * 0.5)
    thick = max(3, round((x2 - x1) / 9))
    for y in (y1 + (y2 - y1) * f for f in (0.15, 0.5, 0.85)):
        c.draw.rounded_rectangle((x1, y - thick / 2, x2, y + thick / 2), radius=thick / 2, fill=ink)


def _icon_back(c: _Canvas, node: Node, box: Bounds) -> None:
    x1, y1, x2, y2 = _centred_square(box, min(box[2] - box[0], box[3] - box[1]) * 0.45)
    mid_x = (x1 + x2) / 2
    points = [
        (mid_x + (x2 - x1) * 0.2, y1),
        (mid_x - (x2 - x1) * 0.3, (y1 + y2) / 2),
        (mid_x + (x2 - x1) * 0.2, y2),
    ]
    c.draw.line(points, fill=c.ink(box), width=max(3, round((x2 - x1) / 8)), joint="curve")


def _icon(c: _Canvas, node: Node, box: Bounds) -> None:
    ring = _centred_square(box, min(box[2] - box[0], box[3] - box[1]) * 0.5)
    c.draw.ellipse(ring, outline=c.ink(box), width=max(2, round((ring[2] - ring[0]) / 10)))


def _metric(c: _Canvas, node: Node, box: Bounds) -> None:
    c.label(node.text, box, size=60, fill=c.ink(box), bold=True, centre=True)


def _avatar(c: _Canvas, node: Node, box: Bounds) -> None:
    circle = _centred_square(box, min(box[2] - box[0], box[3] - box[1]))
    side = circle[2] - circle[0]
    # crc32, not hash(): str hashes are salted per process and the output must be deterministic.
    fill = AVATAR_FILLS[zlib.crc32((node.text or node.key).encode()) % len(AVATAR_FILLS)]
    c.draw.ellipse(circle, fill=fill)
    if node.text:
        c.label(
            node.text.lstrip("@")[:1].upper(),
            box,
            size=max(12, round(side * 0.45)),
            fill=WHITE,
            bold=True,
            centre=True,
        )
        return
    _bust(c.draw, circle, WHITE, solid=True)


def _bust(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], ink: RGB, solid: bool) -> None:
    """A head over rounded shoulders inside box: the default avatar and the profile/friends glyph."""
    x1, y1, x2, y2 = box
    side, cx, cy = x2 - x1, (x1 + x2) / 2, (y1 + y2) / 2
    width = max(2, round(side / 14))
    head = _centred_square((x1, cy - side * 0.14, x2, cy - side * 0.14), side * 0.34)
    shoulders = (cx - side * 0.3, cy + side * 0.08, cx + side * 0.3, cy + side * 0.68)
    if solid:
        draw.ellipse(head, fill=ink)
        draw.chord(shoulders, start=180, end=360, fill=ink)
    else:
        draw.ellipse(head, outline=ink, width=width)
        draw.chord(shoulders, start=180, end=360, outline=ink, width=width)


PAINTERS: dict[str, Painter] = {
    "screen-dark": _fill(BLACK),
    "screen-light": _fill(WHITE),
    "video": _video,
    "status-bar": _status_bar,
    "bottom-bar": _bottom_bar,
    "tab": _tab(selected=False),
    "tab-selected": _tab(selected=True),
    "create-button": _create_button,
    "top-bar": _top_bar,
    "title": _text_style(54, bold=True),
    "text": _text_style(40),
    "muted": _text_style(34, muted=True),
    "caption": _caption,
    "button-primary": _button(RED, WHITE),
    "button-secondary": _button(LIGHT_FILL, INK),
    "row": _row,
    **dict.fromkeys(BADGES, _badge),
    "sheet": _sheet,
    "scrim": _scrim,
    "dialog": _dialog,
    "spinner": _spinner,
    "toast": _toast,
    "icon-menu": _icon_menu,
    "icon-back": _icon_back,
    "icon": _icon,
    "metric": _metric,
    "avatar": _avatar,
}


# ------------------------------------------------------------------------------------ render, encode


def _painter_for(node: Node) -> Painter | None:
    if node.style in PAINTERS:
        return PAINTERS[node.style]
    style = CLASS_STYLES.get(node.cls.rsplit(".", 1)[-1])
    return PAINTERS[style] if style else None  # layouts draw nothing but their children


def _on_screen(bounds: Bounds) -> Bounds | None:
    x1, y1, x2, y2 = bounds
    x1, y1, x2, y2 = max(x1, 0), max(y1, 0), min(x2, SCREEN_WIDTH), min(y2, SCREEN_HEIGHT)
    return (x1, y1, x2, y2) if x1 < x2 and y1 < y2 else None


# Sessions paint from their own server threads; FreeType font objects are not safe to share
# between threads, and drawing is a few milliseconds, so one painter at a time.
_RENDER_LOCK = threading.Lock()


def _render(root: Node) -> Image.Image:
    with _RENDER_LOCK:
        return _draw(root)


def _draw(root: Node) -> Image.Image:
    image = Image.new("RGB", (SCREEN_WIDTH, SCREEN_HEIGHT), BLACK)
    canvas = _Canvas(image, ImageDraw.Draw(image))
    stack = [root]
    while stack:
        node = stack.pop()
        if not node.displayed:  # a hidden view hides everything inside it, as on Android
            continue
        painter, box = _painter_for(node), _on_screen(node.bounds)
        if painter is not None and box is not None:
            painter(canvas, node, box)
        stack.extend(reversed(node.children))
    return image


def _zlib_stream(image: Image.Image) -> bytes:
    """The image's PNG scanlines, zlib-compressed.

    Every row gets filter 0 (none): Pillow's own encoder tries all five filters on every row, which
    alone costs more than the screenshot's time budget, and flat UI pixels compress well unfiltered.
    """
    stride = image.width * 3
    raw = image.tobytes()
    lines = b"".join(b"\x00" + raw[i : i + stride] for i in range(0, len(raw), stride))
    return zlib.compress(lines, 1)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(image: Image.Image) -> bytes:
    """Encode an RGB image as PNG (8-bit RGB, no interlace)."""
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", _zlib_stream(image)) + _chunk(b"IEND", b"")


def paint(root: Node) -> bytes:
    """The whole 1080x2400 screen drawn from the tree under root, as PNG bytes."""
    return _png(_render(root))


def paint_element(root: Node, node: Node) -> bytes:
    """The screen cropped to node's bounds, as PNG bytes (Appium's element screenshot).

    The crop is clipped to the screen; a node wholly off screen gives a 1x1 image rather than an
    error, since a zero-size PNG is not valid.
    """
    box = _on_screen(node.bounds)
    if box is None:
        return _png(Image.new("RGB", (1, 1), BLACK))
    return _png(_render(root).crop(box))
