"""The promotions list: one row per promotion with its title, status, budget and spend.

Rows are found by title with UiScrollable.scrollIntoView, which scrolls on the device and answers in
one command however long the list. Reading every row scrolls page by page and reads each page from
one page source.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from selenium.webdriver.remote.webelement import WebElement

from harness.finder import Finder
from harness.locators import (
    BUSINESS,
    CURRENT,
    GUIDE,
    REAL,
    accessibility_id,
    resource_id,
    scroll_to_description,
    scroll_to_text,
    target,
    text,
    xpath,
)
from harness.snapshot import ScreenNode, Snapshot
from pages import values
from pages.base import BasePage, app_id

LIST = target(
    "promotions list",
    xpath("//*[@scrollable='true']"),
    resource_id(app_id("ati9"), GUIDE), resource_id(app_id("bybi"), CURRENT), resource_id(app_id("c34q"), BUSINESS),
)
EMPTY = target(
    "no promotions",
    text("No promotions yet", GUIDE, CURRENT, BUSINESS),
    text("You haven't promoted any videos yet", REAL),
)
ROW = target(
    "promotion row",
    scroll_to_text("{title}"),
    text("{title}"),
    scroll_to_description("{title}"),
    accessibility_id("{title}"),
)
ROWS = target(
    "promotion rows",
    xpath("//*[@scrollable='true']/*[@clickable='true']"),
    resource_id(app_id("asmf"), GUIDE), resource_id(app_id("bxfo"), CURRENT), resource_id(app_id("c28w"), BUSINESS),
)
if TYPE_CHECKING:
    from pages.promotion_details import PromotionDetailsPage

_MAX_PAGES = 60  # a list longer than this many screens is not a list a person scrolls


@dataclass(frozen=True)
class PromotionRow:
    """One row of the list, as the app shows it."""

    title: str
    status_text: str
    budget_text: str
    spent_text: str

    @property
    def status(self) -> str | None:
        return values.status_of(self.status_text)

    @property
    def budget(self) -> values.Budget | None:
        return values.budget(self.budget_text)

    @property
    def spent(self) -> Decimal | None:
        return values.money(self.spent_text)

    @property
    def is_active(self) -> bool:
        return self.status == values.ACTIVE

    @classmethod
    def from_node(cls, node: ScreenNode) -> PromotionRow | None:
        """The row a list item shows, or None when it is cut off at the list's edge."""
        title = status = budget = spent = None
        for line in node.texts():
            if status is None and values.status_of(line) is not None:
                status = line
            elif budget is None and line.lower().startswith("budget"):
                budget = line
            elif spent is None and line.lower().startswith("spent"):
                spent = line
            elif title is None:
                title = line
        if title is None or status is None or budget is None or spent is None:
            return None
        return cls(title, status, budget, spent)


def merge_pages(rows: list[PromotionRow], page: list[PromotionRow]) -> list[PromotionRow]:
    """Append a newly scrolled page to the rows so far, skipping the rows both show (the overlap)."""
    for overlap in range(min(len(rows), len(page)), 0, -1):
        if rows[-overlap:] == page[:overlap]:
            return rows + page[overlap:]
    return rows + page


class RowHandle:
    """A row found by its title, ready to be opened."""

    def __init__(self, page: PromotionsListPage, title: str, index: int, element: WebElement) -> None:
        self.page = page
        self.title = title
        self.index = index
        self.element = element

    def open(self) -> PromotionDetailsPage:
        """Select the promotion: its details screen opens."""
        from pages.promotion_details import PromotionDetailsPage  # late: details lead back here

        self.page.ui.click(self.element, ROW.filled(title=self.title), index=self.index)
        return PromotionDetailsPage(self.page.ui)


class PromotionsListPage(BasePage):
    """The list of the account's promotions (Promotions / Promote)."""

    def __init__(self, ui: Finder) -> None:
        super().__init__(ui)
        self._scrolled = False  # whether the list may no longer be at its top

    def scroll_to(self, title: str) -> list[RowHandle]:
        """Scroll the row titled `title` into view; all rows with that title now on screen, [] if none."""
        row = ROW.filled(title=title)
        shown, found = self._scroll_into_view(row, LIST, EMPTY)
        self._scrolled = True
        if shown is not row:
            return []
        return [RowHandle(self, title, i, element) for i, element in enumerate(found)]

    def visible_rows(self) -> list[PromotionRow]:
        """The rows on screen now (one page source)."""
        return self._rows(self._read(LIST, EMPTY))

    def all_rows(self) -> list[PromotionRow]:
        """Every row of the list, scrolling from the top to the end."""
        snap = self._read(LIST, EMPTY)
        listing = snap.node(LIST)
        if listing is None:
            return []
        if self._scrolled:
            for _ in range(_MAX_PAGES):
                if not self.ui.scroll(listing.bounds, "up", 1.0):
                    break
            snap = self._read(LIST, reuse=False)
        rows = self._rows(snap)
        if self._fits(snap, listing):
            return rows
        for _ in range(_MAX_PAGES):
            more = self.ui.scroll(listing.bounds, "down")
            self._scrolled = True
            rows = merge_pages(rows, self._rows(self._read(LIST, reuse=False)))
            if not more:
                break
        return rows

    @staticmethod
    def _fits(snap: Snapshot, listing: ScreenNode) -> bool:
        """Whether the whole list shows at once (its last row ends above the list's bottom edge)."""
        items = snap.nodes(ROWS)
        return not items or items[-1].bounds[3] < listing.bounds[3]

    @staticmethod
    def _rows(snap: Snapshot) -> list[PromotionRow]:
        return [row for row in (PromotionRow.from_node(n) for n in snap.nodes(ROWS)) if row is not None]
