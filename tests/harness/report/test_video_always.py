"""`--video always`: every scenario of a run carries its screen recording, a passing one too (the default keeps only
failed and drifted scenarios' videos: tests/harness/report/test_report_sample_in_chromium.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reportkit

pytestmark = pytest.mark.slow  # the report sample's features, run in a pytest of its own


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("report-sample-video-always")
    folder = reportkit.run_sample(out, "--video", "always")
    return [json.loads(p.read_text(encoding="utf-8")) for p in Path(folder).glob("*-result.json")]


def test_with_video_always_every_scenario_carries_a_playable_mp4(results: list[dict]) -> None:
    with_session = [r for r in results if r["name"] != "The session dies on the way"]  # no device left to ask
    assert len(with_session) == 9
    for result in with_session:
        (video,) = [a for a in result.get("attachments", []) if a["type"] == "video/mp4"]
        assert video["name"] == "screen recording"
    passed = [r for r in with_session if r["status"] == "passed"]
    assert len(passed) == 3
