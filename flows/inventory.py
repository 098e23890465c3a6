"""Reading promotions: what `promo list` shows, what `promo cancel` selects from, and what the monitoring
and safety steps read off the list and the details screens.

The list screen shows each promotion's title, status, budget and spend; its ID, duration, views and
likes only show on its details screen. Reading goes through the page objects (list rows, then each
wanted row's details and back), never around them, and changes nothing in the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tiktok_promo.pages import values
from tiktok_promo.pages.promotion_details import PromotionDetails
from tiktok_promo.pages.promotions_list import PromotionRow, PromotionsListPage, typed_key

_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class PromotionInfo:
    """One promotion as the app shows it, with the numbers people cancel for."""

    title: str
    status: str | None
    status_text: str
    promotion_id: str | None = None
    budget: values.Budget | None = None
    total_budget: Decimal | None = None
    spent: Decimal | None = None
    views: int | None = None
    likes: int | None = None
    occurrence: int = 0  # which of several rows with this title (0: the first from the top)
    detailed: bool = False  # whether the details screen was read (ID, views and likes known)

    @classmethod
    def from_row(cls, row: PromotionRow, occurrence: int) -> PromotionInfo:
        budget = row.budget
        return cls(
            title=row.title, status=row.status, status_text=row.status_text, budget=budget,
            total_budget=budget.total(None) if budget and not budget.per_day else None,
            spent=row.spent, occurrence=occurrence,
        )

    @classmethod
    def from_details(cls, row: PromotionRow | None, details: PromotionDetails, occurrence: int) -> PromotionInfo:
        """What the details screen shows, with what the list's row showed (when read) where the screen says nothing."""
        metrics = details.metrics
        return cls(
            title=details.title or (row.title if row else ""),
            status=details.status or (row.status if row else None),
            status_text=details.status_text or (row.status_text if row else ""),
            promotion_id=details.promotion_id,
            budget=details.budget or (row.budget if row else None),
            total_budget=details.total_budget,
            spent=details.spent if details.spent is not None or row is None else row.spent,
            views=metrics.get("views"),
            likes=metrics.get("likes"),
            occurrence=occurrence,
            detailed=True,
        )

    # --- what people cancel for -------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self.status == values.ACTIVE

    @property
    def can_cancel(self) -> bool:
        return self.status in values.CANCELLABLE

    @property
    def is_cancelled(self) -> bool:
        return self.status == values.CANCELLED

    @property
    def remaining(self) -> Decimal | None:
        """Budget still to be spent; None once the promotion has ended (nothing more will be charged)."""
        if not self.can_cancel or self.total_budget is None or self.spent is None:
            return None
        return max(Decimal(0), self.total_budget - self.spent)

    @property
    def spent_pct(self) -> Decimal | None:
        """Spend as a percentage of the whole budget."""
        if self.spent is None or not self.total_budget:
            return None
        return self.spent * 100 / self.total_budget

    @property
    def cost_per_1k_views(self) -> Decimal | None:
        """Dollars per 1,000 views; None without views (see `costs_over` for spend without views)."""
        if self.spent is None or not self.views:
            return None
        return (self.spent * 1000 / self.views).quantize(_CENTS)

    def label(self) -> str:
        return f'"{self.title}"' + (f" ({self.promotion_id})" if self.promotion_id else "")

    def to_json(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            "title": self.title,
            "id": self.promotion_id,
            "status": self.status or self.status_text,
            "status_text": self.status_text,
            "budget": num(self.budget.amount) if self.budget else None,
            "budget_kind": ("daily" if self.budget.per_day else "total") if self.budget else None,
            "total_budget": num(self.total_budget),
            "spent": num(self.spent),
            "remaining": num(self.remaining),
            "views": self.views,
            "likes": self.likes,
            "cost_per_1k_views": num(self.cost_per_1k_views),
        }


@dataclass(frozen=True)
class MonitoredPromotion:
    """One active promotion's row in the list and what its details screen showed."""

    row: PromotionRow
    details: PromotionDetails


def each_promotion(listing: PromotionsListPage, wants_details: Callable[[PromotionRow], bool]
                   ) -> Iterator[tuple[PromotionRow, int, PromotionDetails | None]]:
    """Every row of the list from the top, with which of several rows of its title it is (0: the first), and
    its details screen, read for the rows `wants_details` picks (None otherwise, or when it left the list
    meanwhile). The app goes back to the list when the list is needed again (see PromotionsListPage.come_back)."""
    seen: dict[str, int] = {}
    for row, handle in listing.each_row():  # one pass: each screen read once, its rows opened as held
        occurrence = seen.get(row.title, 0)
        seen[row.title] = occurrence + 1
        yield row, occurrence, listing.details_of(row, handle, occurrence) if wants_details(row) else None


def read_promotions(listing: PromotionsListPage,
                    wants_details: Callable[[PromotionRow, Sequence[PromotionInfo]], bool],
                    stay: bool = False, enough: Callable[[Sequence[PromotionInfo]], bool] | None = None,
                    ) -> tuple[list[PromotionInfo], PromotionsListPage]:
    """The rows of the list from the top, with its details screen read for the rows `wants_details` picks
    (it is told the promotions read so far: an ID found need not be looked for further down).

    Every row is read, unless `enough` says what was read so far settles the caller's question (every ID
    asked for is found): then the rest of the list is neither scrolled nor read.
    Returns the promotions and the list page. The app is back on the list, unless `stay`: then it may be
    left on the last details screen read (listing.leave() hands it over), for a caller that goes on from
    there. Rows with the same title are told apart by their order, as the list shows them.
    """
    found: list[PromotionInfo] = []
    for row, occurrence, details in each_promotion(listing, lambda row: wants_details(row, found)):
        found.append(PromotionInfo.from_row(row, occurrence) if details is None  # keep what the row showed
                     else PromotionInfo.from_details(row, details, occurrence))
        if enough is not None and enough(found):
            break
    if not stay:
        listing.come_back()
    return found, listing


def read_titled(listing: PromotionsListPage, title: str) -> list[PromotionInfo] | None:
    """The one promotion a list that fits one screen shows under `title`, with its details (the app stays on them);
    None when the list cannot settle it that way (longer than a screen, the title shown twice or not at all, a
    page source no dearer than the finds): then read_promotions reads it whole. See
    PromotionsListPage.one_row_titled."""
    handle = listing.one_row_titled(title)
    if handle is None:
        return None
    details = listing.open_row(handle)
    if typed_key(details.title or "") != typed_key(title):
        return None  # not the row looked for (the list moved under the tap): the whole read goes back to the list
    return [PromotionInfo.from_details(None, details, 0)]


def monitor(listing: PromotionsListPage) -> list[MonitoredPromotion]:
    """Budget, spend and performance of every active promotion, each read on its details screen."""
    monitored = [MonitoredPromotion(row, details)
                 for row, _, details in each_promotion(listing, lambda row: row.is_active) if details is not None]
    listing.come_back()
    return monitored


def listed_row(listing: PromotionsListPage, title: str) -> PromotionRow | None:
    """The row the list shows for a title (None when it is not listed)."""
    if not listing.scroll_to(title):
        return None
    return next((row for row in listing.visible_rows() if row.title == title), None)


def listed_status(listing: PromotionsListPage, title: str) -> str | None:
    """The status word the list shows for a title (None when it is not listed)."""
    row = listed_row(listing, title)
    return row.status_text if row is not None else None
