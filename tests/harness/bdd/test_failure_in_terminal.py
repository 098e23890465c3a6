"""What a QA engineer reads in the terminal when a scenario fails, and in its report: the feature file and line,
the step, the sentence, the screen and the error's sentence, in a few lines; no object dumps; the run's header."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FAILING = '''@normal
Feature: Stop the latte promotion
  Scenario: Forgot the cancel
    Given I open the TikTok app logged in as the account that started the promotion
    Then the app shows the promotion "Latte art in 30 seconds" as cancelled

  Scenario: Unknown title
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Broken title"

  Scenario: Wrong count
    Given I open the TikTok app logged in as the account that started the promotion
    When I read the budget and performance metrics of every active promotion
    Then the table has 5 active promotions
'''


def run_failing(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    features = tmp_path / "features"
    features.mkdir()
    (features / "mine.feature").write_text(FAILING, encoding="utf-8")
    (features / "test_mine.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n', encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = features/\naddopts = -p no:cacheprovider\n",
                                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "APPIUM_", "PYTEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "features", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def _section(out: str, test: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("_") and f" {test} " in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("_", "=")))
    return lines[start + 1:end]


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    tmp_path = tmp_path_factory.mktemp("failing")
    return run_failing(tmp_path, "--alluredir", str(tmp_path / "results")), tmp_path / "results"


@pytest.mark.slow
def test_a_failing_step_is_a_few_lines_naming_the_feature_line_step_sentence_and_screen(failed_run) -> None:
    run, _ = failed_run
    assert run.returncode == 1, run.stdout + run.stderr
    said = _section(run.stdout, "test_unknown_title")
    assert said[:2] == ['features/mine.feature:9: When I cancel the promotion "Broken title"',
                        "  scenario: Unknown title (features/mine.feature:7)"]
    assert said[2].startswith('  sentence: When I cancel the promotion "{title}" (') and "cancel_steps.py:" in said[2]
    assert said[3:5] == ["  screen:   FeedPage",
                         '  error:    UnknownPromotion: No promotion is called "Broken title"; the active promotions '
                         'are: "Summer haul try-on", "Latte art in 30 seconds".']
    assert len(said) <= 7
    # Before: 40 lines of pytest's fixture machinery, with `Journey(session=<...AppiumSession object at 0x...>`.
    assert "def call_fixture_func" not in run.stdout and "object at 0x" not in run.stdout
    assert "FAILED features/test_mine.py::test_unknown_title - features/mine.feature:9:" in run.stdout


@pytest.mark.slow
def test_with_v_the_traceback_is_still_there(tmp_path: Path) -> None:
    run = run_failing(tmp_path, "-v", "-k", "unknown_title")
    assert "flows/cancel_flow.py" in run.stdout and "UnknownPromotion" in run.stdout


@pytest.mark.slow
def test_the_report_has_no_object_dump_and_one_status_per_kind_of_failure(failed_run) -> None:
    _, results_dir = failed_run
    results = [json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*-result.json")]
    by_name = {r["name"]: r for r in results}
    text = json.dumps(results)
    assert "object at 0x" not in text and "Journey(session=" not in text
    # Before: pytest's `+ where 2 = len([MonitoredPromotion(row=PromotionRow(...` under the step's own sentence.
    assert by_name["Wrong count"]["statusDetails"]["message"] == "AssertionError: 2 active promotions read, expected 5"
    assert "where" not in by_name["Wrong count"]["statusDetails"]["trace"]

    def failure(name: str) -> tuple[str, str]:
        labels = {label["name"]: label["value"] for label in by_name[name]["labels"]}
        return by_name[name]["status"], labels["failure class"]

    assert failure("Unknown title") == ("failed", "product rule")  # before: "broken", beside failed assertions
    assert failure("Wrong count") == ("failed", "feature expectation")  # the feature's 5, not the app, is wrong
    assert failure("Forgot the cancel") == ("broken", "configuration")  # a feature-writing mistake


@pytest.mark.slow
def test_the_header_says_target_device_world_release_and_language(tmp_path: Path) -> None:
    run = run_failing(tmp_path, "--world", "studio-fr", "-k", "nothing_matches_this")
    assert ("promo: target sim, device sim-1, world studio-fr, release studio, language fr_FR (one scenario may "
            "choose another world)") in run.stdout


def test_the_header_says_when_the_run_is_on_ios() -> None:
    from tiktok_promo.harness.bdd.terminal import header_lines
    from tiktok_promo.harness.run.config import load_run_config

    assert header_lines(load_run_config(caps="ios-sim", env={}), "sim-1") == [
        "promo: target sim, platform iOS (ios-sim), device sim-1, world default, release guide, language en_US "
        "(one scenario may choose another world)"]
    assert "platform" not in header_lines(load_run_config(env={}), "sim-1")[0]


@pytest.mark.slow
def test_the_devices_locale_is_a_label_of_the_scenario_not_a_step(failed_run) -> None:
    _, results_dir = failed_run
    results = [json.loads(p.read_text(encoding="utf-8")) for p in results_dir.glob("*-result.json")]

    def steps(items: list[dict]) -> list[str]:
        return [name for step in items for name in (step["name"], *steps(step.get("steps", [])))]

    assert not any("locale" in name for result in results for name in steps(result.get("steps", [])))
    # asked only when a value needs its region (an amount, a date): the scenarios that read one carry it
    assert any({"name": "device locale", "value": "en_US"} in result["labels"] for result in results)
