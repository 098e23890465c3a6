"""Bad input to the features: each ends in one sentence naming what to fix, a non-zero exit, and no scenario run.

Each test runs pytest in a subprocess on a features folder of its own (tmp_path), wired to this repo's
steps and harness through its conftest (`-p conftest`), as a person's run on their own features would be.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tiktok_promo.harness.bdd import feature_checks, tags
from tiktok_promo.harness.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]
GOOD = '''@smoke @destructive
Feature: Stop the latte promotion
  Scenario: Stop it
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Latte art in 30 seconds"
    Then the app shows the promotion "Latte art in 30 seconds" as cancelled
'''


# The child pytest's address space: ample for a run (it needs about a third), and a bound should a regression read
# a feature file that never ends (a link to /dev/zero) instead of refusing it, so it cannot take the machine down.
CHILD_MEMORY = 1 << 30


def _bounded_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_features(tmp_path: Path, feature: str | bytes | None, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest on tmp_path/features holding this one feature file (None: whatever the test put there as
    features/mine.feature), with the repo's steps and harness, its memory bounded and a timeout."""
    features = tmp_path / "features"
    features.mkdir(exist_ok=True)
    if feature is not None:
        (features / "mine.feature").write_bytes(feature if isinstance(feature, bytes) else feature.encode("utf-8"))
    (features / "test_mine.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n', encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nbdd_features_base_dir = features/\naddopts = -p no:cacheprovider\n",
                                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "APPIUM_", "PYTEST_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "features", "-q", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60, check=False,
                          preexec_fn=_bounded_child)


def error_line(run: subprocess.CompletedProcess[str]) -> str:
    """The one line that says what is wrong (pytest's `ERROR:` usage line), and no traceback anywhere."""
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("ERROR: ")]
    assert len(lines) == 1, run.stdout + run.stderr
    return lines[0]


@pytest.mark.slow
def test_a_good_feature_of_ones_own_runs_with_the_repos_steps(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


@pytest.mark.slow
def test_an_undeclared_tag_names_the_file_and_line_and_nothing_runs(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD.replace("@smoke @destructive", "@smoke @destrutive"))
    assert run.returncode == 4
    line = error_line(run)
    assert line.startswith("ERROR: features/mine.feature:1: the tag @destrutive is not declared;")
    assert "@destructive" in line and "features/tags.yaml" in line
    assert "passed" not in run.stdout and "failed" not in run.stdout


@pytest.mark.slow
def test_selecting_a_tag_nothing_declares_is_an_error_not_an_empty_run(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD, "-m", "smoke and not destrutive")
    assert run.returncode == 4
    assert "names the tag 'destrutive', which no feature or marker declares" in error_line(run)


@pytest.mark.slow
def test_an_undefined_step_names_the_file_and_line_before_any_step_runs(tmp_path: Path) -> None:
    # The undefined sentence comes after the cancel: pytest-bdd alone would cancel first, then fail.
    feature = GOOD.replace("Then the app shows the promotion", "Then the app shows promotion")
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4
    line = error_line(run)
    assert line == ('ERROR: features/mine.feature:6: no step definition matches "Then the app shows promotion '
                    '"Latte art in 30 seconds" as cancelled" (scenario "Stop it"); did you mean \'Then the app '
                    'shows the promotion "{title}" as cancelled\' or \'Then the app shows the promotion as '
                    "cancelled'? Otherwise use a sentence that `pytest features --steps` lists, or add one in "
                    "steps/*.py. No scenario was run.")
    assert not list((tmp_path / "results").glob("*-result.json"))  # no scenario started: nothing was cancelled


@pytest.mark.slow
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
@pytest.mark.slow
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
     "ERROR: features/mine.feature:6: a second Feature: line ('Feature: again'); a feature file holds one feature."),
    ("", "ERROR: features/mine.feature is empty; a feature file begins with 'Feature: <what it is about>'."),
    (b"Feature: x\n\x89PNG\r\n\x1a\n\x00\xff", "ERROR: features/mine.feature is not a text file (UTF-8): byte 12 "
                                                  "is not; a feature file is Gherkin text."),
    ("  Scenario: Stop it\n    Given I open the TikTok app\n", "ERROR: features/mine.feature:1: 'Scenario: Stop it' "
                                                              "comes before any Feature: line; a feature file "
                                                              "begins with 'Feature: <what it is about>'."),
    (OUTLINE, 'ERROR: features/mine.feature:3: the Scenario Outline "Stop it" has no Examples rows, so its steps '
              'would run with the literal "<title>"; add an Examples table or make it a Scenario.'),
], ids=["syntax-error", "empty", "binary", "no-feature-line", "outline-without-examples"])
@pytest.mark.slow
def test_a_feature_file_pytest_bdd_cannot_read_is_one_error_line(tmp_path: Path, feature: str | bytes,
                                                                 says: str) -> None:
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4
    assert error_line(run) == says
    assert not list((tmp_path / "results").glob("*-result.json"))  # no scenario ran


def no_scenario_ran(run: subprocess.CompletedProcess[str], results: Path) -> None:
    """No scenario started (so nothing was cancelled): no Allure result, nothing passed or failed."""
    assert not list(results.glob("*-result.json")), run.stdout
    assert " passed" not in run.stdout and " failed" not in run.stdout


def link_to_dev_zero(features: Path) -> str:
    (features / "mine.feature").symlink_to("/dev/zero")
    return ("ERROR: features/mine.feature is a link to /dev/zero, which is a character device, not a regular file; "
            "a feature file is an ordinary file of Gherkin text.")


def fifo(features: Path) -> str:
    os.mkfifo(features / "mine.feature")
    return ("ERROR: features/mine.feature is a FIFO (named pipe), not a regular file; a feature file is an ordinary "
            "file of Gherkin text.")


def over_a_megabyte(features: Path) -> str:
    # A valid feature padded with comments: only its size is wrong.
    (features / "mine.feature").write_text(GOOD + "# padding\n" * 110_000, encoding="utf-8")
    size = len(GOOD) + len("# padding\n") * 110_000
    return (f"ERROR: features/mine.feature is {size:,} bytes, more than the 1,000,000 a feature file may have; it is "
            "not a hand-written feature (split it, or move it out of the features folder).")


@pytest.mark.parametrize("make", [link_to_dev_zero, fifo, over_a_megabyte],
                         ids=["link-to-dev-zero", "fifo", "over-a-megabyte"])
@pytest.mark.slow
def test_a_feature_file_that_is_no_ordinary_file_of_bounded_size_is_refused_before_it_is_read(tmp_path: Path,
                                                                                             make) -> None:
    # Before: the link grew pytest to 23 GB, the FIFO hung collection. The child runs with 1 GB and a timeout.
    features = tmp_path / "features"
    features.mkdir()
    says = make(features)
    run = run_features(tmp_path, None, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4, run.stdout + run.stderr
    assert error_line(run) == says
    no_scenario_ran(run, tmp_path / "results")


HEADER = "@smoke @destructive\nFeature: Stop the latte promotion\n"
GIVEN = "    Given I open the TikTok app logged in as the account that started the promotion\n"
CANCEL = '    When I cancel the promotion "Latte art in 30 seconds"\n'
SHOWN = '    Then the app shows the promotion "Latte art in 30 seconds" as cancelled\n'


@pytest.mark.parametrize(("feature", "says"), [
    (HEADER + "  Scenarioo: Stop it\n" + GIVEN + CANCEL + "      | a | b\n      | c |\n",
     "ERROR: features/mine.feature:3: 'Scenarioo: Stop it' reads like a misspelt 'Scenario:'; Gherkin takes it for "
     "description text, so it never runs."),
    (GOOD + "  Scenario: And one more\n" + GIVEN + "      | a | b |\n      | c |\n",
     "ERROR: features/mine.feature:10: this table row has a different number of cells from the row above it: '| c |'."),
    (HEADER + "  As a creator I want my promotions stopped\n",
     'ERROR: features/mine.feature:2: the feature "Stop the latte promotion" has no scenario; nothing would run (add '
     "a 'Scenario:')."),
    (HEADER + "  Background:\n" + GIVEN,
     'ERROR: features/mine.feature:2: the feature "Stop the latte promotion" has no scenario, only a Background; '
     "nothing would run (add a 'Scenario:')."),
    (GOOD + "  Scenario: Stop it\n" + GIVEN + SHOWN,
     'ERROR: features/mine.feature:7: a second scenario is named "Stop it" (the first is at line 3); pytest-bdd would '
     "run only one of them, so give each its own name."),
    (HEADER + "  Scenario Outline: Stop it\n" + GIVEN + CANCEL.replace("Latte art in 30 seconds", "<nosuch>")
     + "    Examples:\n      | title |\n      | Latte art in 30 seconds |\n",
     'ERROR: features/mine.feature:7: the Examples table of the Scenario Outline "Stop it" has no column "nosuch", '
     'which line 5 uses, so that step would run with the literal "<nosuch>"; its columns are title.'),
], ids=["misspelt-scenario-and-broken-table", "broken-table", "no-scenario", "only-a-background",
        "two-scenarios-of-one-name", "examples-missing-a-column"])
@pytest.mark.slow
def test_a_feature_that_would_run_wrongly_is_one_sentence_with_its_line_and_nothing_runs(tmp_path: Path, feature: str,
                                                                                       says: str) -> None:
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4, run.stdout + run.stderr
    assert error_line(run) == says
    no_scenario_ran(run, tmp_path / "results")


@pytest.mark.slow
def test_an_outline_row_whose_step_has_no_definition_stops_the_run_before_the_first_row_cancels(tmp_path: Path) -> None:
    # Before: row 1 passed and row 2 cancelled "Latte art in 30 seconds", then failed on its last step.
    feature = (HEADER + "  Scenario Outline: Stop it\n" + GIVEN + CANCEL + SHOWN.replace("cancelled", "<state>")
               + "    Examples:\n      | state |\n      | cancelled |\n      | vaporised |\n")
    run = run_features(tmp_path, feature, "--alluredir", str(tmp_path / "results"))
    assert run.returncode == 4, run.stdout + run.stderr
    assert error_line(run) == ('ERROR: features/mine.feature:6: no step definition matches "Then the app shows the '
                               'promotion "Latte art in 30 seconds" as vaporised" (scenario "Stop it", Examples row '
                               "state=vaporised); did you mean 'Then the app shows the promotion \"{title}\" as "
                               "cancelled' or 'Then the app shows the promotion as cancelled'? Otherwise use a "
                               "sentence that `pytest features --steps` lists, or add one in steps/*.py. No scenario "
                               "was run.")
    no_scenario_ran(run, tmp_path / "results")


STEP = "    Given I open the TikTok app\n"


@pytest.mark.parametrize(("text", "says"), [
    ("\ufeffFeature: x\n  Scenario: s\n" + STEP,
     "mine.feature begins with a byte order mark (BOM), which pytest-bdd reads as text before 'Feature:'; save it as "
     "UTF-8 without a BOM."),
    ("Feature: x\n  Scenario Outline: s\n    Given I open <a>\n    Examples:\n      | a |\n      | 1 | 2 |\n",
     "mine.feature:6: this table row has a different number of cells from the row above it: '| 1 | 2 |'."),
    ("Feature: x\n  Scenario: s\n" + STEP + "  Scenarioo: t\n" + STEP,
     "mine.feature:4: 'Scenarioo: t' reads like a misspelt 'Scenario:'; Gherkin has no such keyword."),
    ("Feature: x\n  Scenario: s\n" + STEP + "    Whne I tap Promotions\n",
     "mine.feature:4: 'Whne I tap Promotions' reads like a misspelt 'When'; Gherkin has no such keyword."),
    ("Feature: x\n  Scenario Outline: s\n    Given I open <a>\n    Exmples:\n      | a |\n      | 1 |\n",
     "mine.feature:4: 'Exmples:' reads like a misspelt 'Examples:'; Gherkin has no such keyword."),
    ("Feature: x\n  Given I open the TikTok app\n  Scenario: s\n" + STEP,
     "mine.feature:2: 'Given I open the TikTok app' is a step outside any scenario; Gherkin takes it for description "
     "text, so it never runs."),
    ("Feature: x\n  Rule: r\n    Scenaro: t\n    Scenario: s\n" + STEP,
     "mine.feature:3: 'Scenaro: t' reads like a misspelt 'Scenario:'; Gherkin takes it for description text, so it "
     "never runs."),
    ("Feature: x\n  Scenario: s\n    Givn I open the TikTok app\n    When I go to the Me section\n",
     "mine.feature:3: 'Givn I open the TikTok app' reads like a step with a misspelt 'Given'; Gherkin takes it for "
     "description text, so it never runs."),
    ("Feature: x\n  Scenario: s\n    The first line of a scenario may be prose.\n" + STEP, None),
    ("Feature: x\n  Rule: a\n    Scenario: s\n" + STEP + "  Rule: b\n    Scenario: s\n" + STEP,
     'mine.feature:6: a second scenario is named "s" (the first is at line 3); pytest-bdd would run only one of '
     "them, so give each its own name."),
    ("Feature: x\n  Scenario: s\n",
     'mine.feature:2: the Scenario "s" has no steps; it would pass without doing anything.'),
    ("Feature: x\n  Scenario Outline: s\n    Given I open <a>\n    Examples:\n      | a | a |\n      | 1 | 2 |\n",
     'mine.feature:5: the Examples table of the Scenario Outline "s" has two columns named "a"; give each its own '
     "name."),
    ("Feature: x\n  Scenario Outline: s\n    Given I open <a>\n      | <b> |\n"
     "    Examples:\n      | a |\n      | 1 |\n",
     'mine.feature:6: the Examples table of the Scenario Outline "s" has no column "b", which line 3 uses, so that '
     'step would run with the literal "<b>"; its columns are a.'),
    ('Feature: x\n  Scenario: s\n    Given I open the TikTok app\n    """\n    never closed\n',
     'mine.feature:6: the file ends too early (expected a """ block, text).'),
    ("# language: xx\nFeature: x\n", "mine.feature:1: '# language: xx' names a language Gherkin does not have (e.g. "
                                     "en, fr, de)."),
    ("Feature: x\n  Scenario: s\n    And I open the TikTok app\n",
     "mine.feature:3: First step in a scenario or background must start with 'Given', 'When' or 'Then', but got And: "
     "'I open the TikTok app'."),
    ("# only a comment\n\n", "mine.feature has no Feature: line; a feature file begins with 'Feature: <what it is "
                             "about>'."),
], ids=["bom", "more-cells-than-the-header", "misspelt-scenario-after-one", "misspelt-step", "misspelt-examples",
        "step-in-the-feature-description", "misspelt-scenario-in-a-rule", "misspelt-first-step",
        "prose-is-not-a-step", "one-name-in-two-rules", "no-steps",
        "a-column-twice", "a-column-a-table-uses", "unclosed-text-block", "unknown-language", "first-step-and",
        "only-comments"])
def test_each_mistake_in_a_feature_file_is_one_sentence_naming_file_and_line(tmp_path: Path, monkeypatch,
                                                                              text: str, says: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.feature").write_text(text, encoding="utf-8")
    if says is None:  # the same shape, no mistake: accepted
        feature_checks.check_feature_file(Path("mine.feature"))
        return
    with pytest.raises(ConfigError) as raised:
        feature_checks.check_feature_file(Path("mine.feature"))
    assert str(raised.value) == says


@pytest.mark.parametrize(("make", "says"), [
    (lambda path: path.symlink_to("gone.feature"),
     "mine.feature is a link to gone.feature, which does not exist; a feature file is an ordinary file of Gherkin "
     "text."),
    (lambda path: path.symlink_to("mine.feature"), "mine.feature cannot be read: Too many levels of symbolic links."),
    (lambda path: path.mkdir(), "mine.feature is a folder, not a regular file; a feature file is an ordinary file of "
                                "Gherkin text."),
], ids=["dangling-link", "link-loop", "folder"])
def test_a_feature_path_that_is_no_readable_file_is_one_sentence(tmp_path: Path, monkeypatch, make,
                                                                 says: str) -> None:
    monkeypatch.chdir(tmp_path)
    make(Path("mine.feature"))
    with pytest.raises(ConfigError) as raised:
        feature_checks.check_feature_file(Path("mine.feature"))
    assert str(raised.value) == says


def test_a_feature_in_another_language_is_accepted(tmp_path: Path) -> None:
    # `# language: fr` makes "Fonctionnalité:" the feature keyword: it was once refused as "no Feature: line".
    path = tmp_path / "mine.feature"
    path.write_text("# language: fr\nFonctionnalité: Arrêter\n  Scénario: Arrêter\n    Soit I open the TikTok app\n",
                    encoding="utf-8")
    feature_checks.check_feature_file(path)


def test_naming_a_test_module_checks_the_features_in_the_folders_below_it_too(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "test_mine.py").write_text("", encoding="utf-8")
    os.mkfifo(tmp_path / "sub" / "mine.feature")
    paths = feature_checks.feature_paths(["test_mine.py::test_x"], tmp_path)
    assert paths == [tmp_path / "sub" / "mine.feature"]
    with pytest.raises(ConfigError, match="is a FIFO"):
        feature_checks.check_feature_files(paths)


@pytest.mark.parametrize(("link", "target"), [("again", "."), ("up", ".."), ("twin", "sub")],
                         ids=["to-itself", "to-the-folder-above", "to-a-folder-inside"])
def test_a_link_to_a_folder_pytest_bdd_reads_anyway_is_refused(tmp_path: Path, monkeypatch, link: str,
                                                                target: str) -> None:
    # Before: features/again -> . made pytest-bdd read mine.feature 41 times, each copy a scenario that cancels.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "features" / "sub").mkdir(parents=True)
    (tmp_path / "features" / "mine.feature").write_text(GOOD, encoding="utf-8")
    (tmp_path / "features" / link).symlink_to(target)
    with pytest.raises(ConfigError) as raised:
        feature_checks.feature_paths(["features"], tmp_path)
    shown = {".": "features", "..": ".", "sub": "features/sub"}[target]
    assert str(raised.value) == (f"features/{link} is a link to the folder {shown}, which pytest-bdd reaches anyway: "
                                 "it would read the same features again through the link and run each scenario "
                                 "more than once; remove the link.")


def test_features_behind_a_link_to_a_folder_elsewhere_are_checked_too(tmp_path: Path) -> None:
    (tmp_path / "features").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "features" / "shared").symlink_to(tmp_path / "shared")
    os.mkfifo(tmp_path / "shared" / "mine.feature")
    paths = feature_checks.feature_paths(["features"], tmp_path)
    assert paths == [tmp_path / "features" / "shared" / "mine.feature"]
    with pytest.raises(ConfigError, match="is a FIFO"):
        feature_checks.check_feature_files(paths)


@pytest.mark.slow
def test_an_outline_with_examples_still_runs(tmp_path: Path) -> None:
    feature = OUTLINE + "\n    Examples:\n      | title |\n      | Latte art in 30 seconds |\n"
    run = run_features(tmp_path, feature)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_unknown_sim_faults_are_one_error_line_not_a_failure_per_scenario(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD, "--sim-faults", "nasty")
    assert run.returncode == 4
    assert error_line(run) == ("ERROR: --sim-faults (PROMO_SIM_FAULTS): sim:faults profile 'nasty' is unknown; "
                               "choose one of none, flaky, hostile.")


@pytest.mark.slow
def test_a_caps_file_with_a_yaml_alias_bomb_is_refused_not_walked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    # Nine lines of nine aliases stand for 9**9 values: the reader counts them without building any.
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"] + [
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    bomb.write_text("capabilities: {platformName: Android}\n" + "\n".join(levels) + "\n", encoding="utf-8")
    run = run_features(tmp_path, GOOD, "--caps", str(bomb))
    assert run.returncode == 4
    said = error_line(run)
    assert said.startswith(f"ERROR: Caps file {bomb}") and "expands to more than 100,000 values through YAML aliases" \
        in said, said


def test_the_checks_name_the_first_problem_only() -> None:
    known = feature_checks.marker_names(["smoke: the shortest path", "skipif(condition): skip", "sim-only: x"])
    assert known == {"smoke", "skipif", "sim-only"}
    feature_checks.check_selection("smoke and not sim-only", known)
    feature_checks.check_selection("device(serial='x') or smoke", known | {"device"})
    with pytest.raises(ConfigError, match="names the tag 'smok'"):
        feature_checks.check_selection("smok", known)


@pytest.mark.slow
def test_every_feature_in_the_repo_passes_the_checks() -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "--collect-only", "-q"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert set(tags.KNOWN_TAGS) >= {"smoke", "destructive", "sim-only"}


OTHER = GOOD.replace("Feature: Stop the latte promotion", "Feature: Another").replace("Scenario: Stop it",
                                                                                      "Scenario: Stop that")


def _two_features(tmp_path: Path) -> None:
    features = tmp_path / "features"
    features.mkdir()
    (features / "other.feature").write_text(OTHER.replace("Latte art in 30 seconds", "Summer haul try-on"),
                                            encoding="utf-8")
    (features / "mine.feature").write_text(GOOD, encoding="utf-8")


@pytest.mark.slow
def test_naming_a_feature_file_runs_that_file_only(tmp_path: Path) -> None:
    _two_features(tmp_path)
    run = run_features(tmp_path, None, "features/mine.feature", "-vv")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 1 deselected" in run.stdout
    assert "test_stop_it PASSED" in run.stdout


@pytest.mark.slow
def test_naming_a_scenario_after_the_feature_file_runs_that_scenario(tmp_path: Path) -> None:
    _two_features(tmp_path)
    run = run_features(tmp_path, None, "features/other.feature::Stop that", "-vv")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "test_stop_that PASSED" in run.stdout and "1 deselected" in run.stdout


@pytest.mark.slow
def test_a_scenario_name_the_file_lacks_is_one_sentence_with_the_nearest_name(tmp_path: Path) -> None:
    _two_features(tmp_path)
    run = run_features(tmp_path, None, "features/mine.feature::Stop ti")
    assert run.returncode == 4
    assert error_line(run) == ('ERROR: features/mine.feature has no scenario named "Stop ti"; did you mean '
                               '"Stop it"? its scenarios are: "Stop it".')


@pytest.mark.slow
def test_steps_lists_every_sentence_with_its_parameters_even_when_a_feature_has_a_typo(tmp_path: Path) -> None:
    run = run_features(tmp_path, GOOD.replace("When I cancel", "When I stop"), "--steps")
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'When  I cancel the promotion "{title}"    (title: text)' in run.stdout
    assert "When  {days} days pass    (days: a whole number)" in run.stdout
    assert "trace" not in run.stdout  # pytest-bdd's debugger step is no sentence for a feature


def test_a_tag_a_qa_engineer_declares_in_the_tags_file_is_accepted(tmp_path: Path) -> None:
    declared = tags.load_tags(tags.TAGS_FILE)
    mine = tmp_path / "tags.yaml"
    mine.write_text(tags.TAGS_FILE.read_text(encoding="utf-8") + "wip: being written\n", encoding="utf-8")
    assert tags.load_tags(mine) == {**declared, "wip": "being written"} | tags.ENGINE_TAGS
    mine.write_text("- wip\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tags.yaml: write one `name: what it means` per line"):
        tags.load_tags(mine)
