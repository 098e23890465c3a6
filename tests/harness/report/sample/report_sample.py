"""The report sample's scenarios (report_sample.feature) and the three steps only it needs.

Not a test module: its name does not match `test_*.py`, so neither `pytest` nor `pytest features`
collects it; `make report-sample` (tests/harness/report/reportkit.py) runs it by path. It uses the
project's own steps and hooks (the app's pytest plugin, steps/pytest_plugin.py), so its results are
what a real run writes.
"""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, scenarios, when

from tiktok_promo.harness.ui.locators import Target, accessibility_id, text
from tiktok_promo.steps.context import Journey

scenarios(str(Path(__file__).with_name("report_sample.feature")))

# Short, so the locator failure does not keep the sample waiting for the profile's find timeout.
LOOK_TIMEOUT = 1.0


@given(parsers.parse("every session dies after {commands:d} commands"))
def session_dies(journey: Journey, commands: int) -> None:
    journey.session.use_faults({"crash_after": commands})


@when(parsers.parse('I look for a "{label}" button the app does not have'))
def look_for_missing_button(journey: Journey, label: str) -> None:
    journey.session.finder.find(Target(f"{label} button", (accessibility_id(label), text(label))),
                               timeout=LOOK_TIMEOUT)


@when("a step hits a bug in the harness")
def harness_bug() -> None:
    spent_by_title: dict[str, float] = {}
    spent_by_title["Summer haul try-on"] += 1.0  # a KeyError, as a harness bug raises one
