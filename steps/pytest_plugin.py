"""The app's pytest plugin: options, fixtures (`appium_session`, `server_url`, `run_config`, `locator_memories`)
and hooks that hand their work to harness/, plus the step sentences of steps/ and the engine's pytest hooks.

Installed with the package as the `pytest11` entry point `steps.pytest_plugin`, so any pytest suite in that
environment, this repo's or a user's own in another folder, gets the fixtures without a conftest.py; the repo's
conftest.py names the same module for a checkout that is not installed (pytest loads it once: see pyproject).

Why here, in steps: it is the app's plugin, not the engine's. It opens sessions for the TikTok app (pages.app),
knows its wordings (pages.wordings) and registers the step modules, so it sits in the top layer with the steps
(above flows and pages); in harness it would point up. Being inside a package, the import contracts cover it: it
reaches the virtual device only through harness.run, like every module above the engine.

Options (each with an environment fallback):
  --target sim|appium  (PROMO_TARGET)   where the features run; sim is the virtual device
  --world NAME|FILE    (PROMO_WORLD)    the virtual device's world for scenarios that don't pick one
  --appium-url URL     (APPIUM_URL)     the Appium server for --target appium; 'local' starts one for the run,
                                        'local-grid' a Selenium Grid 4 with one node (and Appium) per device
  --caps FILE|NAME     (PROMO_CAPS)     the target profile (harness/run/profiles/*.yaml)
  --udid SERIAL        (PROMO_UDID)     the device to drive
  --account USERNAME   (PROMO_ACCOUNT)  the account that started the promotions
  --language LANG      (PROMO_LANGUAGE) the app's language (default: the device's locale)
  --no-step-screenshots (PROMO_STEP_SCREENSHOTS=0)
  --sim-faults FAULTS  (PROMO_SIM_FAULTS) virtual device only: faults for every scenario (e.g. a latency)
  --video on-failure|always|off (PROMO_VIDEO) with --alluredir: each scenario's screen recording, kept for failed
                                        and drifted scenarios (default), for all, or not recorded
An option given empty is refused; an environment variable set empty counts as unset (as promo does).

With pytest-xdist (-n N) each worker drives its own device of the pool with its own ports
(harness.run.fleet.pool_device); a run whose profile says `appium_url: local` starts its own Appium 3
server in each worker and stops it at the end (harness.run.appium_server); `appium_url: local-grid` starts one
Selenium Grid 4 for the whole run, before the workers, with a node per worker (harness.run.grid).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tiktok_promo.harness.bdd import feature_checks, tags
from tiktok_promo.harness.errors import ConfigError, HarnessError
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report import evidence, scenario_results
from tiktok_promo.harness.run import doctor
from tiktok_promo.harness.run.appium_server import REPO_ROOT, AppiumServer
from tiktok_promo.harness.run.config import RunConfig, check_reachable, load_run_config, option_value, world_folders
from tiktok_promo.harness.run.fleet import DeviceSpec, pool_device, worker_index
from tiktok_promo.harness.run.grid import GridStopsRun, SeleniumGrid, run_grid, unmatched_sentence, with_grid
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.harness.run.simhost import SimulatorHost, parse_run_faults, sim_device_info, worlds_env
from tiktok_promo.harness.ui.locators import MemoryBank
from tiktok_promo.pages import wordings
from tiktok_promo.pages.app import TIKTOK

# The engine's pytest hooks and the app's step sentences, registered with this plugin wherever it loads.
pytest_plugins = [
    "tiktok_promo.harness.bdd.plugin",
    "tiktok_promo.harness.bdd.terminal",
    "tiktok_promo.steps.context",
    "tiktok_promo.steps.app_steps",
    "tiktok_promo.steps.navigation_steps",
    "tiktok_promo.steps.cancel_steps",
    "tiktok_promo.steps.rules_steps",
    "tiktok_promo.steps.monitoring_steps",
    "tiktok_promo.steps.safety_steps",
]

RUN_CONFIG = pytest.StashKey[RunConfig]()  # this process's run: for an xdist worker, with its own device
DEVICE_SPEC = pytest.StashKey[DeviceSpec]()
WORKER = pytest.StashKey[str]()
REDACTOR = pytest.StashKey[Redactor]()
APPIUM = pytest.StashKey[AppiumServer]()  # the Appium server this process started (appium_url: local)
LOG_MARK = pytest.StashKey[int]()  # per scenario: where its part of that server's log begins
CALL_FAILED = pytest.StashKey[bool]()  # per scenario: its call phase failed (its fixtures' teardown reads it)
SIM_FAULTS = pytest.StashKey[object]()  # --sim-faults: the faults every scenario's session starts with
STEP_PICTURES = pytest.StashKey[evidence.StepPictures]()  # per scenario: its step pictures still being written
GRID = pytest.StashKey[SeleniumGrid]()  # the Selenium Grid this run started (appium_url: local-grid), controller only
GRID_STATE = "promo_grid"  # the xdist workerinput key that hands the started Grid's state to the workers


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
                         "http://127.0.0.1:4723), or 'local' to start one for the run; env APPIUM_URL")
    group.addoption("--caps", default=None,
                    help="target profile: a caps YAML file or a name in harness/run/profiles/ (sim, appium-sim, "
                         "grid-sim, android-emulator, android-phone, grid, browserstack, saucelabs, lambdatest, "
                         "replay; iOS: ios-sim, ios-simulator, ios-phone, browserstack-ios, saucelabs-ios, "
                         "lambdatest-ios); env PROMO_CAPS")
    group.addoption("--language", default=None, metavar="LANG",
                    help="the language the app shows its words in (en, fr, fr_FR), when the device's own locale "
                         "(read through Appium's mobile: deviceInfo) should not decide; env PROMO_LANGUAGE")
    group.addoption("--udid", default=None, help="the device serial to drive (adb devices); env PROMO_UDID")
    group.addoption("--account", default=None,
                    help="the @username that started the promotions (default from the profile); env PROMO_ACCOUNT")
    group.addoption("--no-step-screenshots", action="store_true", default=False,
                    help="no picture after every step (they are taken only with --alluredir; off for "
                         "benchmarks); env PROMO_STEP_SCREENSHOTS=0")
    group.addoption("--sim-faults", default=None, metavar="FAULTS",
                    help="virtual device only: faults for every scenario's session, a profile name or a JSON "
                         "mapping like '{\"latency_ms\": 150, \"latency_sigma\": 0.35, \"seed\": 1}' (a "
                         "scenario's own faults go on top); env PROMO_SIM_FAULTS")
    group.addoption("--video", default=None, metavar="on-failure|always|off",
                    help="with --alluredir: record each scenario's screen (Appium's screen recording; on a phone, "
                         "UiAutomator2's) and attach the MP4 to the scenarios that failed or drifted (on-failure, "
                         "the default), to every scenario (always), or record nothing (off); env PROMO_VIDEO")


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _worker(config: pytest.Config) -> tuple[str, int, int]:
    """(worker id, index, how many workers) of this process; ('main', 0, 1) without xdist workers."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput:
        return "main", 0, 1
    return workerinput["workerid"], worker_index(workerinput["workerid"]), int(workerinput["workercount"])


def _planned_workers(config: pytest.Config) -> int:
    """On the xdist controller: how many workers `-n` asked for (0 when not a number, like -n auto)."""
    value = getattr(config.option, "numprocesses", None)
    return value if isinstance(value, int) and getattr(config.option, "dist", "no") != "no" else 0


def pytest_configure(config: pytest.Config) -> None:
    for line in tags.marker_lines():
        config.addinivalue_line("markers", line)
    evidence.run_id()  # one id for the run, which xdist workers inherit
    worker, index, count = _worker(config)
    try:
        run = load_run_config(
            target=config.getoption("--target"),
            world=config.getoption("--world"),
            appium_url=config.getoption("--appium-url"),
            caps=config.getoption("--caps"),
            udid=config.getoption("--udid"),
            account=config.getoption("--account"),
            language=config.getoption("--language"),
            step_screenshots=False if config.getoption("--no-step-screenshots") else None,
            known_languages=wordings.languages(),
            video=config.getoption("--video"),
        )
        planned = _planned_workers(config)
        if planned > 1:
            pool_device(run, planned - 1, planned)  # a pool too small for -n is said once, before any worker
        spec = pool_device(run, index, count)
        # Feature files pytest-bdd cannot read (or would run wrongly) are one sentence, not a collection traceback.
        feature_checks.check_feature_files(feature_checks.feature_paths(config.args, config.invocation_params.dir))
        faults = parse_run_faults(option_value(config.getoption("--sim-faults"), "--sim-faults", "PROMO_SIM_FAULTS"))
        if faults is not None and not run.virtual_device:
            raise ConfigError("--sim-faults (PROMO_SIM_FAULTS) injects faults into the virtual device; this run "
                              "drives a real one.")
        if not _is_xdist_worker(config) and not config.option.collectonly:
            if run.appium_url:
                # Another Selenium Grid: a capability none of its nodes offers is said now, before anything else.
                _check_grid_offers(run, max(planned, 1))
            if run.virtual_device or run.profile.recording:
                if run.appium_url:
                    check_reachable(run.appium_url)
                if run.local_appium:
                    AppiumServer().check_installed()  # "run npm ci" now, not once per scenario
                if run.local_grid:
                    grid = run_grid(run, max(planned, 1), _reports_dir(config),
                                    Redactor.from_sources(os.environ, run.profile.capabilities).secrets)
                    config.stash[GRID] = grid  # stopped in pytest_unconfigure, even when it fails half-way
                    grid.start()
            else:
                # A real device: the whole chain (Appium, driver, SDK, adb, the device, the app) before any
                # session, so a broken link is one sentence in seconds, not every scenario failing slowly.
                devices = [pool_device(run, i, max(planned, 1)).config.udid for i in range(max(planned, 1))]
                problem = doctor.preflight(run, devices)
                if problem:
                    raise ConfigError(problem)
        state = getattr(config, "workerinput", {}).get(GRID_STATE) or (
            config.stash[GRID].state() if GRID in config.stash else None)
        if state:
            spec = dataclasses.replace(spec, config=with_grid(spec.config, state))
    except HarnessError as error:
        raise pytest.UsageError(error.sentence) from None
    config.stash[RUN_CONFIG] = spec.config
    config.stash[DEVICE_SPEC] = spec
    config.stash[WORKER] = worker
    config.stash[REDACTOR] = Redactor.from_sources(os.environ, run.profile.capabilities)
    config.stash[SIM_FAULTS] = faults


def pytest_report_header(config: pytest.Config) -> list[str]:
    from tiktok_promo.harness.bdd.terminal import header_lines  # registered as a plugin above: imported once, by pytest

    spec = config.stash.get(DEVICE_SPEC, None)
    return header_lines(spec.config, spec.id) if spec is not None else []


def _check_grid_offers(run: RunConfig, workers: int) -> None:
    """A Selenium Grid that offers no node for a worker's capabilities: one sentence now, before any scenario."""
    for index in range(workers):
        sentence = unmatched_sentence(run.appium_url or "", pool_device(run, index, workers).config.capabilities())
        if sentence:
            raise ConfigError(sentence)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist: each worker sessions to the Grid the controller started (the workers start after configure)."""
    grid = node.config.stash.get(GRID, None)
    if grid is not None:
        node.workerinput[GRID_STATE] = grid.state()


def pytest_unconfigure(config: pytest.Config) -> None:
    grid = config.stash.get(GRID, None)
    if grid is not None:
        grid.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Undeclared tags, a -m that names none, and sentences without a step stop the run before any scenario.
    try:
        known = feature_checks.marker_names(config.getini("markers"))
        feature_checks.check_selection(config.option.markexpr, known, tags.declared())
        feature_checks.check_tags(feature_checks.feature_files(items), known, tags.declared())
        feature_checks.check_steps(items)
    except HarnessError as error:
        if _is_xdist_worker(config):
            # A worker cannot end the run with a usage error: it reports a failed collection, which the
            # controller shows once, and keeps no scenario to run.
            config.hook.pytest_collectreport(report=pytest.CollectReport("features", "failed", str(error), []))
            items[:] = []
            return
        raise pytest.UsageError(error.sentence) from None
    tags.apply(items, config.stash[RUN_CONFIG])
    tags.slow_first(items)


def _alluredir(config: pytest.Config) -> str | None:
    return getattr(config.option, "allure_report_dir", None)


def _reports_dir(config: pytest.Config) -> Path:
    """Where the run's generated files go: next to its Allure results, else the repo's reports/."""
    results = _alluredir(config)
    return Path(results).resolve().parent if results else REPO_ROOT / "reports"


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def run_config(pytestconfig: pytest.Config) -> RunConfig:
    """The run's target, profile and options."""
    return pytestconfig.stash[RUN_CONFIG]


@pytest.fixture(scope="session")
def server_url(run_config: RunConfig, pytestconfig: pytest.Config) -> Iterator[str]:
    """Where sessions go: the virtual device (started once per run or xdist worker) or the Appium server,
    which the run starts itself (once per worker, on a free port) when the profile says `appium_url: local`."""
    # The world files the person named are theirs to use: the device may read their folders.
    folders = world_folders(run_config.world, pytestconfig.stash[DEVICE_SPEC].world)
    if run_config.local_appium:
        worker = pytestconfig.stash[WORKER]
        server = AppiumServer(log_path=_reports_dir(pytestconfig) / "appium" / f"appium-{worker}.log",
                              secrets=pytestconfig.stash[REDACTOR].secrets, env=worlds_env(folders))
        try:
            server.start()
        except HarnessError as error:
            # A session-scoped failure: pytest gives every scenario this sentence at once, without retrying.
            pytest.fail(error.sentence, pytrace=False)
        pytestconfig.stash[APPIUM] = server
        try:
            yield server.url
        finally:
            server.stop()
        return
    if not run_config.is_sim:
        yield run_config.appium_url or ""
        return
    host = SimulatorHost()
    url = host.start(folders)
    yield url
    results = _alluredir(pytestconfig)
    if results:
        info = sim_device_info(run_config, url)
        facts = doctor.facts_from_session({"sim:appVersion": info.get("appVersion"), **info}, run_config).labels()
        evidence.write_environment(results, evidence.environment(run_config, {**info, **facts},
                                                                 server=evidence.server_build(url)))
    host.stop()


@pytest.fixture(scope="session")
def locator_memories() -> MemoryBank:
    """What matched, per device and app release, for the whole run."""
    return MemoryBank()


def _appium_died(request: pytest.FixtureRequest) -> str | None:
    """The sentence saying the run's own Appium server died, and the run stops after this scenario."""
    server = request.config.stash.get(APPIUM, None)
    sentence = server.death_sentence() if server is not None else None
    if sentence:
        request.session.shouldstop = sentence  # no scenario after this one could start a session
    return sentence


@pytest.fixture
def appium_session(request: pytest.FixtureRequest, run_config: RunConfig, server_url: str,
           locator_memories: MemoryBank) -> Iterator[AppiumSession]:
    """One Appium session per scenario, opened when the app opens, closed even after a failure."""
    dead = _appium_died(request) or doctor.device_gone(run_config)
    if dead:
        request.session.shouldstop = dead  # one sentence, not every remaining scenario failing after a wait
        pytest.fail(dead, pytrace=False)
    server = request.config.stash.get(APPIUM, None)
    if server is not None:
        request.node.stash[LOG_MARK] = server.log_size()
    session = AppiumSession(run_config, server_url, TIKTOK, locator_memories, observer=evidence.note)
    if request.config.stash[SIM_FAULTS] is not None:
        session.use_faults(request.config.stash[SIM_FAULTS])
    video = run_config.video or "on-failure"
    if video != "off" and _alluredir(request.config):
        session.record_video()  # from the session's start: the scenario opens the app lazily
    yield session
    try:
        _appium_died(request)
        evidence.report_drift(request.node, session.drift)
        if session.recording and (video == "always" or request.node.stash.get(CALL_FAILED, False) or session.drift):
            evidence.attach_video(session.stop_recording())
        if session.driver is not None:
            # The device and ports the session really got, as the device answered them (no extra command).
            evidence.label_device(request.config.stash[WORKER], request.config.stash[DEVICE_SPEC].id,
                                  session.driver.capabilities)
        results = _alluredir(request.config)
        if results and not run_config.is_sim and session.driver is not None:
            # A real device's facts come from the session's capabilities (no extra command), the app's
            # version through adb for a phone this machine sees.
            caps = session.driver.capabilities
            facts = doctor.facts_from_session(caps, run_config).labels()
            evidence.write_environment(results, evidence.environment(run_config, {**caps, **facts},
                                                                     server=evidence.server_build(server_url)))
    finally:
        try:
            session.close()
        finally:
            # The last pictures are scaled while the session closes; all are written before the result is.
            pictures = request.node.stash.get(STEP_PICTURES, None)
            if pictures is not None:
                pictures.finish()


# --- hooks: evidence --------------------------------------------------------------------------------
def _session_of(request: pytest.FixtureRequest) -> AppiumSession | None:
    try:
        return request.getfixturevalue("appium_session")
    except pytest.FixtureLookupError:
        return None


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd scheduled the scenario's result
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature, scenario) -> None:
    scenario_results.mend_scenario(request.node)


@pytest.hookimpl(trylast=True)  # after allure-pytest-bdd made every step argument a parameter
def pytest_bdd_before_step_call(request: pytest.FixtureRequest, feature, scenario, step, step_func,
                                step_func_args) -> None:
    scenario_results.drop_fixture_parameters(request, step, step_func_args)


@pytest.hookimpl(tryfirst=True)  # before allure-pytest-bdd closes the step, so the picture lands in it
def pytest_bdd_after_step(request: pytest.FixtureRequest, feature, scenario, step, step_func, step_func_args) -> None:
    run = request.config.stash[RUN_CONFIG]
    if run.step_screenshots and _alluredir(request.config):
        # Placed in this step now, scaled and written beside the next steps' commands (evidence.StepPictures).
        pictures = request.node.stash.setdefault(STEP_PICTURES, evidence.StepPictures())
        evidence.step_screenshot(_session_of(request), step=f"{step.keyword} {step.name}", pictures=pictures,
                                 place=lambda name: scenario_results.step_attachment(request, step, name))


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature, scenario, step, step_func, step_func_args,
                          exception) -> None:
    if _alluredir(request.config):
        scenario_results.classify_failure(request.node, exception, step_func)
        scenario_results.keep_trace(request.node, exception)
        session = _session_of(request)
        evidence.failure_evidence(session)
        if session is not None and session.started:
            evidence.attach_server_log(session.device_log() or "", request.config.stash[REDACTOR],
                                       name="device log (logcat) at failure")
        server = request.config.stash.get(APPIUM, None)
        if server is not None:
            evidence.attach_server_log(server.log_since(request.node.stash.get(LOG_MARK, 0)),
                                       request.config.stash[REDACTOR])


def pytest_runtest_teardown(item: pytest.Item) -> None:
    # The call phase's result is complete by now and allure-pytest-bdd writes it after the teardown.
    if _alluredir(item.config):
        scenario_results.mend_trace(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    if call.excinfo is not None and isinstance(call.excinfo.value, GridStopsRun):
        # The Grid can start no session of this run: one sentence ends it, not a failure per scenario left.
        item.session.shouldstop = str(call.excinfo.value)
        report.longrepr = str(call.excinfo.value)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = _alluredir(session.config)
    if results and not _is_xdist_worker(session.config):
        evidence.note_drift_count(results)  # after every worker wrote its results and the environment
