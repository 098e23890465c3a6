"""The one error the steps raise themselves: a feature file whose steps do not follow the app's screens."""

from __future__ import annotations

from harness.errors import CONFIGURATION, HarnessError


class WrongScreen(HarnessError):
    """A step was written after a step that leaves the app on another screen (a feature-writing mistake)."""

    category = CONFIGURATION
