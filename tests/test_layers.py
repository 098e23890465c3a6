"""The layer rules of pyproject.toml ([tool.importlinter]) and the type hints ([tool.mypy]), checked as `make lint`
checks them, and the one import package: every layer is imported as `tiktok_promo.<layer>`, never by its bare name.

An import that points up a layer (the engine importing a page, a page importing a flow, anything but
harness.run importing the virtual device) fails here with import-linter's sentence, which names the
importing module, the imported one and the line. Importing `pages` bare works in a checkout (the repo's folder
is on sys.path) but loads a second copy of the module beside `tiktok_promo.pages`, with a second copy of each of
its error classes, which an `except` for the other copy silently misses: it fails here, naming file and line.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "tiktok_promo"
LAYERS = ("steps", "promo", "flows", "pages", "harness", "simulator", "releases")
# The bare names no import may use: the layers, and the release files' package under its name before `releases`.
BARE = (*LAYERS, "tiktok_releases")
# The checks' own examples name a layer through these, so that the rename script (which prefixed every import of a
# bare name it found, in strings too, and may run again on a branch) leaves them bare.
STRAY, STRAY_PAGE = "harness", "pages"


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(script), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120,
                          check=False)


def copy_package(where: Path) -> None:
    """The layers' folders and tiktok_promo/ with its links (still relative: they point at the copies)."""
    for layer in LAYERS:
        shutil.copytree(REPO / layer, where / layer, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / PACKAGE, where / PACKAGE, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", where)


def test_every_import_points_down_a_layer() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_fails_naming_both_modules(tmp_path: Path) -> None:
    # A copy of the packages with one import planted where it must not be: the engine reading a page. The planted
    # line is in the layer's folder, seen through the package's link, as every module is.
    copy_package(tmp_path)
    waits = tmp_path / "harness" / "ui" / "waits.py"
    waits.write_text(waits.read_text(encoding="utf-8") + "\nfrom tiktok_promo.pages.base import PACKAGE  # planted\n",
                     encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tiktok_promo.harness is not allowed to import tiktok_promo.pages" in result.stdout
    assert "tiktok_promo.harness.ui.waits -> tiktok_promo.pages.base" in result.stdout


def test_the_root_conftest_only_loads_the_plugin() -> None:
    # conftest.py is no package, so the contracts would not see an import there: it holds none, and names the
    # app's plugin (tiktok_promo.steps.pytest_plugin), which is inside a package they check.
    tree = ast.parse((REPO / "conftest.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assigned = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)}
    assert set(assigned) == {"pytest_plugins"}
    assert ast.literal_eval(assigned["pytest_plugins"]) == ["tiktok_promo.steps.pytest_plugin"]


def test_the_plugin_starting_the_virtual_device_itself_fails_the_contracts(tmp_path: Path) -> None:
    # The pytest plugin may reach the device only through harness.run, like every module above the engine.
    copy_package(tmp_path)
    plugin = tmp_path / "steps" / "pytest_plugin.py"
    planted = "\nfrom tiktok_promo.simulator import SimulatorServer  # planted\n"
    plugin.write_text(plugin.read_text(encoding="utf-8") + planted, encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tiktok_promo.steps.pytest_plugin -> tiktok_promo.simulator" in result.stdout


@pytest.mark.slow
def test_the_type_hints_hold() -> None:
    # The packages and settings are [tool.mypy]'s in pyproject.toml, as `make lint` runs it.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def bare_imports(path: Path, root: Path = REPO) -> list[str]:
    """`file:line imports <name>` for each import of a layer by its bare name in one Python file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} imports {name}" for name in names
                  if name.split(".")[0] in BARE]
    return found


def test_no_tracked_python_file_imports_a_layer_by_its_bare_name() -> None:
    tracked = subprocess.run(["git", "ls-files", "-z", "*.py"], cwd=REPO, capture_output=True, text=True,
                             timeout=60, check=True).stdout.split("\0")
    # The links' files are the layers' files, listed once under their folders.
    files = [REPO / name for name in tracked if name and (REPO / name).is_file() and not (REPO / name).is_symlink()]
    assert len(files) > 100
    found = [line for path in files for line in bare_imports(path)]
    assert found == [], f"import them as {PACKAGE}.<layer>:\n" + "\n".join(found)


def test_the_bare_name_check_names_file_and_line(tmp_path: Path) -> None:
    mine = tmp_path / "mine.py"
    mine.write_text(f"import os\nfrom tiktok_promo.pages.base import Page\n\n\ndef f():\n    import {STRAY}.errors\n"
                    f"    from {STRAY_PAGE}.base import Page\n    from . import releases\n", encoding="utf-8")
    assert bare_imports(mine, tmp_path) == ["mine.py:6 imports harness.errors", "mine.py:7 imports pages.base"]


# What a run loads: the plugin (with its step modules), every page and every flow. Run from the repo's folder,
# where importing harness bare would work and so would load a second copy.
_LOAD_ALL = """
import importlib, pkgutil, sys
import tiktok_promo.steps.pytest_plugin as plugin
import tiktok_promo.flows, tiktok_promo.pages
for name in plugin.pytest_plugins:
    importlib.import_module(name)
for package in (tiktok_promo.flows, tiktok_promo.pages):
    for found in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(found.name)
"""
_PRINT = "print(' '.join(sorted(sys.modules)))\n"


def loaded_modules(extra: str = "") -> list[str]:
    run = subprocess.run([sys.executable, "-c", _LOAD_ALL + textwrap.dedent(extra) + _PRINT], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def _bare(modules: list[str]) -> list[str]:
    return [name for name in modules if name.split(".")[0] in BARE]


@pytest.mark.slow
def test_a_run_loads_every_module_once_under_the_package_name() -> None:
    modules = loaded_modules()
    assert "tiktok_promo.steps.cancel_steps" in modules and "tiktok_promo.pages.feed" in modules
    assert "tiktok_promo.flows.cancel_flow" in modules and "tiktok_promo.harness.errors" in modules
    assert _bare(modules) == []


@pytest.mark.slow
def test_the_second_copy_check_sees_a_bare_import() -> None:
    # What a stray bare import of harness.errors in any of them would do: a second copy, a second HarnessError.
    modules = loaded_modules(f"import {STRAY}.errors\n")
    assert f"{STRAY}.errors" in _bare(modules) and "tiktok_promo.harness.errors" in modules
