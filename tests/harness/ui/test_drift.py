"""The drift record: fallback matches are recorded once per target, primary matches never."""

from __future__ import annotations

from tiktok_promo.harness.ui.drift import DriftEvent, DriftRecord
from tiktok_promo.harness.ui.locators import Candidate, LocatorMemory, accessibility_id, target, text
from tiktok_promo.pages.wordings import release_of_version

# App releases are free tags to the engine (the releases are data of the pages).
GUIDE, CURRENT, BUSINESS = "guide", "current", "business"

CANCEL = target("Cancel button", accessibility_id("Cancel", GUIDE), accessibility_id("Stop promotion", CURRENT))


def test_a_primary_match_is_not_drift() -> None:
    record = DriftRecord()
    assert record.note(CANCEL, CANCEL.primary) is None
    assert not record


def test_a_fallback_match_is_drift_with_both_candidates_named() -> None:
    seen: list[DriftEvent] = []
    record = DriftRecord(on_drift=seen.append)
    event = record.note(CANCEL, CANCEL.candidates[1])
    assert event is not None and seen == [event]
    assert event.target == "Cancel button"
    assert event.expected == 'accessibility id "Cancel"'
    assert event.matched == 'accessibility id "Stop promotion"'
    assert event.sentence().startswith('Locator drift: "Cancel button" matched accessibility id "Stop promotion"')
    assert "current release" in event.sentence()


def test_each_target_drifts_once_per_session() -> None:
    record = DriftRecord()
    record.note(CANCEL, CANCEL.candidates[1])
    assert record.note(CANCEL, CANCEL.candidates[1]) is None
    assert len(record.events) == 1
    assert record.summary().count("Locator drift") == 1


# A release's own words, as the wording files tag them: "Profile" is current's and studio's, "Me" the guide's.
PROFILE = target("profile tab", accessibility_id("Me", GUIDE), accessibility_id("Profile", CURRENT, "studio"),
                 text("Profile", CURRENT, "studio"), text("Me", GUIDE))


def _found(memory: LocatorMemory, record: DriftRecord, candidate: Candidate) -> DriftEvent | None:
    """A match as the finder records it: remembered first, then noted against the memory's expected candidate."""
    memory.remember(PROFILE, candidate)
    return record.note(PROFILE, candidate, memory.primary(PROFILE))


def test_an_app_whose_version_names_its_release_is_not_drift_on_that_releases_words() -> None:
    memory, record = LocatorMemory(), DriftRecord()
    memory.release = "studio"
    assert _found(memory, record, PROFILE.candidates[2]) is None  # its own word, by text: a web page has no desc
    assert not record


def test_an_app_showing_another_releases_words_than_its_version_names_is_drift() -> None:
    memory, record = LocatorMemory(), DriftRecord()
    memory.release = "studio"
    event = _found(memory, record, PROFILE.candidates[3])
    assert event is not None
    assert event.expected == 'accessibility id "Profile"' and event.matched == 'text "Me"'


def test_an_app_of_unknown_release_expects_each_targets_first_candidate() -> None:
    memory, record = LocatorMemory(), DriftRecord()
    event = _found(memory, record, PROFILE.candidates[1])
    assert event is not None and event.expected == 'accessibility id "Me"'


def test_an_app_version_names_its_release_or_the_latest_before_it() -> None:
    assert release_of_version("47.0.3") == "studio"
    assert release_of_version("37.9.1") == "business"
    assert release_of_version("48.0.0") == "studio"  # a newer build is expected to keep the latest words
    assert release_of_version("30.1") is None and release_of_version("beta") is None
