"""The screenshot painter: what a person looking at an Allure attachment would notice."""

from __future__ import annotations

import io

from PIL import Image, ImageStat

from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.ui.painter import paint, paint_element

RED = (254, 44, 85)
BUTTON = "android.widget.Button"
TEXT_VIEW = "android.widget.TextView"


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every row, so a corrupt stream fails here
    return image.convert("RGB")


def _screen(*children: Node, style: str = "screen-light") -> Node:
    return Node("android.widget.FrameLayout", "root", style=style).add(*children)


def _cancel_button() -> Node:
    return Node(BUTTON, "cancel", (48, 1700, 1032, 1840), text="Cancel", style="button-primary")


def _bottom_bar() -> Node:
    bar = Node("android.widget.LinearLayout", "bar", (0, 2240, 1080, 2400), style="bottom-bar")
    for i, name in enumerate(["Home", "Friends", "+", "Inbox", "Me"]):
        style = {"+": "create-button", "Me": "tab-selected"}.get(name, "tab")
        bar.add(
            Node(
                "android.widget.FrameLayout",
                f"tab{i}",
                (i * 216, 2240, (i + 1) * 216, 2400),
                text=name,
                style=style,
            )
        )
    return bar


def test_full_screenshot_is_a_portrait_phone_png() -> None:
    png = paint(_screen(_cancel_button(), _bottom_bar()))

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _open(png).size == (1080, 2400)


def test_element_screenshot_has_the_element_size() -> None:
    button = _cancel_button()
    image = _open(paint_element(_screen(button), button))

    assert image.size == (1032 - 48, 1840 - 1700)


def test_element_partly_off_screen_is_cropped_to_the_screen() -> None:
    row = Node("android.widget.LinearLayout", "row", (0, 2300, 1080, 2600), text="Half visible", style="row")

    assert _open(paint_element(_screen(row), row)).size == (1080, 100)


def test_primary_button_is_tiktok_red() -> None:
    image = _open(paint(_screen(_cancel_button())))
    button = image.crop((48, 1700, 1032, 1840))

    assert button.getpixel((20, 70)) == RED
    red_pixels = sum(count for count, colour in button.getcolors(1 << 16) if colour == RED)
    assert red_pixels > 0.5 * button.width * button.height


def test_bottom_bar_is_dark_on_a_light_page() -> None:
    image = _open(paint(_screen(_bottom_bar())))
    bar = image.crop((0, 2240, 1080, 2400)).convert("L")

    assert ImageStat.Stat(bar).mean[0] < 60
    assert image.getpixel((540, 1000)) == (255, 255, 255)


def test_text_is_drawn() -> None:
    def page(text: str) -> bytes:
        return paint(_screen(Node(TEXT_VIEW, "t", (48, 400, 1032, 480), text=text, style="text")))

    with_text = _open(page("Promotions")).crop((48, 400, 1032, 480))
    without = _open(page("")).crop((48, 400, 1032, 480))

    assert with_text.tobytes() != without.tobytes()
    assert with_text.convert("L").getextrema()[0] < 100  # dark ink on the white page


def test_overlong_text_stays_inside_its_bounds() -> None:
    text = Node(TEXT_VIEW, "t", (48, 400, 500, 480), text="word " * 40, style="text")
    image = _open(paint(_screen(text)))

    assert image.crop((500, 380, 1080, 500)).convert("L").getextrema() == (255, 255)


def test_hidden_views_and_their_children_are_not_drawn() -> None:
    hidden = Node("android.widget.FrameLayout", "hidden", (0, 0, 1080, 2400), displayed=False)
    hidden.add(_cancel_button())

    assert _open(paint(_screen(hidden))).getcolors() == [(1080 * 2400, (255, 255, 255))]


def test_unknown_style_and_class_do_not_crash() -> None:
    odd = Node("com.example.WeirdView", "odd", (10, 10, 300, 300), text="?", style="no-such-style")
    fallback = Node(TEXT_VIEW, "tv", (10, 400, 600, 480), text="Fallback", style="no-such-style")
    degenerate = Node(TEXT_VIEW, "zero", (50, 50, 50, 50), text="nothing")

    image = _open(paint(_screen(odd, fallback, degenerate)))

    assert image.crop((10, 400, 600, 480)).convert("L").getextrema()[0] < 100  # drawn as TextView text
    assert image.crop((10, 10, 300, 300)).getcolors() == [(290 * 290, (255, 255, 255))]


def test_same_tree_gives_the_same_bytes() -> None:
    def tree() -> Node:
        return _screen(
            _cancel_button(),
            _bottom_bar(),
            Node("android.widget.ImageView", "a", (400, 200, 680, 480), text="@creator", style="avatar"),
        )

    assert paint(tree()) == paint(tree())


def test_a_label_cut_by_the_screens_edge_is_painted_not_an_error() -> None:
    # A list scrolled to the screen's edge leaves a row of which one line of pixels shows (the "many" world's list).
    row = Node(TEXT_VIEW, "row", (230, 2399, 800, 2400), text="Plant care part 1")
    image = _open(paint(_screen(row)))
    assert image.size == (1080, 2400)
