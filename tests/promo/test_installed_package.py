"""The package as it ships: a wheel built from the repo, installed (not editable) into a fresh virtual
environment, then `promo` from a folder that is not the repo. The wheel puts one name into site-packages,
`tiktok_promo` (the layers are linked into it in the repo; the wheel holds their files). It carries what it needs
at run time
(the target profiles, the virtual device's worlds, fonts and words, the page objects' wordings, the report's
categories as package data) and declares the dependencies pyproject.toml lists; the installed `promo`
writes its records where it is run.

Offline: the wheel is built without build isolation, with the setuptools of the test environment, and
installed without its dependencies; the fresh environment reuses the ones installed here (a .pth file
naming this environment's site-packages), so nothing is fetched from a package index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from email.parser import Parser
from fnmatch import fnmatch
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and installs it into a fresh venv

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout or of the test run's environment may leak into the installed one.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "PYTHON", "VIRTUAL_ENV", "PIP_"))}
    # Tables as wide as their titles: a width this process happens to carry (a parallel run's worker) must not
    # wrap the titles the test looks for.
    env["COLUMNS"] = "200"
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


PACKAGE = "tiktok_promo"


def _packages() -> list[str]:
    """The top-level packages [tool.setuptools.packages.find] includes."""
    return sorted({pattern.rstrip("*") for pattern in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]})


def _layers() -> list[Path]:
    """The package's links to the layers' folders (tiktok_promo/pages -> ../pages, ...)."""
    return sorted(path for path in (REPO / PACKAGE).iterdir() if path.is_symlink())


def _data_files() -> list[str]:
    """Every file of the layers that is not Python, as the wheel names it (tiktok_promo/simulator/worlds/...): all
    of it is read at run time, so all of it must ship."""
    return sorted(f"{PACKAGE}/{link.name}/{path.relative_to(link.resolve())}" for link in _layers()
                  for path in link.resolve().rglob("*")
                  if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts)


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
            for requirement in requirements}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel .` builds from a copy of the repo's packages, once for this module."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    source, dist = tmp_path / "source", tmp_path / "dist"
    # A copy of what the package is made of, so the build's own files (build/, *.egg-info) stay out of the repo:
    # tiktok_promo/ with its links as links, and the layers' folders they point at.
    assert _packages() == [PACKAGE]
    shutil.copytree(REPO / PACKAGE, source / PACKAGE, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for link in _layers():
        shutil.copytree(link.resolve(), source / link.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source)
    built = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                 "--no-build-isolation", "--no-index", "--wheel-dir", str(dist), str(source)], tmp_path, 300)
    assert built.returncode == 0, built.stdout + built.stderr
    return next(dist.glob("*.whl"))


def test_the_wheel_carries_the_package_data_and_declares_the_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = Parser().parsestr(archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
                                     .decode("utf-8"))
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
        top_level = archive.read(next(n for n in names if n.endswith(".dist-info/top_level.txt"))).decode()
    # One name of its own in site-packages: a user's `pages/` or `steps/` clashes with nothing of it.
    assert top_level.split() == [PACKAGE]
    assert {name.split("/")[0] for name in names if ".dist-info/" not in name} == {PACKAGE}
    assert {name.split("/")[1] for name in names if name.startswith(f"{PACKAGE}/") and name.count("/") > 1} == {
        "harness", "flows", "pages", "steps", "promo", "simulator", "releases"}
    data = _data_files()
    assert any(fnmatch(name, f"{PACKAGE}/simulator/worlds/*.yaml") for name in data)
    assert any(fnmatch(name, f"{PACKAGE}/releases/*.yaml") for name in data)
    assert [name for name in data if name not in names] == [], "not in the wheel: add them to package-data"
    assert _requirement_names(metadata.get_all("Requires-Dist") or []) >= _requirement_names(
        PYPROJECT["project"]["dependencies"])
    assert "promo = tiktok_promo.promo.cli:main" in entry_points
    # The app's pytest plugin, for a user's own suite (docs/python-api.md), under its module's name.
    assert f"{PACKAGE}/steps/pytest_plugin.py" in names
    assert "[pytest11]\ntiktok_promo.steps.pytest_plugin = tiktok_promo.steps.pytest_plugin\n" in entry_points


def test_an_installed_promo_lists_and_cancels_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv, elsewhere = tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, 120)
    assert made.returncode == 0, made.stderr
    python, promo = venv / "bin" / "python", venv / "bin" / "promo"
    # The dependencies are this environment's: its site-packages comes after the new one's own, and its .pth
    # files (this checkout's editable install among them) are not run, so the package itself is the wheel's.
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, 60)
                .stdout.strip())
    (site / "installed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                     "--disable-pip-version-check", "--no-deps", "--no-index", str(wheel)], tmp_path, 300)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = run([str(python), "-c", "import tiktok_promo.harness, tiktok_promo.promo.cli, tiktok_promo.simulator; "
                 "print(tiktok_promo.harness.__file__)"], elsewhere, 60)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), f"harness imported from {where.stdout.strip()}"
    # The generic names stay free for the user's own modules.
    bare = run([str(python), "-c", "import importlib; importlib.import_module('pages')"], elsewhere, 60)
    assert "No module named 'pages'" in bare.stderr

    listed = run([str(promo), "list"], elsewhere, 120)
    assert listed.returncode == 0, listed.stderr
    assert "Summer haul try-on" in listed.stdout and "P-1001" in listed.stdout and "@mia.creates" in listed.stdout

    cancelled = run([str(promo), "cancel", "--title", "Summer haul try-on", "--reason", "budget", "--yes"],
                    elsewhere, 120)
    assert cancelled.returncode == 0, cancelled.stderr
    assert "Done: 1 cancelled." in cancelled.stdout
    # Its records land in ./reports of the folder it was run in.
    audit = [json.loads(line) for line in (elsewhere / "reports" / "promo-audit.jsonl").read_text().splitlines()]
    # The line that proved the log can be kept, then the cancel's line, then its evidence in a line of its own.
    assert [(entry.get("promotion_id"), entry["outcome"]) for entry in audit] == [
        (None, "run-started"), ("P-1001", "cancelled"), ("P-1001", "evidence")]
    assert list((elsewhere / "reports" / "promo").glob("*/*-result.json"))  # in the run's own folder
