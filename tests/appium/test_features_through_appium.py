"""The whole feature suite through a real Appium 3 server, as CI runs it, against the direct run's scenarios.

`pytest features --target appium --caps harness/run/profiles/appium-sim.yaml` starts its own Appium 3 (the profile says
`appium_url: local`), whose TikTokSim driver starts the virtual device for each session: every scenario,
the @sim-only ones included (worlds, faults, clock, ledger), goes client -> Appium -> driver -> device.
This lives in the test suite (and so in `make test` and CI) rather than in a Makefile line, so the run is checked
against the direct one (`features` in `make test`): same scenario count, nothing skipped, a clean shutdown.
The whole-suite runs ask for the device's screens at rest (runenv.still_profile): they prove the channel, and with
screens coming in they mostly waited on them; the runs that fail a scenario or lose Appium keep a phone's timing.
Needs the node tools (`make node`), like the other tests in tests/appium.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from featurekit import THROUGH_APPIUM, FeatureRun, run_features, scenario_count, wait_for
from proctools import children
from runenv import clean_env, still_profile

pytestmark = pytest.mark.slow  # a real Appium 3 server (and Grid, devices) per test: seconds to minutes


def test_every_scenario_the_direct_run_has_passes_through_a_real_appium_screens_at_rest(tmp_path: Path) -> None:
    # The direct run is the `features` part of `make test` (with a phone's timing): here it is counted, not run a
    # second time. Through Appium the device's screens are at rest: what is proven is the channel (client, Appium 3,
    # driver, device); with screens coming in, the run mostly waited on them (81 s in CI, beside a direct run of its
    # own). A phone's timing through Appium is what the failed-scenario and dead-Appium runs below have.
    at_rest = ("--target", "appium", "--caps", str(still_profile(tmp_path, "appium-sim")), "-n", "2")
    appium = FeatureRun(tmp_path / "appium", at_rest, clean_env()).start().wait()  # featurekit.RUN_TIMEOUT
    assert appium.code == 0, appium.describe()
    scenarios = scenario_count()
    assert scenarios >= 20 and len(appium.results()) == scenarios
    assert appium.counts == {"passed": scenarios}, appium.describe()
    # Every scenario really went through Appium to the virtual device (the session's answer says so).
    labels = appium.labels()
    assert len(labels) == scenarios and {entry.get("device") for entry in labels} == {"sim-1", "sim-2"}
    for worker in ("gw0", "gw1"):
        log = tmp_path / "appium" / "appium" / f"appium-{worker}.log"
        assert "TikTokSim" in log.read_text(encoding="utf-8")
    env = (appium.results_dir / "environment.properties").read_text(encoding="utf-8")
    assert "target=appium" in env and "profile=appium-sim" in env and "world=default" in env
    assert appium.processes() == [], "the run left Appium or a virtual device running"


def test_the_whole_feature_suite_passes_on_the_ios_face_through_a_real_appium_screens_at_rest(tmp_path: Path) -> None:
    # Appium picks our driver for platformName iOS as for Android: the automationName matched case-insensitively and
    # the platformName among the manifest's platformNames (appium/appium packages/appium/lib/extension/
    # driver-config.ts, _getDriverBySupport); the driver asks the device's iOS face for XCUITest.
    # Two workers and screens at rest, as the Android run above: the channel is what this proves (with the iPhone's
    # screens coming in, the run mostly waited on them: 114 s in CI).
    caps = str(still_profile(tmp_path, "appium-ios-sim"))
    run = FeatureRun(tmp_path, ("--target", "appium", "--caps", caps, "-n", "2"), clean_env()).start().wait()
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
    # A guard against a hang, as for the Grid's dead node (tests/appium/test_features_through_grid.py): that the run
    # stopped at once rather than went on is what the counts below check, not a time a loaded machine stretches.
    run.wait(timeout=150)  # raises when the run has not ended by then
    assert run.code in (1, 2), run.describe()
    sentence = "was killed by signal 9 during the run, so no more sessions can start; its log is "
    assert "Interrupted: The Appium server this run started at http://127.0.0.1:" in run.out, run.describe()
    assert sentence in run.out
    counts = run.counts
    assert counts.get("passed", 0) + counts.get("failed", 0) < 10, run.describe()  # it stopped, it did not go on
    assert 1 <= counts.get("failed", 0) <= 2, run.describe()  # the scenario in flight, at most the next one
    assert run.processes() == [], "a virtual device outlived its killed Appium"

