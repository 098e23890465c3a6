"""The release files (releases/<release>.yaml): one source that the virtual device and the pages both read.

A label renamed in one line of one file is what the device then shows and what the pages then look for; a file
that leaves the device without what it needs is refused in one sentence naming the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tiktok_promo import releases
from tiktok_promo.harness.ui.locators import ACCESSIBILITY_ID, TEXT
from tiktok_promo.pages import wordings
from tiktok_promo.simulator.device import Device
from tiktok_promo.simulator.ui.app_releases import device_release, release_names
from tiktok_promo.simulator.world import resolve_world


def _copy_with_one_line_changed(folder: Path, release: str, old: str, new: str) -> None:
    """The release files copied into `folder`, with `old` (found once, inside one line) replaced in one of them."""
    for path in releases.FOLDER.glob("*.yaml"):
        shutil.copy(path, folder)
    changed = folder / f"{release}.yaml"
    text = changed.read_text(encoding="utf-8")
    assert "\n" not in old.rstrip("\n") + new.rstrip("\n"), "one line only"
    assert text.count(old) == 1, f"{old!r} is not once in {changed.name}"
    changed.write_text(text.replace(old, new), encoding="utf-8")


def _confirm_dialog_words(world_name: str) -> set[str]:
    """Every text and content-desc of the confirm dialog as the virtual device draws it for a world."""
    device = Device(resolve_world(world_name))
    device.launch()
    promo = next(p for p in device.model.promotions if p.cancellable)
    device.stack = []
    device._open("details", promo.id)
    device._open("confirm", promo.id)
    device.popups = []
    device._changed()
    return {word for window in device.windows() for node in window.walk() for word in (node.text, node.desc) if word}


@pytest.mark.parametrize(
    ("world", "release", "language", "key", "old", "new"),
    [
        ("default", "guide", "en", "confirm_button", "Confirm", "Yes, cancel it"),
        ("current-fr", "current", "fr", "confirm_button", "Arrêter", "Oui, arrêter"),
        ("studio", "studio", "en", "keep_button", "Cancel", "Keep it running"),
    ],
    ids=["guide-en", "current-fr", "studio-en"],
)
def test_a_label_renamed_in_one_line_is_what_the_device_shows_and_what_the_page_looks_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, world: str, release: str, language: str, key: str,
        old: str, new: str) -> None:
    assert old in _confirm_dialog_words(world)  # the release as shipped
    _copy_with_one_line_changed(tmp_path, release, f"      {key}: {old}\n", f"      {key}: {new}\n")
    monkeypatch.setattr(releases, "FOLDER", tmp_path)

    shown = _confirm_dialog_words(world)
    assert new in shown
    assert old not in shown

    looked_for = {(c.value, c.language) for c in wordings.target("renamed", key, ACCESSIBILITY_ID, TEXT).candidates
                  if release in c.releases or not c.releases}
    assert (new, language) in looked_for
    assert (old, language) not in looked_for


def test_a_new_release_is_one_file_that_the_device_can_be_and_the_pages_look_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The business release's file under another name, version and words: a build the team has not seen before.
    _copy_with_one_line_changed(tmp_path, "business", "release: business\n", "release: autumn\n")
    autumn = tmp_path / "autumn.yaml"
    (tmp_path / "business.yaml").rename(autumn)
    text = autumn.read_text(encoding="utf-8").replace('app_versions: "37.9.1"', 'app_versions: "38.1.0"')
    autumn.write_text(text.replace("      creator_tools: Business Suite\n", "      creator_tools: Ads Manager\n"),
                      encoding="utf-8")
    shutil.copy(releases.FOLDER / "business.yaml", tmp_path)
    (tmp_path / "worlds").mkdir()
    world = tmp_path / "worlds" / "autumn.yaml"
    world.write_text((Path(__file__).resolve().parents[2] / "simulator" / "worlds" / "business.yaml").read_text(
        encoding="utf-8").replace("release: business", "release: autumn"), encoding="utf-8")
    monkeypatch.setattr(releases, "FOLDER", tmp_path)

    assert "autumn" in release_names() and device_release("autumn").app_version == "38.1.0"
    device = Device(resolve_world(str(world), folders=[world.parent]))
    device.launch()
    device.stack = []
    device._open("profile")
    device._open("menu")
    device._changed()
    assert "Ads Manager" in {node.desc for window in device.windows() for node in window.walk()}

    assert wordings.release_of_version("38.1.0") == "autumn"
    looked_for = {c.value for c in wordings.target("tools", "creator_tools", ACCESSIBILITY_ID).candidates
                  if "autumn" in c.releases}
    assert looked_for == {"Ads Manager"}


def test_the_device_and_the_pages_read_the_same_resource_ids() -> None:
    # The ids the pages look for are the very ids the device gives those views (one line each, in one file).
    for name in release_names():
        shown = device_release(name).ids
        for view, rid in releases.release(name).ids.items():
            assert shown[view] == rid, (name, view)


def test_a_release_file_without_an_id_for_a_view_of_the_device_is_refused_naming_the_file_and_the_view(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _copy_with_one_line_changed(tmp_path, "business", "{tab_home: cih7, ", "{")
    monkeypatch.setattr(releases, "FOLDER", tmp_path)
    with pytest.raises(releases.ReleaseFileError, match=r"business\.yaml: .*missing \['tab_home'\]"):
        device_release("business")


def test_a_word_that_is_not_text_is_refused_naming_the_file_the_language_and_the_key(
        tmp_path: Path) -> None:
    _copy_with_one_line_changed(tmp_path, "guide", "profile_tab: Me\n", "profile_tab: {}\n")
    with pytest.raises(releases.ReleaseFileError, match=r"^guide\.yaml: en: profile_tab: a word or a list"):
        releases.releases(tmp_path)


def test_a_misspelt_key_is_refused_naming_the_file_and_the_key_not_read_as_nothing(tmp_path: Path) -> None:
    _copy_with_one_line_changed(tmp_path, "current", 'app_versions: "37.8.4"\n', 'app_version: "37.8.4"\n')
    with pytest.raises(releases.ReleaseFileError, match=r"^current\.yaml: unknown key app_version; a release "
                                                                r"file knows app_versions, device, ids, ios, "):
        releases.releases(tmp_path)
