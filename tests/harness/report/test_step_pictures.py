"""A step's picture in the report: the phone's screen scaled down, so a run's single-file report stays small, and
scaled and written beside the scenario's next commands, each in its own step."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import reportkit
from allure_commons.model2 import Attachment
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


def _grey_png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1080, 2400), (shade, shade, shade)).save(out, "PNG")
    return out.getvalue()


def test_each_steps_picture_stays_in_its_step_in_order_while_the_next_steps_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    written: dict[str, bytes] = {}
    monkeypatch.setattr(evidence.plugin_manager.hook, "report_attached_data",
                        lambda body, file_name: written.__setitem__(file_name, body))
    scaling_may_go_on = threading.Event()
    scaled = evidence.scaled_picture

    def held_scaling(png: bytes, width: int = STEP_PICTURE_WIDTH) -> tuple[bytes, AttachmentType]:
        scaling_may_go_on.wait(timeout=10)  # the scenario's next steps run while the first picture is in the works
        return scaled(png, width)

    monkeypatch.setattr(evidence, "scaled_picture", held_scaling)
    screens = [_grey_png(shade) for shade in (40, 120, 200)]
    phone, pictures = _Phone(*screens), evidence.StepPictures()
    steps: dict[str, list[Attachment]] = {}

    def place_in(step: str) -> Callable[[str], Attachment]:
        def place(name: str) -> Attachment:
            steps.setdefault(step, []).append(Attachment(name=name))
            return steps[step][-1]
        return place

    for step in ("Given the app is open", "When I open the promotion", "When I tap Cancel"):
        evidence.step_screenshot(phone, step=step, pictures=pictures, place=place_in(step))  # type: ignore[arg-type]
    assert not written  # every step ended before its picture was scaled: none waited for it
    scaling_may_go_on.set()
    pictures.finish()
    assert not any(t.name.startswith("step-pictures") for t in threading.enumerate())  # no thread left behind
    shades = []
    for step, (slot,) in steps.items():
        assert slot.name == "screen after the step", step
        with Image.open(io.BytesIO(written[slot.source])) as shown:
            assert shown.width == STEP_PICTURE_WIDTH
            assert slot.type == ("image/png" if shown.format == "PNG" else "image/jpg")
            shades.append(shown.convert("L").getpixel((10, 10)))
    assert shades == sorted(shades) and len(set(shades)) == 3  # each step holds its own screen, in the steps' order


def test_a_picture_that_cannot_be_written_leaves_a_note_saying_why_in_its_step(monkeypatch: pytest.MonkeyPatch) -> None:
    written: dict[str, object] = {}

    def disk_full(body: object, file_name: str) -> None:
        if isinstance(body, bytes):
            raise OSError("No space left on device")
        written[file_name] = body

    monkeypatch.setattr(evidence.plugin_manager.hook, "report_attached_data", disk_full)
    slot, pictures = Attachment(name="screen after the step"), evidence.StepPictures()
    evidence.step_screenshot(_Phone(_grey_png(90)), step="When I tap Cancel", pictures=pictures,  # type: ignore[arg-type]
                             place=lambda name: slot)
    pictures.finish()
    assert slot.name == "screen after the step (not written)"
    assert slot.type == "text/plain"
    assert "No space left on device" in str(written[slot.source])


def test_ctrl_c_while_the_pictures_are_awaited_drops_those_not_begun_and_leaves_no_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence.plugin_manager.hook, "report_attached_data", lambda body, file_name: None)
    begun, may_end = threading.Event(), threading.Event()

    def held_scaling(png: bytes, width: int = STEP_PICTURE_WIDTH) -> tuple[bytes, AttachmentType]:
        begun.set()
        may_end.wait(timeout=10)
        return png, AttachmentType.PNG

    monkeypatch.setattr(evidence, "scaled_picture", held_scaling)
    pictures, slots = evidence.StepPictures(), [Attachment(name="screen after the step") for _ in range(3)]
    for slot in slots:
        pictures.develop(slot, b"a phone's PNG")
    assert begun.wait(timeout=10)
    shutdown = ThreadPoolExecutor.shutdown

    def interrupted(worker: ThreadPoolExecutor, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if wait:
            raise KeyboardInterrupt  # Ctrl+C while the scenario's end waits for its pictures
        shutdown(worker, wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(ThreadPoolExecutor, "shutdown", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pictures.finish()
    may_end.set()
    workers = [t for t in threading.enumerate() if t.name.startswith("step-pictures")]
    for worker in workers:
        worker.join(timeout=10)
    assert not any(worker.is_alive() for worker in workers)
    assert [slot.source is not None for slot in slots] == [True, False, False]  # the one in hand, then none


@pytest.fixture(scope="module")
def sample_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """A passing scenario and one that fails at its last step, run with the project's steps, hooks and Allure."""
    folder = reportkit.run_sample(tmp_path_factory.mktemp("step-pictures"), "-k",
                                  "Summer and chosen_by_its_title or does_not_show_what_the_guide_says")
    results = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*-result.json")]
    return folder, {r["name"]: r for r in results}


def _pictures(folder: Path, step: dict) -> list[tuple[str, tuple[int, int]]]:
    shown = []
    for attachment in step.get("attachments", []):
        if attachment["type"].startswith("image/"):
            with Image.open(folder / attachment["source"]) as picture:
                shown.append((attachment["name"], picture.size))
    return shown


@pytest.mark.slow  # the report sample's scenarios, run in a pytest of its own
def test_a_reports_steps_each_carry_the_picture_taken_after_them(sample_results: tuple[Path, dict[str, dict]]) -> None:
    folder, results = sample_results
    passed = results["Cancels the promotion chosen by its title (title: Summer haul try-on)"]
    given, when, then = passed["steps"]
    assert _pictures(folder, given) == _pictures(folder, when) == [("screen after the step", (540, 1200))]
    given_file, when_file = (s["attachments"][0]["source"] for s in (given, when))
    assert (folder / given_file).read_bytes() != (folder / when_file).read_bytes()  # the feed, then the details
    assert [a["name"] for a in then["attachments"]] == [  # the Then only read: its screen is the When's
        'screen unchanged (pictured after the step "When I cancel the promotion "Summer haul try-on"")']


@pytest.mark.slow  # the report sample's scenarios, run in a pytest of its own
def test_a_scenario_failing_at_a_step_keeps_the_pictures_of_the_steps_before_it(
        sample_results: tuple[Path, dict[str, dict]]) -> None:
    folder, results = sample_results
    failed = results["The app does not show what the guide says after a cancel"]
    given, when, then = failed["steps"]
    assert then["status"] == "failed"
    assert _pictures(folder, given) == _pictures(folder, when) == [("screen after the step", (540, 1200))]
    assert [name for name, _ in _pictures(folder, then)] == ["screen at failure"]  # the phone's own, full size
