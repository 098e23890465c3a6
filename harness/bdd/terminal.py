"""What the terminal says about a scenario: a failure in a few lines a QA engineer reads (the feature file and
line, the step, the sentence that ran it, the screen, the error's sentence) instead of pytest's traceback of
fixtures and frames, which `-v` still shows; and the run's header (header_lines).
Registered by the app's plugin (steps/pytest_plugin.py) through `pytest_plugins`."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tiktok_promo.harness.bdd import feature_checks, sentences
from tiktok_promo.harness.errors import HarnessError
from tiktok_promo.harness.run.appium_server import REPO_ROOT
from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.ui.locators import IOS, platform_of

_FAILED_STEP = pytest.StashKey["FailedStep"]()


@dataclass(frozen=True)
class FailedStep:
    """Where a scenario failed, in the feature's words: what the terminal prints instead of a traceback."""

    scenario: str  # Wrong expectation (features/mine.feature:3)
    step: str  # features/mine.feature:5: Then the app shows ...
    sentence: str | None  # Then the app shows the promotion "{title}" as cancelled (steps/cancel_steps.py:110)
    screen: str | None  # FeedPage
    error: str  # the error's own sentence, first line

    def lines(self) -> list[str]:
        said = [self.step, f"  scenario: {self.scenario}"]
        if self.sentence:
            said.append(f"  sentence: {self.sentence}")
        if self.screen:
            said.append(f"  screen:   {self.screen}")
        said.append(f"  error:    {self.error}")
        said.append("  (pytest -v shows the traceback; with --alluredir the report has the screen's picture and "
                    "page source)")
        return said


class ScenarioFailure:
    """pytest's long representation of a failed scenario, as a few lines (pytest prints it with toterminal, the
    short summary takes reprcrash.message, xdist sends str())."""

    def __init__(self, failed: FailedStep) -> None:
        self.failed = failed
        location, _, _ = failed.step.partition(": ")
        self.reprcrash = _Crash(f"{location}: {failed.error}")

    def toterminal(self, tw: Any) -> None:
        for line in self.failed.lines():
            tw.line(line)

    def __str__(self) -> str:
        return "\n".join(self.failed.lines())


@dataclass
class _Crash:
    message: str


def _sentence_of(step_func: Callable[..., Any]) -> str | None:
    with contextlib.suppress(ImportError, OSError, TypeError):
        from pytest_bdd.steps import step_function_context_registry

        for context in list(step_function_context_registry.values()):
            if context.step_func is step_func:
                path = Path(inspect.getsourcefile(step_func) or "")
                with contextlib.suppress(ValueError):
                    path = path.resolve().relative_to(Path.cwd())
                line = inspect.getsourcelines(step_func)[1]
                keyword = (context.type or "step").capitalize()
                return f"{keyword} {sentences.shown(context.parser.name)} ({path}:{line})"
    return None


def _screen_of(arguments: Mapping[str, Any]) -> str | None:
    # The steps keep the page the app is on in their context object (its `page`); the engine knows no screen.
    for value in arguments.values():
        page = getattr(value, "page", None)
        if page is not None:
            return type(page).__name__
    return None


def _first_line(error: BaseException) -> str:
    text = error.sentence if isinstance(error, HarnessError) else str(error)
    line = (text.strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {line}" if line else type(error).__name__


def remember_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                  step_func: Callable[..., Any], step_func_args: Mapping[str, Any], exception: BaseException) -> None:
    """Keep where the scenario failed, for its report in the terminal."""
    with contextlib.suppress(Exception):
        request.node.stash[_FAILED_STEP] = FailedStep(
            scenario=f"{scenario.name} ({feature_checks.place(feature.filename, scenario.line_number)})",
            step=f"{feature_checks.place(feature.filename, step.line_number)}: {step.keyword.strip()} {step.name}",
            sentence=_sentence_of(step_func),
            screen=_screen_of(step_func_args),
            error=_first_line(exception),
        )


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Callable[..., Any], step_func_args: Mapping[str, Any],
                          exception: BaseException) -> None:
    remember_step(request, feature, scenario, step, step_func, step_func_args, exception)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    failed = item.stash.get(_FAILED_STEP, None)
    if report.when == "call" and report.failed and failed is not None and item.config.get_verbosity() < 1:
        report.longrepr = ScenarioFailure(failed)
    return report


def _world_facts(world: str | None) -> Mapping[str, Any]:
    """The virtual device's world file (shipped name or path), read for its release and locale; {} if unreadable."""
    import yaml

    with contextlib.suppress(Exception):
        name = world or "default"
        path = REPO_ROOT / "simulator" / "worlds" / f"{name}.yaml"  # the shipped worlds: data, not the simulator
        data = yaml.safe_load((path if path.is_file() else Path(name)).read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def header_lines(run: RunConfig, device: str | None = None) -> list[str]:
    """The run in one line for pytest's header: target, platform when iOS, device, world, release and language."""
    facts = _world_facts(run.world) if run.virtual_device else {}
    app = facts.get("app")
    app = app if isinstance(app, dict) else {}
    parts = [f"target {run.target}", f"device {device or run.udid or ('virtual' if run.virtual_device else '?')}"]
    if platform_of(run.profile.capabilities) == IOS:
        parts.insert(1, f"platform iOS ({run.profile_path.stem})")  # Android is what a run is unless it says
    if run.virtual_device:
        parts.append(f"world {run.world or 'default'}")
    parts.append(f"release {app.get('release') or app.get('variant') or 'as the app reports it'}")
    parts.append(f"language {run.language or facts.get('locale') or ('en_US' if facts else 'the device locale')}")
    return ["promo: " + ", ".join(parts) + (" (one scenario may choose another world)" if run.virtual_device else "")]
