"""The whole feature suite through a real Appium 3 server, as CI runs it, next to the direct run.

`pytest features --target appium --caps harness/run/profiles/appium-sim.yaml` starts its own Appium 3 (the profile says
`appium_url: local`), whose TikTokSim driver starts the virtual device for each session: every scenario,
the @sim-only ones included (worlds, faults, clock, ledger), goes client -> Appium -> driver -> device.
This lives in the test suite (and so in `make test` and CI) rather than in a Makefile line, so both runs
are checked by the same assertions: same scenario count, nothing skipped, a clean shutdown.
Needs the node tools (`make node`), like the other tests in tests/appium.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from featurekit import IOS_THROUGH_APPIUM, THROUGH_APPIUM, FeatureRun, run_features, wait_for
from proctools import children
from runenv import clean_env

pytestmark = pytest.mark.slow  # a real Appium 3 server (and Grid, devices) per test: seconds to minutes


def test_the_whole_feature_suite_passes_through_a_real_appium_as_it_does_directly(tmp_path: Path) -> None:
    # Both at once: they share nothing but the machine, and the wall time is the slower one's. The screens come in
    # over a phone's few hundred ms, so a scenario mostly waits; through Appium two workers (each with its own
    # Appium and device, as `-n 2` runs in CI) halve the wait (serial, the run took 153 s on the loaded 2-core box).
    direct = FeatureRun(tmp_path / "direct", (), clean_env()).start()
    appium = FeatureRun(tmp_path / "appium", (*THROUGH_APPIUM, "-n", "2"), clean_env()).start()
    direct.wait()
    appium.wait()  # featurekit.RUN_TIMEOUT: a guard against a hang, from measured runs
    assert direct.code == 0, direct.describe()
    assert appium.code == 0, appium.describe()
    scenarios = len(direct.results())
    assert scenarios >= 20
    assert direct.counts == appium.counts == {"passed": scenarios}, (direct.out, appium.out)
    # Every scenario really went through Appium to the virtual device (the session's answer says so).
    labels = appium.labels()
    assert len(labels) == scenarios and {entry.get("device") for entry in labels} == {"sim-1", "sim-2"}
    for worker in ("gw0", "gw1"):
        log = tmp_path / "appium" / "appium" / f"appium-{worker}.log"
        assert "TikTokSim" in log.read_text(encoding="utf-8")
    env = (appium.results_dir / "environment.properties").read_text(encoding="utf-8")
    assert "target=appium" in env and "profile=appium-sim" in env and "world=default" in env
    assert appium.processes() == [], "the run left Appium or a virtual device running"


def test_the_whole_feature_suite_passes_on_the_ios_face_through_a_real_appium(tmp_path: Path) -> None:
    # Appium picks our driver for platformName iOS as for Android: the automationName matched case-insensitively and
    # the platformName among the manifest's platformNames (appium/appium packages/appium/lib/extension/
    # driver-config.ts, _getDriverBySupport); the driver asks the device's iOS face for XCUITest.
    # Two workers, as the Android run above: the iPhone's screens come in too, and a scenario mostly waits.
    run = FeatureRun(tmp_path, (*IOS_THROUGH_APPIUM, "-n", "2"), clean_env()).start().wait()
    assert run.code == 0, run.describe()
    scenarios = len(run.results())
    assert scenarios >= 20 and run.counts == {"passed": scenarios}, run.describe()
    log = "".join(path.read_text(encoding="utf-8") for path in sorted((tmp_path / "appium").glob("appium-gw*.log")))
    assert "Attempting to find matching driver for automationName 'TikTokSim' and platformName 'iOS'" in log
    assert '"appium:automationName":"XCUITest"' in log  # what the driver asked of the device
    env = (run.results_dir / "environment.properties").read_text(encoding="utf-8")
    assert "platform=iOS" in env and "profile=appium-ios-sim" in env and "iOS\\ version=17.5" in env, env
    assert run.processes() == [], "the run left Appium or a virtual device running"


def test_a_failed_scenario_carries_its_own_part_of_the_appium_log_and_the_logcat(tmp_path: Path) -> None:
    # Another account than the profile's: the checked cancel refuses, so both scenarios fail in a step.
    run = run_features(tmp_path, *THROUGH_APPIUM, "-k", "chosen_by_its_title", "--account", "someone.else")
    assert run.code == 1 and run.counts.get("failed") == 2 and "passed" not in run.counts, run.describe()
    for result in run.results():
        [failed] = [step for step in result["steps"] if step["status"] in ("failed", "broken")]
        [log] = [a for a in failed["attachments"] if a["name"] == "Appium server log (this scenario)"]
        text = (run.results_dir / log["source"]).read_text(encoding="utf-8")
        # Its own session and nothing before it: the part of the log this scenario wrote.
        assert text.count("Calling AppiumDriver.createSession()") == 1, text[:2000]
        assert "TikTokSim" in text
        # and the phone's logcat (UiAutomator2's `logcat` log type: appium-android-driver lib/commands/log.ts), in
        # Android's threadtime format, with what the device showed up to the failure
        [logcat] = [a for a in failed["attachments"] if a["name"] == "device log (logcat) at failure"]
        lines = (run.results_dir / logcat["source"]).read_text(encoding="utf-8").splitlines()
        assert any(" I ActivityTaskManager: Displayed com.zhiliaoapp.musically/" in line for line in lines), lines
        assert any("screen shown: profile" in line for line in lines), lines  # where the account was read


def test_a_missing_appium_is_one_sentence_before_anything_runs(tmp_path: Path) -> None:
    started = time.monotonic()
    run = run_features(tmp_path, *THROUGH_APPIUM, env=clean_env(PROMO_APPIUM_ROOT=str(tmp_path)))
    assert run.code == 4, run.describe()
    assert time.monotonic() - started < 30
    errors = [line for line in run.err.splitlines() if line.startswith("ERROR:")]
    assert errors == [f"ERROR: Appium is not installed: {tmp_path}/node_modules/.bin/appium is missing; "
                      f"run `npm ci` (or `make node`) in {tmp_path}."], run.err
    assert "Traceback" not in run.out + run.err


def test_an_appium_that_dies_mid_run_stops_the_run_at_once_with_one_sentence(tmp_path: Path) -> None:
    run = FeatureRun(tmp_path, THROUGH_APPIUM, clean_env()).start()
    assert run.proc is not None
    appium_pid = wait_for(lambda: next((pid for pid, cmd in children(run.proc.pid) if " server " in cmd), None),
                           "the Appium server of the run")
    # Kill it once the first scenario has passed: a run in full swing, not one still starting.
    wait_for(lambda: any(run.results_dir.glob("*-result.json")) or None, "the first scenario result")
    os.kill(appium_pid, signal.SIGKILL)
    killed = time.monotonic()
    run.wait(timeout=60)
    assert time.monotonic() - killed < 30, "the run hung after its Appium server died"
    assert run.code in (1, 2), run.describe()
    sentence = "was killed by signal 9 during the run, so no more sessions can start; its log is "
    assert "Interrupted: The Appium server this run started at http://127.0.0.1:" in run.out, run.describe()
    assert sentence in run.out
    counts = run.counts
    assert counts.get("passed", 0) + counts.get("failed", 0) < 10, run.describe()  # it stopped, it did not go on
    assert 1 <= counts.get("failed", 0) <= 2, run.describe()  # the scenario in flight, at most the next one
    assert run.processes() == [], "a virtual device outlived its killed Appium"

