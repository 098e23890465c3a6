"""The drift record: fallback matches are recorded once per target, primary matches never."""

from __future__ import annotations

from harness.ui.drift import DriftEvent, DriftRecord
from harness.ui.locators import accessibility_id, target

# App wordings are free tags to the engine (the releases are data of the pages).
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
    assert "current wording" in event.sentence()


def test_each_target_drifts_once_per_session() -> None:
    record = DriftRecord()
    record.note(CANCEL, CANCEL.candidates[1])
    assert record.note(CANCEL, CANCEL.candidates[1]) is None
    assert len(record.events) == 1
    assert record.summary().count("Locator drift") == 1
