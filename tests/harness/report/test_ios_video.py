"""On the iPhone the scenario's screen recording reaches the report as on Android, in a form a browser plays.

The XCUITest driver records with ffmpeg over WDA's screenshot stream, into MJPEG unless told otherwise
(appium-xcuitest-driver lib/commands/recordscreen.ts), and browsers play no MJPEG: the harness asks for H.264 at even
sides (harness.run.session IOS_VIDEO_OPTIONS), which the virtual device's iOS face encodes as ffmpeg would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow  # a scenario's whole run in a pytest of its own


def test_a_scenario_on_the_iphone_attaches_a_video_a_browser_plays(tmp_path: Path) -> None:
    results = tmp_path / "allure-results"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PROMO_"))}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "features/cancel_promotion.feature", "--caps",
         "ios-sim", "--video", "always", "-k", "the_way_the_guide_walks_it", f"--alluredir={results}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    (result,) = [json.loads(p.read_text(encoding="utf-8")) for p in results.glob("*-result.json")]
    (video,) = [a for a in result.get("attachments", []) if a["type"] == "video/mp4"]
    assert video["name"] == "screen recording"
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(results / video["source"])],
                           capture_output=True, text=True, check=False).stderr
    assert "Video: h264" in probe and "yuv420p" in probe and "588x1278" in probe  # half the iPhone's 1179 x 2556
    assert "did not start a screen recording" not in run.stdout
