"""`pip install .` (not editable) into a fresh virtual environment, then `promo` from a folder that is not the
repo: the package carries what it needs at run time (its runtime dependencies, the target profiles and
the virtual device's worlds as package data), and writes its records where it is run.

One test, about a minute: it installs the dependencies from the package index as a person would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("simulator", "pages", "steps", "flows", "promo", "harness")  # [tool.setuptools.packages.find]


def run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout or of the test run's environment may leak into the installed one.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMO_", "PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_an_installed_promo_lists_and_cancels_from_any_folder(tmp_path: Path) -> None:
    venv, elsewhere, source = tmp_path / "venv", tmp_path / "elsewhere", tmp_path / "source"
    elsewhere.mkdir()
    # A copy of what the package is made of, so the build's own files (build/, *.egg-info) stay out of the repo.
    for package in PACKAGES:
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source)
    made = run([sys.executable, "-m", "venv", str(venv)], tmp_path, 120)
    assert made.returncode == 0, made.stderr
    python, promo = venv / "bin" / "python", venv / "bin" / "promo"
    installed = run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
                    tmp_path, 600)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = run([str(python), "-c", "import harness, promo, simulator; print(harness.__file__)"], elsewhere, 60)
    assert Path(where.stdout.strip()).is_relative_to(venv), f"harness imported from {where.stdout.strip()}"

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
