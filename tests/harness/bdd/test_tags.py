"""Tags as Allure labels and skips, the report's environment and categories, and session choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.bdd import tags
from harness.errors import ConfigError
from harness.report import evidence
from harness.run.config import load_run_config
from harness.run.session import AppiumSession
from pages.app import TIKTOK


class FakeItem:
    """Just enough of a pytest item: its markers."""

    def __init__(self, *names: str) -> None:
        self.marks = [getattr(pytest.mark, name).mark for name in names]

    def iter_markers(self):
        return iter(self.marks)

    def add_marker(self, mark) -> None:
        self.marks.append(mark.mark)


def test_severity_tags_become_allure_severity_labels() -> None:
    item = FakeItem("smoke", "critical")
    tags.apply([item], load_run_config(env={}))
    labels = [m for m in item.marks if m.name == "allure_label"]
    assert [(m.args, m.kwargs) for m in labels] == [(("critical",), {"label_type": "severity"})]


def test_sim_only_scenarios_are_skipped_on_a_real_device() -> None:
    real, virtual = FakeItem("sim-only"), FakeItem("sim-only")
    tags.apply([real], load_run_config(target="appium", env={}))
    tags.apply([virtual], load_run_config(env={}))
    assert any(m.name == "skip" for m in real.marks)
    assert not any(m.name == "skip" for m in virtual.marks)


def test_every_tag_the_features_use_is_known() -> None:
    root = Path(__file__).resolve().parents[3] / "features"
    used = {word[1:] for f in root.glob("*.feature") for line in f.read_text().splitlines()
            if line.strip().startswith("@") for word in line.split()}
    assert used <= set(tags.KNOWN_TAGS), used - set(tags.KNOWN_TAGS)


def test_environment_names_the_device_and_hides_credentials(tmp_path: Path) -> None:
    config = load_run_config(target="appium", env={"APPIUM_URL": "https://alice:k3y@hub.example.com/wd/hub"})
    props = evidence.environment(config, {"platformVersion": "14", "deviceName": "Pixel 8", "appVersion": "37.9.1"},
                                 server="Appium 3.8.0", run_id="r-1")
    assert props["Appium URL"] == "https://hub.example.com/wd/hub" and props["device"] == "Pixel 8"
    assert (props["Android version"], props["app version"], props["Appium version"], props["run id"]) == (
        "14", "37.9.1", "Appium 3.8.0", "r-1")
    evidence.write_environment(tmp_path, props)
    text = (tmp_path / "environment.properties").read_text()
    # A space ends a key in a .properties file: Allure 3 reads "Android\ version" as "Android version".
    assert "k3y" not in text and "alice" not in text and "Android\\ version=14" in text


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
