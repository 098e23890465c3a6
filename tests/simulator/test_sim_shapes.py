"""The virtual screens keep the size and shape of the real app's (measured on public dumps of 43.1-47.0):
deep, obfuscated, several scrollable views, shared short ids, drawing orders and index gaps. A screen that
shrinks back to a sketch fails here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from lxml import etree
from simkit import StepClock

from tiktok_promo.simulator.device import Device
from tiktok_promo.simulator.locate import SourceTree
from tiktok_promo.simulator.ui.node import Node
from tiktok_promo.simulator.world import resolve_world

RELEASE_WORLDS = ["default", "current", "business", "studio", "current-fr", "studio-fr"]
OBFUSCATED = re.compile(r"X\.\w{4}")


@dataclass
class Shape:
    """What a page source of one screen measures."""

    nodes: int
    kilobytes: float
    levels: int
    scrollables: list[etree._Element]
    root: etree._Element

    @classmethod
    def of(cls, device: Device) -> Shape:
        xml = SourceTree([device.active_window()]).xml()
        root = etree.fromstring(xml.encode("utf-8"))
        return cls(
            nodes=sum(1 for _ in root.iter()) - 1,
            kilobytes=len(xml.encode("utf-8")) / 1024,
            levels=max(sum(1 for _ in el.iterancestors()) for el in root.iter()),
            scrollables=[el for el in root.iter() if el.get("scrollable") == "true"],
            root=root,
        )


def _tap(device: Device, matches: Callable[[Node], bool]) -> None:
    node = next(n for n in device.active_window().walk() if matches(n))
    device.click(node)
    device.clock.rest()  # type: ignore[attr-defined]  # the screen has come in: its shape at rest is measured


def _walk(world: str) -> dict[str, Shape]:
    """Each screen of the cancel flow, measured as the server would write it."""
    device = Device(resolve_world(world))
    device.clock = StepClock()  # type: ignore[assignment]
    device.launch()
    device.popups.clear()
    shapes = {"home": Shape.of(device)}
    _tap(device, lambda n: n.action == "tab:profile")
    shapes["profile"] = Shape.of(device)
    _tap(device, lambda n: n.action == "open:menu")
    shapes["menu"] = Shape.of(device)
    _tap(device, lambda n: n.action == "open:creator_tools")
    shapes["creator tools"] = Shape.of(device)
    _tap(device, lambda n: n.action == "open:promotions")
    shapes["promotions"] = Shape.of(device)
    _tap(device, lambda n: (n.action or "").startswith("open:details:"))
    shapes["details"] = Shape.of(device)
    _tap(device, lambda n: (n.action or "").startswith("cancel:"))
    shapes["confirm"] = Shape.of(device)
    return shapes


@pytest.fixture(scope="module", params=RELEASE_WORLDS)
def shapes(request: pytest.FixtureRequest) -> dict[str, Shape]:
    return _walk(request.param)


def _full_screen(element: etree._Element) -> bool:
    return element.get("bounds") == "[0,0][1080,2400]"


def test_home_and_profile_are_as_big_and_deep_as_the_real_ones(shapes: dict[str, Shape]) -> None:
    for screen in ("home", "profile"):
        shape = shapes[screen]
        assert 150 <= shape.nodes <= 250, (screen, shape.nodes)
        assert 80 <= shape.kilobytes <= 120, (screen, shape.kilobytes)
    assert 30 <= shapes["home"].levels <= 36
    assert 24 <= shapes["profile"].levels <= 30


def test_home_has_four_scrollable_views_and_profile_two_the_first_a_full_screen_pager(
        shapes: dict[str, Shape]) -> None:
    assert len(shapes["home"].scrollables) == 4
    assert len(shapes["profile"].scrollables) == 2
    for screen in ("home", "profile"):
        first = shapes[screen].scrollables[0]
        assert first.get("class") == "X.05ht" and _full_screen(first)


def test_the_other_screens_are_the_size_of_a_native_screen_of_their_content(shapes: dict[str, Shape]) -> None:
    for screen in ("menu", "creator tools", "promotions", "details", "confirm"):
        shape = shapes[screen]
        assert 8 <= shape.nodes <= 90 and shape.levels >= 5, (screen, shape.nodes, shape.levels)


def test_real_classes_ids_drawing_orders_and_gaps(shapes: dict[str, Shape]) -> None:
    root = shapes["home"].root
    elements = [el for el in root.iter() if el is not root]
    assert {"X.0043", "X.05ht", "X.122f", "X.095L"} <= {el.get("class") for el in elements}
    assert sum(1 for el in elements if OBFUSCATED.fullmatch(el.get("class") or "")) >= 10
    orders = [int(el.get("drawing-order")) for el in elements]
    assert max(orders) <= 11 and max(orders) >= 5 and min(orders[1:]) >= 1
    parents = [el for el in elements if len(el)]
    gapped = [el for el in parents if [int(c.get("index")) for c in el] != list(range(len(el)))]
    assert 0.04 <= len(gapped) / len(parents) <= 0.15
    # text-less views that can be tapped (what a uiautomator dump marks NAF)
    naf = [el for el in elements if el.get("clickable") == "true" and not el.get("text")
           and not el.get("content-desc") and not el.get("resource-id")]
    assert len(naf) >= 9


def test_short_ids_are_shared_by_unrelated_views(shapes: dict[str, Shape]) -> None:
    profile = shapes["profile"].root
    username = next(el for el in profile.iter() if (el.get("text") or "").startswith("@"))
    assert username.get("class") == "android.widget.Button"
    sharing = [el for el in profile.iter() if el.get("resource-id") == username.get("resource-id")]
    assert len(sharing) == 2 and not sharing[1].get("text", "").startswith("@")
    counts = {}
    for el in profile.iter():
        counts[el.get("resource-id")] = counts.get(el.get("resource-id"), 0) + 1
    assert max(n for rid, n in counts.items() if rid) >= 9  # one short id on many views (seen: 9)


def test_a_profile_grid_cell_lies_under_the_bottom_bar_both_visible(shapes: dict[str, Shape]) -> None:
    profile = shapes["profile"].root
    home_tab = next(el for el in profile.iter() if el.get("selected") == "false" and el.get("content-desc") in (
        "Home", "Accueil"))
    bar_top = int(re.findall(r"\d+", home_tab.get("bounds"))[1])
    grid = next(el for el in profile.iter() if el.get("class") == "androidx.recyclerview.widget.RecyclerView")
    cells = list(grid)
    assert any(int(re.findall(r"\d+", c.get("bounds"))[3]) > bar_top for c in cells)
