"""The confirmation that guards a cancel: confirm, or keep the promotion running."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from tiktok_promo.harness.ui.finder import Finder
from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT, TEXT_CONTAINS, accessibility_id, target, text
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage

TITLE = wordings.target("confirmation title", "confirm_title", TEXT, ids="dialog_title")
MESSAGE = wordings.target("confirmation message", "confirm_message", TEXT_CONTAINS, ids="dialog_message")
CONFIRM = wordings.target("Confirm button", "confirm_button", ACCESSIBILITY_ID, TEXT, ids="dialog_confirm")
KEEP = wordings.target("Keep button", "keep_button", ACCESSIBILITY_ID, TEXT, ids="dialog_keep")


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation asks and warns."""

    title: str | None
    message: str | None
    warns_no_refund: bool = False  # the message says what was spent is not given back


# The screen under the dialog, where every answer leads back (the promotion's details).
Under = TypeVar("Under", bound=BasePage)


class ConfirmCancelDialog(BasePage, Generic[Under]):
    """The "Cancel this promotion?" dialog over the details screen.

    The details page that opens it says which page is under it (`under`): the dialog leads back there
    without importing the details page, which imports the dialog.
    """

    def __init__(self, ui: Finder, under: Callable[[Finder], Under]) -> None:
        super().__init__(ui)
        self._under = under

    def read(self) -> Confirmation:
        snap = self._read(CONFIRM)
        message = snap.text(MESSAGE)
        refund = wordings.phrases("refund_warning", snap.memory.language)
        return Confirmation(title=snap.text(TITLE), message=message,
                            warns_no_refund=any(p.lower() in (message or "").lower() for p in refund))

    def still_asking(self) -> bool:
        """Whether the confirmation question is still on screen (one look, pop-ups cleared, no waiting)."""
        return self.ui.settle().has(TITLE)

    def confirm(self) -> Under:
        """Confirm the cancellation. Never repeated blindly: after any doubt, read the status instead."""
        self._tap(CONFIRM, retry_if_unsure=False)
        return self._under(self.ui)

    def press(self, label: str) -> Under:
        """Tap the dialog's button that reads `label`, whatever it means on this release."""
        self._tap(target(f'"{label}" button', accessibility_id(label), text(label)), retry_if_unsure=False)
        return self._under(self.ui)

    def keep(self) -> Under:
        """Back out: keep the promotion running."""
        self._tap(KEEP)
        return self._under(self.ui)
