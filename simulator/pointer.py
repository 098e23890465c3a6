"""W3C pointer actions turned into what a finger does on a touch screen: a tap, a long press, a swipe.

Both platforms read a pointer source the same way (pointerMove, pointerDown, pause, pointerUp, pointerCancel with
`duration`s and `origin`s); what differs is the screen's unit and how far a finger may slip and still tap, so
those are the caller's (`Touch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from tiktok_promo.simulator.elements import element_id_of
from tiktok_promo.simulator.errors import InvalidArgument


class Touch(Protocol):
    """The screen a pointer acts on: where an element is, and what a tap, a long press and a swipe do there."""

    def element_center(self, element_id: str) -> tuple[float, float]: ...

    def tap(self, x: float, y: float) -> None: ...

    def long_press(self, x: float, y: float) -> None: ...

    def swipe(self, start: tuple[float, float], end: tuple[float, float], last_move_ms: float,
              last_move_distance: float) -> None: ...


@dataclass(frozen=True)
class TouchSlop:
    """How far a finger may move and how long it may stay down before a press is no longer a tap."""

    distance: float
    long_press_ms: float


def perform(sources: Any, touch: Touch, slop: TouchSlop) -> None:
    """Run the input sources of a POST /actions: pointers act, key, none and wheel sources are accepted as no-ops."""
    if not isinstance(sources, list):
        raise InvalidArgument("'actions' must be a list of input sources")
    for source in sources:
        if not isinstance(source, dict) or "type" not in source:
            raise InvalidArgument("each input source needs a 'type'")
        if source["type"] == "pointer":
            _pointer(source.get("actions") or [], touch, slop)
        elif source["type"] not in ("key", "none", "wheel"):
            raise InvalidArgument(f"unknown input source type {source['type']!r}")


def _origin_point(action: dict, current: tuple[float, float], touch: Touch) -> tuple[float, float]:
    x, y = action.get("x", 0), action.get("y", 0)
    if not isinstance(x, int | float) or not isinstance(y, int | float):
        raise InvalidArgument("pointerMove needs numeric x and y")
    origin = action.get("origin", "viewport")
    if origin == "viewport":
        return float(x), float(y)
    if origin == "pointer":
        return current[0] + x, current[1] + y
    element_id = element_id_of(origin)
    if element_id:
        cx, cy = touch.element_center(element_id)
        return cx + x, cy + y
    raise InvalidArgument(f"unknown pointerMove origin {origin!r}")


def _pointer(actions: list, touch: Touch, slop: TouchSlop) -> None:
    position = (0.0, 0.0)
    down_at: tuple[float, float] | None = None
    held_ms = 0.0  # time since pointerDown
    last_move_ms = 0.0  # duration of the last move while down (how fast the finger left)
    last_move_distance = 0.0
    for action in actions:
        kind = action.get("type") if isinstance(action, dict) else None
        duration = action.get("duration", 0) if isinstance(action, dict) else 0
        if not isinstance(duration, int | float) or isinstance(duration, bool) or duration < 0:
            raise InvalidArgument(f"'duration' of a {kind} action must be a number of ms >= 0")
        if kind == "pointerMove":
            before = position
            position = _origin_point(action, position, touch)
            if down_at is not None:
                held_ms += duration
                last_move_ms = float(duration)
                last_move_distance = abs(position[1] - before[1]) + abs(position[0] - before[0])
        elif kind == "pointerDown":
            down_at, held_ms, last_move_ms, last_move_distance = position, 0.0, 0.0, 0.0
        elif kind == "pause":
            if down_at is not None:
                held_ms += duration
                last_move_ms, last_move_distance = float(duration), 0.0
        elif kind == "pointerUp" and down_at is not None:
            dx, dy = position[0] - down_at[0], position[1] - down_at[1]
            if abs(dx) < slop.distance and abs(dy) < slop.distance:
                if held_ms < slop.long_press_ms:
                    touch.tap(*down_at)
                else:
                    touch.long_press(*down_at)
            else:
                touch.swipe(down_at, position, last_move_ms, last_move_distance)
            down_at = None
        elif kind not in ("pointerCancel",):
            raise InvalidArgument(f"unknown pointer action {kind!r}")
