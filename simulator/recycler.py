"""The Promotions list as Android's RecyclerView keeps it: a few row views rebound as it scrolls, and a
refresh when the app comes back to it.

A RecyclerView makes about a screen of row views plus one and binds each to whichever promotion scrolls into
its place; rows out of view are not in the hierarchy at all. On UiAutomator2 an element found by id,
accessibility id, class or XPath is a UiObject2 holding the view's accessibility node, and every read or tap
refreshes that node from the live view (androidx.test.uiautomator UiObject2.getAccessibilityNodeInfo, used by
appium-uiautomator2-server model/UiObject2Element.java): while the view is attached the refresh succeeds, so a
held element of a rebound row reads, and taps, the promotion now bound to it; once the view is detached the
refresh fails (StaleObjectException) and the server answers StaleElementReferenceException
(model/ElementsCache.java). So the device keys a row by its view (its place in the pool), never by its
promotion.

Coming back to the list from a promotion's details, the app may reload it: a short loading state with a
progress indicator, the list back at its top, the promotions sorted by status (a cancelled one sinks). Whether
and how is drawn from a generator seeded by the world and the session's fault seed, so a run replays alike.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from tiktok_promo.simulator.model import ACTIVE, CANCELED, COMPLETED, IN_REVIEW, PAUSED, Promotion

# The order a reloaded list sorts by: running first, ended last (the status a person looks for first).
_STATUS_RANK = {ACTIVE: 0, IN_REVIEW: 1, PAUSED: 2, COMPLETED: 3, CANCELED: 4}
REFRESH_CHANCE = 0.5  # of a return to the list from a promotion's details
REFRESH_CHANCE_AFTER_CANCEL = 0.85  # a cancel changed what the list shows: the app reloads it more often
LOADING_MS = (150, 300)  # how long a reload shows its progress indicator


def pool_size(viewport: int, row_height: int) -> int:
    """How many row views the list keeps: as many as can show at once (a row cut at each edge) plus one."""
    return math.ceil(viewport / row_height) + 1


def in_list_order(promotions: Sequence[Promotion], order: Sequence[str] | None) -> list[Promotion]:
    """The promotions in the order the list shows them: `order` (IDs) first, any it does not name after."""
    if not order:
        return list(promotions)
    rank = {promo_id: i for i, promo_id in enumerate(order)}
    return sorted(promotions, key=lambda p: rank.get(p.id, len(rank)))


def by_status(promotions: Sequence[Promotion]) -> tuple[str, ...]:
    """The IDs sorted as a reload sorts them: by status, the list's own order kept within a status."""
    return tuple(p.id for p in sorted(promotions, key=lambda p: _STATUS_RANK.get(p.status, len(_STATUS_RANK))))


@dataclass(frozen=True)
class Refresh:
    """One reload of the list: how long it shows loading, whether it sorts by status and goes to its top."""

    loading_ms: int
    sort_by_status: bool
    to_top: bool


class ListRefresh:
    """Whether the list reloads when the app comes back to it, and how: the same seed, the same reloads."""

    def __init__(self, world: str, seed: int, enabled: bool = True) -> None:
        self.enabled = enabled
        self._draw = random.Random(f"list-refresh/{world}/{seed}")

    def on_return(self, after_cancel: bool) -> Refresh | None:
        """What the list does as the app comes back to it (None: it shows as it was left)."""
        if not self.enabled:
            return None
        chance = REFRESH_CHANCE_AFTER_CANCEL if after_cancel else REFRESH_CHANCE
        if self._draw.random() >= chance:
            return None
        return Refresh(loading_ms=self._draw.randint(*LOADING_MS), sort_by_status=self._draw.random() < 0.6,
                       to_top=self._draw.random() < 0.5)
