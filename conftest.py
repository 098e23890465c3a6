"""pytest wiring only: options, fixtures, and hooks that hand their work to harness/.

Options (each with an environment fallback):
  --target sim|appium  (PROMO_TARGET)   where the features run; sim is the virtual device
  --world NAME|FILE    (PROMO_WORLD)    the virtual device's world for scenarios that don't pick one
  --appium-url URL     (APPIUM_URL)     the Appium server for --target appium
  --caps FILE|NAME     (PROMO_CAPS)     the target profile (config/*.yaml)
  --udid SERIAL        (PROMO_UDID)     the device to drive
  --account USERNAME   (PROMO_ACCOUNT)  the account that started the promotions
  --no-step-screenshots (PROMO_STEP_SCREENSHOTS=0)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import evidence, tags
from harness.config import RunConfig, check_reachable, load_run_config
from harness.errors import ConfigError
from harness.locators import MemoryBank
from harness.session import DeviceSession
from harness.simhost import SimulatorHost, sim_device_info

pytest_plugins = [
    "steps.context",
    "steps.app_steps",
    "steps.navigation_steps",
    "steps.cancel_steps",
    "steps.rules_steps",
    "steps.monitoring_steps",
    "steps.safety_steps",
]

RUN_CONFIG = pytest.StashKey[RunConfig]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("promo", "TikTok promotion harness")
    group.addoption("--target", default=None,
                    help="where to run: 'sim' (the virtual TikTok device, default) or 'appium' (an Appium server); "
                         "env PROMO_TARGET")
    group.addoption("--world", default=None,
                    help="virtual device only: the world (shipped name or YAML/JSON file) for scenarios that do "
                         "not choose one; env PROMO_WORLD")
    group.addoption("--appium-url", default=None,
                    help="the Appium server URL for --target appium (default from the profile, "
                         "http://127.0.0.1:4723); env APPIUM_URL")
    group.addoption("--caps", default=None,
                    help="target profile: a caps YAML file or a name in config/ (sim, android-emulator, "
                         "android-phone); env PROMO_CAPS")
    group.addoption("--udid", default=None, help="the device serial to drive (adb devices); env PROMO_UDID")
    group.addoption("--account", default=None,
                    help="the @username that started the promotions (default from the profile); env PROMO_ACCOUNT")
    group.addoption("--no-step-screenshots", action="store_true", default=False,
                    help="no picture after every step (for benchmarks); env PROMO_STEP_SCREENSHOTS=0")


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    for line in tags.marker_lines():
        config.addinivalue_line("markers", line)
    try:
        run = load_run_config(
            target=config.getoption("--target"),
            world=config.getoption("--world"),
            appium_url=config.getoption("--appium-url"),
            caps=config.getoption("--caps"),
            udid=config.getoption("--udid"),
            account=config.getoption("--account"),
            step_screenshots=False if config.getoption("--no-step-screenshots") else None,
        )
        if run.appium_url and not _is_xdist_worker(config) and not config.option.collectonly:
            check_reachable(run.appium_url)
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[RUN_CONFIG] = run


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tags.apply(items, config.stash[RUN_CONFIG])


def _alluredir(config: pytest.Config) -> str | None:
    return getattr(config.option, "allure_report_dir", None)


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def run_config(pytestconfig: pytest.Config) -> RunConfig:
    """The run's target, profile and options."""
    return pytestconfig.stash[RUN_CONFIG]


@pytest.fixture(scope="session")
def device_url(run_config: RunConfig, pytestconfig: pytest.Config) -> Iterator[str]:
    """Where sessions go: the virtual device (started once per run or xdist worker) or the Appium server."""
    if not run_config.is_sim:
        yield run_config.appium_url or ""
        return
    host = SimulatorHost()
    url = host.start()
    yield url
    results = _alluredir(pytestconfig)
    if results:
        evidence.write_environment(results, evidence.environment(run_config, sim_device_info(run_config, url)))
    host.stop()


@pytest.fixture(scope="session")
def locator_memories() -> MemoryBank:
    """What matched, per device and app release, for the whole run."""
    return MemoryBank()


@pytest.fixture
def device(request: pytest.FixtureRequest, run_config: RunConfig, device_url: str,
           locator_memories: MemoryBank) -> Iterator[DeviceSession]:
    """One Appium session per scenario, opened when the app opens, closed even after a failure."""
    session = DeviceSession(run_config, device_url, locator_memories, observer=evidence.note)
    yield session
    try:
        evidence.report_drift(request.node, session.drift)
        results = _alluredir(request.config)
        if results and not run_config.is_sim and session.driver is not None:
            # A real device's facts come from the session's capabilities (no extra command).
            evidence.write_environment(results, evidence.environment(run_config, session.driver.capabilities))
    finally:
        session.close()


# --- hooks: evidence --------------------------------------------------------------------------------
def _device_of(request: pytest.FixtureRequest) -> DeviceSession | None:
    try:
        return request.getfixturevalue("device")
    except pytest.FixtureLookupError:
        return None


@pytest.hookimpl(tryfirst=True)  # before allure-pytest-bdd closes the step, so the picture lands in it
def pytest_bdd_after_step(request: pytest.FixtureRequest, feature, scenario, step, step_func, step_func_args) -> None:
    run = request.config.stash[RUN_CONFIG]
    if run.step_screenshots and _alluredir(request.config):
        evidence.step_screenshot(_device_of(request))


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature, scenario, step, step_func, step_func_args,
                          exception) -> None:
    if _alluredir(request.config):
        evidence.failure_evidence(_device_of(request))


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = _alluredir(session.config)
    if results and not _is_xdist_worker(session.config):
        evidence.write_categories(results)
