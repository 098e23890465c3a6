"""The environment the tests give the processes they start: a developer's settings and keys stay out."""

from __future__ import annotations

import pytest
from runenv import clean_env


def test_a_developers_cloud_keys_and_settings_do_not_reach_a_child_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SAUCE_ACCESS_KEY", "BROWSERSTACK_ACCESS_KEY", "LT_ACCESS_KEY", "PROMO_CAPS", "APPIUM_HOME",
                 "PYTEST_ADDOPTS", "ANDROID_ADB_SERVER_PORT"):
        monkeypatch.setenv(name, "from-the-developer")
    env = clean_env(SAUCE_ACCESS_KEY="the-test's-own")
    assert "from-the-developer" not in env.values()
    assert env["SAUCE_ACCESS_KEY"] == "the-test's-own"
    assert env["ADBUTILS_ADB_PATH"] == "/nonexistent/adb"
