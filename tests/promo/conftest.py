"""Fixtures for the `promo` command tests: a runner in a temporary working directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import Promo
from runenv import clean_env
from tmuxkit import Terminal


@pytest.fixture
def promo(tmp_path: Path) -> Promo:
    """Runs `python -m tiktok_promo.promo.cli` (the `promo` script) in tmp_path; its reports land in
    tmp_path/reports."""
    return Promo(tmp_path)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A real terminal (tmux) of 80 columns for one `promo` command; its tmux server ends with the test."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; run `make browser` (apt-get install tmux).", pytrace=False)
    term = Terminal(tmp_path)
    yield term
    term.close()


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole walk on the current release (menu sheet, creator tools' "Promote" entry), recorded once."""
    folder = tmp_path_factory.mktemp("walked") / "rec"
    done = subprocess.run([sys.executable, "-m", "tiktok_promo.promo.cli", "capture", "--walk", "--world", "current",
                           str(folder)], cwd=folder.parent, env=clean_env(), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return folder
