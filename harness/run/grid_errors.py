"""The Selenium Grid's errors: one that could not start, one missing here, and one that stops the run."""

from __future__ import annotations

from tiktok_promo.harness.errors import CONFIGURATION, DeviceError
from tiktok_promo.harness.run.appium_server import AppiumServerError


class GridError(AppiumServerError):
    """The Grid could not be started (a JVM that exited, a node that never came UP): one sentence, then log lines."""


class GridNotInstalled(GridError):
    """Java or the Grid's jar is missing here: a person installs it (make java, npm ci) first."""

    category = CONFIGURATION


class GridStopsRun(DeviceError):
    """The Grid can start no session of this run (a capability no node offers, a node whose Appium is gone):
    every later scenario would fail the same way, so the run stops with this one sentence."""


class GridNodeDown(GridStopsRun):
    """A Grid node's Appium server stopped answering: no session can start there."""


