"""Which screens each release of the app has: the builders, the overlays, the activities behind them.

The guide, current and business releases share one set of screens (simulator/ui/screens.py) and
differ in words; the studio release has screens of its own (simulator/ui/studio.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.ui import screens, studio
from simulator.ui.node import Node


@dataclass(frozen=True)
class ReleaseScreens:
    """One release's screen builders, the ones drawn as windows over another, and its activities."""

    builders: dict[str, Callable[..., Node]]
    overlays: set[str]
    list_layout: Callable[[screens.ScreenContext], tuple[int, int]]
    activities: dict[str, str] = field(default_factory=dict)  # empty: the device's own table
    web_screens: frozenset[str] = frozenset()  # screens shown in the app's WebView


CLASSIC = ReleaseScreens(screens.BUILDERS, screens.OVERLAYS, screens.promotions_layout)
STUDIO = ReleaseScreens(studio.BUILDERS, studio.OVERLAYS, studio.promotions_layout, studio.ACTIVITIES,
                        studio.WEB_SCREENS)
_BY_VARIANT = {"studio": STUDIO}


def screens_of(variant: str) -> ReleaseScreens:
    return _BY_VARIANT.get(variant, CLASSIC)
