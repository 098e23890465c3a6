"""How a phone's screens come in: a transition layer over whatever windows the screens are built as.

After a tap that opens a screen, the new window does not appear where it will rest: a page slides in
from the side, a bottom sheet rises from the bottom, a dialog fades in. For those few hundred
milliseconds UiAutomator2 reports the views where they are passing (their visible bounds, clipped to
the screen; a view wholly off the screen is not visible to the user, so it is not in the source), and a
finger lands on whatever is under it at that moment, including the screen the new one is covering.

The layer knows nothing of the trees' contents: it moves a built window's bounds by an offset that
depends on the time since the transition began (on the device's clock), keeping every view's key, so an
element found mid-slide is the same element at rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tiktok_promo.simulator.ui.node import Node

__all__ = ["DURATIONS_MS", "IOS_DURATIONS_MS", "Transition", "moved"]

# How long each kind of transition lasts. A few hundred ms, as Android's own animations do: an activity or
# fragment push, a bottom sheet's rise, a dialog's fade-in. A tap before the end meets the passing bounds.
DURATIONS_MS = {"page": 300, "sheet": 250, "dialog": 150}
# The same on an iPhone, UIKit's: a navigation push from the right side, a sheet presented from the bottom, an alert
# fading in. UIKit's are a little longer than Android's; the numbers are what a person times on a phone (a guess,
# no source states them).
IOS_DURATIONS_MS = {"page": 350, "sheet": 400, "dialog": 250}
Clock = Callable[[], float]


@dataclass
class Transition:
    """One screen coming in: its kind, when it began, and the windows it covers while it moves."""

    kind: str  # page (from the right side), sheet (from the bottom) or dialog (fades in where it rests)
    started: float
    below: list[Node] = field(default_factory=list)  # what the finger meets outside the moving window
    ms: int = 0  # how long it lasts (0: Android's, DURATIONS_MS)

    @property
    def seconds(self) -> float:
        return (self.ms or DURATIONS_MS[self.kind]) / 1000

    def left(self, now: float) -> float:
        """Seconds until the new screen rests (0 once it does)."""
        return max(0.0, self.started + self.seconds - now)

    def offset(self, now: float, size: tuple[int, int]) -> tuple[int, int]:
        """(dx, dy) of the incoming window now: a decelerating curve, as Android's default interpolators."""
        done = min(1.0, max(0.0, (now - self.started) / self.seconds))
        still = (1.0 - done) ** 2  # what is left of the way, easing out
        width, height = size
        if self.kind == "page":
            return round(width * still), 0
        if self.kind == "sheet":
            return 0, round(height * still)
        return 0, 0  # a fade: the dialog is where it rests, only its alpha changes


def moved(window: Node, dx: int, dy: int, size: tuple[int, int], clip: bool = True) -> Node:
    """A copy of a window with every view's bounds moved by (dx, dy) and clipped to the screen, as
    UiAutomator2 reports visible bounds; a view left with no area on the screen is not displayed. With `clip`
    false the bounds are the whole view's wherever it is, as XCTest reports an element's frame (WDA's wdFrame)."""
    width, height = size

    def copy(node: Node, parent: Node | None) -> Node:
        x1, y1, x2, y2 = node.bounds
        seen = (min(max(x1 + dx, 0), width), min(max(y1 + dy, 0), height),
                min(max(x2 + dx, 0), width), min(max(y2 + dy, 0), height))
        had_area = x2 > x1 and y2 > y1
        shown = node.displayed and (not had_area or (seen[2] > seen[0] and seen[3] > seen[1]))
        bounds = seen if clip else (x1 + dx, y1 + dy, x2 + dx, y2 + dy)
        clone = replace(node, bounds=bounds, displayed=shown, children=[], parent=parent)
        clone.children = [copy(child, clone) for child in node.children]
        return clone

    return copy(window, window.parent)


class Motion:
    """What any virtual phone does with its screens' timing: windows coming in, and being busy meanwhile.

    `clock` is the device's clock (monotonic seconds; a test may hand it another). `transitions` is the one
    switch: off, every screen rests at once (a benchmark's baseline, never the suite's). `durations_ms` and `clips`
    are the platform's: how long each kind lasts, and whether a passing view's bounds are cut at the screen's edge
    (UiAutomator2's visible bounds) or kept whole (an iOS element's frame)."""

    clock: Clock = staticmethod(time.monotonic)
    transitions: bool = True
    transition: Transition | None = None
    durations_ms: dict[str, int] = DURATIONS_MS
    clips: bool = True

    def begin(self, kind: str, below: list[Node]) -> None:
        """A new screen starts coming in over `below` (the windows it covers while it moves)."""
        self.transition = (Transition(kind, self.clock(), below, self.durations_ms[kind]) if self.transitions
                           else None)

    def moving(self) -> Transition | None:
        """The transition under way, if the new screen has not come to rest yet."""
        transition = self.transition
        if transition is not None and transition.left(self.clock()) <= 0:
            self.transition = transition = None
        return transition

    def in_motion(self, windows: list[Node], first: int, size: tuple[int, int]) -> list[Node]:
        """The windows as they show now: from index `first` on, moved as the transition has them."""
        transition = self.moving()
        if transition is None:
            return windows
        dx, dy = transition.offset(self.clock(), size)
        if not dx and not dy:
            return windows
        return [*windows[:first], *(moved(w, dx, dy, size, self.clips) for w in windows[first:])]

    def settle_seconds(self) -> float:
        """Seconds until the screen rests (0: at rest now)."""
        transition = self.moving()
        return transition.left(self.clock()) if transition is not None else 0.0
