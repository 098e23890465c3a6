"""Fixtures for the `promo` command tests: a runner in a temporary working directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import Promo


@pytest.fixture
def promo(tmp_path: Path) -> Promo:
    """Runs `python -m promo.cli` (the `promo` script) in tmp_path; its reports land in tmp_path/reports."""
    return Promo(tmp_path)
