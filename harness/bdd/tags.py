"""What the Gherkin tags mean to a run: Allure severity labels, and which scenarios need the sim."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from harness.run.config import RunConfig

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
SIM_ONLY = "sim-only"
SLOW = "slow"
# Tags a feature may use; each becomes a pytest marker (and so an Allure tag).
KNOWN_TAGS = {
    "smoke": "the shortest path that proves the flow works",
    "destructive": "cancels a promotion",
    SIM_ONLY: "needs the virtual device's worlds, clock, faults or ledger",
    "safety": "a cancel that must be refused, or must change nothing",
    "rules": "one of the guide's rules about what cancelling means",
    "monitoring": "reads budgets and performance",
    "interruptions": "pop-ups appear mid-flow",
    "long-list": "more promotions than one screen shows",
    SLOW: "takes many times longer than the others: started first, so a parallel run does not end waiting on it",
    **{severity: f"Allure severity {severity}" for severity in SEVERITIES},
}


def marker_lines() -> list[str]:
    return [f"{name}: {meaning}" for name, meaning in KNOWN_TAGS.items()]


def apply(items: Iterable[pytest.Item], config: RunConfig) -> None:
    """Severity tags become Allure severity labels; @sim-only scenarios are skipped on a real device."""
    for item in items:
        names = {mark.name for mark in item.iter_markers()}
        severity = next((s for s in SEVERITIES if s in names), None)
        if severity is not None:
            item.add_marker(pytest.mark.allure_label(severity, label_type="severity"))
        if SIM_ONLY in names and not config.virtual_device:
            item.add_marker(pytest.mark.skip(reason="needs the virtual device (sim-only): run with --target sim, or "
                                                    "through Appium with a virtual-device profile (appium-sim)"))


def slow_first(items: list[pytest.Item]) -> None:
    """Put @slow scenarios first, the rest in their order: with pytest-xdist (-n N) the longest scenario then
    starts at once on one device while the others share the rest, instead of starting late and running alone
    at the end (longest-first scheduling)."""
    items.sort(key=lambda item: item.get_closest_marker(SLOW) is None)
