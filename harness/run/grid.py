"""The run's Selenium Grid 4, by its parts, one reason to change each: its errors (harness.run.grid_errors), a
local hub and nodes each relaying to its own Appium 3 (harness.run.local_grid), and the diagnosis of any Grid,
the run's own or a person's (harness.run.grid_diagnosis); this module names them together for the run's callers.
"""

from __future__ import annotations

from tiktok_promo.harness.run.grid_diagnosis import (
    grid_devices,
    is_unmatched_error,
    relay_failure,
    session_problem,
    stereotypes,
    unmatched_sentence,
)
from tiktok_promo.harness.run.grid_errors import GridError, GridNodeDown, GridNotInstalled, GridStopsRun
from tiktok_promo.harness.run.local_grid import (
    LEAN_JVM_FLAGS,
    GridNode,
    SeleniumGrid,
    local_grid_devices,
    run_grid,
    with_grid,
)

__all__ = [
    "LEAN_JVM_FLAGS", "GridError", "GridNode", "GridNodeDown", "GridNotInstalled", "GridStopsRun", "SeleniumGrid",
    "grid_devices", "is_unmatched_error", "local_grid_devices", "relay_failure", "run_grid", "session_problem",
    "stereotypes", "unmatched_sentence", "with_grid",
]
