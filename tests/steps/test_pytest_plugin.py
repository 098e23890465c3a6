"""The app's pytest plugin loads once however it is found: through the installed package's `pytest11` entry
point (which also names it for the repo's conftest.py) or, with entry points off, through conftest.py alone.
A second registration would stop pytest before collecting (pluggy refuses one module under two names)."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest
from runenv import clean_env

ROOT = Path(__file__).resolve().parents[2]
FEATURE = "features/cancel_promotion.feature"


def collect(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", *args, FEATURE], cwd=ROOT,
                          env=clean_env(**extra), capture_output=True, text=True, timeout=120, check=False)


def collected(run: subprocess.CompletedProcess[str]) -> int:
    assert run.returncode == 0, run.stdout + run.stderr
    found = re.search(r"^(\d+)(?:/\d+)? tests? collected", run.stdout, re.MULTILINE)
    assert found, run.stdout
    return int(found[1])


def test_the_installed_entry_point_names_the_plugin_by_its_module() -> None:
    # The name is what pytest looks up before importing a module that conftest.py names: equal, it loads once.
    points = [point for point in importlib.metadata.entry_points(group="pytest11")
              if point.value == "tiktok_promo.steps.pytest_plugin"]
    assert [point.name for point in points] == ["tiktok_promo.steps.pytest_plugin"]


@pytest.mark.slow  # three pytest processes
def test_the_plugin_loads_once_with_or_without_its_entry_point() -> None:
    both = collected(collect())
    # Entry points off: pytest-bdd is named by hand, the app's plugin comes from conftest.py alone.
    conftest_only = collected(collect("-p", "pytest_bdd.plugin", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"))
    # A person naming it too (-p, as for any plugin) finds the entry point under that name: still once.
    named_thrice = collected(collect("-p", "tiktok_promo.steps.pytest_plugin"))
    assert both == conftest_only == named_thrice > 0
