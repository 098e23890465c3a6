"""A promotion's details: status, budget, duration, spend, performance, and Cancel while it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from harness.ui.locators import ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, TEXT_STARTS_WITH, target, xpath
from harness.ui.snapshot import Snapshot
from pages import values, wordings
from pages.base import BasePage
from pages.create_promotion import CreatePromotionPage

if TYPE_CHECKING:
    from pages.confirm_dialog import ConfirmCancelDialog
    from pages.promotions_list import PromotionsListPage

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
CANCEL = wordings.target("Cancel button", "stop_button", ACCESSIBILITY_ID, TEXT, ids="stop_button")
CREATE_NEW = wordings.target("Create new promotion", "create_new", ACCESSIBILITY_ID, TEXT, ids="create_new")
RESTART = wordings.target("restart button", "restart", ACCESSIBILITY_ID, TEXT)
NO_FURTHER_CHARGES = wordings.target("no-further-charges notice", "no_further_charges", TEXT_CONTAINS)
ENDED_NOTICE = wordings.target("ended notice", "ended_notice", TEXT_CONTAINS)
ERROR_TOAST = target("error message", xpath("//android.widget.Toast"))
BACK = wordings.target("back arrow", "back", ACCESSIBILITY_ID, ids="back")


@dataclass(frozen=True)
class PromotionDetails(values.ShownAmounts):
    """What the details screen shows about one promotion, read from one snapshot."""

    title: str | None
    promotion_id: str | None
    status_text: str | None
    budget_text: str | None
    duration_text: str | None
    spent_text: str | None
    metric_texts: dict[str, str | None]
    can_cancel: bool
    can_restart: bool
    can_create_new: bool
    notice: str | None
    error: str | None
    no_further_charges: bool = False  # the app says the promotion will not be charged any more
    locale: str | None = field(default=None, compare=False)

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

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> PromotionDetails:
        shown_id = snap.text(PROMOTION_ID)
        return cls(
            title=snap.text(VIDEO),
            promotion_id=shown_id.removeprefix("ID").strip() if shown_id else None,
            status_text=snap.text(STATUS),
            budget_text=snap.text(BUDGET),
            duration_text=snap.text(DURATION),
            spent_text=snap.text(SPENT),
            metric_texts={name: snap.text(metric) for name, metric in METRICS.items()},
            can_cancel=snap.enabled(CANCEL),  # a disabled Stop (in review, on the web page) is no way to stop
            can_restart=snap.has(RESTART),
            can_create_new=snap.has(CREATE_NEW),
            notice=snap.text(NO_FURTHER_CHARGES) or snap.text(ENDED_NOTICE),
            error=snap.text(ERROR_TOAST),
            no_further_charges=snap.has(NO_FURTHER_CHARGES),
            locale=snap.locale,
        )


class PromotionDetailsPage(BasePage):
    """The details screen of one promotion."""

    def read(self, reuse: bool = True) -> PromotionDetails:
        """Everything the screen shows about the promotion (one page source)."""
        return PromotionDetails.from_snapshot(self._read(STATUS, reuse=reuse))

    def read_once(self) -> PromotionDetails | None:
        """One look, no waiting (the last look reused when nothing changed): None if this screen is not shown."""
        snap = self.ui.snapshot()
        return PromotionDetails.from_snapshot(snap) if snap.has(STATUS) else None

    def wait_for(self, condition: Callable[[PromotionDetails], bool], what: str,
                 timeout: float | None = None) -> PromotionDetails:
        """Read the screen again until `condition` holds (e.g. the status shows cancelled)."""
        snap = self.ui.read_until(lambda s: s.has(STATUS) and condition(PromotionDetails.from_snapshot(s)),
                                  what=what, timeout=timeout, reuse=False)
        return PromotionDetails.from_snapshot(snap)

    def cancel(self) -> ConfirmCancelDialog:
        """Tap "Cancel" ("Stop promotion", "Stop"): the confirmation opens."""
        from pages.confirm_dialog import ConfirmCancelDialog  # late: the dialog leads back here

        self._tap(CANCEL)
        return ConfirmCancelDialog(self.ui)

    def create_new_promotion(self) -> CreatePromotionPage:
        """Tap "Create new promotion", the only way to promote the video again."""
        self._tap(CREATE_NEW)
        return CreatePromotionPage(self.ui)

    def back(self) -> PromotionsListPage:
        """Back to the promotions list."""
        from pages.promotions_list import PromotionsListPage  # late: the list leads here

        self._tap(BACK)
        return PromotionsListPage(self.ui)
