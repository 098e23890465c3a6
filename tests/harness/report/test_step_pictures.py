"""A step's picture in the report: the phone's screen scaled down, so a run's single-file report stays small."""

from __future__ import annotations

import io

import pytest
from allure_commons.types import AttachmentType
from PIL import Image, ImageDraw

from tiktok_promo.harness.report import evidence
from tiktok_promo.harness.report.evidence import STEP_PICTURE_WIDTH, scaled_picture


def _phone_png() -> bytes:
    image = Image.new("RGB", (1080, 2400), "white")
    draw = ImageDraw.Draw(image)
    for row in range(0, 2400, 120):
        draw.rectangle((40, row + 10, 1040, row + 100), outline="black", fill=(row % 255, 90, 160))
        draw.text((60, row + 40), f"Summer haul try-on  {row}", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_steps_picture_is_the_phones_screen_at_half_size_and_a_fraction_of_its_bytes() -> None:
    png = _phone_png()
    picture, kind = scaled_picture(png)
    assert kind in (AttachmentType.JPG, AttachmentType.PNG)
    with Image.open(io.BytesIO(picture)) as shown:
        assert shown.size == (STEP_PICTURE_WIDTH, 1200)  # upright, the phone's proportions
    assert len(picture) < len(png)


def test_a_picture_already_small_or_unreadable_is_kept_as_it_is() -> None:
    small = io.BytesIO()
    Image.new("RGB", (320, 640), "white").save(small, "PNG")
    assert scaled_picture(small.getvalue()) == (small.getvalue(), AttachmentType.PNG)
    assert scaled_picture(b"not a picture") == (b"not a picture", AttachmentType.PNG)


class _Phone:
    """A session whose screen is whatever the test shows next."""

    started = True

    def __init__(self, *screens: bytes) -> None:
        self.screens = list(screens)

    def screenshot(self, reuse: bool = False) -> bytes:
        return self.screens.pop(0)


def test_a_step_whose_screen_did_not_change_names_the_step_with_its_picture_instead_of_repeating_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    attached: list[tuple[object, str]] = []
    monkeypatch.setattr(evidence.allure, "attach", lambda body, name, attachment_type: attached.append((body, name)))
    details, dialog = _phone_png(), io.BytesIO()
    Image.new("RGB", (1080, 2400), "grey").save(dialog, "PNG")
    confirm = dialog.getvalue()
    phone = _Phone(details, details, confirm)
    for step in ("When I open the promotion", "Then its status is Active", "When I tap Cancel"):
        evidence.step_screenshot(phone, step=step)  # type: ignore[arg-type]
    names = [name for _, name in attached]
    assert names == ["screen after the step", 'screen unchanged (pictured after the step "When I open the promotion")',
                     "screen after the step"]
    pictures = [body for body, name in attached if name == "screen after the step"]
    assert len(set(pictures)) == len(pictures) == 2
