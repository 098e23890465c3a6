"""Target selection and the one-sentence errors of a badly asked-for run."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.redact import redact_url
from tiktok_promo.harness.run.config import check_reachable, load_run_config

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "caps.yaml"
    path.write_text(text)
    return str(path)


def test_the_default_is_the_virtual_device_with_the_sim_profile() -> None:
    config = load_run_config(env={})
    assert config.target == "sim" and config.is_sim and config.virtual_device
    assert config.profile_path.name == "sim.yaml"
    assert config.world == "default" and config.account == "mia.creates"
    caps = config.capabilities(world="many", faults="flaky")
    assert caps["sim:world"] == "many" and caps["sim:faults"] == "flaky"
    assert caps["timeouts"] == {"implicit": 0}  # see harness.ui.finder: every wait is client-side


def test_options_win_over_environment_over_profile() -> None:
    env = {"PROMO_WORLD": "business", "PROMO_ACCOUNT": "@env.account", "PROMO_UDID": "emulator-5554"}
    assert load_run_config(env=env).world == "business"
    assert load_run_config(world="current", env=env).world == "current"
    config = load_run_config(env=env)
    assert config.account == "env.account"
    assert config.capabilities()["appium:udid"] == "emulator-5554"
    assert load_run_config(step_screenshots=None, env={"PROMO_STEP_SCREENSHOTS": "off"}).step_screenshots is False


def test_appium_target_uses_the_emulator_profile_and_the_url() -> None:
    config = load_run_config(target="appium", env={"APPIUM_URL": "http://user:secret@grid.example:4444/wd/hub"})
    assert config.profile_path.name == "android-emulator.yaml"
    assert not config.virtual_device and "sim:world" not in config.capabilities()
    assert config.appium_url == "http://user:secret@grid.example:4444/wd/hub"
    assert config.safe_url == "http://grid.example:4444/wd/hub"  # never a credential in a report


def test_profiles_are_found_by_name() -> None:
    assert load_run_config(target="appium", caps="android-phone", env={}).profile_path.name == "android-phone.yaml"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "browserstack"}, "Unknown target 'browserstack': choose sim or appium"),
        ({"caps": "/no/such/caps.yaml"}, "Caps file /no/such/caps.yaml does not exist"),
        ({"world": "atlantis"}, "Unknown world: world 'atlantis' is neither a shipped world"),
        ({"target": "appium", "world": "current"}, "picks a virtual-device world"),
        ({"target": "appium", "appium_url": "localhost:4723"}, r"is not an http\(s\) URL"),
    ],
)
def test_bad_choices_are_one_sentence(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_run_config(env={}, **kwargs)


def test_malformed_caps_files_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"is not valid YAML at line 2, column 1"):
        load_run_config(caps=write(tmp_path, "capabilities: [open\n"), env={})
    with pytest.raises(ConfigError, match="must be a mapping with a 'capabilities' section"):
        load_run_config(caps=write(tmp_path, "- just\n- a list\n"), env={})
    with pytest.raises(ConfigError, match="capabilities: Field required"):
        load_run_config(caps=write(tmp_path, "description: no caps\n"), env={})
    with pytest.raises(ConfigError, match="colour: is not a setting a profile has"):
        load_run_config(caps=write(tmp_path, "colour: red\ncapabilities: {platformName: Android}\n"), env={})


def test_secrets_come_from_the_environment(tmp_path: Path) -> None:
    caps = write(tmp_path, "capabilities:\n  platformName: Android\n  cloud:options: {key: '${CLOUD_KEY}'}\n")
    config = load_run_config(target="appium", caps=caps, env={"CLOUD_KEY": "s3cr3t"})
    assert config.capabilities()["cloud:options"] == {"key": "s3cr3t"}
    with pytest.raises(ConfigError, match="needs the environment variable CLOUD_KEY, which is not set"):
        load_run_config(target="appium", caps=caps, env={})


def test_nothing_listening_fails_at_once() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConfigError, match=f"Nothing answers at the Appium URL http://127.0.0.1:{port}"):
        check_reachable(f"http://127.0.0.1:{port}")


def test_a_server_that_never_answers_fails_within_the_timeout() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        started = time.monotonic()
        with pytest.raises(ConfigError, match=r"no answer within 0\.5 s"):
            check_reachable(f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=0.5)
        assert time.monotonic() - started < 3


def test_any_http_answer_counts_as_reachable() -> None:
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class NotFound(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        check_reachable(f"http://user:pw@127.0.0.1:{server.server_address[1]}/wd/hub")
    finally:
        server.shutdown()
        server.server_close()


def test_redact_url_keeps_everything_but_the_credentials() -> None:
    assert redact_url("https://u:p@hub.example.com:443/wd/hub?x=1") == "https://hub.example.com:443/wd/hub?x=1"
    assert redact_url("http://127.0.0.1:4723") == "http://127.0.0.1:4723"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "nowhere"], "ERROR: Unknown target 'nowhere'"),
        (["--caps", "missing-profile"], "ERROR: Caps file missing-profile does not exist"),
        (["--target", "appium", "--appium-url", "http://127.0.0.1:9"],
         "failed at Appium 3 server: http://127.0.0.1:9: nothing answers at this Appium URL"),
    ],
)
@pytest.mark.slow
def test_pytest_ends_bad_input_with_one_line_and_a_usage_exit(args: list[str], message: str) -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 4
    assert message in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_the_folder_of_a_world_file_a_person_names_is_allowed_on_the_device(tmp_path: Path) -> None:
    from tiktok_promo.harness.run.config import world_folders

    mine = tmp_path / "mine.yaml"
    assert world_folders("default", "atlantis", None, str(mine), str(tmp_path / "b.yaml")) == [str(tmp_path)]
    with pytest.raises(ConfigError, match=r"absent\.yaml does not exist"):  # the person's own folder: said plainly
        load_run_config(world=str(tmp_path / "absent.yaml"), env={})


@pytest.mark.slow
def test_pytest_features_with_a_world_file_of_ones_own_runs_on_it(tmp_path: Path) -> None:
    # The device reads worlds only from folders its operator allowed; naming the file to pytest allows its folder.
    world = tmp_path / "elsewhere" / "copy-of-default.yaml"
    world.parent.mkdir()
    world.write_text((ROOT / "simulator" / "worlds" / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", "--world",
                          str(world), "-k", "the_way_the_guide_walks_it"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout


def test_the_language_comes_from_the_option_then_promo_language_and_is_checked() -> None:
    assert load_run_config(language="fr-fr", env={}).language == "fr_FR"
    assert load_run_config(env={"PROMO_LANGUAGE": "fr"}).language == "fr"
    assert load_run_config(env={}).language is None  # the device's locale will say
    with pytest.raises(ConfigError, match=r"--language \(PROMO_LANGUAGE\) 'French!' is not a language like en"):
        load_run_config(language="French!", env={})


@pytest.mark.parametrize("option", ["target", "caps", "world", "account", "language", "udid", "appium_url", "video"])
def test_an_empty_option_is_refused_and_an_empty_variable_is_unset(option: str) -> None:
    flag = "--" + option.replace("_", "-")
    with pytest.raises(ConfigError, match=rf"^{flag} is empty; give a value, or leave the option out"):
        load_run_config(env={}, **{option: " "})
    variables = {"PROMO_TARGET": "", "PROMO_CAPS": " ", "PROMO_WORLD": "", "PROMO_ACCOUNT": "", "PROMO_LANGUAGE": "",
                 "PROMO_UDID": "", "APPIUM_URL": "", "PROMO_VIDEO": " "}
    assert load_run_config(env=variables).udid is None  # the defaults: as if none were set


@pytest.mark.parametrize(("variable", "value", "shown"), [("PROMO_UDID", "sim-1\n", "\\n"),
                                                           ("PROMO_ACCOUNT", "\x1b[1mmia", "\\x1b"),
                                                           ("PROMO_CAPS", "sim\t", "\\t")])
def test_a_control_character_in_a_variable_is_refused_naming_it(variable: str, value: str, shown: str) -> None:
    with pytest.raises(ConfigError, match=rf"^{variable} holds a control character \('{re.escape(shown)}'"):
        load_run_config(env={variable: value})


def test_the_video_setting_comes_from_the_option_then_promo_video_and_is_checked() -> None:
    assert load_run_config(video="Always", env={}).video == "always"
    assert load_run_config(env={"PROMO_VIDEO": "off"}).video == "off"
    assert load_run_config(video="on-failure", env={"PROMO_VIDEO": "off"}).video == "on-failure"
    assert load_run_config(env={}).video is None  # each command's own default
    with pytest.raises(ConfigError, match=r"^--video \(PROMO_VIDEO\) 'yes' is not one of on-failure, always, off\.$"):
        load_run_config(env={"PROMO_VIDEO": "yes"})


def test_a_language_no_wording_has_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"'xx' is not a language the app's wordings have \(releases/ has "
                                          r"en, fr\)"):
        load_run_config(language="xx", env={}, known_languages=("en", "fr"))
    assert load_run_config(language="fr-CA", env={}, known_languages=("en", "fr")).language == "fr_CA"


@pytest.mark.parametrize(("args", "message"), [
    (["--target="], "ERROR: --target is empty; give a value, or leave the option out for the default."),
    (["--udid="], "ERROR: --udid is empty; give a value, or leave the option out for the default."),
    (["--language=xx"], "ERROR: --language (PROMO_LANGUAGE) 'xx' is not a language the app's wordings have"),
    (["--video="], "ERROR: --video is empty; give a value, or leave the option out for the default."),
    (["--video=sometimes"], "ERROR: --video (PROMO_VIDEO) 'sometimes' is not one of on-failure, always, off."),
    (["--udid=sim-1", "-n", "2"], "ERROR: --udid (PROMO_UDID) names one device, but 2 parallel workers need one "
                                  "each"),
])
@pytest.mark.slow
def test_pytest_refuses_empty_options_unknown_languages_and_one_udid_for_many_workers(args: list[str],
                                                                                     message: str) -> None:
    run = subprocess.run([sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 4, run.stdout[-1000:] + run.stderr[-1000:]
    assert message in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_an_appium_url_for_the_in_process_virtual_device_is_refused_not_ignored() -> None:
    with pytest.raises(ConfigError, match=r"^--appium-url is for --target appium; the virtual device"):
        load_run_config(target="sim", appium_url="http://127.0.0.1:4723", env={})
    assert load_run_config(env={"APPIUM_URL": "http://127.0.0.1:4723"}).appium_url is None  # another run's setting


@pytest.mark.parametrize(("text", "refusal"), [
    ("a: 1\na: 2\n", "is not valid YAML at line 2, column 1: the key 'a' appears twice"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
                                                    for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
     "expands to more than 100,000 values through YAML aliases"),
    ("[" * 100, "nests brackets more than 64 deep"),
    ("a: [1, 2\n", "is not valid YAML at line"),
])
def test_a_caps_file_and_a_world_file_with_the_same_mistake_get_the_same_sentence(
        tmp_path: Path, text: str, refusal: str) -> None:
    """One reader (simulator.safe_input) reads both: the same limits and refusals, each naming its file."""
    caps = tmp_path / "caps.yaml"
    world = tmp_path / "world.yaml"
    caps.write_text(text, encoding="utf-8")
    world.write_text(text, encoding="utf-8")
    sentences = []
    for path, option in ((caps, "caps"), (world, "world")):
        with pytest.raises(ConfigError) as caught:
            load_run_config(env={}, **{option: str(path)})
        sentences.append(str(caught.value))
    assert sentences[0].startswith(f"Caps file {caps} ") and sentences[1].startswith(f"World file {world} ")
    assert refusal in sentences[0]
    assert sentences[0].removeprefix(f"Caps file {caps}") == sentences[1].removeprefix(f"World file {world}")


def test_a_caps_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    caps = tmp_path / "caps.yaml"
    caps.write_bytes(b"")
    os.truncate(caps, (1 << 20) + 1)
    with pytest.raises(ConfigError, match=re.escape(f"Caps file {caps} is 1,048,577 bytes; a caps file may have at "
                                                    "most 1,048,576.")):
        load_run_config(env={}, caps=str(caps))
