"""`promo capture`, `promo check-locators`, and a recorded walk replayed as a device for the read-only scenarios."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import REPO, Promo
from runenv import clean_env

from tiktok_promo.simulator.replay import ReplayServer


@pytest.mark.slow
def test_capture_records_the_screen_the_app_opens_on(promo: Promo, tmp_path: Path) -> None:
    run = promo("capture", "--world", "studio-fr", str(tmp_path / "rec"))
    assert run.code == 0, run.err
    manifest = json.loads((tmp_path / "rec" / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["screens"]] == ["000-feed"]
    assert manifest["device"]["locale"] == "fr_FR" and manifest["app"]["version_name"] == "47.0.3"
    assert "promo check-locators" in run.out
    check = promo("check-locators", str(tmp_path / "rec"))  # one screen is not the cancel flow: not safe
    assert check.code == 1 and "record the whole walk: promo capture --walk." in " ".join(check.out.split())


@pytest.mark.slow
def test_capture_walk_then_check_locators_passes_and_says_so(promo: Promo, tmp_path: Path) -> None:
    walk = promo("capture", "--walk", "--world", "current", str(tmp_path / "rec"))
    assert walk.code == 0, walk.err
    assert "Recorded 13 screens (4 promotions' details)" in walk.out
    check = promo("check-locators", str(tmp_path / "rec"))
    assert check.code == 0, check.out + check.err
    assert "Every screen of the cancel flow was recorded and recognised, and every target it needs resolves to one " \
           "element." in " ".join(check.out.split())
    assert "fallback" in check.out  # the current release's words are not the guide's: drift, still found
    as_json = promo("check-locators", "--json", str(tmp_path / "rec")).json()
    assert as_json["ok"] is True and as_json["locale"] == "en_US"
    assert {s["page"] for s in as_json["screens"]} >= {"feed", "profile", "menu sheet", "promotion details"}


@pytest.mark.slow
def test_check_locators_fails_when_a_needed_target_is_gone(promo: Promo, tmp_path: Path) -> None:
    assert promo("capture", "--walk", "--world", "studio", str(tmp_path / "rec")).code == 0
    details = next((tmp_path / "rec").glob("004-*.xml"))
    details.write_text(details.read_text(encoding="utf-8").replace('text="Stop promotion"', 'text="End it"'),
                       encoding="utf-8")  # a new release renamed the stop button
    check = promo("check-locators", "--json", str(tmp_path / "rec"))
    assert check.code == 1
    screen = next(s for s in check.json()["screens"] if s["screen"] == details.stem)
    stop = next(t for t in screen["targets"] if t["target"] == "Cancel button")
    assert stop["verdict"] == "missing" and stop["needed"] is True


@pytest.mark.slow
def test_bad_folders_get_one_sentence(promo: Promo, tmp_path: Path) -> None:
    missing = promo("check-locators", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "is not a folder" in missing.one_error_line()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    full = promo("capture", "--world", "default", str(tmp_path / "full"))
    assert full.code == 2 and "already exists and is not an empty folder" in full.one_error_line()
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    not_capture = promo("check-locators", str(empty))
    assert not_capture.code == 2 and "manifest.json is missing (is this a folder written by `promo capture`?)" \
        in not_capture.one_error_line()


@pytest.mark.parametrize("world", ["current", "studio-fr"])
@pytest.mark.slow
def test_a_recorded_walk_replayed_as_a_device_passes_the_read_only_smoke_scenario(promo: Promo, tmp_path: Path,
                                                                                   world: str) -> None:
    # Record once (the phone), then run the read-only smoke scenario against the recording, as CI would:
    # the features reach it as any Appium server (--target appium --appium-url), with the replay profile.
    assert promo("capture", "--walk", "--world", world, str(tmp_path / "rec")).code == 0
    with ReplayServer(tmp_path / "rec") as server:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "features", "-m", "smoke and not destructive", "-p", "no:randomly",
             "--target", "appium", "--caps", "replay", "--appium-url", server.url,
             "--account", "mia.creates", "-q"],
            cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout


# --- check-locators never says safe about what it did not check -------------------------------------------
def _copy(walked: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(walked, tmp_path / "rec", symlinks=True))


@pytest.mark.slow
def test_a_walk_that_stopped_at_the_log_in_screen_fails_and_says_nothing_was_checked(promo: Promo,
                                                                                    tmp_path: Path) -> None:
    assert promo("capture", "--walk", "--world", "logged-out", str(tmp_path / "rec")).code == 0
    check = promo("check-locators", str(tmp_path / "rec"))
    assert check.code == 1
    said = " ".join(check.out.split())
    assert f"{tmp_path / 'rec' / 'manifest.json'}: the recording never shows the feed, the profile" in said
    assert "nobody was logged in" in said and "Every screen" not in said


@pytest.mark.slow
def test_a_renamed_promotions_entry_fails_naming_the_screen_and_the_anchor_that_missed(promo: Promo, walked: Path,
                                                                                      tmp_path: Path) -> None:
    folder = _copy(walked, tmp_path)
    tools = folder / "003-creator-tools.xml"
    tools.write_text(tools.read_text(encoding="utf-8").replace('"Promote"', '"Boost a video"'), encoding="utf-8")
    check = promo("check-locators", "--json", str(folder))
    assert check.code == 1
    problems = check.json()["problems"]
    assert ('003-creator-tools.xml was reached by tapping "Creator tools" on 002-menu-sheet, which opens the creator '
            'tools, but reads as the menu sheet: the anchor(s) "Promotions" of the creator tools did not match.'
            in problems)
    assert any("never shows the creator tools" in p for p in problems)


@pytest.mark.slow
def test_a_screen_no_page_knows_fails_and_says_which_anchors_missed(promo: Promo, walked: Path, tmp_path: Path) -> None:
    folder = _copy(walked, tmp_path)
    details = folder / "005-promotion-details.xml"
    details.write_text('<?xml version="1.0" encoding="UTF-8"?><hierarchy rotation="0"><android.widget.FrameLayout '
                       'text="Update TikTok to keep going" bounds="[0,0][1080,2400]"/></hierarchy>', encoding="utf-8")
    check = promo("check-locators", str(folder))
    assert check.code == 1
    said = " ".join(check.out.split())
    assert ('005-promotion-details.xml was reached by tapping "promotion row" on 004-promotions-list, which opens the '
            'promotion details, is not recognised: the anchor(s) "status", "promotion ID" of the promotion details did '
            "not match.") in said


HOSTILE = {
    "a page source that is a FIFO": (lambda f: (f / "003-creator-tools.xml").unlink() or os.mkfifo(
        f / "003-creator-tools.xml"), "003-creator-tools.xml is a device, pipe or socket, not a regular file"),
    "a link to /etc/shadow": (lambda f: (f / "003-creator-tools.xml").unlink() or (
        f / "003-creator-tools.xml").symlink_to("/etc/shadow"), "003-creator-tools.xml is a link"),
    "a nested manifest.json": (lambda f: (f / "manifest.json").write_text("{\"a\":" * 50_000),
                               "manifest.json nests lists or objects too deep"),
    "density NaN": (lambda f: (f / "manifest.json").write_text(
        (f / "manifest.json").read_text(encoding="utf-8").replace('"density": 420', '"density": NaN')),
        "manifest.json: NaN is not a number JSON allows"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.slow
def test_check_locators_and_the_replay_refuse_a_hostile_folder_with_the_same_sentence(
        promo: Promo, walked: Path, tmp_path: Path, case: str) -> None:
    folder = _copy(walked, tmp_path)
    spoil, words = HOSTILE[case]
    spoil(folder)
    check = promo("check-locators", str(folder))
    replay = subprocess.run([sys.executable, "-m", "tiktok_promo.simulator", "--replay", str(folder), "--port", "0"],
                            cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=30, check=False)
    assert check.code == 2 and replay.returncode == 2
    sentence = check.one_error_line().removeprefix("promo: ").rstrip(".")
    assert sentence.startswith(f"recording {folder}: ") and words in sentence
    assert replay.stderr.strip() == f"simulator: {sentence}"
