"""The one error the steps raise themselves: a feature file whose steps do not follow the app's screens."""

from __future__ import annotations

from tiktok_promo.harness.errors import CONFIGURATION, HarnessError


class WrongScreen(HarnessError):
    """A step was written after a step that leaves the app on another screen (a feature-writing mistake)."""

    category = CONFIGURATION


class MissingEarlierStep(HarnessError):
    """A step needs what an earlier step does (a cancel, a note) and the scenario has no such step before it:
    a feature-writing mistake, not the app's fault."""

    category = CONFIGURATION


NO_CANCEL_YET = ("No cancel was made before this step: a step such as 'When I cancel the promotion \"...\"' "
                 "comes before it.")
