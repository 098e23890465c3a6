"""pytest hooks for a QA engineer's conveniences: run one feature file or one scenario by naming it, and list the
step sentences (`--steps`). Registered by the app's plugin (steps/pytest_plugin.py) through `pytest_plugins`."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.bdd import selection, sentences
from tiktok_promo.harness.errors import HarnessError

CHOICES = pytest.StashKey[list[selection.FeatureChoice]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("promo").addoption(
        "--steps", action="store_true", default=False,
        help="list every step sentence a feature may use, with its parameters, and run nothing")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    try:
        config.args, config.stash[CHOICES] = selection.rewrite(config.args, config.invocation_params.dir)
    except HarnessError as error:
        raise pytest.UsageError(error.sentence) from None


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> bool | None:
    """--steps: the list, before any feature is read (a feature with a typo must not hide the list that fixes it)."""
    if not session.config.getoption("--steps"):
        return None
    found = sentences.registered(session._fixturemanager, session, session.config.rootpath)
    print(sentences.listing(found))
    session.items = []
    session.testscollected = 0
    return True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    if session.config.getoption("--steps") and session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    try:
        choices: list[selection.FeatureChoice] = config.stash.get(CHOICES, [])
        kept, dropped = selection.keep_chosen(items, choices)
    except HarnessError as error:
        if hasattr(config, "workerinput"):  # a worker cannot end the run with a usage error (steps/pytest_plugin.py)
            config.hook.pytest_collectreport(report=pytest.CollectReport("features", "failed", str(error), []))
            items[:] = []
            return
        raise pytest.UsageError(error.sentence) from None
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
