"""The promotions list: one row per promotion with its title, status, budget and spend.

Rows are found by title with UiScrollable.scrollIntoView, which scrolls on the device and answers in
one command however long the list. Reading every row scrolls page by page and reads each page from
one page source. Opening every row in turn (`each_row`) taps each at its place on the page source just read.

The list is a RecyclerView: a row's view is rebound to another promotion as the list scrolls, and the app may
reload the list (another order, back at its top) when it comes back to it from a promotion's details. On
UiAutomator2 an element held from before a scroll or a return may read, and open, whichever promotion its
view shows now, so no row element is ever kept across either: a row is found by what it shows each time, and
the details screen's promotion ID is the proof of which promotion opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from selenium.webdriver.remote.webelement import WebElement

from tiktok_promo.harness.errors import TargetNotFound
from tiktok_promo.harness.ui.finder import Finder
from tiktok_promo.harness.ui.locators import (
    TEXT,
    Target,
    accessibility_id,
    android_xpath,
    language_of,
    scroll_to_description,
    scroll_to_text,
    target,
    text,
    text_matches,
)
from tiktok_promo.harness.ui.snapshot import ScreenNode, Snapshot
from tiktok_promo.pages import values, wordings
from tiktok_promo.pages.base import BasePage

# The list by what it is: a RecyclerView (or a web page's list) whose rows each show several texts. Not "the
# first scrollable view": on a real screen that is a pager or a strip that scrolls sideways, and some builds
# mark no list scrollable at all; a profile's video grid is a RecyclerView too, but its cells show one number.
# On iOS the same idea is data (the wording files' `ios: shapes`: a collection view whose cells hold 3 texts).
_LIST = ("//*[self::androidx.recyclerview.widget.RecyclerView or self::android.widget.ListView]"
         "[*[@clickable='true'][count(.//*[string-length(@text) > 0]) >= 3]]")
LIST = wordings.target("promotions list", None, lead=(android_xpath(_LIST),), shape="promo_list", ids="promo_list")
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
ROWS = wordings.target("promotion rows", None, lead=(android_xpath(_LIST + "/*[@clickable='true']"),),
                       shape="promo_rows", ids="promo_row")
if TYPE_CHECKING:
    from tiktok_promo.pages.promotion_details import PromotionDetails, PromotionDetailsPage

_MAX_PAGES = 60  # a list longer than this many screens is not a list a person scrolls
_MAX_PASSES = 10 * _MAX_PAGES  # each_row starts again from the top after a reload; each pass opens a row first


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


def typed_key(text: str) -> str:
    """What two texts share when they are the same as a person types them by hand: case and runs of spaces aside
    ("Studio  tour" is "studio tour"). A selection compares titles (and IDs) by it; typed_title matches it on the
    device."""
    return " ".join(text.split()).casefold()


def typed_title(title: str) -> str:
    """A regular expression for every text that is `title` as a person types it: any case, any run of spaces
    (what typed_key compares; Java's and Python's regular expressions read it alike)."""
    words = ["".join("\\" + c if c.isascii() and not c.isalnum() and c != '"' else c for c in word)
             for word in title.split()]
    return "(?iu)\\s*" + "\\s+".join(words) + "\\s*"


def merge_pages(rows: list[PromotionRow], page: list[PromotionRow]) -> list[PromotionRow]:
    """Append a newly scrolled page to the rows so far, skipping the rows both show (the overlap)."""
    for overlap in range(min(len(rows), len(page)), 0, -1):
        if rows[-overlap:] == page[:overlap]:
            return rows + page[overlap:]
    return rows + page


def identity(row: PromotionRow) -> tuple[str, str | None, str]:
    """What tells a row from the others across a reload of the list: its title, status and budget (its spend
    moves while a promotion runs)."""
    return row.title, row.status or row.status_text, row.budget_text


class RowHandle:
    """A row of the list, ready to be opened: at its place on the page source just read, or by the element a
    find has just returned, else found again by its title. Neither outlives a scroll or a return to the list:
    the row's view may show another promotion by then."""

    def __init__(self, page: PromotionsListPage, title: str, index: int, element: WebElement | None = None,
                 node: ScreenNode | None = None) -> None:
        self.page = page
        self.title = title
        self.index = index  # which of the rows with this title on screen it is
        self.element = element
        self.node = node
        self.moves = page.moves  # the list as it stood when the row was found

    def open(self) -> PromotionDetailsPage:
        """Select the promotion: its details screen opens."""
        from tiktok_promo.pages.promotion_details import PromotionDetailsPage  # late: details lead back here

        self.page.come_back()
        if self.page.moves != self.moves:
            self.element = self.node = None  # the list moved or was left: its views may show other promotions
        target = ROW.filled(title=self.title)
        if self.element is None and self.node is not None and self.page.ui.tap_at(self.node, target):
            return PromotionDetailsPage(self.page.ui)
        element = self.element
        self.element = None  # a find's element is tapped once: after that the list may have moved
        if element is None:
            again = self.page.scroll_down_to(self.title)
            if self.index >= len(again):
                raise TargetNotFound(f'"{self.title}" is no longer listed {self.index + 1} time(s).')
            return again[self.index].open()
        self.page.ui.click(element, target, index=self.index)
        return PromotionDetailsPage(self.page.ui)


class PromotionsListPage(BasePage):
    """The list of the account's promotions (Promotions / Promote)."""

    # A look at the list by finds (one_row_titled), finds and reads each: its rows and a title's views (the list's
    # element is the Promotions confirmation's), and where the list and its last row end.
    LOOK = 2

    def __init__(self, ui: Finder) -> None:
        super().__init__(ui)
        self._scrolled = False  # whether the list may no longer be at its top
        self._moved = False  # scroll_to() moved the list (each_row picks up from its last row)
        # A details screen opened from this list and not left yet: the app goes back to the list only when
        # the list is needed again, so that a caller done with the list can go on from the details.
        self._away: PromotionDetailsPage | None = None
        # How often the list may have moved under what was read of it (a scroll, a return to it): a row's handle
        # keeps its element or place only while this stays as it was when the row was found.
        self.moves = 0

    @classmethod
    def back_from(cls, details: PromotionDetailsPage) -> PromotionsListPage:
        """Back from a promotion's details to the list, which the app keeps where it was when the row was opened,
        or reloads (another order, back at its top)."""
        details.tap_back()
        listing = cls(details.ui)
        listing.may_be_scrolled()
        return listing

    def may_be_scrolled(self) -> None:
        """Say the list may no longer be at its top (the app came back to it from a row further down)."""
        self._scrolled = True

    def come_back(self) -> bool:
        """Back to the list from the details screen opened from it, if the app is still there; whether it went.
        The app may reload the list as it comes back (another order, back at its top)."""
        page, self._away = self._away, None
        if page is not None:
            page.tap_back()
            self.moves += 1
        return page is not None

    def _scroll(self, listing: ScreenNode, direction: str, distance: float | None = None) -> bool:
        """One swipe over the list; whether it moved. Every row view on screen may show another promotion after."""
        self.moves += 1
        self._scrolled = True
        if distance is None:
            return self.ui.scroll(listing.bounds, direction)
        return self.ui.scroll(listing.bounds, direction, distance)

    def leave(self) -> PromotionDetailsPage | None:
        """The details screen the app was left on by the last read (None: the app is on the list); the
        caller takes it over, and this list is not gone back to."""
        page, self._away = self._away, None
        return page

    @staticmethod
    def row(title: str) -> Target:
        """The row titled `title`, found by scrolling it into view."""
        return ROW.filled(title=title)

    def scroll_to(self, title: str) -> list[RowHandle]:
        """Scroll the row titled `title` into view; all rows with that title now on screen, [] if none."""
        self.come_back()
        row = self.row(title)
        shown, found = self._scroll_into_view(row, LIST, EMPTY)
        self._scrolled = self._moved = True
        self.moves += 1
        if shown is not row:
            return []
        return [RowHandle(self, title, i, element) for i, element in enumerate(found)]

    def scroll_down_to(self, title: str) -> list[RowHandle]:
        """Like scroll_to(), but looking from where the list stands and further down before from its top.

        A batch cancels in the list's order and the app often keeps the list where it was after Back, so the next
        promotion is on this screen or a few below (after a reload, anywhere below the top it went back to).
        UiScrollable.scrollIntoView swipes back to the top first and down again (on a phone a gesture per screen
        each way, for every promotion); here a screen costs a gesture and a find, and the top is gone back to
        only when the end is reached without the row.
        """
        if not self._scrolled:
            return self.scroll_to(title)  # at its top, UiScrollable goes straight down: no swipe back
        self.come_back()
        row = ROW_ON_SCREEN.filled(title=title)
        found = self.ui.find_every_now(row)
        if not found:
            # A list reloading as the app came back, or still sliding in after the tap that opened it, shows its
            # rows only in a read at rest: a find right after can miss a row that is there.
            snap = self._read(LIST, EMPTY)
            listing = snap.node(LIST)
            if listing is not None and snap.has(row):
                found = self.ui.find_every_now(row)
            more = listing is not None and not found
            for _ in range(_MAX_PAGES):
                if not more or listing is None:
                    break
                more = self._scroll(listing, "down")
                found = self.ui.find_every_now(row)
                if found:
                    break
        if not found:
            return self.scroll_to(title)
        self._moved = True
        return [RowHandle(self, title, i, element) for i, element in enumerate(found)]

    def one_row_titled(self, title: str) -> RowHandle | None:
        """The row showing `title` (any case, any spacing), when the whole list shows on one screen and shows that
        title once, looked at by finds where those cost less than one page source of the list; None otherwise (the
        caller reads the list whole, from its page source, which then says what to refuse and why).

        The list's element is the one the Promotions tap's confirmation found; the rows by the release's id; the
        list fits when its last row ends above its bottom edge (a row cut off there is the start of more, below).
        A title shown twice is left to the whole read: whether both run decides a refusal.
        """
        if self._scrolled or self._away is not None or not self.ui.finds_are_cheaper(self.LOOK, self.LOOK):
            return None
        if not (self.ui.searches_for(LIST) and self.ui.searches_for(ROWS)):
            return None  # an XPath find builds the whole screen's document: the page source is no dearer
        lists = self.ui.opened(LIST) or self.ui.find_every_now(LIST)
        rows = self.ui.find_every_now(ROWS) if len(lists) == 1 else []
        if not rows:
            return None
        area, last = self.ui.bounds_of(lists[0]), self.ui.bounds_of(rows[-1])
        if area is None or last is None or last[3] >= area[3]:
            return None
        titled = self.ui.find_every_now(target("promotion row by its title", text_matches(typed_title(title))))
        if len(titled) != 1:
            return None
        return RowHandle(self, title, 0, titled[0])

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
            more = self._scroll(listing, "down")
            rows = merge_pages(rows, self.rows_of(self._read(LIST, reuse=False)))
            if not more:
                break
        return rows

    def each_row(self) -> Iterator[tuple[PromotionRow, RowHandle | None]]:
        """Every row of the list from the top, each once, with a handle to open it while it shows.

        A screen costs one page source; each row is tapped at its place on the latest one. The caller may open
        a row and come back before asking for the next: then the list is read again, and if it no longer shows
        the same rows (the app reloaded it: another order, or back at its top), reading goes on down from what
        the screen shows now, skipping the rows already given; then one more pass from the top gives any row
        the reload moved above (and ends the reading once it opens none). After the caller scrolled the list its
        own way, reading goes on from the row last given. On the list's last screen nothing is read again after a
        row was opened: the rows below it are given as the read before showed them, and one opened later is found
        by its title (the app stays on the last details read, for a caller that goes on from there).
        """
        given: Counter[tuple[str, str | None, str]] = Counter()
        reloaded, from_top = False, True
        snap: Snapshot | None = None
        for _ in range(_MAX_PASSES):
            if from_top or snap is None:
                snap, listing = self._from_the_top()
            else:
                listing = snap.node(LIST)
            if listing is None:
                return
            complete, opened, held = True, False, False
            passed: list[PromotionRow] = []
            counted: Counter[tuple[str, str | None, str]] = Counter()
            more = not self._fits(snap, listing)
            for _ in range(2 * _MAX_PAGES):
                shown = self._handles(snap)
                merged = merge_pages(passed, [row for row, _ in shown])
                position = len(shown) - (len(merged) - len(passed))
                passed = merged
                while position < len(shown) and complete:
                    row, handle = shown[position]
                    position += 1
                    key = identity(row)
                    counted[key] += 1
                    if counted[key] <= given[key]:
                        continue  # given before the list moved under the reading
                    given[key] += 1
                    self._moved = False
                    yield row, handle
                    if held:
                        continue  # the rest of the list's last screen, as read before the caller left it
                    if self._moved or self._away is not None:  # the caller scrolled, or opened the row
                        moved, went = self._moved, self._away is not None
                        opened = opened or went
                        if went and not moved and not more:
                            # The list's last screen, read whole before the row was opened: the rows below it are
                            # given as that read showed them, and the app stays on the details until a row is
                            # opened again (found by its title: its place on the old read no longer holds). A
                            # caller done with the list goes on from the details screen.
                            held = True
                            continue
                        self.come_back()  # the app may reload the list as it comes back to it
                        if moved:  # go on from the row just given, wherever the caller left the list
                            self.scroll_to(row.title)
                        snap = self._read(LIST, EMPTY, reuse=False)
                        again = self._handles(snap)
                        complete = not moved and [identity(r) for r, _ in again] == [identity(r) for r, _ in shown]
                        # a changed list after a return is a reload; a caller's scroll alone leaves the order be
                        reloaded = reloaded or (not complete and went)
                        shown = again  # the same rows at the same places: tapped at their place on this read
                if not complete or not more:
                    break
                more = self._scroll(listing, "down")
                snap = self._read(LIST, reuse=False)
            if not complete:
                from_top = False  # go on from the screen just read
                continue
            if not reloaded or (from_top and not opened):
                return  # every row given in the list's order, or a pass from the top after a reload found no more
            from_top = True

    def details_of(self, row: PromotionRow, handle: RowHandle | None, occurrence: int = 0) -> PromotionDetails | None:
        """Open a row and read its details screen; None when it is no longer listed. The app stays on the
        details until the list is needed again (or leave() hands the screen over).

        The handle (from each_row: the row's place on the page source just read) is tried first; if that opened
        another promotion (the list moved under it), the row is found again by its title: the `occurrence`-th
        row of that title on screen.
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

    def open_row(self, handle: RowHandle) -> PromotionDetails:
        """Open a row found by one_row_titled and read its details screen (the app stays there: see come_back)."""
        return self._read_details(handle)

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
                if not self._scroll(listing, "up", 1.0):
                    break
            snap = self._read(LIST, reuse=False)
        return snap, listing

    def _handles(self, snap: Snapshot) -> list[tuple[PromotionRow, RowHandle | None]]:
        """The complete rows of a snapshot, each with a handle that opens it at its place.

        No find is made for the rows: on a phone a find of every row is an XPath query, as costly as the page
        source itself, and while that page source stands it says where each row is (the facts' advice for rows
        that sit close together: tap from the bounds just read).
        """
        nodes = snap.nodes(ROWS)
        shown: list[tuple[PromotionRow, RowHandle | None]] = []
        counts: dict[str, int] = {}
        for node in nodes:
            row = PromotionRow.from_node(node, snap.locale)
            if row is None:
                continue  # cut off at the list's edge: complete on the next screen
            index = counts[row.title] = counts.get(row.title, -1) + 1
            shown.append((row, RowHandle(self, row.title, index, node=node)))
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
