"""What the harness mends in allure-pytest-bdd's results (harness.report.scenario_results), and the category
rules Allure 3 gets from allurerc.mjs: every error class a person can meet has a category the report shows."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from selenium.common.exceptions import WebDriverException

from tiktok_promo.flows import errors as flow_errors
from tiktok_promo.harness import errors as harness_errors
from tiktok_promo.harness.report import scenario_results
from tiktok_promo.harness.report.html import REPO_ROOT
from tiktok_promo.harness.ui.drift import DriftEvent
from tiktok_promo.promo import errors as promo_errors
from tiktok_promo.steps import errors as step_errors


def _every_error_class() -> list[type[harness_errors.HarnessError]]:
    found, todo = [], [harness_errors.HarnessError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls is not harness_errors.HarnessError]


def test_every_error_class_lands_in_a_category_of_its_own_name() -> None:
    rules = {rule.get("value"): rule["name"] for rule in scenario_results.category_rules()}
    classes = _every_error_class()
    # Every layer's own errors are among them, not only the engine's.
    layers = {flow_errors.__name__, promo_errors.__name__, step_errors.__name__, harness_errors.__name__}
    assert layers <= {cls.__module__ for cls in classes}
    assert len(classes) >= 15
    missing = {cls.__name__: cls.category for cls in classes if cls.category not in rules}
    assert missing == {}, f"error classes whose category no rule of harness/report/categories.json matches: {missing}"


@pytest.mark.parametrize(("error", "expected"), [
    (AssertionError("The promotion shows 'Canceled', not Active"), harness_errors.PRODUCT),
    (WebDriverException("session gone"), harness_errors.DEVICE),
    (KeyError("x"), harness_errors.UNEXPECTED),
    (step_errors.WrongScreen("This step needs the details screen."), harness_errors.CONFIGURATION),
    (flow_errors.UnknownPromotion("Winter coats", ["Summer haul try-on"]), harness_errors.PRODUCT),
])
def test_a_failure_is_classed_by_what_it_is(error: BaseException, expected: str) -> None:
    assert scenario_results.failure_class(error) == expected


def test_allure_3_gets_the_rules_from_allurerc_in_order() -> None:
    # allurerc.mjs is what `allure generate --config` loads; its `categories` are Allure 3's category rules
    # (@allurereport/core-api categories.ts: matchers with `labels` and `statuses`, first match wins).
    node = shutil.which("node")
    assert node, "Node.js is needed to build the report (make node)"
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify(m.default.categories.map(c => "
              "({name: c.name, statuses: c.matchers.statuses ?? null, labels: Object.fromEntries(Object.entries("
              "c.matchers.labels).map(([k, v]) => [k, v.source]))})))))")
    done = subprocess.run([node, "-e", script, str(REPO_ROOT / "allurerc.mjs")], capture_output=True, text=True,
                          timeout=60, check=True)
    rules = json.loads(done.stdout)
    assert [r["name"] for r in rules] == [r["name"] for r in scenario_results.category_rules()]
    drift = {key: value for key, value in rules[0].items() if key != "name"}  # the names are compared just above
    assert drift == {"statuses": ["passed"], "labels": {scenario_results.DRIFT_LABEL: ".+"}}
    product = next(r for r in rules if r["name"].startswith("Product rule"))
    assert product["labels"] == {scenario_results.FAILURE_LABEL: "^product rule$"}


def test_every_outline_row_is_named_the_same_way_with_all_its_values() -> None:
    assert scenario_results.row_name("Cancel a promotion chosen by its title", {"title": "Studio tour"}) == (
        "Cancel a promotion chosen by its title (title: Studio tour)")
    # Before: a value the name already showed was left out, so rows of one report read differently.
    assert scenario_results.row_name("In <world>", {"world": "studio-fr", "active": "Active"}) == (
        "In <world> (world: studio-fr, active: Active)")
    assert scenario_results.row_name("Cancel", {}) == "Cancel"


def test_a_failed_comparison_with_the_features_own_values_is_the_features_expectation_not_the_app() -> None:
    @scenario_results.checks_feature_values
    def table_is() -> None: ...

    def shown_cancelled() -> None: ...

    error = AssertionError("3 active promotions read, expected 4")
    assert scenario_results.failure_class(error, table_is) == harness_errors.EXPECTATION
    assert scenario_results.failure_class(error, shown_cancelled) == harness_errors.PRODUCT


def test_a_then_step_without_the_cancel_before_it_is_a_feature_writing_mistake() -> None:
    error = step_errors.MissingEarlierStep(step_errors.NO_CANCEL_YET)
    assert scenario_results.failure_class(error) == harness_errors.CONFIGURATION


def test_the_same_kind_of_failure_gets_the_same_status() -> None:
    # Before: an unknown title (an error) was "broken" and a failed assertion "failed", both product rules.
    unknown = scenario_results.failure_class(flow_errors.UnknownPromotion("Broken", ["Summer haul try-on"]))
    asserted = scenario_results.failure_class(AssertionError("still Active"))
    assert unknown == asserted == harness_errors.PRODUCT
    assert scenario_results.status_of(unknown) == scenario_results.status_of(asserted) == "failed"
    assert scenario_results.status_of(harness_errors.EXPECTATION) == "failed"
    assert {scenario_results.status_of(c) for c in (harness_errors.DEVICE, harness_errors.APP,
                                                     harness_errors.CONFIGURATION, harness_errors.UNEXPECTED)} == {
        "broken"}


def test_a_description_keeps_its_lines_and_paragraphs() -> None:
    html = scenario_results.description_html("As a creator\nI want to cancel <fast>\n\nThe guide: open the app")
    assert html == "<p>As a creator<br>\nI want to cancel &lt;fast&gt;</p>\n<p>The guide: open the app</p>"


def test_a_readable_trace_has_no_object_addresses() -> None:
    class Holder:
        pass

    def failing(holder: Holder) -> None:
        raise ValueError("boom")

    try:
        failing(Holder())
    except ValueError as error:
        trace = scenario_results.readable_trace(error)
    assert "object at 0x" not in trace and "raise ValueError" in trace and trace.endswith("ValueError: boom")


def test_a_drift_label_names_the_target_the_match_and_the_miss() -> None:
    event = DriftEvent("Creator tools", 'text "Creator tools"', 'text "Business Suite"', ("business",))
    assert scenario_results.drift_label(event) == (
        '"Creator tools": matched text "Business Suite" (business release); primary text "Creator tools" missed')


def test_a_failed_assertions_message_keeps_the_steps_sentence_not_pytests_object_dump() -> None:
    dumped = ("AssertionError: 2 active promotions read, expected 5\nassert 2 == 5\n +  where 2 = len([Monitored"
              "Promotion(row=PromotionRow(title='Summer haul try-on', ...))])\n"
              " +    where [...] = Journey(@mia).monitored")
    assert scenario_results.readable_message(dumped) == "AssertionError: 2 active promotions read, expected 5"
    bare = "AssertionError: assert 'Active' == 'Cancelled'\n +  where 'Active' = PromotionDetails(...).status"
    assert scenario_results.readable_message(bare) == "AssertionError: assert 'Active' == 'Cancelled'"
