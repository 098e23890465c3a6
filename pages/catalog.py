"""Every screen the harness knows, as data: how to recognise it (its anchors) and what it looks for there.

Used offline (promo check-locators reads recorded page sources) and by the read-only walk of
promo capture. A screen is recognised when all its `anchors` match and none of its `unless` do; the
screens are tried in the order listed (the confirmation before the details it covers, the list before
the feed, whose video is scrollable too). `needed` are the targets the cancel flow taps or reads on
that screen: each must find exactly one element there before anything destructive runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiktok_promo.harness.ui.locators import IOS, Target
from tiktok_promo.harness.ui.snapshot import Snapshot
from tiktok_promo.pages import confirm_dialog, creator_tools, feed, logged_out, menu_sheet, profile, values
from tiktok_promo.pages import promotion_details as details
from tiktok_promo.pages import promotions_list as listing


@dataclass(frozen=True)
class Screen:
    """One screen: its name, how it is recognised, and its targets (those the cancel flow needs first)."""

    name: str
    anchors: tuple[Target, ...]
    needed: tuple[Target, ...]
    optional: tuple[Target, ...] = ()
    unless: tuple[Target, ...] = ()
    many: tuple[Target, ...] = ()  # targets that find several elements by design (the list's rows)
    # Targets of the screen this one covers: on Android the covered screen is not in the page source, so one of them
    # says this screen is not shown; an iPhone's page source (WDA reads the whole window) still holds them under it.
    covers: tuple[Target, ...] = ()

    def shows(self, snap: Snapshot) -> bool:
        return all(snap.has(a) for a in self.anchors) and not any(snap.has(u) for u in self.unless) and (
            snap.platform == IOS or not any(snap.has(c) for c in self.covers))

    def needs(self, snap: Snapshot) -> tuple[Target, ...]:
        """The targets the cancel flow needs on this snapshot of the screen."""
        if self.name != DETAILS.name:
            return self.needed
        # Stop is needed only where there is something to stop; a finished promotion shows none.
        status = values.status_of(snap.text(details.STATUS), snap.locale)
        return self.needed + ((details.CANCEL,) if status in values.CANCELLABLE else ())


CONFIRMATION = Screen("confirmation", anchors=(confirm_dialog.TITLE, confirm_dialog.CONFIRM),
                      needed=(confirm_dialog.TITLE, confirm_dialog.CONFIRM, confirm_dialog.KEEP),
                      optional=(confirm_dialog.MESSAGE,))
DETAILS = Screen("promotion details", anchors=(details.STATUS, details.PROMOTION_ID),
                 needed=(details.STATUS, details.VIDEO, details.PROMOTION_ID, details.BACK),
                 optional=(details.BUDGET, details.DURATION, details.SPENT, *details.METRICS.values(),
                           details.CREATE_NEW, details.RESTART, details.NO_FURTHER_CHARGES, details.ENDED_NOTICE))
PROMOTIONS = Screen("promotions list", anchors=(listing.LIST,), unless=(feed.PROFILE_TAB,),
                    needed=(listing.LIST,), optional=(listing.EMPTY,), many=(listing.ROWS,))
CREATOR_TOOLS = Screen("creator tools", anchors=(creator_tools.PROMOTIONS,), unless=(feed.PROFILE_TAB,),
                       needed=(creator_tools.PROMOTIONS,))
MENU = Screen("menu sheet", anchors=(menu_sheet.CREATOR_TOOLS,), covers=(profile.MENU_BUTTON,),
              needed=(menu_sheet.CREATOR_TOOLS,))
PROFILE = Screen("profile", anchors=(profile.MENU_BUTTON,), needed=(profile.USERNAME, profile.MENU_BUTTON),
                 optional=(profile.STUDIO_ENTRY,))
FEED = Screen("feed", anchors=(feed.PROFILE_TAB,), unless=(profile.MENU_BUTTON,), needed=(feed.PROFILE_TAB,))
LOGGED_OUT = Screen("log-in screen", anchors=(logged_out.LOGIN_SCREEN,), needed=(logged_out.LOGIN_SCREEN,))

SCREENS = (CONFIRMATION, DETAILS, PROMOTIONS, CREATOR_TOOLS, MENU, PROFILE, FEED, LOGGED_OUT)


def recognise(snap: Snapshot) -> Screen | None:
    """Which known screen a snapshot shows (None: none of them, e.g. a pop-up or a new screen)."""
    return next((screen for screen in SCREENS if screen.shows(snap)), None)


def row_targets(snap: Snapshot) -> list[Target]:
    """On the promotions list: the target that opens each row on screen, by its title."""
    return [listing.ROW.filled(title=row.title) for row in listing.PromotionsListPage.rows_of(snap)]
