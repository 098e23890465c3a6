"""The safe cancel: the guide's flow with the checks a flow that stops money must make.

Before Cancel is tapped, the expected account (@username on the profile) and the chosen promotion
(its title, and the ID the details show) must be on screen. After the confirm, the status is read
again, and only Canceled/Stopped counts as cancelled. Every refusal is a FlowRefused sentence raised
before anything that could change a promotion was tapped. Steps and the `promo` command both use it.

The confirm is never tapped twice blindly. After any doubt (an error toast, a tap the server may not
have received, a status that does not change) the flow reads the promotion again and acts on what the
app shows: cancelled is reported cancelled; still running, with confirm taps left in the budget
(`ConfirmCount`), gets one new Cancel + Confirm after the promotion on screen is checked again; anything
else is NotCancelled, saying what the app showed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from tiktok_promo.flows.errors import (
    AmbiguousPromotion,
    FlowRefused,
    LoggedOut,
    NotCancellable,
    NotCancelled,
    NothingToCancel,
    UncheckedCancel,
    UnknownPromotion,
    WrongAccount,
    WrongPromotion,
)
from tiktok_promo.flows.recovery import ConfirmCount
from tiktok_promo.harness.errors import TargetNotFound, UnsureTap
from tiktok_promo.harness.run.config import RecoveryBudget
from tiktok_promo.pages.app import TikTokApp
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.confirm_dialog import ConfirmCancelDialog
from tiktok_promo.pages.feed import FeedPage
from tiktok_promo.pages.logged_out import LoggedOutPage
from tiktok_promo.pages.profile import ProfilePage
from tiktok_promo.pages.promotion_details import PromotionDetails, PromotionDetailsPage
from tiktok_promo.pages.promotions_list import PromotionsListPage
from tiktok_promo.pages.values import CANCELLABLE, CANCELLED

# The confirmation over a promotion's details, where each of its answers leads back.
DetailsDialog = ConfirmCancelDialog[PromotionDetailsPage]

P = TypeVar("P", bound=BasePage)


@dataclass(frozen=True)
class CancelResult:
    """What a cancel did, as the app's own screen shows it after the confirm."""

    account: str | None
    title: str
    promotion_id: str | None
    before: PromotionDetails
    after: PromotionDetails
    already_cancelled: bool = False
    page: PromotionDetailsPage | None = field(default=None, compare=False, repr=False)
    confirms: int = field(default=0, compare=False)  # Confirm taps this run sent for it (more than 1: recovered)

    @property
    def cancelled(self) -> bool:
        return self.after.status == CANCELLED

    @property
    def spent_at_cancel(self) -> Decimal | None:
        return self.after.spent


class CancelFlow:
    """The guide's cancel flow, step by step or whole, refusing whatever is not provably right."""

    # What the outcome of a cancel keeps of the screen after the confirm, beyond what proves it (the status and
    # the ID): the spend at cancel, for a caller that records it. Each value is one find and one read on a
    # phone, so a caller that records nothing (a scenario) asks for nothing.
    RECORDED = ("spent_text",)

    def __repr__(self) -> str:
        return f"CancelFlow(@{self.account})" if hasattr(self, "account") else "CancelFlow()"

    def __init__(self, app: TikTokApp, account: str | None, status_timeout: float = 5.0,
                 budget: RecoveryBudget | None = None, confirms: ConfirmCount | None = None,
                 note: Callable[[str], None] | None = None, keep: tuple[str, ...] = RECORDED) -> None:
        self.app = app
        self.keep = keep
        self.account = account.lstrip("@") if account else None
        self.status_timeout = status_timeout
        # Shared with the flows of later attempts (a new session), so the bound holds across them.
        self.confirms = confirms if confirms is not None else ConfirmCount((budget or RecoveryBudget()).confirm_taps)
        self._note = note
        self.checked_account: str | None = None
        self.chosen_title: str | None = None
        self.chosen_id: str | None = None
        self.verified: PromotionDetails | None = None
        self.where: BasePage | None = None  # the screen the flow left the app on (after a refusal too)

    def _at(self, page: P) -> P:
        self.where = page
        return page

    def note(self, sentence: str) -> None:
        """Say what recovery did (an Allure step in features, a progress line and a report step in promo)."""
        if self._note is not None:
            self._note(sentence)
        elif self.app.ui.observer is not None:
            self.app.ui.observer("recovery", sentence)

    # --- the guide's steps, each one checked -----------------------------------------------
    def check_account(self, page: BasePage) -> str:
        """The account on the profile; refused when nobody, or somebody else, is logged in."""
        if isinstance(page, LoggedOutPage):
            raise LoggedOut("Nobody is logged in to the TikTok app" + (
                f": log in as @{self.account} and try again" if self.account else "") + "; nothing was changed.")
        if not isinstance(page, ProfilePage):
            raise UncheckedCancel(f"The account can only be checked on the profile, not on {page!r}.")
        shown = page.account() or ""
        if self.account and shown.lower() != self.account.lower():
            raise WrongAccount(self.account, shown)
        self.checked_account = shown
        return shown

    def open_promotions(self, start: BasePage | None = None, check_account: bool = True,
                        title: str | None = None) -> PromotionsListPage:
        """From where the app is (None: just opened) to the promotions list, through Me, menu, Creator tools; with
        `title`, the row to be chosen next is looked for as the list opens (harness.ui.finder: one find for both)."""
        page = start if start is not None else (self.where or self.app.home())
        if isinstance(page, PromotionsListPage) and (self.checked_account or not check_account):
            return page
        if not isinstance(page, FeedPage | ProfilePage | LoggedOutPage):
            page = self._at(self.app.restart())
        if isinstance(page, FeedPage):
            page = self._at(page.open_profile())
        if isinstance(page, LoggedOutPage):
            self.check_account(page)
        assert isinstance(page, ProfilePage)
        if check_account:
            self.check_account(page)
        return self._at(page.open_creator_tools().open_promotions(title))

    def choose(self, listing: PromotionsListPage, title: str, promotion_id: str | None = None) -> PromotionDetailsPage:
        """Select the promotion with this title (and id, when given) from the list."""
        rows = listing.scroll_down_to(title)  # from where the list stands: a batch goes down it in order
        if not rows:
            self._explain_missing(listing, title)
        index = 0
        if len(rows) > 1:
            only = self._only_cancellable(listing, title, len(rows))
            if only is None and promotion_id is None:
                raise AmbiguousPromotion(title, len(rows))
            if only is None:
                return self._choose_by_id(listing, title, promotion_id or "", len(rows))
            index = only
        page = self._at(rows[index].open())
        self._chose(title, promotion_id)
        return page

    def check_promotion(self, page: PromotionDetailsPage, title: str | None = None,
                        promotion_id: str | None = None, at_once: bool = False) -> PromotionDetails:
        """The details on screen, refused unless they are the chosen promotion's and show its ID.

        The four values checked are read by finds or from one page source, whichever is cheaper; a refusal
        rests on one page source (`at_once`), never on finds in a row that a pop-up could have split.
        """
        title = title or self.chosen_title
        promotion_id = promotion_id or self.chosen_id
        details = page.read(reuse=False) if at_once else page.look()
        if not details.screen.at_once and not self._as_expected(details, title, promotion_id):
            return self.check_promotion(page, title, promotion_id, at_once=True)
        if title is not None and details.title != title:
            raise WrongPromotion(f'Refused: the details show "{details.title}", not "{title}"; nothing was changed.')
        if not details.promotion_id:
            raise WrongPromotion(f'Refused: the details of "{details.title}" show no promotion ID to confirm it '
                                 "by; nothing was changed.")
        if promotion_id and details.promotion_id != promotion_id:
            raise WrongPromotion(f'Refused: the details show promotion {details.promotion_id}, not {promotion_id}; '
                                 "nothing was changed.")
        self.verified = details
        return details

    def tap_cancel(self, page: PromotionDetailsPage) -> DetailsDialog:
        """Tap Cancel, only once the account and the promotion on screen are the right ones."""
        if self.account is None:
            raise UncheckedCancel("Refused to tap Cancel: no expected account was given (--account or "
                                  "PROMO_ACCOUNT), so the account on screen cannot be checked.")
        if self.checked_account is None:
            raise UncheckedCancel("Refused to tap Cancel: the account on the profile was not checked first.")
        if self.chosen_title is None:
            raise UncheckedCancel("Refused to tap Cancel: no promotion was chosen from the list first.")
        details = self.check_promotion(page)  # free when nothing changed since the last read (snapshot reuse)
        if not details.can_cancel and not details.screen.at_once:
            details = self.check_promotion(page, at_once=True)
        if not details.can_cancel:
            raise NotCancellable(f'"{details.title}" is {details.status_text}: there is nothing to cancel.')
        return self._at(page.cancel())

    def confirm(self, dialog: DetailsDialog,
                answer: Callable[[DetailsDialog], PromotionDetailsPage] | None = None) -> CancelResult:
        """Confirm once, then read the status again: cancelled only if the app shows it so.

        The tap is never repeated here. When the server may not have received it, a question still on
        screen means it did not land: the flow backs out (Keep) and the status decides. `answer` replaces
        the tap on the confirm button (a test of what another answer leads to): the outcome is read alike.
        """
        before = self.verified
        if before is None:
            raise UncheckedCancel("Refused to confirm: the promotion on screen was not checked first.")
        self.confirms.count()  # before the tap: from here on, the outcome is in doubt until the app shows it
        landed = True
        try:
            page = answer(dialog) if answer is not None else self._confirm_tap(dialog)
        except UnsureTap as unsure:
            page = PromotionDetailsPage(dialog.ui)
            landed = not self._backed_out(dialog, unsure)
        self._at(page)
        after = self._read_outcome(page, before, landed)
        return CancelResult(self.checked_account, before.title or "", before.promotion_id, before, after, page=page,
                            confirms=self.confirms.sent)

    def _confirm_tap(self, dialog: DetailsDialog) -> PromotionDetailsPage:
        """Tap Confirm (counted already). When the phone's own alert came up at the tap and took it, the tap did
        not reach the app: it is taken back, and Confirm is tapped again only once the question still shows and
        the details under it show the checked promotion still running, while confirm taps are left. Otherwise the
        outcome's read decides, as after any tap."""
        page = dialog.confirm()
        while dialog.taken_by_system_alert():
            self.confirms.did_not_land()
            if not self._still_to_confirm(dialog, page) or not self.confirms.left:
                break
            self.note("The phone's own alert came up at the Confirm tap and took it (answered: not allowed); the "
                      "question and the running promotion still show, so Confirm is tapped again.")
            self.confirms.count()
            page = dialog.confirm()
        return page

    def _still_to_confirm(self, dialog: DetailsDialog, page: PromotionDetailsPage) -> bool:
        """Whether the question still shows over the checked promotion, still running (one look)."""
        if not dialog.still_asking():
            return False
        shown = page.read_once()  # the look still_asking just took, reused: no extra command
        return (shown is not None and self.verified is not None and shown.status in CANCELLABLE
                and shown.promotion_id == self.verified.promotion_id)

    def _backed_out(self, dialog: DetailsDialog, unsure: UnsureTap) -> bool:
        """After an unsure Confirm: if the question is still on screen the tap did not land; keep the promotion
        (the harmless answer) so the details show again. Whether it backed out."""
        if not dialog.still_asking():
            return False  # the question is gone: the tap may have landed; the status will say
        self.note(f"{unsure} The question is still on screen, so the tap did not land; backing out to read "
                  "the status.")
        self.confirms.did_not_land()
        with contextlib.suppress(TargetNotFound):  # closed meanwhile: the status read decides all the same
            dialog.keep()
        return True

    # --- whole flows ------------------------------------------------------------------------------
    def cancel(self, title: str, promotion_id: str | None = None, start: BasePage | None = None) -> CancelResult:
        """Cancel one promotion by title (and id), from wherever the app is, with every check."""
        page, details = self._details_of(title, promotion_id, start)
        while True:
            if details.status == CANCELLED:
                # Idempotent: a promotion shown cancelled is never tapped again. If a confirm of this run may
                # have reached the app (an attempt before this one was in doubt), the cancel is this run's.
                return CancelResult(self.checked_account, title, details.promotion_id, details, details,
                                    already_cancelled=not self.confirms.in_doubt, page=page,
                                    confirms=self.confirms.sent)
            if not self.confirms.left:
                raise NotCancelled(f'The app still shows "{details.title}" ({details.promotion_id}) as '
                                   f'"{details.status_text}" after {self.confirms.sent} confirms; it is not '
                                   "cancelled.", shown=details)
            try:
                return self.confirm(self.tap_cancel(page))
            except NotCancelled as failure:
                if not self._worth_another_confirm(failure):
                    raise
                self.note(f"{failure} It shows Cancel again: checking the promotion once more and confirming "
                          f"again ({self.confirms.left} confirm{'s' if self.confirms.left != 1 else ''} left).")
                details = self.check_promotion(page)  # the outcome's own look, reused: no extra command

    def attempt_confirm(self, dialog: DetailsDialog,
                        answer: Callable[[DetailsDialog], PromotionDetailsPage] | None = None,
                        ) -> CancelResult | FlowRefused | NotCancelled:
        """Like confirm(), but a refusal or a cancel the app does not show is returned instead of raised."""
        try:
            return self.confirm(dialog, answer)
        except (FlowRefused, NotCancelled) as outcome:
            return outcome

    def attempt(self, title: str, promotion_id: str | None = None,
                start: BasePage | None = None) -> CancelResult | FlowRefused:
        """Like cancel(), but a refusal is returned (to be checked) instead of raised."""
        try:
            return self.cancel(title, promotion_id, start)
        except FlowRefused as refusal:
            return refusal

    # --- helpers ------------------------------------------------------------------------------------
    def _details_of(self, title: str, promotion_id: str | None,
                    start: BasePage | None) -> tuple[PromotionDetailsPage, PromotionDetails]:
        """The chosen promotion's details screen, checked: from the details the app is on, when they are its
        (the account already checked), else chosen from the list."""
        if isinstance(start, PromotionDetailsPage) and self.checked_account is not None:
            self._chose(title, promotion_id)
            try:
                return start, self.check_promotion(self._at(start), title, promotion_id)
            except WrongPromotion:
                start = self._at(PromotionsListPage.back_from(start))  # another promotion's: choose it from the list
        listing = self.open_promotions(start, title=title)
        page = self.choose(listing, title, promotion_id)
        return page, self.check_promotion(page, title, promotion_id)

    def _chose(self, title: str, promotion_id: str | None) -> None:
        self.chosen_title, self.chosen_id, self.verified = title, promotion_id, None

    def _explain_missing(self, listing: PromotionsListPage, title: str) -> None:
        rows = listing.all_rows()
        if not any(row.status in CANCELLABLE for row in rows):
            who = f"@{self.checked_account}" if self.checked_account else "this account"
            raise NothingToCancel(f"Nothing to cancel: {who} has no active promotions.")
        raise UnknownPromotion(title, [row.title for row in rows if row.is_active])

    @staticmethod
    def _only_cancellable(listing: PromotionsListPage, title: str, count: int) -> int | None:
        """Of several rows with one title on screen, the index of the only one still running, if exactly one."""
        same = [row for row in listing.visible_rows() if row.title == title]
        if len(same) != count:
            return None
        running = [i for i, row in enumerate(same) if row.status in CANCELLABLE]
        return running[0] if len(running) == 1 else None

    def _choose_by_id(self, listing: PromotionsListPage, title: str, promotion_id: str,
                      count: int) -> PromotionDetailsPage:
        """Open the rows of this title in turn until the details show the ID. The list may reload (another
        order) each time the app comes back to it, so a row's place proves nothing: the IDs seen do; each row
        is found again by its title, and the rows are gone through twice before the ID is called unknown."""
        seen: set[str] = set()
        for attempt in range(2 * count):
            rows = listing.scroll_to(title)
            if not rows:
                break
            page = self._at(rows[attempt % len(rows)].open())
            shown = page.look().promotion_id
            if shown == promotion_id:
                self._chose(title, promotion_id)
                return page
            seen.add(shown or "")
            listing = self._at(PromotionsListPage.back_from(page))
            if len(seen) >= count:
                break  # every row of this title was opened: the ID is none of theirs
        raise UnknownPromotion(f"{title} ({promotion_id})", [title])

    @staticmethod
    def _as_expected(details: PromotionDetails, title: str | None, promotion_id: str | None) -> bool:
        """Whether the details show the chosen promotion, with its ID, and a status."""
        return ((title is None or details.title == title) and bool(details.promotion_id) and details.status is not None
                and (not promotion_id or details.promotion_id == promotion_id))

    def _worth_another_confirm(self, failure: NotCancelled) -> bool:
        """A new Cancel + Confirm only when the app itself shows this promotion still running and offering
        Cancel, and confirm taps are left; never on a guess."""
        shown = failure.shown
        return (isinstance(shown, PromotionDetails) and shown.status in CANCELLABLE and shown.can_cancel
                and self.verified is not None and shown.promotion_id == self.verified.promotion_id
                and self.confirms.left > 0)

    def _read_outcome(self, page: PromotionDetailsPage, before: PromotionDetails,
                      landed: bool = True) -> PromotionDetails:
        name = f'"{before.title}" ({before.promotion_id})'
        if not landed:
            # The tap did not reach the app: nothing to wait for; one read says where the promotion stands.
            after = page.read(reuse=False)
            if after.status != CANCELLED:
                raise NotCancelled(f'The confirm did not reach the app; it still shows {name} as '
                                   f'"{after.status_text}"; it is not cancelled.', shown=after)
        else:
            try:
                # A look that shows the promotion running at rest (Cancel offered, nothing pending) is the
                # outcome already: waiting on a status that will not come would cost the whole timeout.
                # The look the check for iOS's alert took after the tap, if any, is the first (nothing changed since).
                after = page.wait_for(lambda d: d.status == CANCELLED or d.error is not None or d.running_at_rest,
                                      what=f"{name} as cancelled", timeout=self.status_timeout, reuse=True)
            except TargetNotFound:
                shown = page.read_once()  # the wait's last look, reused: no extra command
                if shown is None:
                    raise NotCancelled(f"After confirming, the app does not show the status of {name} "
                                       f"(the screen shows {page.ui.snapshot().describe()}); it is not proven "
                                       "cancelled.") from None
                after = shown
        if not after.screen.at_once and (after.promotion_id != before.promotion_id or after.status != CANCELLED):
            after = page.read(reuse=False)  # "not cancelled" rests on one page source, not on finds a pop-up split
        if after.promotion_id != before.promotion_id:
            raise NotCancelled(f"After confirming, the app shows promotion {after.promotion_id}, not "
                               f"{before.promotion_id}; {name} is not proven cancelled.")
        if after.status != CANCELLED:
            said = f' and says "{after.error}"' if after.error else ""
            raise NotCancelled(f'After confirming, the app still shows {name} as "{after.status_text}"{said}; '
                               "it is not cancelled.", shown=after)
        return after.keep(*self.keep)  # what the caller records of the outcome: read while the screen shows it
