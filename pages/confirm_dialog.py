"""The confirmation that guards a cancel: confirm, or keep the promotion running."""

from __future__ import annotations

from dataclasses import dataclass
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
)
from pages.base import BasePage, app_id

if TYPE_CHECKING:
    from pages.promotion_details import PromotionDetailsPage

TITLE = target(
    "confirmation title",
    text("Cancel this promotion?", GUIDE),
    text("Stop promotion?", CURRENT, REAL),
    text("Stop this promotion?", BUSINESS),
    resource_id(app_id("ae6s"), GUIDE), resource_id(app_id("bjz1"), CURRENT), resource_id(app_id("cosa"), BUSINESS),
)
MESSAGE = target(
    "confirmation message",
    text_contains("won't be charged"),
    text_contains("not refunded"),
    resource_id(app_id("adaz"), GUIDE), resource_id(app_id("bi37"), CURRENT), resource_id(app_id("cnwg"), BUSINESS),
)
CONFIRM = target(
    "Confirm button",
    accessibility_id("Confirm", GUIDE),
    accessibility_id("Stop", CURRENT, BUSINESS, REAL),
    text("Confirm", GUIDE),
    text("Stop", CURRENT, BUSINESS, REAL),
    resource_id(app_id("ace5"), GUIDE), resource_id(app_id("bh7d"), CURRENT), resource_id(app_id("cm0m"), BUSINESS),
)
KEEP = target(
    "Keep button",
    accessibility_id("Keep promotion", GUIDE),
    accessibility_id("Not now", CURRENT),
    accessibility_id("Keep running", BUSINESS, REAL),
    text("Keep promotion", GUIDE),
    text("Not now", CURRENT),
    text("Keep running", BUSINESS, REAL),
    resource_id(app_id("abib"), GUIDE), resource_id(app_id("bgbk"), CURRENT), resource_id(app_id("cl4s"), BUSINESS),
)


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation asks and warns."""

    title: str | None
    message: str | None


class ConfirmCancelDialog(BasePage):
    """The "Cancel this promotion?" dialog over the details screen."""

    def read(self) -> Confirmation:
        snap = self._read(CONFIRM)
        return Confirmation(title=snap.text(TITLE), message=snap.text(MESSAGE))

    def still_asking(self) -> bool:
        """Whether the confirmation question is still on screen (one look, pop-ups cleared, no waiting)."""
        return self.ui.settle().has(TITLE)

    def confirm(self) -> PromotionDetailsPage:
        """Confirm the cancellation. Never repeated blindly: after any doubt, read the status instead."""
        from pages.promotion_details import PromotionDetailsPage

        self._tap(CONFIRM, retry_if_unsure=False)
        return PromotionDetailsPage(self.ui)

    def keep(self) -> PromotionDetailsPage:
        """Back out: keep the promotion running."""
        from pages.promotion_details import PromotionDetailsPage

        self._tap(KEEP)
        return PromotionDetailsPage(self.ui)
