"""What the Gherkin tags mean to a run: the declared ones (features/tags.yaml), Allure severity labels, and which
scenarios need the sim."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.appium_server import REPO_ROOT
from tiktok_promo.harness.run.config import RunConfig

SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")
SIM_ONLY = "sim-only"
SLOW = "slow"
# The feature tags a QA engineer declares, one `name: meaning` line each: a data file beside the features.
TAGS_FILE = REPO_ROOT / "features" / "tags.yaml"
# Tags the harness itself acts on: declared here, since code reads them.
ENGINE_TAGS = {
    SIM_ONLY: "needs the virtual device's worlds, clock, faults or ledger",
    SLOW: "takes many times longer than the others: started first, so a parallel run does not end waiting on it",
    **{severity: f"Allure severity {severity}" for severity in SEVERITIES},
}


def load_tags(path: Path = TAGS_FILE) -> dict[str, str]:
    """The declared tags and what each means: the data file's, then the engine's; ConfigError naming the file and
    what is wrong when it is not a mapping of tag names to sentences."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return dict(ENGINE_TAGS)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error}).") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: not YAML the tag list can read; write one `name: what it means` per line.") \
            from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: write one `name: what it means` per line (found {type(data).__name__}).")
    declared: dict[str, str] = {}
    for name, meaning in data.items():
        if not isinstance(name, str) or not _TAG_NAME.fullmatch(name):
            raise ConfigError(f"{path}: {name!r} is not a tag name (letters, digits, '-' and '_', no '@' or space).")
        declared[name] = str(meaning or "")
    return {**declared, **ENGINE_TAGS}


_TAG_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*")
def _load_at_import() -> tuple[dict[str, str], ConfigError | None]:
    try:
        return load_tags(), None
    except ConfigError as error:  # said at collection, as one sentence, by declared()
        return dict(ENGINE_TAGS), error


# Tags a feature may use; each becomes a pytest marker (and so an Allure tag).
KNOWN_TAGS, _PROBLEM = _load_at_import()


def declared() -> dict[str, str]:
    """The declared tags, or the ConfigError that features/tags.yaml could not be read."""
    if _PROBLEM is not None:
        raise _PROBLEM
    return KNOWN_TAGS


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
