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
PACKAGES = ("steps", "promo", "flows", "pages", "harness", "simulator")


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
    waits.write_text(waits.read_text(encoding="utf-8") + "\nfrom pages.base import PACKAGE  # planted\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "harness is not allowed to import pages" in result.stdout
    assert "harness.ui.waits -> pages.base" in result.stdout


def test_conftest_does_not_start_the_virtual_device_itself() -> None:
    # conftest.py is no package, so the contracts do not see it: it reaches the device through harness.run.
    tree = ast.parse((REPO / "conftest.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.split(".")[0] == "simulator"}



@pytest.mark.slow
def test_the_type_hints_hold() -> None:
    # The packages and settings are [tool.mypy]'s in pyproject.toml, as `make lint` runs it.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
