"""Gherkin tags (harness.bdd.tags): severities as Allure labels, @sim-only skipped on a real device, and every tag
the features use known."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiktok_promo.harness.bdd import tags
from tiktok_promo.harness.run.config import load_run_config


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
