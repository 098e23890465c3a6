"""The layer rules of pyproject.toml ([tool.importlinter]) and the type hints ([tool.mypy]), checked as `make lint`
checks them.

An import that points up a layer (the engine importing a page, a page importing a flow, anything but
harness.run importing the virtual device) fails here with import-linter's sentence, which names the
importing module, the imported one and the line.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("steps", "promo", "flows", "pages", "harness", "simulator", "tiktok_releases")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(script), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120,
                          check=False)


def test_every_import_points_down_a_layer() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_fails_naming_both_modules(tmp_path: Path) -> None:
    # A copy of the packages with one import planted where it must not be: the engine reading a page.
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    waits = tmp_path / "harness" / "ui" / "waits.py"
    waits.write_text(waits.read_text(encoding="utf-8") + "\nfrom tiktok_promo.pages.base import PACKAGE  # planted\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "harness is not allowed to import pages" in result.stdout
    assert "harness.ui.waits -> pages.base" in result.stdout


def test_the_root_conftest_only_loads_the_plugin() -> None:
    # conftest.py is no package, so the contracts would not see an import there: it holds none, and names the
    # app's plugin (steps.pytest_plugin), which is inside a package they check.
    tree = ast.parse((REPO / "conftest.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assigned = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    assert set(assigned) == {"pytest_plugins"}
    assert ast.literal_eval(assigned["pytest_plugins"]) == ["tiktok_promo.steps.pytest_plugin"]


def test_the_plugin_starting_the_virtual_device_itself_fails_the_contracts(tmp_path: Path) -> None:
    # The pytest plugin may reach the device only through harness.run, like every module above the engine.
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    plugin = tmp_path / "steps" / "pytest_plugin.py"
    plugin.write_text(plugin.read_text(encoding="utf-8") + "\nfrom tiktok_promo.simulator import SimulatorServer  # planted\n",
                      encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "steps.pytest_plugin -> simulator" in result.stdout


@pytest.mark.slow
def test_the_type_hints_hold() -> None:
    # The packages and settings are [tool.mypy]'s in pyproject.toml, as `make lint` runs it.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
