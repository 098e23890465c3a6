"""The environment the tests give the processes they start (a developer's settings and keys stay out), and the one
way a test starts a server it needs (runenv.started)."""

from __future__ import annotations

import pytest
from runenv import clean_env, started, still_profile

from tiktok_promo.harness.run.config import load_run_config


def test_a_developers_cloud_keys_and_settings_do_not_reach_a_child_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SAUCE_ACCESS_KEY", "BROWSERSTACK_ACCESS_KEY", "LT_ACCESS_KEY", "PROMO_CAPS", "APPIUM_HOME",
                 "PYTEST_ADDOPTS", "ANDROID_ADB_SERVER_PORT"):
        monkeypatch.setenv(name, "from-the-developer")
    env = clean_env(SAUCE_ACCESS_KEY="the-test's-own")
    assert "from-the-developer" not in env.values()
    assert env["SAUCE_ACCESS_KEY"] == "the-test's-own"
    assert env["ADBUTILS_ADB_PATH"] == "/nonexistent/adb"


class Server:
    """A server as `started` sees one: entering starts it (or raises its one sentence), leaving stops it."""

    def __init__(self, refusal: Exception | None = None) -> None:
        self.refusal = refusal
        self.running = False

    def __enter__(self) -> Server:
        if self.refusal is not None:
            raise self.refusal
        self.running = True
        return self

    def __exit__(self, *_: object) -> None:
        self.running = False


class Missing(RuntimeError):
    """What a server raises when the machine lacks something it needs."""


def test_a_server_that_cannot_start_fails_the_test_with_its_one_sentence_and_no_traceback() -> None:
    sentence = "Java is missing, and the Selenium Grid needs it: install default-jre-headless."
    with pytest.raises(pytest.fail.Exception) as failed, started(Server(Missing(sentence)), Missing):
        pass
    assert str(failed.value) == sentence and failed.value.pytrace is False


def test_a_started_server_is_stopped_after_the_test_even_when_it_fails() -> None:
    server = Server()
    with pytest.raises(AssertionError), started(server, Missing) as running:
        assert running is server and server.running
        raise AssertionError("the test's own failure")
    assert not server.running


def test_another_error_at_start_is_not_taken_for_the_servers_sentence() -> None:
    with pytest.raises(KeyError), started(Server(KeyError("a bug")), Missing):
        pass


def test_the_profile_with_screens_at_rest_is_the_shipped_one_but_for_the_transitions(tmp_path) -> None:
    shipped = load_run_config(target="appium", caps="appium-sim", env={})
    still = load_run_config(target="appium", caps=str(still_profile(tmp_path, "appium-sim")), env={})
    assert still.profile.capabilities == {**shipped.profile.capabilities, "sim:transitions": False}
    assert still.profile.model_dump(exclude={"capabilities"}) == shipped.profile.model_dump(exclude={"capabilities"})
