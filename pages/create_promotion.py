"""The start of a new promotion for a video: where "Create new promotion" leads."""

from __future__ import annotations

from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID
from tiktok_promo.pages import wordings
from tiktok_promo.pages.base import BasePage

VIDEO = wordings.target("video to promote", "video_label", ACCESSIBILITY_ID, shape="new_video")


class CreatePromotionPage(BasePage):
    """A new promotion being set up; it starts from zero spend."""

    def video_title(self) -> str | None:
        """The title of the video the new promotion is for."""
        return self._read(VIDEO).text(VIDEO)
