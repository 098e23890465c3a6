"""Bad input to the features: each ends in one sentence naming what to fix, a non-zero exit, and no scenario run.

Each test runs pytest in a subprocess on a features folder of its own (tmp_path), wired to this repo's
steps and harness through its conftest (`-p conftest`), as a person's run on their own features would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.bdd import feature_checks, tags
from harness.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
GOOD = '''@smoke @destructive
Feature: Stop the latte promotion
  Scenario: Stop it
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Latte art in 30 seconds"
    Then the app shows the promotion "Latte art in 30 seconds" as cancelled
'''


def run_features(tmp_path: Path, feature: str | bytes, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest on tmp_path/features holding this one feature file, with the repo's steps and harness."""
    features = tmp_path / "features"
    features.mkdir(exist_ok=True)
    (features / "mine.feature").write_bytes(feature if isinstance(feature, bytes) else feature.encode("utf-8"))
    (features / "test_mine.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n', encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = features/\naddopts = -p no:cacheprovider\n",
                                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "APPIUM_", "PYTEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "features", "-q", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def error_line(run: subprocess.CompletedProcess[str]) -> str:
    """The one line that says what is wrong (pytest's `ERROR:` usage line), and no traceback anywhere."""
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("ERROR: ")]
    assert len(lines) == 1, run.stdout + run.stderr
    return lines[0]


def test_a_good_feature_of_ones_own_runs_with_the_repos_steps(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_an_undeclared_tag_names_the_file_and_line_and_nothing_runs(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD.replace("@smoke @destructive", "@smoke @destrutive"))
    assert run.returncode == 4
    line = error_line(run)
    assert line.startswith("ERROR: features/mine.feature:1: the tag @destrutive is not declared;")
    assert "@destructive" in line and "harness/bdd/tags.py" in line
    assert "passed" not in run.stdout and "failed" not in run.stdout


def test_selecting_a_tag_nothing_declares_is_an_error_not_an_empty_run(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD, "-m", "smoke and not destrutive")
    assert run.returncode == 4
    assert "names the tag 'destrutive', which no feature or marker declares" in error_line(run)


def test_an_undefined_step_names_the_file_and_line_before_any_step_runs(tmp_path: Path) -> None:
    # The undefined sentence comes after the cancel: pytest-bdd alone would cancel first, then fail.
    feature = GOOD.replace("Then the app shows the promotion", "Then the app shows promotion")
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4
    line = error_line(run)
    assert line == ('ERROR: features/mine.feature:6: no step definition matches "Then the app shows promotion '
                    '"Latte art in 30 seconds" as cancelled" (scenario "Stop it"); use a sentence from steps/*.py '
                    "or add one there. No scenario was run.")
    assert not list((tmp_path / "results").glob("*-result.json"))  # no scenario started: nothing was cancelled


def test_an_undefined_step_stops_a_parallel_run_too(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD.replace("When I cancel", "When I stop"), "-n", "2")
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "features/mine.feature:5: no step definition matches \"When I stop the promotion" in out
    assert "INTERNALERROR" not in out and " passed" not in out


@pytest.mark.parametrize(("name", "text", "says"), [
    ("world", "name: x\naccounts:\n  - username: a\n   display_name: [oops\n",
     "world.yaml is not valid YAML at line 4, column 4"),
    ("caps", "capabilities:\n  platformName: Android\n   bad: [indent\n", "caps.yaml is not valid YAML at line 3"),
])
def test_a_malformed_world_or_caps_file_names_the_file_and_line(tmp_path: Path, name: str, text: str,
                                                                says: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    run = run_features(tmp_path, GOOD, f"--{name}", str(path))
    assert run.returncode == 4
    line = error_line(run)
    assert says in line and str(path) in line
    assert "Unknown world" not in line  # the file exists: its content is the problem


OUTLINE = GOOD.replace("Scenario: Stop it", "Scenario Outline: Stop it").replace('"Latte art in 30 seconds"',
                                                                              '"<title>"')


@pytest.mark.parametrize(("feature", "says"), [
    (GOOD.replace("    When I cancel", "    When I cancel\n  Feature: again\n    When I cancel"),
     "ERROR: features/mine.feature:6: Multiple features are not allowed in a single feature file: 'Feature: again'."),
    ("", "ERROR: features/mine.feature is empty; a feature file begins with 'Feature: <what it is about>'."),
    (b"Feature: x\n\x89PNG\r\n\x1a\n\x00\xff", "ERROR: features/mine.feature is not a text file (UTF-8): byte 12 "
                                                  "is not; a feature file is Gherkin text."),
    ("  Scenario: Stop it\n    Given I open the TikTok app\n", "ERROR: features/mine.feature has no Feature: line; "
                                                              "a feature file begins with 'Feature: <what it is "
                                                              "about>'."),
    (OUTLINE, 'ERROR: features/mine.feature:3: the Scenario Outline "Stop it" has no Examples rows, so its steps '
              'would run with the literal "<title>"; add an Examples table or make it a Scenario.'),
], ids=["syntax-error", "empty", "binary", "no-feature-line", "outline-without-examples"])
def test_a_feature_file_pytest_bdd_cannot_read_is_one_error_line(tmp_path: Path, feature: str | bytes,
                                                                 says: str) -> None:
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4
    assert error_line(run) == says
    assert not list((tmp_path / "results").glob("*-result.json"))  # no scenario ran


def test_an_outline_with_examples_still_runs(tmp_path: Path) -> None:
    feature = OUTLINE + "\n    Examples:\n      | title |\n      | Latte art in 30 seconds |\n"
    run = run_features(tmp_path, feature)
    assert run.returncode == 0, run.stdout + run.stderr


def test_unknown_sim_faults_are_one_error_line_not_a_failure_per_scenario(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD, "--sim-faults", "nasty")
    assert run.returncode == 4
    assert error_line(run) == ("ERROR: --sim-faults (PROMO_SIM_FAULTS): sim:faults profile 'nasty' is unknown; "
                               "choose one of none, flaky, hostile.")


def test_a_caps_file_with_a_yaml_alias_bomb_is_refused_not_walked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("capabilities: &a {platformName: Android}\nother: [*a, *a, *a]\n", encoding="utf-8")
    run = run_features(tmp_path, GOOD, "--caps", str(bomb))
    assert run.returncode == 4
    assert error_line(run) == (f"ERROR: Caps file {bomb} is not valid YAML at line 2, column 9: the alias *a is "
                               "refused (caps files take plain values, no anchors and aliases).")


def test_the_checks_name_the_first_problem_only() -> None:
    known = feature_checks.marker_names(["smoke: the shortest path", "skipif(condition): skip", "sim-only: x"])
    assert known == {"smoke", "skipif", "sim-only"}
    feature_checks.check_selection("smoke and not sim-only", known)
    feature_checks.check_selection("device(serial='x') or smoke", known | {"device"})
    with pytest.raises(ConfigError, match="names the tag 'smok'"):
        feature_checks.check_selection("smok", known)


def test_every_feature_in_the_repo_passes_the_checks() -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "--collect-only", "-q"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert set(tags.KNOWN_TAGS) >= {"smoke", "destructive", "sim-only"}
