"""A promotion's details: status, budget, duration, spend, performance, and Cancel while it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from harness.ui.locators import (
    BUSINESS,
    CURRENT,
    GUIDE,
    REAL,
    accessibility_id,
    resource_id,
    target,
    text,
    text_contains,
    text_starts_with,
    xpath,
)
from harness.ui.snapshot import Snapshot
from pages import values
from pages.base import BasePage, app_id
from pages.create_promotion import CreatePromotionPage

if TYPE_CHECKING:
    from pages.confirm_dialog import ConfirmCancelDialog
    from pages.promotions_list import PromotionsListPage

STATUS = target(
    "status",
    accessibility_id("Status"),
    resource_id(app_id("amag"), GUIDE), resource_id(app_id("br3o"), CURRENT), resource_id(app_id("cwwx"), BUSINESS),
)
VIDEO = target(
    "promoted video",
    accessibility_id("Video"),
    resource_id(app_id("an69"), GUIDE), resource_id(app_id("bszi"), CURRENT), resource_id(app_id("cxsr"), BUSINESS),
)
PROMOTION_ID = target("promotion ID", accessibility_id("Promotion ID"), text_starts_with("ID "))
BUDGET = target(
    "budget",
    accessibility_id("Budget"),
    resource_id(app_id("alem"), GUIDE), resource_id(app_id("bq7u"), CURRENT), resource_id(app_id("cv03"), BUSINESS),
)
DURATION = target(
    "duration",
    accessibility_id("Duration"),
    resource_id(app_id("akis"), GUIDE), resource_id(app_id("bpb1"), CURRENT), resource_id(app_id("cu49"), BUSINESS),
)
SPENT = target(
    "spent",
    accessibility_id("Spent"),
    resource_id(app_id("ajmy"), GUIDE), resource_id(app_id("bof7"), CURRENT), resource_id(app_id("ct8f"), BUSINESS),
)
METRICS = {
    "views": target("views", accessibility_id("Views")),
    "likes": target("likes", accessibility_id("Likes")),
    "comments": target("comments", accessibility_id("Comments")),
    "shares": target("shares", accessibility_id("Shares")),
    "followers gained": target("followers gained", accessibility_id("Followers gained")),
}
CANCEL = target(
    "Cancel button",
    accessibility_id("Cancel", GUIDE),
    accessibility_id("Stop promotion", CURRENT, REAL),
    accessibility_id("Stop", BUSINESS),
    text("Cancel", GUIDE),
    text("Stop promotion", CURRENT, REAL),
    text("Stop", BUSINESS),
    resource_id(app_id("agyg"), GUIDE), resource_id(app_id("blrp"), CURRENT), resource_id(app_id("cqky"), BUSINESS),
)
CREATE_NEW = target(
    "Create new promotion",
    accessibility_id("Create new promotion"),
    text("Create new promotion"),
    resource_id(app_id("af2m"), GUIDE), resource_id(app_id("bkvv"), CURRENT), resource_id(app_id("cpo4"), BUSINESS),
)
RESTART = target(
    "restart button",
    accessibility_id("Restart promotion"),
    accessibility_id("Resume promotion"),
    text("Restart"),
    text("Resume"),
    text("Restart promotion"),
    text("Resume promotion"),
)
NO_FURTHER_CHARGES = target("no-further-charges notice", text_contains("No further charges"))
ENDED_NOTICE = target("ended notice", text_contains("has ended"))
ERROR_TOAST = target("error message", xpath("//android.widget.Toast"))
BACK = target(
    "back arrow",
    accessibility_id("Back", GUIDE, BUSINESS),
    accessibility_id("Navigate up", CURRENT, REAL),
    resource_id(app_id("avax"), GUIDE), resource_id(app_id("b035"), CURRENT), resource_id(app_id("c5we"), BUSINESS),
)


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

    @property
    def duration_days(self) -> int | None:
        return values.duration_days(self.duration_text)

    @property
    def metrics(self) -> dict[str, int | None]:
        """Views, likes, comments, shares and followers gained, as numbers."""
        return {name: values.count(shown) for name, shown in self.metric_texts.items()}

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
            can_cancel=snap.has(CANCEL),
            can_restart=snap.has(RESTART),
            can_create_new=snap.has(CREATE_NEW),
            notice=snap.text(NO_FURTHER_CHARGES) or snap.text(ENDED_NOTICE),
            error=snap.text(ERROR_TOAST),
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
