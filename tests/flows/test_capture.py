"""Recording the phone (one screen, or the read-only walk) on every shipped world, and checking it offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tiktok_promo.flows.capture import WALKABLE, Recorder, Walk, screen_label
from tiktok_promo.flows.locator_check import check_capture
from tiktok_promo.pages.confirm_dialog import CONFIRM, KEEP
from tiktok_promo.pages.promotion_details import CANCEL
from tiktok_promo.simulator.replay import load_recording
from tiktok_promo.simulator.world import shipped_worlds

WORLDS = shipped_worlds()
LOCALES = {"studio-fr": "fr_FR", "current-fr": "fr_FR"}  # every other shipped world is an en_US phone


def _statuses(session) -> dict[str, str]:
    return {p["id"]: p["status"] for p in session.ledger()["promotions"]}


def _record(make_session, world: str, folder: Path, walk: bool) -> tuple[Recorder, dict[str, str], dict[str, str]]:
    session = make_session(world)
    session.start()
    before = _statuses(session)
    recorder = Recorder(folder, session, "sim")
    recorder.open()
    if walk:
        Walk(recorder).run()
    else:
        recorder.take(screen_label(session), None)
    return recorder, before, _statuses(session)


@pytest.mark.parametrize("world", WORLDS)
def test_capture_saves_the_screen_with_what_the_phone_says_about_itself(make_session, tmp_path: Path,
                                                                        world: str) -> None:
    _record(make_session, world, tmp_path, walk=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["target"] == "sim"
    assert manifest["device"]["locale"] == LOCALES.get(world, "en_US")
    assert manifest["app"]["package"] == "com.zhiliaoapp.musically" and manifest["app"]["version_name"]
    [screen] = manifest["screens"]
    assert screen["reached_by"] is None and screen["context"] == "NATIVE_APP"
    assert screen["activity"].endswith("Activity")  # as the device names it (relative, or in com.ss.android.ugc.aweme)
    assert screen["package"] == "com.zhiliaoapp.musically" and screen["taken_at"].endswith("Z")
    etree.fromstring((tmp_path / screen["source"]).read_bytes())  # the page source, as XML
    assert (tmp_path / screen["screenshot"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("world", WORLDS)
@pytest.mark.slow
def test_the_walk_records_every_promotion_read_only_and_the_check_finds_every_needed_target(
        make_session, tmp_path: Path, world: str) -> None:
    recorder, before, after = _record(make_session, world, tmp_path, walk=True)
    assert after == before  # nothing stopped, paused or changed
    steps = [s["reached_by"] for s in recorder.screens if s["reached_by"]]
    assert all(s["target"] in WALKABLE for s in steps)
    assert not {s["target"] for s in steps} & {CANCEL.name, CONFIRM.name, KEEP.name}
    recording = load_recording(tmp_path)  # the replaying device accepts the folder as written
    assert len(recording.screens) == len(recorder.screens)
    opened = [s for s in steps if s["target"] == "promotion row"]
    details = [s for s in recorder.screens if s["name"].endswith("promotion-details")]
    if world != "logged-out":
        assert opened and len(details) == len(opened), "every promotion opened is recorded, and only those"
    result = check_capture(tmp_path)
    pages = {s.page for s in result.screens}
    assert all(s.page or s.popup for s in result.screens)  # only a known pop-up is no known screen
    if world == "logged-out":  # the walk stops at the log-in screen: nothing of the cancel flow was checked
        assert not result.ok and pages == {"log-in screen"}
        [sentence] = result.sentences()
        assert "never shows the feed, the profile" in sentence and "nobody was logged in" in sentence
        return
    assert result.ok, result.sentences()
    # On "interruptions" the app opens under a pop-up: the walk closes it by a recorded tap, then the feed.
    assert {"feed", "profile", "creator tools", "promotions list", "promotion details"} <= pages


def test_a_folder_that_is_not_empty_is_refused_before_anything_is_recorded(make_session, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x")
    session = make_session("default")
    session.start()
    with pytest.raises(Exception, match="already exists and is not an empty folder"):
        Recorder(tmp_path, session, "sim").open()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]
