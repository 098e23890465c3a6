"""A promotion's details: status, budget, duration, spend, performance, and Cancel while it runs."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cached_property

from tiktok_promo.harness.ui.finder import BUSY
from tiktok_promo.harness.ui.live import Screen
from tiktok_promo.harness.ui.locators import (
    ACCESSIBILITY_ID,
    TEXT,
    TEXT_CONTAINS,
    TEXT_STARTS_WITH,
    android_xpath,
    target,
)
from tiktok_promo.pages import values, wordings
from tiktok_promo.pages.base import BasePage
from tiktok_promo.pages.confirm_dialog import TITLE as CONFIRM_TITLE
from tiktok_promo.pages.confirm_dialog import ConfirmCancelDialog
from tiktok_promo.pages.create_promotion import CreatePromotionPage

STATUS = wordings.target("status", "status_label", ACCESSIBILITY_ID, shape="status", ids="detail_status")
VIDEO = wordings.target("promoted video", "video_label", ACCESSIBILITY_ID, shape="video", ids="detail_title")
PROMOTION_ID = wordings.target("promotion ID", "promotion_id_label", ACCESSIBILITY_ID,
                               extra=wordings.candidates("promotion_id_prefix", TEXT_STARTS_WITH))
BUDGET = wordings.target("budget", "budget_label", ACCESSIBILITY_ID, shape="budget", ids="detail_budget")
DURATION = wordings.target("duration", "duration_label", ACCESSIBILITY_ID, shape="duration", ids="detail_duration")
SPENT = wordings.target("spent", "spent_label", ACCESSIBILITY_ID, shape="spent", ids="detail_spend")
METRICS = {
    "views": wordings.target("views", "views_label", ACCESSIBILITY_ID, shape="views"),
    "likes": wordings.target("likes", "likes_label", ACCESSIBILITY_ID, shape="likes"),
    "comments": wordings.target("comments", "comments_label", ACCESSIBILITY_ID, shape="comments"),
    "shares": wordings.target("shares", "shares_label", ACCESSIBILITY_ID, shape="shares"),
    "followers gained": wordings.target("followers gained", "followers_label", ACCESSIBILITY_ID, shape="followers"),
}
CANCEL = wordings.target("Cancel button", "stop_button", ACCESSIBILITY_ID, TEXT, ids="cancel_button")
CREATE_NEW = wordings.target("Create new promotion", "create_new", ACCESSIBILITY_ID, TEXT, ids="create_new")
RESTART = wordings.target("restart button", "restart", ACCESSIBILITY_ID, TEXT)
NO_FURTHER_CHARGES = wordings.target("no-further-charges notice", "no_further_charges", TEXT_CONTAINS)
ENDED_NOTICE = wordings.target("ended notice", "ended_notice", TEXT_CONTAINS)
ERROR_TOAST = target("error message", android_xpath("//android.widget.Toast"))  # iOS has no toasts
# On iOS also the navigation bar's first button, whatever it is labelled (the wording files' `ios: shapes`).
BACK = wordings.target("back arrow", "back", ACCESSIBILITY_ID, shape="back", ids="back")


class PromotionDetails(values.ShownAmounts):
    """What the details screen shows about one promotion; each value is read from the screen when first
    asked, and kept.

    From a page source every value is already there. From a live look (harness.ui.live) each value costs
    a find and a read, so a flow that needs four values pays for four; `settled()` reads the rest at once,
    for details that must outlive the screen (a table in a report, values noted for a later step).
    """

    FIELDS = ("title", "promotion_id", "status_text", "budget_text", "duration_text", "spent_text", "metric_texts",
              "can_cancel", "can_restart", "can_create_new", "notice", "error", "no_further_charges")

    def __init__(self, screen: Screen) -> None:
        self.screen = screen  # the look these values come from

    @property
    def locale(self) -> str | None:
        return self.screen.locale  # asked of the device only when an amount or a count is read

    @property
    def language(self) -> str | None:
        return self.screen.language

    def settled(self) -> PromotionDetails:
        """These details with every value read now, while the screen still shows them."""
        return self.keep(*self.FIELDS)

    def keep(self, *names: str) -> PromotionDetails:
        """These details with the named values read now, to outlive the screen (the others stay unread)."""
        for name in names:
            getattr(self, name)
        return self

    @cached_property
    def title(self) -> str | None:
        return self.screen.text(VIDEO)

    @cached_property
    def promotion_id(self) -> str | None:
        shown = self.screen.text(PROMOTION_ID)
        return shown.removeprefix("ID").strip() if shown else None

    @cached_property
    def status_text(self) -> str | None:
        return self.screen.text(STATUS)

    @cached_property
    def budget_text(self) -> str | None:
        return self.screen.text(BUDGET)

    @cached_property
    def duration_text(self) -> str | None:
        return self.screen.text(DURATION)

    @cached_property
    def spent_text(self) -> str | None:
        return self.screen.text(SPENT)

    @cached_property
    def metric_texts(self) -> dict[str, str | None]:
        return {name: self.screen.text(metric) for name, metric in METRICS.items()}

    @cached_property
    def can_cancel(self) -> bool:
        return self.screen.enabled(CANCEL)  # a disabled Stop (in review, on the web page) is no way to stop

    @cached_property
    def can_restart(self) -> bool:
        return self.screen.has(RESTART)

    @cached_property
    def can_create_new(self) -> bool:
        return self.screen.has(CREATE_NEW)

    @cached_property
    def notice(self) -> str | None:
        return self.screen.text(NO_FURTHER_CHARGES) or self.screen.text(ENDED_NOTICE)

    @cached_property
    def error(self) -> str | None:
        return self.screen.text(ERROR_TOAST)

    @cached_property
    def running_at_rest(self) -> bool:
        """The app shows this promotion still running, and nothing going on: Cancel offered, no confirmation
        over the details, no spinner.

        After an answer to the confirmation this is an outcome, not a moment to wait through: the app answers
        a stop it took with a spinner, an error or the stopped status, so a screen at rest that still offers
        Cancel is checked once, not waited on until a timeout. Asked only once the status is not cancelled.
        """
        return (self.status in values.CANCELLABLE and self.can_cancel and not self.screen.has(CONFIRM_TITLE)
                and not self.screen.has(BUSY))

    @cached_property
    def no_further_charges(self) -> bool:
        """The app says the promotion will not be charged any more."""
        return self.screen.has(NO_FURTHER_CHARGES)

    @property
    def duration_days(self) -> int | None:
        return values.duration_days(self.duration_text, self.locale)

    @property
    def metrics(self) -> dict[str, int | None]:
        """Views, likes, comments, shares and followers gained, as numbers."""
        return {name: values.count(shown, self.locale) for name, shown in self.metric_texts.items()}

    @property
    def total_budget(self) -> Decimal | None:
        return self.budget.total(self.duration_days) if self.budget else None

    def __repr__(self) -> str:
        read = {name: self.__dict__[name] for name in self.FIELDS if name in self.__dict__}
        return f"PromotionDetails({', '.join(f'{k}={v!r}' for k, v in read.items())})"


class PromotionDetailsPage(BasePage):
    """The details screen of one promotion."""

    # A flow's check asks four values of the screen (title, ID, status, whether Cancel is offered); the
    # outcome after a confirm asks three (status, ID, spend).
    CHECKED_VALUES = 4
    OUTCOME_VALUES = 3

    def read(self, reuse: bool = True) -> PromotionDetails:
        """Everything the screen shows about the promotion, read now (one page source, where that is cheaper)."""
        return PromotionDetails(self.ui.view(STATUS, targets=len(PromotionDetails.FIELDS) + len(METRICS) - 1,
                                             reuse=reuse)).settled()

    def look(self, reuse: bool = True) -> PromotionDetails:
        """The details once the screen shows them, each value read when first asked (for a flow's checks)."""
        return PromotionDetails(self.ui.view(STATUS, targets=self.CHECKED_VALUES, reuse=reuse))

    def read_once(self) -> PromotionDetails | None:
        """One look, no waiting (the last look reused when nothing changed): None if this screen is not shown."""
        screen = self.ui.screen(self.OUTCOME_VALUES)
        return PromotionDetails(screen) if screen.has(STATUS) else None

    def wait_for(self, condition: Callable[[PromotionDetails], bool], what: str,
                 timeout: float | None = None) -> PromotionDetails:
        """Look at the screen again until `condition` holds (e.g. the status shows cancelled)."""
        last: list[PromotionDetails] = []  # the details of the latest look, so that a value is read once per look

        def of(screen: Screen) -> PromotionDetails:
            if not last or last[0].screen is not screen:
                last[:] = [PromotionDetails(screen)]
            return last[0]

        screen = self.ui.view_until(lambda s: s.has(STATUS) and condition(of(s)), what=what,
                                    targets=self.OUTCOME_VALUES, timeout=timeout, reuse=False)
        return of(screen)

    def cancel(self) -> ConfirmCancelDialog[PromotionDetailsPage]:
        """Tap "Cancel" ("Stop promotion", "Stop"): the confirmation opens."""
        self._tap(CANCEL)
        return ConfirmCancelDialog(self.ui, PromotionDetailsPage)

    def create_new_promotion(self) -> CreatePromotionPage:
        """Tap "Create new promotion", the only way to promote the video again."""
        self._tap(CREATE_NEW)
        return CreatePromotionPage(self.ui)

    def tap_back(self) -> None:
        """Tap Back: the app goes back to the promotions list (`PromotionsListPage.back_from` gives the list)."""
        self._tap(BACK)
