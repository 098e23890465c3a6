"""Which screens each release of the app has: the builders, the overlays, the activities behind them.

The guide, current and business releases share one set of screens (simulator/ui/screens.py) and
differ in words; the studio release has screens of its own (simulator/ui/studio.py). Every builder's
window is then put into the real app's skeleton (simulator/ui/skeleton.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tiktok_promo.simulator.ui import screens, skeleton, studio
from tiktok_promo.simulator.ui.node import Node

Builder = Callable[..., Node]


@dataclass(frozen=True)
class ReleaseScreens:
    """One release's screen builders, the ones drawn as windows over another, and its activities."""

    builders: dict[str, Builder]
    overlays: set[str]
    list_layout: Callable[[screens.ScreenContext], tuple[int, int]]
    activities: dict[str, str] = field(default_factory=dict)  # empty: the device's own table
    web_screens: frozenset[str] = frozenset()  # screens shown in the app's WebView


def _dressed(name: str, build: Builder, kinds: dict[str, str | None]) -> Builder:
    def built(ctx: screens.ScreenContext) -> Node:
        locale = ctx.locale
        return skeleton.dress(name, build(ctx), ctx.release.name, ctx.package, locale.language, locale.compact,
                              kinds)

    built.__doc__ = build.__doc__
    return built


def _all_dressed(builders: dict[str, Builder], kinds: dict[str, str | None]) -> dict[str, Builder]:
    return {name: _dressed(name, build, kinds) for name, build in builders.items()}


CLASSIC = ReleaseScreens(_all_dressed(screens.BUILDERS, skeleton.KINDS), screens.OVERLAYS,
                         screens.promotions_layout)
STUDIO = ReleaseScreens(_all_dressed(studio.BUILDERS, skeleton.WEB_KINDS), studio.OVERLAYS,
                        studio.promotions_layout, studio.ACTIVITIES, studio.WEB_SCREENS)
_BY_RELEASE = {"studio": STUDIO}


def screens_of(release: str) -> ReleaseScreens:
    return _BY_RELEASE.get(release, CLASSIC)


# The same screens as the app draws them, without Android's skeleton around them: what another platform's face
# (simulator.ios) reads as its own element tree.
_PLAIN = {
    "classic": ReleaseScreens(dict(screens.BUILDERS), screens.OVERLAYS, screens.promotions_layout),
    "studio": ReleaseScreens(dict(studio.BUILDERS), studio.OVERLAYS, studio.promotions_layout, studio.ACTIVITIES,
                             studio.WEB_SCREENS),
}


def plain_screens_of(release: str) -> ReleaseScreens:
    return _PLAIN["studio" if release == "studio" else "classic"]
