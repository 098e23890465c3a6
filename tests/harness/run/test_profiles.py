"""The capabilities each profile sends are what its service documents, and secrets stay in the environment.

Each expected dictionary below is written from the service's own documentation, not from the profile:
- UiAutomator2 driver (emulator, phone): `appium:udid`, `appium:appPackage`/`appium:appActivity`,
  `appium:noReset` (keep the app's data: the logged-in account), `appium:forceAppLaunch`,
  `appium:autoGrantPermissions`, `appium:newCommandTimeout`, and the per-device ports `appium:systemPort`,
  `appium:mjpegServerPort`, `appium:chromedriverPort` (defaults 8200, 7810, 9515).
- Selenium Grid 4: the hub at http://HOST:4444, W3C `platformName` plus `appium:`-prefixed capabilities that the
  relay node's stereotype matches; `appium:appPackage` marks a native-app session (no browserName).
- BrowserStack App Automate: https://hub.browserstack.com/wd/hub, `bstack:options` with userName, accessKey,
  deviceName, osVersion (and projectName, buildName, sessionName, appiumVersion), `appium:app` = bs://...
- Sauce Labs: https://ondemand.<region>.saucelabs.com:443/wd/hub, `appium:deviceName` (a name or a regex),
  `appium:platformVersion`, `appium:app` = storage:..., `sauce:options` with username, accessKey, appiumVersion.
- LambdaTest: https://mobile-hub.lambdatest.com/wd/hub, `lt:options` with username, accessKey, w3c,
  platformName, deviceName, platformVersion, isRealMobile, app = lt://...
- XCUITest driver (iOS simulator, iPhone), appium/appium-xcuitest-driver docs/reference/capabilities.md:
  `appium:bundleId`, `appium:udid`, `appium:deviceName` + `appium:platformVersion` (a simulator), for a real
  iPhone `appium:xcodeOrgId`, `appium:xcodeSigningId`, `appium:updatedWDABundleId`; per device
  `appium:wdaLocalPort` (default 8100) and `appium:mjpegServerPort` (default 9100).
Every session also sends the W3C `timeouts` capability with implicit 0 (see harness.ui.finder: waits are ours).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from tiktok_promo.harness.errors import ConfigError, DeviceError
from tiktok_promo.harness.redact import Redactor
from tiktok_promo.harness.report.evidence import environment
from tiktok_promo.harness.run.config import CONFIG_DIR, RunConfig, load_run_config
from tiktok_promo.harness.run.fleet import pool_device, worker_index
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.pages.app import TIKTOK

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = "com.zhiliaoapp.musically"
ACTIVITY = "com.ss.android.ugc.aweme.splash.SplashActivity"
NO_IMPLICIT_WAIT = {"timeouts": {"implicit": 0}}
FIRST_PORTS = {"appium:systemPort": 8200, "appium:mjpegServerPort": 7810, "appium:chromedriverPort": 9515}

BROWSERSTACK_ENV = {"BROWSERSTACK_USERNAME": "qa.team", "BROWSERSTACK_ACCESS_KEY": "bs-key-0123456789",
                    "BROWSERSTACK_APP_URL": "bs://f7c874f21852ba57957a3fdc33f47514288c4ba4"}
SAUCE_ENV = {"SAUCE_USERNAME": "qa.team", "SAUCE_ACCESS_KEY": "sauce-key-0123456789",
             "SAUCE_APP": "storage:filename=tiktok.apk"}
LAMBDATEST_ENV = {"LT_USERNAME": "qa.team", "LT_ACCESS_KEY": "lt-key-0123456789",
                  "LT_APP_URL": "lt://APP10160521451693552341289"}
IOS_SIGNING_ENV = {"IOS_TEAM_ID": "A1B2C3D4E5", "IOS_WDA_BUNDLE_ID": "com.example.qa.WebDriverAgentRunner"}


def sent(config: RunConfig, index: int = 0, count: int = 1) -> dict[str, Any]:
    """The capabilities a run's worker `index` of `count` sends (what conftest and promo build)."""
    return pool_device(config, index, count, adb_serials=list).config.capabilities()


# --- emulator and phone: a local Appium with UiAutomator2 --------------------------------------------
def test_the_emulator_profile_sends_the_uiautomator2_capabilities() -> None:
    config = load_run_config(target="appium", caps="android-emulator", env={})
    assert config.appium_url == "http://127.0.0.1:4723" and not config.virtual_device
    assert sent(config) == {
        "platformName": "Android",
        "appium:automationName": "UiAutomator2",
        "appium:udid": "emulator-5554",
        "appium:deviceName": "Android Emulator",
        "appium:appPackage": PACKAGE,
        "appium:appActivity": ACTIVITY,
        "appium:noReset": True,
        "appium:forceAppLaunch": True,
        "appium:autoGrantPermissions": True,
        "appium:disableWindowAnimation": True,
        "appium:newCommandTimeout": 120,
        "appium:uiautomator2ServerLaunchTimeout": 60000,
        **FIRST_PORTS,
        **NO_IMPLICIT_WAIT,
    }


def test_the_phone_profile_sends_the_uiautomator2_capabilities_with_the_chosen_udid() -> None:
    config = load_run_config(target="appium", caps="android-phone", udid="R5CT1234ABC", env={})
    assert sent(config) == {
        "platformName": "Android",
        "appium:automationName": "UiAutomator2",
        "appium:udid": "R5CT1234ABC",
        "appium:deviceName": "Android Phone",
        "appium:appPackage": PACKAGE,
        "appium:appActivity": ACTIVITY,
        "appium:noReset": True,
        "appium:forceAppLaunch": True,
        "appium:autoGrantPermissions": True,
        "appium:newCommandTimeout": 180,
        "appium:uiautomator2ServerLaunchTimeout": 90000,
        "appium:adbExecTimeout": 60000,
        **FIRST_PORTS,
        **NO_IMPLICIT_WAIT,
    }
    # Without a udid, UiAutomator2 drives the one phone adb sees: none is invented.
    assert "appium:udid" not in sent(load_run_config(target="appium", caps="android-phone", env={}))


# --- Selenium Grid 4 --------------------------------------------------------------------------------
def test_the_grid_profile_goes_to_the_hub_with_what_a_relay_stereotype_matches() -> None:
    config = load_run_config(target="appium", caps="grid", env={"GRID_HOST": "grid.example.internal"})
    assert config.appium_url == "http://grid.example.internal:4444"
    assert load_run_config(target="appium", caps="grid", env={}).appium_url == "http://localhost:4444"
    expected = {
        "platformName": "Android",
        "appium:automationName": "UiAutomator2",
        "appium:appPackage": PACKAGE,
        "appium:appActivity": ACTIVITY,
        "appium:noReset": True,
        "appium:forceAppLaunch": True,
        "appium:autoGrantPermissions": True,
        "appium:newCommandTimeout": 180,
        **NO_IMPLICIT_WAIT,
    }
    assert sent(config) == expected
    # Four workers on a grid: the hub picks a free matching slot for each; the nodes own their ports.
    assert [sent(config, index, 4) for index in range(4)] == [expected] * 4
    assert "browserName" not in expected  # a native-app session


# --- device clouds ----------------------------------------------------------------------------------
CLOUD_CAPS = {
    "browserstack": {
        "platformName": "android",
        "appium:automationName": "UiAutomator2",
        "appium:app": "bs://f7c874f21852ba57957a3fdc33f47514288c4ba4",
        "bstack:options": {
            "userName": "qa.team",
            "accessKey": "bs-key-0123456789",
            "deviceName": "Samsung Galaxy S23",
            "osVersion": "13.0",
            "projectName": "TikTok promotions",
            "buildName": "promo-harness",
            "sessionName": "TikTok promotion cancel flow",
            "appiumVersion": "2.19.0",
        },
        **NO_IMPLICIT_WAIT,
    },
    "saucelabs": {
        "platformName": "Android",
        "appium:automationName": "UiAutomator2",
        "appium:deviceName": "Google Pixel.*",
        "appium:platformVersion": "14",
        "appium:app": "storage:filename=tiktok.apk",
        "sauce:options": {
            "username": "qa.team",
            "accessKey": "sauce-key-0123456789",
            "appiumVersion": "latest",
            "build": "promo-harness",
            "name": "TikTok promotion cancel flow",
        },
        **NO_IMPLICIT_WAIT,
    },
    "lambdatest": {
        "platformName": "Android",
        "lt:options": {
            "username": "qa.team",
            "accessKey": "lt-key-0123456789",
            "w3c": True,
            "platformName": "Android",
            "deviceName": "Galaxy S23",
            "platformVersion": "13",
            "isRealMobile": True,
            "app": "lt://APP10160521451693552341289",
            "build": "promo-harness",
            "name": "TikTok promotion cancel flow",
        },
        **NO_IMPLICIT_WAIT,
    },
}


@pytest.mark.parametrize(
    ("profile", "env", "url", "worker"),
    [
        ("browserstack", BROWSERSTACK_ENV, "https://hub.browserstack.com/wd/hub", (1, 2)),
        ("saucelabs", SAUCE_ENV, "https://ondemand.us-west-1.saucelabs.com:443/wd/hub", (0, 1)),
        ("lambdatest", LAMBDATEST_ENV, "https://mobile-hub.lambdatest.com/wd/hub", (0, 1)),
    ],
)
def test_a_cloud_profile_sends_its_clouds_options_with_the_keys_from_the_environment(
        profile: str, env: dict[str, str], url: str, worker: tuple[int, int]) -> None:
    config = load_run_config(target="appium", caps=profile, env=env)
    assert config.appium_url == url
    assert sent(config, *worker) == CLOUD_CAPS[profile]


def test_the_saucelabs_profile_goes_to_the_region_and_device_the_environment_names() -> None:
    europe = load_run_config(target="appium", caps="saucelabs",
                             env={**SAUCE_ENV, "SAUCE_REGION": "eu-central-1", "SAUCE_DEVICE": "Samsung Galaxy S2[34]",
                                  "SAUCE_PLATFORM_VERSION": "15"})
    assert europe.appium_url == "https://ondemand.eu-central-1.saucelabs.com:443/wd/hub"
    caps = sent(europe)
    assert (caps["appium:deviceName"], caps["appium:platformVersion"]) == ("Samsung Galaxy S2[34]", "15")


@pytest.mark.parametrize(
    ("profile", "env", "missing"),
    [
        ("browserstack", BROWSERSTACK_ENV, "BROWSERSTACK_ACCESS_KEY"),
        ("browserstack", BROWSERSTACK_ENV, "BROWSERSTACK_APP_URL"),
        ("saucelabs", SAUCE_ENV, "SAUCE_USERNAME"),
        ("lambdatest", LAMBDATEST_ENV, "LT_ACCESS_KEY"),
    ],
)
def test_a_missing_environment_variable_is_one_sentence_naming_it_and_the_file(profile: str, env: dict[str, str],
                                                                               missing: str) -> None:
    without = {k: v for k, v in env.items() if k != missing}
    with pytest.raises(ConfigError) as raised:
        load_run_config(target="appium", caps=profile, env=without)
    path = CONFIG_DIR / f"{profile}.yaml"
    assert str(raised.value) == f"Caps file {path} needs the environment variable {missing}, which is not set."


@pytest.mark.slow
def test_pytest_says_which_variable_is_missing_in_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BROWSERSTACK_", "PROMO_"))}
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "--target",
                          "appium", "--caps", "browserstack"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 4
    assert "needs the environment variable BROWSERSTACK_APP_URL, which is not set." in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_the_report_environment_of_a_cloud_run_holds_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in BROWSERSTACK_ENV.items():
        monkeypatch.setenv(name, value)
    config = load_run_config(target="appium", caps="browserstack",
                             appium_url="https://qa.team:bs-key-0123456789@hub.browserstack.com/wd/hub")
    # A cloud that echoes the key back in a device field still does not get it into the report.
    props = environment(config, {"deviceName": "Pixel (bs-key-0123456789)", "platformVersion": "13"})
    assert "bs-key-0123456789" not in repr(props)
    assert props["Appium URL"] == "https://hub.browserstack.com/wd/hub"


# --- the virtual device behind Appium ---------------------------------------------------------------
def test_the_appium_sim_profile_is_the_virtual_device_behind_a_local_appium() -> None:
    config = load_run_config(target="appium", caps=str(CONFIG_DIR / "appium-sim.yaml"), env={})
    assert config.local_appium and config.appium_url is None and config.virtual_device
    assert config.world == "default"
    caps = config.capabilities(world="business", faults="flaky")
    assert caps["appium:automationName"] == "TikTokSim"
    assert (caps["sim:world"], caps["sim:faults"]) == ("business", "flaky")  # what @sim-only scenarios choose
    assert "local Appium" in config.safe_url
    # A real URL instead of 'local' uses that server; the device is still the virtual one.
    remote = load_run_config(target="appium", caps="appium-sim", appium_url="http://127.0.0.1:4723", env={})
    assert remote.appium_url == "http://127.0.0.1:4723" and not remote.local_appium and remote.virtual_device


def test_the_profile_decides_whether_the_device_is_virtual(tmp_path: Path) -> None:
    caps = tmp_path / "caps.yaml"
    caps.write_text("virtual_device: false\ncapabilities:\n  platformName: Android\n"
                    "  appium:automationName: TikTokSim\n")
    assert not load_run_config(target="appium", caps=str(caps), env={}).virtual_device
    caps.write_text("capabilities:\n  platformName: Android\n  appium:automationName: TikTokSim\n")
    assert load_run_config(target="appium", caps=str(caps), env={}).virtual_device


# --- iOS: a simulator, an iPhone, the clouds' iPhones ------------------------------------------------------
def test_the_ios_simulator_profile_names_the_app_by_bundle_id_and_the_simulator_by_name() -> None:
    config = load_run_config(target="appium", caps="ios-simulator", env={})
    caps = sent(config)
    assert (caps["platformName"], caps["appium:automationName"], caps["appium:bundleId"]) == (
        "iOS", "XCUITest", PACKAGE)
    assert (caps["appium:deviceName"], caps["appium:platformVersion"]) == ("iPhone 15 Pro", "17.5")
    assert "appium:udid" not in caps and "appium:appPackage" not in caps  # udid optional: --udid adds it
    one = load_run_config(target="appium", caps="ios-simulator", udid="A1B2-C3", env={})
    assert sent(one)["appium:udid"] == "A1B2-C3"


def test_the_iphone_profile_signs_webdriveragent_with_the_teams_ids_from_the_environment() -> None:
    config = load_run_config(target="appium", caps="ios-phone", udid="00008110-001A2B3C4D5E801E", env=IOS_SIGNING_ENV)
    caps = sent(config)
    assert {k: caps[k] for k in ("appium:udid", "appium:xcodeOrgId", "appium:xcodeSigningId",
                                 "appium:updatedWDABundleId", "appium:bundleId")} == {
        "appium:udid": "00008110-001A2B3C4D5E801E", "appium:xcodeOrgId": "A1B2C3D4E5",
        "appium:xcodeSigningId": "Apple Development",
        "appium:updatedWDABundleId": "com.example.qa.WebDriverAgentRunner", "appium:bundleId": PACKAGE}
    with pytest.raises(ConfigError, match="needs the environment variable IOS_TEAM_ID, which is not set"):
        load_run_config(target="appium", caps="ios-phone", env={})


def test_two_iphones_each_get_their_own_webdriveragent_port(tmp_path: Path) -> None:
    caps = tmp_path / "two-iphones.yaml"
    caps.write_text((CONFIG_DIR / "ios-phone.yaml").read_text(encoding="utf-8").replace(
        "capabilities:\n", "devices:\n  - udid: 00008110-AAAA\n  - udid: 00008110-BBBB\ncapabilities:\n", 1))
    config = load_run_config(target="appium", caps=str(caps), env=IOS_SIGNING_ENV)
    first, second = (sent(config, index, 2) for index in range(2))
    assert (first["appium:wdaLocalPort"], second["appium:wdaLocalPort"]) == (8100, 8101)
    assert (first["appium:mjpegServerPort"], second["appium:mjpegServerPort"]) == (9100, 9101)
    assert "appium:systemPort" not in first  # UiAutomator2's port means nothing to XCUITest


def test_the_ios_cloud_profiles_send_each_clouds_options_for_an_iphone() -> None:
    bs = sent(load_run_config(target="appium", caps="browserstack-ios",
                              env={**BROWSERSTACK_ENV, "BROWSERSTACK_IOS_APP_URL": "bs://ios0123"}))
    assert (bs["platformName"], bs["appium:automationName"], bs["appium:app"]) == ("ios", "XCUITest", "bs://ios0123")
    assert (bs["bstack:options"]["deviceName"], bs["bstack:options"]["osVersion"]) == ("iPhone 15 Pro", "17")
    assert bs["bstack:options"]["accessKey"] == "bs-key-0123456789"
    sauce = sent(load_run_config(target="appium", caps="saucelabs-ios",
                                 env={**SAUCE_ENV, "SAUCE_IOS_APP": "storage:filename=tiktok.ipa"}))
    assert (sauce["platformName"], sauce["appium:deviceName"], sauce["appium:app"]) == (
        "iOS", "iPhone.*", "storage:filename=tiktok.ipa")
    lt = sent(load_run_config(target="appium", caps="lambdatest-ios",
                              env={**LAMBDATEST_ENV, "LT_IOS_APP_URL": "lt://APP1"}))
    assert (lt["lt:options"]["platformName"], lt["lt:options"]["app"], lt["lt:options"]["isRealMobile"]) == (
        "iOS", "lt://APP1", True)
    for cloud in (bs, sauce, lt):
        assert "appium:wdaLocalPort" not in cloud  # a cloud's machines own their ports


def test_no_ios_profile_lets_webdriveragent_answer_alerts_on_its_own() -> None:
    # autoAcceptAlerts would accept the app's own "Stop promotion?" alert: a cancel nobody chose.
    for path in sorted(CONFIG_DIR.glob("*ios*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "autoAcceptAlerts" not in text and "autoDismissAlerts" not in text, path.name


def test_every_ios_profile_turns_off_webdriveragent_s_waits_for_the_never_idle_feed() -> None:
    # WDA waits for the app to be idle before each query and around each tap up to waitForIdleTimeout, from the
    # launch on when it is a capability (appium-xcuitest-driver lib/commands/wda/startup.ts), and before each page
    # source up to animationCoolOffTimeout whatever the first says (WebDriverAgent Utilities/FBXPath.m): on TikTok's
    # feed, which plays a video, each would cost its whole timeout.
    envs = {"browserstack-ios": {**BROWSERSTACK_ENV, "BROWSERSTACK_IOS_APP_URL": "bs://ios0123"},
            "saucelabs-ios": {**SAUCE_ENV, "SAUCE_IOS_APP": "storage:filename=tiktok.ipa"},
            "lambdatest-ios": {**LAMBDATEST_ENV, "LT_IOS_APP_URL": "lt://APP1"}, "ios-phone": IOS_SIGNING_ENV}
    names = sorted(path.stem for path in CONFIG_DIR.glob("*ios*.yaml"))
    assert len(names) >= 6  # the virtual device's, a Mac's and the clouds'
    for name in names:
        target = "sim" if name == "ios-sim" else "appium"
        caps = sent(load_run_config(target=target, caps=name, udid="00008110-001A2B3C4D5E801E",
                                    env=envs.get(name, {})))
        assert caps["appium:waitForIdleTimeout"] == 0, name
        assert caps["appium:settings[animationCoolOffTimeout]"] == 0, name


def test_the_ios_face_of_the_virtual_device_runs_in_process_with_the_contracts_capabilities() -> None:
    config = load_run_config(caps="ios-sim", env={})
    assert config.is_sim and config.virtual_device
    caps = config.capabilities()
    assert (caps["platformName"], caps["appium:automationName"], caps["appium:bundleId"]) == (
        "iOS", "XCUITest", PACKAGE)
    assert caps["sim:world"] == "default"


# --- the device pool of parallel runs ---------------------------------------------------------------
def test_each_worker_gets_its_own_virtual_device_and_ports() -> None:
    config = load_run_config(target="appium", caps="appium-sim", env={})
    specs = [pool_device(config, index, 4) for index in range(4)]
    assert [s.id for s in specs] == ["sim-1", "sim-2", "sim-3", "sim-4"]
    caps = [s.config.capabilities() for s in specs]
    assert [c["appium:udid"] for c in caps] == ["sim-1", "sim-2", "sim-3", "sim-4"]
    assert [c["appium:systemPort"] for c in caps] == [8200, 8201, 8202, 8203]
    assert [c["appium:mjpegServerPort"] for c in caps] == [7810, 7811, 7812, 7813]
    assert [c["appium:chromedriverPort"] for c in caps] == [9515, 9516, 9517, 9518]
    assert [worker_index(w) for w in ("gw0", "gw3", None, "main")] == [0, 3, 0, 0]


def test_workers_take_the_profile_pool_in_order_with_each_device_own_caps(tmp_path: Path) -> None:
    caps = tmp_path / "two-emulators.yaml"
    caps.write_text((CONFIG_DIR / "android-emulator.yaml").read_text().replace(
        "# devices:\n#   - udid: emulator-5554\n#   - udid: emulator-5556\n",
        "devices:\n  - udid: emulator-5554\n  - udid: emulator-5556\n    capabilities: {appium:avd: Pixel_8}\n"))
    config = load_run_config(target="appium", caps=str(caps), env={})
    first, second = (sent(config, index, 2) for index in range(2))
    assert (first["appium:udid"], second["appium:udid"]) == ("emulator-5554", "emulator-5556")
    assert "appium:avd" not in first and second["appium:avd"] == "Pixel_8"
    assert (first["appium:systemPort"], second["appium:systemPort"]) == (8200, 8201)
    with pytest.raises(ConfigError, match=r"^3 parallel workers need 3 devices, but the pool has 2 \(emulator-5554, "
                                          r"emulator-5556\); run fewer workers \(-n 2\)"):
        pool_device(config, 2, 3)


def test_without_a_list_workers_take_the_phones_adb_sees() -> None:
    config = load_run_config(target="appium", caps="android-phone", env={})
    specs = [pool_device(config, index, 2, adb_serials=lambda: ["R5CT1", "R5CT2"]) for index in range(2)]
    assert [s.config.capabilities()["appium:udid"] for s in specs] == ["R5CT1", "R5CT2"]
    with pytest.raises(ConfigError, match="2 parallel workers need 2 devices, but adb sees none ready"):
        pool_device(config, 0, 2, adb_serials=list)
    one = load_run_config(target="appium", caps="android-phone", udid="R5CT1", env={})
    with pytest.raises(ConfigError, match=r"--udid \(PROMO_UDID\) names one device, but 2 parallel workers"):
        pool_device(one, 0, 2)


@pytest.mark.slow
def test_too_small_a_pool_stops_pytest_before_any_worker_starts(tmp_path: Path) -> None:
    caps = tmp_path / "one-phone.yaml"
    caps.write_text("appium_url: http://127.0.0.1:9\ndevices:\n  - udid: R5CT1\n"
                    "capabilities:\n  platformName: Android\n  appium:automationName: UiAutomator2\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "-n", "2",
                          "--target", "appium", "--caps", str(caps)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 4
    assert "2 parallel workers need 2 devices, but the pool has 1 (R5CT1)" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_a_refused_session_that_echoes_the_key_does_not_carry_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    class EchoingCloud(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            answer = json.dumps({"value": {"error": "session not created", "message": f"No device for {body}"}})
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args: object) -> None:
            pass

    for name, value in BROWSERSTACK_ENV.items():
        monkeypatch.setenv(name, value)
    server = HTTPServer(("127.0.0.1", 0), EchoingCloud)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        config = load_run_config(target="appium", caps="browserstack", appium_url=url)
        with pytest.raises(DeviceError, match="Could not start a session on Appium at") as raised:
            AppiumSession(config, url, TIKTOK).start()
    finally:
        server.shutdown()
        server.server_close()
    assert "No device for" in str(raised.value) and "***" in str(raised.value)
    assert "bs-key-0123456789" not in str(raised.value)


# --- which of the variables the profiles read are secrets (docs/appium.md, "Secrets") -------------------
SECRET_VARIABLES = {"BROWSERSTACK_ACCESS_KEY", "SAUCE_ACCESS_KEY", "LT_ACCESS_KEY"}
PLAIN_VARIABLES = {"BROWSERSTACK_USERNAME", "SAUCE_USERNAME", "LT_USERNAME", "BROWSERSTACK_APP_URL", "SAUCE_APP",
                   "LT_APP_URL", "BROWSERSTACK_DEVICE", "BROWSERSTACK_OS_VERSION", "BROWSERSTACK_BUILD_NAME",
                   "SAUCE_REGION", "SAUCE_DEVICE", "SAUCE_PLATFORM_VERSION", "SAUCE_BUILD", "LT_DEVICE",
                   "LT_PLATFORM_VERSION", "LT_BUILD", "GRID_HOST",
                   # iOS: the clouds' apps and devices, and a team's signing of WebDriverAgent (an id, not a key)
                   "BROWSERSTACK_IOS_APP_URL", "BROWSERSTACK_IOS_DEVICE", "BROWSERSTACK_IOS_VERSION", "SAUCE_IOS_APP",
                   "SAUCE_IOS_DEVICE", "SAUCE_IOS_VERSION", "LT_IOS_APP_URL", "LT_IOS_DEVICE", "LT_IOS_VERSION",
                   "IOS_TEAM_ID", "IOS_SIGNING_ID", "IOS_WDA_BUNDLE_ID"}


def test_every_variable_a_profile_reads_is_masked_exactly_when_the_docs_call_it_secret() -> None:
    read = {match.group(1) for path in CONFIG_DIR.glob("*.yaml")
            for match in re.finditer(r"\$\{([A-Z0-9_]+)", path.read_text(encoding="utf-8"))}
    assert read == SECRET_VARIABLES | PLAIN_VARIABLES, "decide (and document) whether the new variable is a secret"
    value = "Zq7-value-4f7a91"
    for name in sorted(read):
        masked = Redactor.from_sources({name: value}).clean(f"the hub said {value}") == "the hub said ***"
        assert masked == (name in SECRET_VARIABLES), name
