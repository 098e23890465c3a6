"""Session choices (harness.run.session): a world is chosen before the app opens, and only on the virtual device."""

from __future__ import annotations

import pytest

from tiktok_promo.harness.errors import ConfigError
from tiktok_promo.harness.run.config import load_run_config
from tiktok_promo.harness.run.session import AppiumSession
from tiktok_promo.pages.app import TIKTOK


def test_a_world_is_chosen_before_the_app_opens_and_only_on_the_virtual_device(make_session) -> None:
    session = make_session("default")
    session.start()
    with pytest.raises(ConfigError, match="must be chosen before the app opens"):
        session.use_world("many")
    real = AppiumSession(load_run_config(target="appium", env={}), "http://127.0.0.1:9", TIKTOK)
    with pytest.raises(ConfigError, match="needs the virtual device"):
        real.use_world("many")
    with pytest.raises(ConfigError, match="needs the virtual device"):
        real.ledger()
