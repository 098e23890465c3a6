"""What the harness mends and adds in the Allure result allure-pytest-bdd writes for a scenario.

allure-pytest-bdd (allure_pytest_bdd.steps.process_gherkin_step_args) makes every argument of a step
function a step parameter, fixtures included, so each step showed the scenario's `journey` object;
it names every row of a Scenario Outline after the outline; and Allure 3 renders a description as
Markdown, which joins the lines of a Gherkin description into one. The functions here, called from
pytest-bdd hooks that run after the adapter's own, correct the result through the adapter's lifecycle:
only the values parsed from the step's text stay parameters, an outline row is named with its values,
a description keeps its lines.

They also add what the report's categories (harness/report/categories.json, read by allurerc.mjs)
match on: a 'failure class' label from the error that failed the scenario, and one 'locator drift'
label per target that matched a fallback candidate, with a status message on a scenario that passed
anyway. Nothing here raises into a test: a result that cannot be mended is left as the adapter wrote it.
"""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from allure_commons.model2 import Attachment, Label, StatusDetails, TestResult

from tiktok_promo.harness.errors import DEVICE, EXPECTATION, PRODUCT, UNEXPECTED, HarnessError, category_of
from tiktok_promo.harness.ui.drift import DriftEvent, DriftRecord

CATEGORIES_FILE = Path(__file__).with_name("categories.json")
_SHARED = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
FAILURE_LABEL: str = _SHARED["failure_label"]
DRIFT_LABEL: str = _SHARED["drift_label"]
DRIFT_TAG = "locator-drift"


def category_rules() -> list[dict[str, Any]]:
    """The report's category rules, in the order Allure 3 tries them."""
    return list(_SHARED["rules"])


_FEATURE_VALUES = "promo_checks_feature_values"
# Allure's two failing statuses: "failed" when what the app shows is not what the feature or the guide says,
# "broken" when the run could not find out (the device, a locator, the harness, a wrongly written feature).
_FAILED_CLASSES = {PRODUCT, EXPECTATION}


def checks_feature_values(step: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a step whose assertion compares the app with values the feature wrote (a table, a count): when it
    fails, the feature's expectation may be what is wrong, so it is not blamed on the app as a product rule."""
    setattr(step, _FEATURE_VALUES, True)
    return step


def failure_class(error: BaseException, step: Callable[..., Any] | None = None) -> str:
    """The class a scenario's failure is reported in.

    The harness's own errors carry theirs (harness.errors.category_of). Outside them: a failed
    assertion is a Then step finding the app not as the guide says (a product rule), or, in a step marked
    checks_feature_values, not as the feature's own values say (a feature expectation); a Selenium error
    that no page wrapped is the session failing; an error class may carry a `category` of its own (a
    step written for another screen is a usage mistake in the feature: steps.errors.WrongScreen).
    """
    if isinstance(error, HarnessError):
        return category_of(error)
    if isinstance(error, AssertionError):
        return EXPECTATION if getattr(step, _FEATURE_VALUES, False) else PRODUCT
    own = getattr(type(error), "category", None)
    if isinstance(own, str) and own:
        return own
    with contextlib.suppress(ImportError):
        from selenium.common.exceptions import WebDriverException

        if isinstance(error, WebDriverException):
            return DEVICE
    return UNEXPECTED


def status_of(failure: str) -> str:
    """Allure's status for a failure class: the same kind of failure always gets the same status."""
    return "failed" if failure in _FAILED_CLASSES else "broken"


def _listener(config: Any) -> Any:
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin).__name__ == "PytestBDDListener":
            return plugin
    return None


def _update(item: Any, change: Callable[[TestResult], None]) -> None:
    """Change the scenario's result while the adapter still holds it (before its teardown writes it)."""
    listener = _listener(item.config)
    if listener is None or item.nodeid not in getattr(listener, "nodeid_to_uuid", {}):
        return
    with contextlib.suppress(Exception), listener.lifecycle.update_test_case(
            uuid=listener.nodeid_to_uuid[item.nodeid]) as result:
        if result is not None:
            change(result)


_CLASS = "promo_failure_class"  # item attribute: the class of the scenario's first failure


def classify_failure(item: Any, error: BaseException, step: Callable[..., Any] | None = None) -> None:
    """Label the scenario with its failure class; the first failure of a scenario is the one it is sorted by."""
    value = failure_class(error, step)
    with contextlib.suppress(Exception):
        if not hasattr(item, _CLASS):
            setattr(item, _CLASS, value)

    def label(result: TestResult) -> None:
        if not any(existing.name == FAILURE_LABEL for existing in result.labels):
            result.labels.append(Label(name=FAILURE_LABEL, value=value))

    _update(item, label)


_TRACE = "promo_readable_trace"  # item.stash is keyed by StashKey; a plain attribute keeps this module pytest-free


def readable_trace(error: BaseException) -> str:
    """The failure's traceback as Python prints it: the frames and their source lines, no argument values.

    pytest's long traceback, which the adapter puts in the result, prints every frame's arguments, so the
    report showed `Journey(device=<...DeviceSession object at 0x...>)` and `<function ... at 0x...>`.
    """
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    # Start at the first frame of the project (steps, flows, pages, harness): pytest's and pluggy's frames
    # above it explain nothing about the failure.
    ours = [i for i, frame in enumerate(frames) if "site-packages" not in frame.filename]
    kept = traceback.StackSummary.from_list(frames[ours[0]:] if ours else frames)
    lines = ["Traceback (most recent call last):\n", *kept.format(),
             readable_message("".join(traceback.format_exception_only(type(error), error))) + "\n"]
    return "".join(lines).rstrip()


def readable_message(text: str) -> str:
    """A failed assertion's message without pytest's introspection: the step's own sentence when it gave one,
    else the compared expression; never the `+ where ...` lines, which print whole objects (every row read)."""
    lines = text.splitlines()
    kept = [line for line in lines if not line.lstrip().startswith("+")]
    own = [i for i, line in enumerate(kept) if line.lstrip().startswith(("assert ", "AssertionError: assert "))]
    if own and own[0] > 0:
        kept = kept[:own[0]]  # the step's sentence says it; pytest's expression adds nothing a reader needs
    return "\n".join(kept).rstrip() or text


def keep_trace(item: Any, error: BaseException) -> None:
    """Remember the failure's readable traceback until the scenario's result is complete (see mend_trace)."""
    with contextlib.suppress(Exception):
        setattr(item, _TRACE, readable_trace(error))


def mend_trace(item: Any) -> None:
    """Put the readable traceback in place of pytest's, and the status its failure class gives in place of the
    adapter's (which says "broken" for any error but an assertion), after the adapter filled the result."""
    trace = getattr(item, _TRACE, None)
    failure = getattr(item, _CLASS, None)
    if not trace and not failure:
        return

    def mend(result: TestResult) -> None:
        if trace and result.statusDetails is not None and result.statusDetails.trace:
            result.statusDetails.trace = trace
        for details in [result.statusDetails, *(step.statusDetails for step in result.steps or [])]:
            if details is not None and details.message:
                details.message = readable_message(details.message)
        if failure and result.status in ("failed", "broken"):
            status = status_of(failure)
            result.status = status
            for step in result.steps or []:
                if step.status in ("failed", "broken"):
                    step.status = status

    _update(item, mend)


def drift_label(event: DriftEvent) -> str:
    """One drifted target in a line: the target, the candidate that matched, the primary that missed."""
    release = f" ({', '.join(event.releases)} release)" if event.releases else ""
    return f'"{event.target}": matched {event.matched}{release}; primary {event.expected} missed'


def drift_html(lines: list[str]) -> str:
    """The drift block that opens a scenario's description: what a person reads first on its page."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    plural = "s" if len(lines) != 1 else ""
    return (f"<p><strong>Locator drift:</strong> {len(lines)} target{plural} found by a fallback locator "
            f"(the screen differs from what its primary candidate was written for):</p><ul>{items}</ul>")


def mark_drift(item: Any, drift: DriftRecord) -> None:
    """Drift of a scenario where a person looks: a block at the top of its description (each target, the
    candidate that matched, the primary that missed), a 'locator drift' label and tag the report's category
    and filters match, and on a passed scenario a status message."""
    if not drift:
        return
    lines = [drift_label(event) for event in drift.events]
    plural = "s" if len(lines) != 1 else ""
    message = f"Passed on a fallback locator for {len(lines)} target{plural}:\n" + "\n".join(lines)

    def mark(result: TestResult) -> None:
        result.labels.append(Label(name=DRIFT_LABEL, value=f"{len(lines)} target{plural} on a fallback"))
        result.labels.append(Label(name="tag", value=DRIFT_TAG))
        result.descriptionHtml = drift_html(lines) + (result.descriptionHtml or description_html(
            result.description) or "")
        if result.statusDetails is None or not result.statusDetails.message:
            # A failed scenario keeps its own message; a passed one says what it passed on.
            result.statusDetails = StatusDetails(message=message)

    _update(item, mark)


def drop_fixture_parameters(request: Any, step: Any, arguments: Mapping[str, Any] | None = None) -> None:
    """Keep as step parameters only the values parsed from the step's text (and its table or doc string),
    each as written (the adapter shows a text as Python's repr, quotes and all).

    The adapter adds every argument of the step function; the fixtures among them (the journey, the
    session) are the harness's objects, whose repr means nothing to a reader.
    """
    from allure_pytest_bdd.steps import get_step_uuid

    listener = _listener(request.config)
    if listener is None:
        return
    fixtures = set(request.fixturenames)
    with contextlib.suppress(Exception), listener.lifecycle.update_step(uuid=get_step_uuid(step)) as result:
        if result is not None:
            result.parameters = [p for p in result.parameters if p.name not in fixtures]
            for parameter in result.parameters:
                value = (arguments or {}).get(parameter.name)
                if isinstance(value, str):
                    parameter.value = value


def step_attachment(request: Any, step: Any, name: str) -> Attachment | None:
    """An attachment named `name` placed now in the step's result, after what the step attached, for its body to be
    written later (harness.report.evidence.StepPictures sets its file and type): None without the adapter."""
    from allure_pytest_bdd.steps import get_step_uuid

    listener = _listener(request.config)
    if listener is None:
        return None
    with contextlib.suppress(Exception), listener.lifecycle.update_step(uuid=get_step_uuid(step)) as result:
        if result is not None:
            slot = Attachment(name=name)
            result.attachments.append(slot)
            return slot
    return None


def outline_values(item: Any) -> Mapping[str, Any]:
    """The Examples row a scenario runs with (empty for a plain scenario)."""
    callspec = getattr(item, "callspec", None)
    return dict(callspec.params.get("_pytest_bdd_example", {})) if callspec is not None else {}


def row_name(name: str, values: Mapping[str, Any]) -> str:
    """An outline row's name: the outline's, with every value of its row, each named by its column (a name
    that shows some of them was named one way beside rows named another)."""
    return f"{name} ({', '.join(f'{key}: {value}' for key, value in values.items())})" if values else name


def description_html(text: str | None) -> str | None:
    """A Gherkin description as HTML that keeps its lines: blank lines part paragraphs, line breaks stay."""
    if not text or not text.strip():
        return None
    paragraphs, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            current.append(html.escape(line.strip()))
        elif current:
            paragraphs.append("<p>" + "<br>\n".join(current) + "</p>")
            current = []
    return "\n".join(paragraphs)


def mend_scenario(item: Any) -> None:
    """Name an outline row with its values and keep the description's lines (after the adapter scheduled it)."""
    values = outline_values(item)

    def mend(result: TestResult) -> None:
        if values and result.name:
            result.name = row_name(result.name, values)
        if result.description and not result.descriptionHtml:
            result.descriptionHtml = description_html(result.description)

    _update(item, mend)


__all__ = [
    "CATEGORIES_FILE",
    "DRIFT_LABEL",
    "DRIFT_TAG",
    "FAILURE_LABEL",
    "category_rules",
    "checks_feature_values",
    "classify_failure",
    "description_html",
    "drift_html",
    "drift_label",
    "drop_fixture_parameters",
    "failure_class",
    "keep_trace",
    "mark_drift",
    "mend_scenario",
    "mend_trace",
    "outline_values",
    "readable_message",
    "readable_trace",
    "row_name",
    "status_of",
]
