"""No waiting on what is not there: on a device that answers at once, a scenario or a `promo` command spends
(almost) nothing waiting. Each wait is counted where it happens, not timed from outside: the harness's pauses
between looks (Finder.waited, AppiumSession.waited) and the time the virtual device's finds spent polling
under an implicit wait (`find_wait_ms` in `mobile: simStats`). On a phone each of those seconds is a timeout
paid again, so a user meets them as slowness."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from runenv import still_profile

from tiktok_promo.harness.errors import TargetNotFound
from tiktok_promo.harness.ui.locators import accessibility_id, target

ROOT = Path(__file__).resolve().parents[3]
BOUND_S = 0.5  # what a scenario or a promo command may spend waiting on a device that answers at once


def test_a_wait_on_a_target_that_never_shows_is_counted_as_waited(make_session) -> None:
    finder = make_session("default").start()
    started = time.monotonic()
    with pytest.raises(TargetNotFound):
        finder.find(target("nowhere", accessibility_id("Never there")), timeout=0.3)
    took = time.monotonic() - started
    # The pauses between its looks are counted, never more than the 0.3 s nor than the find took. How much of
    # the 0.3 s they fill is the looks' business: a loaded machine (a parallel test run) makes each look longer.
    assert finder.waited.pauses >= 1 and 0 < finder.waited.seconds <= min(0.3, took)


@pytest.mark.slow
def test_no_scenario_waits_more_than_half_a_second_on_a_device_that_answers_at_once(tmp_path: Path) -> None:
    clock = tmp_path / "waits.jsonl"
    plugins = str(ROOT / "tests" / "harness" / "ui")  # where wait_clock.py is
    # Screens at rest: with transitions on, waiting for a screen to come in is waiting on what is coming, not on
    # what is not there, and how long it takes depends on the machine's load (0.65 s in a loaded CI run).
    env = {**os.environ, "WAIT_CLOCK_FILE": str(clock), "PROMO_CAPS": str(still_profile(tmp_path)),
           "PYTHONPATH": os.pathsep.join(filter(None, [plugins, os.environ.get("PYTHONPATH")]))}
    for name in ("PROMO_SIM_FAULTS", "PROMO_WORLD", "PROMO_TARGET"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "-p",
                           "no:xdist", "-p", "wait_clock"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    waits = [json.loads(line) for line in clock.read_text().splitlines()]
    assert len(waits) >= 20  # every scenario reported, not a run that measured nothing
    slow = {w["test"]: round(w["harness_s"] + w["device_s"], 2) for w in waits
            if w["harness_s"] + w["device_s"] > BOUND_S}
    assert slow == {}, f"scenarios that waited on what was not there (seconds): {slow}"
