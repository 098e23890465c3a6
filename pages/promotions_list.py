"""The promotions list: one row per promotion with its title, status, budget and spend.

Rows are found by title with UiScrollable.scrollIntoView, which scrolls on the device and answers in
one command however long the list. Reading every row scrolls page by page and reads each page from
one page source. Opening every row in turn (`each_row`) also finds a screen's rows once, with one find,
and opens each by the element already held instead of finding it again by its title.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from selenium.webdriver.remote.webelement import WebElement

from harness.errors import TargetNotFound
from harness.ui.finder import Finder
from harness.ui.locators import (
    TEXT,
    accessibility_id,
    language_of,
    scroll_to_description,
    scroll_to_text,
    target,
    text,
    xpath,
)
from harness.ui.snapshot import ScreenNode, Snapshot
from pages import values, wordings
from pages.base import BasePage

# The list by what it is: a RecyclerView (or a web page's list) whose rows each show several texts. Not "the
# first scrollable view": on a real screen that is a pager or a strip that scrolls sideways, and some builds
# mark no list scrollable at all; a profile's video grid is a RecyclerView too, but its cells show one number.
_LIST = ("//*[self::androidx.recyclerview.widget.RecyclerView or self::android.widget.ListView]"
         "[*[@clickable='true'][count(.//*[string-length(@text) > 0]) >= 3]]")
LIST = wordings.target("promotions list", None, lead=(xpath(_LIST),), ids="promo_list")
EMPTY = wordings.target("no promotions", "no_promotions", TEXT)
ROW = target(
    "promotion row",
    scroll_to_text("{title}"),
    text("{title}"),
    scroll_to_description("{title}"),
    accessibility_id("{title}"),
)
# The row as a look at the screen finds it, without scrolling (scroll_down_to moves the list its own way).
ROW_ON_SCREEN = target("promotion row on screen", text("{title}"), accessibility_id("{title}"))
ROWS = wordings.target("promotion rows", None, lead=(xpath(_LIST + "/*[@clickable='true']"),),
                       shape="promo_rows", ids="promo_row")
if TYPE_CHECKING:
    from pages.promotion_details import PromotionDetails, PromotionDetailsPage

_MAX_PAGES = 60  # a list longer than this many screens is not a list a person scrolls


@dataclass(frozen=True)
class PromotionRow(values.ShownAmounts):
    """One row of the list, as the app shows it."""

    title: str
    status_text: str
    budget_text: str
    spent_text: str
    locale: str | None = field(default=None, compare=False)

    @property
    def is_active(self) -> bool:
        return self.status == values.ACTIVE

    @classmethod
    def from_node(cls, node: ScreenNode, locale: str | None = None) -> PromotionRow | None:
        """The row a list item shows, or None when it is cut off at the list's edge."""
        title = status = budget = spent = None
        language = language_of(locale)
        budget_words, spent_words = wordings.phrases("row_budget", language), wordings.phrases("row_spent", language)
        for line in node.texts():
            if status is None and values.status_of(line, locale) is not None:
                status = line
            elif budget is None and wordings.template_match(budget_words, line):
                budget = line
            elif spent is None and wordings.template_match(spent_words, line):
                spent = line
            elif title is None:
                title = line
        if title is None or status is None or budget is None or spent is None:
            return None
        return cls(title, status, budget, spent, locale)


def merge_pages(rows: list[PromotionRow], page: list[PromotionRow]) -> list[PromotionRow]:
    """Append a newly scrolled page to the rows so far, skipping the rows both show (the overlap)."""
    for overlap in range(min(len(rows), len(page)), 0, -1):
        if rows[-overlap:] == page[:overlap]:
            return rows + page[overlap:]
    return rows + page


class ScreenRows:
    """The rows one page source of the list showed, and their elements once one find has got them.

    The first row opened from a page source that still stands for the screen is tapped at its place (no
    find). Once the screen has changed (a row was opened and the app came back), one find of every row
    gets their elements, in the order the page source lists them: the rest are opened by element.
    """

    def __init__(self, page: PromotionsListPage, count: int) -> None:
        self.page = page
        self.count = count  # the row nodes on the page source, cut-off ones included (a find returns them too)
        self._elements: list[WebElement] | None = None
        self._looked = False

    def element(self, position: int) -> WebElement | None:
        """The element of the row at this position in the page source; None when the find does not line up."""
        if not self._looked:
            self._looked = True
            hit = self.page.ui.look(ROWS)
            self._elements = hit[1] if hit is not None and len(hit[1]) == self.count else None
        return self._elements[position] if self._elements is not None else None


class RowHandle:
    """A row of the list, ready to be opened: at its place on the page source just read, else by its element,
    else found again by its title."""

    def __init__(self, page: PromotionsListPage, title: str, index: int, element: WebElement | None = None,
                 node: ScreenNode | None = None, rows: ScreenRows | None = None, position: int = 0) -> None:
        self.page = page
        self.title = title
        self.index = index  # which of the rows with this title on screen it is
        self.element = element
        self.node = node
        self.rows = rows  # the rows of the page source the node is from
        self.position = position  # where the node is among them

    def open(self) -> PromotionDetailsPage:
        """Select the promotion: its details screen opens."""
        from pages.promotion_details import PromotionDetailsPage  # late: details lead back here

        self.page.come_back()
        target = ROW.filled(title=self.title)
        if self.element is None and self.node is not None and self.page.ui.tap_at(self.node, target):
            return PromotionDetailsPage(self.page.ui)
        element = self.element or (self.rows.element(self.position) if self.rows is not None else None)
        if element is None:
            again = self.page.scroll_to(self.title)
            if self.index >= len(again):
                raise TargetNotFound(f'"{self.title}" is no longer listed {self.index + 1} time(s).')
            return again[self.index].open()
        self.page.ui.click(element, target, index=self.index)
        return PromotionDetailsPage(self.page.ui)


class PromotionsListPage(BasePage):
    """The list of the account's promotions (Promotions / Promote)."""

    def __init__(self, ui: Finder) -> None:
        super().__init__(ui)
        self._scrolled = False  # whether the list may no longer be at its top
        self._moved = False  # scroll_to() moved the list (each_row picks up from its last row)
        # A details screen opened from this list and not left yet: the app goes back to the list only when
        # the list is needed again, so that a caller done with the list can go on from the details.
        self._away: PromotionDetailsPage | None = None

    @classmethod
    def back_from(cls, details: PromotionDetailsPage) -> PromotionsListPage:
        """Back from a promotion's details to the list, which the app keeps where it was when the row was opened."""
        details.tap_back()
        listing = cls(details.ui)
        listing.may_be_scrolled()
        return listing

    def may_be_scrolled(self) -> None:
        """Say the list may no longer be at its top (the app came back to it from a row further down)."""
        self._scrolled = True

    def come_back(self) -> None:
        """Back to the list from the details screen opened from it, if the app is still there."""
        page, self._away = self._away, None
        if page is not None:
            page.tap_back()

    def leave(self) -> PromotionDetailsPage | None:
        """The details screen the app was left on by the last read (None: the app is on the list); the
        caller takes it over, and this list is not gone back to."""
        page, self._away = self._away, None
        return page

    def scroll_to(self, title: str) -> list[RowHandle]:
        """Scroll the row titled `title` into view; all rows with that title now on screen, [] if none."""
        self.come_back()
        row = ROW.filled(title=title)
        shown, found = self._scroll_into_view(row, LIST, EMPTY)
        self._scrolled = self._moved = True
        if shown is not row:
            return []
        return [RowHandle(self, title, i, element) for i, element in enumerate(found)]

    def scroll_down_to(self, title: str) -> list[RowHandle]:
        """Like scroll_to(), but looking from where the list stands and further down before from its top.

        A batch cancels in the list's order and the app keeps the list where it was after Back, so the next
        promotion is on this screen or a few below. UiScrollable.scrollIntoView swipes back to the top first
        and down again (on a phone a gesture per screen each way, for every promotion); here a screen costs a
        gesture and a find, and the top is gone back to only when the end is reached without the row.
        """
        if not self._scrolled:
            return self.scroll_to(title)  # at its top, UiScrollable goes straight down: no swipe back
        self.come_back()
        row = ROW_ON_SCREEN.filled(title=title)
        found = self.ui.find_every_now(row)
        if not found:
            listing = self._read(LIST, EMPTY).node(LIST)
            more = listing is not None
            for _ in range(_MAX_PAGES):
                if not more or listing is None:
                    break
                more = self.ui.scroll(listing.bounds, "down")
                self._scrolled = True
                found = self.ui.find_every_now(row)
                if found:
                    break
        if not found:
            return self.scroll_to(title)
        self._moved = True
        return [RowHandle(self, title, i, element) for i, element in enumerate(found)]

    def visible_rows(self) -> list[PromotionRow]:
        """The rows on screen now (one page source)."""
        self.come_back()
        return self.rows_of(self._read(LIST, EMPTY))

    def all_rows(self) -> list[PromotionRow]:
        """Every row of the list, scrolling from the top to the end."""
        snap, listing = self._from_the_top()
        if listing is None:
            return []
        rows = self.rows_of(snap)
        if self._fits(snap, listing):
            return rows
        for _ in range(_MAX_PAGES):
            more = self.ui.scroll(listing.bounds, "down")
            self._scrolled = True
            rows = merge_pages(rows, self.rows_of(self._read(LIST, reuse=False)))
            if not more:
                break
        return rows

    def each_row(self) -> Iterator[tuple[PromotionRow, RowHandle | None]]:
        """Every row of the list from the top, each once, with a handle to open it while it shows.

        A screen costs one page source, and one find of its rows once a second row of it is opened; each row
        is opened at its place on the page source while that still stands, else by its element. The caller
        may open a row and come back before asking for the next: the app keeps the list where it was; after
        a scroll_to() the list is read again from that row on.
        """
        snap, listing = self._from_the_top()
        if listing is None:
            return
        seen: list[PromotionRow] = []
        more = not self._fits(snap, listing)
        for _ in range(2 * _MAX_PAGES):
            self._moved = False
            shown = self._handles(snap)
            merged = merge_pages(seen, [row for row, _ in shown])
            fresh = shown[len(shown) - (len(merged) - len(seen)):] if len(merged) > len(seen) else []
            for row, handle in fresh:
                yield row, handle
                seen.append(row)
                if self._moved:
                    break
            if self._moved:  # the caller scrolled to a row its own way: read the list again from there
                self.scroll_to(seen[-1].title)
                snap, more = self._read(LIST, reuse=False), True
                continue
            if not more:
                return
            self.come_back()
            more = self.ui.scroll(listing.bounds, "down")
            self._scrolled = True
            snap = self._read(LIST, reuse=False)

    def details_of(self, row: PromotionRow, handle: RowHandle | None, occurrence: int = 0) -> PromotionDetails | None:
        """Open a row and read its details screen; None when it is no longer listed. The app stays on the
        details until the list is needed again (or leave() hands the screen over).

        The held element (from each_row) is tried first; if that opened another promotion (the list moved
        under it), the row is found again by its title: the `occurrence`-th row of that title on screen.
        """
        self.come_back()
        if handle is not None:
            details = self._read_details(handle)
            if details.title == row.title:
                return details
        handles = self.scroll_to(row.title)
        if not handles:
            return None  # it ended between the two reads
        return self._read_details(handles[min(occurrence, len(handles) - 1)])

    def _read_details(self, handle: RowHandle) -> PromotionDetails:
        """Open the row and read its details screen (the app stays there: see come_back)."""
        page = handle.open()
        details = page.read()
        self._away = page
        return details

    def _from_the_top(self) -> tuple[Snapshot, ScreenNode | None]:
        """The list scrolled back to its top (if it may have moved), as a snapshot; its node, None when empty."""
        self.come_back()
        snap = self._read(LIST, EMPTY)
        listing = snap.node(LIST)
        if listing is not None and self._scrolled:
            for _ in range(_MAX_PAGES):
                if not self.ui.scroll(listing.bounds, "up", 1.0):
                    break
            snap = self._read(LIST, reuse=False)
        return snap, listing

    def _handles(self, snap: Snapshot) -> list[tuple[PromotionRow, RowHandle | None]]:
        """The complete rows of a snapshot, each with a handle that opens it (see ScreenRows).

        No find is made for the rows until one is needed: on a phone a find of every row is an XPath query,
        as costly as the page source itself, and while that page source stands it says where each row is
        (the facts' advice for rows that sit close together: tap from the bounds just read).
        """
        nodes = snap.nodes(ROWS)
        rows = ScreenRows(self, len(nodes))
        shown: list[tuple[PromotionRow, RowHandle | None]] = []
        counts: dict[str, int] = {}
        for position, node in enumerate(nodes):
            row = PromotionRow.from_node(node, snap.locale)
            if row is None:
                continue  # cut off at the list's edge: complete on the next screen
            index = counts[row.title] = counts.get(row.title, -1) + 1
            shown.append((row, RowHandle(self, row.title, index, node=node, rows=rows, position=position)))
        return shown

    @staticmethod
    def _fits(snap: Snapshot, listing: ScreenNode) -> bool:
        """Whether the whole list shows at once (its last row ends above the list's bottom edge)."""
        items = snap.nodes(ROWS)
        return not items or items[-1].bounds[3] < listing.bounds[3]

    @staticmethod
    def rows_of(snap: Snapshot) -> list[PromotionRow]:
        """The complete rows a snapshot of the list shows."""
        return [row for row in (PromotionRow.from_node(n, snap.locale) for n in snap.nodes(ROWS)) if row is not None]
