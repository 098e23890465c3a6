"""First contact with a real phone: `promo doctor`, the preflight of a pytest run on a real target, and the
adb server promo starts, with a real Appium 3 server that has the UiAutomator2 driver (installed from npm
by `make node`) and no Android SDK or phone on this machine.

Where a phone is needed, a stand-in adb server (fake_adb.py) plays it: connected, unauthorized, offline,
locked, without TikTok, or unplugged half-way through a run.
"""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import REPO, Promo
from fake_adb import FakeAdbServer, FakePhone
from runenv import clean_env, free_port

from tiktok_promo.harness.run.appium_server import AppiumServer

PACKAGE = "com.zhiliaoapp.musically"
RUN_TIMEOUT = 60


@pytest.fixture(scope="module")
def uiautomator2(appium: AppiumServer) -> AppiumServer:
    """The real Appium 3 server, which must have the uiautomator2 driver (the driver a phone needs)."""
    installed = appium.installed_drivers()
    assert "uiautomator2" in installed, f"uiautomator2 is not installed in {appium.appium_home}: run make node"
    return appium


def _no_sdk_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in clean_env().items() if k not in ("ANDROID_HOME", "ANDROID_SDK_ROOT", "JAVA_HOME")}
    env["APPIUM_HOME"] = str(REPO / ".appium")
    env.update(extra)
    return env


def _executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, str]:
    """A machine set up as the README says, up to the phone: an SDK folder with platform-tools/adb, and Java."""
    sdk = tmp_path / "sdk"
    _executable(sdk / "platform-tools" / "adb", "#!/bin/sh\necho 'Android Debug Bridge version 1.0.41'\n")
    java_home = tmp_path / "jdk"
    _executable(java_home / "bin" / "java", "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n")
    return {"ANDROID_HOME": str(sdk), "JAVA_HOME": str(java_home)}


def _pytest_features(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "features", "-p", "no:randomly", "-q", *args], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    return done, time.monotonic() - started


def _error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("ERROR:")]


@pytest.mark.parametrize("profile", ["android-emulator", "android-phone"])
@pytest.mark.slow
def test_features_on_a_real_profile_without_the_sdk_end_at_once_in_one_error_line(
        uiautomator2: AppiumServer, profile: str) -> None:
    done, took = _pytest_features("--target", "appium", "--caps", profile, "--appium-url", uiautomator2.url,
                                  "--udid", "emulator-5554", "--account=@me", env=_no_sdk_env())
    assert done.returncode == 4, done.stdout + done.stderr
    errors = _error_lines(done)
    assert len(errors) == 1, done.stdout + done.stderr
    assert "emulator-5554" in errors[0] and uiautomator2.url in errors[0]
    assert "ANDROID_HOME" in errors[0] and "fix: export ANDROID_HOME=" in errors[0]
    assert " failed" not in done.stdout and " passed" not in done.stdout  # no scenario reported at all
    assert "Traceback" not in done.stdout + done.stderr
    assert took < RUN_TIMEOUT  # the 10 s budget is measured in the note; this only catches a hang


@pytest.mark.parametrize(("state", "words"), [("unauthorized", "accept 'Allow USB debugging?'"),
                                              ("offline", "adb reconnect offline")])
@pytest.mark.slow
def test_a_phone_adb_lists_as_not_ready_ends_the_run_naming_it(
        uiautomator2: AppiumServer, machine: dict[str, str], state: str, words: str) -> None:
    with FakeAdbServer([FakePhone("R58M12ABCDE", state=state)]) as adb:
        env = _no_sdk_env(ANDROID_ADB_SERVER_PORT=str(adb.port), **machine)
        done, _ = _pytest_features("--target", "appium", "--caps", "android-phone", "--appium-url", uiautomator2.url,
                                   "--udid", "R58M12ABCDE", "--account", "me", env=env)
    errors = _error_lines(done)
    assert done.returncode == 4 and len(errors) == 1, done.stdout + done.stderr
    assert f"R58M12ABCDE is {state}" in errors[0] and words in errors[0] and uiautomator2.url in errors[0]


@pytest.mark.slow
def test_a_phone_unplugged_during_the_run_stops_it_in_one_sentence(
        uiautomator2: AppiumServer, machine: dict[str, str]) -> None:
    # The preflight lists the phone ready (one listing); at the first scenario it is gone.
    with FakeAdbServer([FakePhone("R58M12ABCDE")], vanish_after=1) as adb:
        env = _no_sdk_env(ANDROID_ADB_SERVER_PORT=str(adb.port), **machine)
        done, _ = _pytest_features("--target", "appium", "--caps", "android-phone", "--appium-url", uiautomator2.url,
                                   "--udid", "R58M12ABCDE", "--account", "me", env=env)
    out = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.INTERRUPTED, out
    assert "1 failed" in out and " passed" not in out, out  # one scenario, not every remaining one
    assert "The device went away during the run: R58M12ABCDE is not connected (adb sees: none)" in out


def _doctor(promo: Promo, *args: str, env: dict[str, str]) -> tuple[int, dict]:
    run = promo("doctor", "--json", *args, env=env)
    return run.code, json.loads(run.out)


def _links(report: dict) -> dict[str, dict[str, str]]:
    return {link["name"]: link for link in report["links"]}


@pytest.mark.slow
def test_doctor_without_sdk_or_phone_names_the_missing_links(uiautomator2: AppiumServer, promo: Promo) -> None:
    code, report = _doctor(promo, "--target", "appium", "--caps", "android-phone", "--appium-url", uiautomator2.url,
                           "--udid", "R58M12ABCDE", env=_no_sdk_env())
    links = _links(report)
    assert code == 1 and report["ok"] is False
    assert links["Node.js"]["health"] == "ok"
    assert links["Appium 3 server"]["health"] == "ok" and "Appium 3." in links["Appium 3 server"]["found"]
    assert links["Appium driver"]["health"] == "ok" and "uiautomator2" in links["Appium driver"]["found"]
    assert links["Android SDK"]["health"] == "broken" and "ANDROID_HOME" in links["Android SDK"]["fix"]
    # No SDK, so no platform-tools: adb is missing too, and the device cannot be looked at.
    assert links["adb"]["health"] == "broken" and "adb is not installed" in links["adb"]["found"]
    assert links["device"]["health"] == "not checked" and links["account"]["health"] == "not checked"

    table = promo("doctor", "--target", "appium", "--caps", "android-phone", "--appium-url", uiautomator2.url,
                  "--udid", "R58M12ABCDE", env=_no_sdk_env())
    assert table.code == 1 and "Android SDK" in table.out and "BROKEN" in table.out
    assert table.out.rstrip().endswith("fix the first broken row, then run promo doctor again.")


@pytest.mark.slow
def test_doctor_without_the_phone_driver_says_how_to_install_it(tmp_path: Path, promo: Promo,
                                                                 uiautomator2: AppiumServer) -> None:
    env = _no_sdk_env()
    env["APPIUM_HOME"] = str(tmp_path / "empty-appium-home")
    code, report = _doctor(promo, "--target", "appium", "--caps", "android-phone", "--appium-url", uiautomator2.url,
                           env=env)
    driver = _links(report)["Appium driver"]
    assert code == 1 and driver["health"] == "broken"
    assert driver["fix"].endswith("npx appium driver install uiautomator2")


@pytest.mark.parametrize(("phone", "app", "device"), [
    (FakePhone("R58M12ABCDE", model="Galaxy S23", android="14"), ("ok", f"{PACKAGE} 47.0.3"), ("ok", "unlocked")),
    (FakePhone("R58M12ABCDE", locked=True), ("ok", "47.0.3"), ("warn", "screen locked")),
    (FakePhone("R58M12ABCDE", apps=()), ("broken", f"{PACKAGE} is not installed on R58M12ABCDE"), ("ok", "")),
])
@pytest.mark.slow
def test_doctor_reads_the_phone_and_the_app_through_adb(
        uiautomator2: AppiumServer, promo: Promo, machine: dict[str, str], phone: FakePhone,
        app: tuple[str, str], device: tuple[str, str]) -> None:
    with FakeAdbServer([phone]) as adb:
        code, report = _doctor(promo, "--target", "appium", "--caps", "android-phone", "--appium-url",
                               uiautomator2.url, "--udid", phone.serial,
                               env=_no_sdk_env(ANDROID_ADB_SERVER_PORT=str(adb.port), **machine))
    links = _links(report)
    assert (links["Java"]["health"], links["Android SDK"]["health"], links["adb"]["health"]) == ("ok", "ok", "ok")
    assert links["device"]["health"] == device[0] and device[1] in links["device"]["found"]
    assert f"Android {phone.android} (API {phone.api_level}), screen {phone.screen}" in links["device"]["found"]
    assert links["app"]["health"] == app[0] and app[1] in links["app"]["found"]
    # The stand-in phone cannot host a UiAutomator2 session (and this Appium has no SDK): the account link
    # says so in Appium's words, and the chain cannot run.
    assert code == 1
    if app[0] == "ok":
        assert links["account"]["health"] == "broken"
        assert links["account"]["found"].startswith(f"Could not start a session on Appium at {uiautomator2.url}")
        assert report["device"]["app_version"] == "47.0.3" and report["device"]["locale"] == "en_US"


@pytest.mark.slow
def test_doctor_on_the_virtual_device_says_so_and_checks_it(promo: Promo) -> None:
    code, report = _doctor(promo, env=clean_env())
    links = _links(report)
    assert code == 0 and report["target"] == "sim"
    assert "no phone, adb, Java or Android SDK needed" in links["target"]["found"]
    assert links["account"]["health"] == "ok" and links["account"]["found"].startswith("@mia.creates is logged in")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _bundled_adb() -> str:
    import adbutils

    return adbutils.adb_path()


@pytest.mark.slow
def test_promo_stops_the_adb_server_it_started_and_leaves_one_it_found(promo: Promo) -> None:
    port = free_port()
    env = {k: v for k, v in clean_env(ANDROID_ADB_SERVER_PORT=str(port)).items() if k != "ADBUTILS_ADB_PATH"}
    run = promo("devices", "--json", env=env)
    assert run.code == 0 and run.json()["adb"] == "ok", run.err
    assert not _answers(port), "promo devices left the adb server it started running"

    adb = _bundled_adb()
    subprocess.run([adb, "-P", str(port), "start-server"], check=True, capture_output=True, timeout=30)
    try:
        assert promo("devices", env=env).code == 0
        assert _answers(port), "promo devices stopped an adb server it did not start"
    finally:
        subprocess.run([adb, "-P", str(port), "kill-server"], check=False, capture_output=True, timeout=30)


@pytest.mark.parametrize("account", [["--account=@mia.creates"], ["--account", "mia.creates"],
                                     ["--account=mia.creates"]])
@pytest.mark.slow
def test_the_account_option_takes_the_forms_the_readme_shows(account: list[str]) -> None:
    done, _ = _pytest_features("-m", "smoke", *account, env=clean_env())
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow
def test_promo_account_env_takes_the_at_form() -> None:
    done, _ = _pytest_features("-m", "smoke", env=clean_env(PROMO_ACCOUNT="@mia.creates"))
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr


def test_an_account_given_with_a_bare_at_word_is_pytests_own_argument_file() -> None:
    # pytest reads a word starting with @ as a file of arguments before any plugin sees the command line
    # (pytest-dev/pytest src/_pytest/config/argparsing.py: fromfile_prefix_chars="@"), so the README writes
    # --account=@me; this pins that behaviour, so the README is changed if pytest ever drops it.
    done, _ = _pytest_features("-m", "smoke", "--account", "@mia.creates", env=clean_env())
    assert done.returncode != 0 and "No such file or directory: 'mia.creates'" in done.stderr


@pytest.fixture
def readme_commands() -> Iterator[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### On an emulator or a phone", 1)[1].split("\n### ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in section.split("```sh\n")[1:]]
    yield [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.slow
def test_the_readme_real_device_commands_do_what_it_promises(readme_commands: list[str], tmp_path: Path) -> None:
    env = _no_sdk_env()
    env.pop("APPIUM_HOME")
    ran = 0
    for command in readme_commands:
        if command.startswith("export APPIUM_HOME="):
            env["APPIUM_HOME"] = str(REPO / ".appium")
        elif command.startswith("npx appium driver list"):
            done = subprocess.run(command, shell=True, cwd=REPO, env=env, capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT, check=False)
            assert done.returncode == 0 and "uiautomator2" in done.stdout + done.stderr
            ran += 1
        elif command.startswith(".venv/bin/promo doctor"):
            # Up to where a phone is needed: the doctor answers at once, exits 1 and names the first broken link.
            done = subprocess.run(command.replace(".venv/bin/promo", f"{sys.executable} -m tiktok_promo.promo.cli"),
                                  shell=True, cwd=REPO, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                                  check=False)
            assert done.returncode == 1, done.stdout + done.stderr
            assert "Broken at" in done.stdout and "then run promo doctor again" in done.stdout
            ran += 1
    assert ran >= 2, f"the README's real-device section lost its commands: {readme_commands}"
    assert any(c.startswith(".venv/bin/pytest features --target appium") and "--account=@" in c
               for c in readme_commands), "the README's features command must use a form pytest accepts"
    assert not any(" --account @" in c for c in readme_commands)


@pytest.mark.slow
def test_every_audit_record_carries_the_android_and_app_versions(promo: Promo) -> None:
    run = promo("cancel", "--title", "Summer haul try-on", "--reason", "budget", "--yes", env=clean_env())
    assert run.code == 0, run.err
    records = promo.audit
    assert records and all(r["device_facts"].get("android.version") == "14" for r in records)
    assert all(r["device_facts"].get("app.version") for r in records)


@pytest.mark.slow
def test_the_report_environment_names_the_android_and_app_versions(tmp_path: Path) -> None:
    results = tmp_path / "allure-results"
    done, _ = _pytest_features("-m", "smoke", "--alluredir", str(results), env=clean_env())
    assert done.returncode == 0, done.stdout + done.stderr
    props = dict(line.split("=", 1) for line in (results / "environment.properties").read_text().splitlines())
    # Keys as a person reads them on the report's overview (a space in a .properties key is escaped).
    assert props["Android\\ version"] == "14" and props["app\\ version"]
