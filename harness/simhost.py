"""The virtual TikTok device for target sim: started in-process once per test run (or xdist worker)."""

from __future__ import annotations

import contextlib
from typing import Any

from harness.config import RunConfig


class SimulatorHost:
    """Starts and stops the simulator server; its URL is what sessions connect to."""

    def __init__(self) -> None:
        self._server: Any = None

    def start(self) -> str:
        from simulator import SimulatorServer  # only the sim target needs the simulator

        if self._server is None:
            self._server = SimulatorServer(port=0, world=None).start()
        return self._server.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(Exception):
                server.stop()


def sim_device_info(config: RunConfig, url: str) -> dict[str, Any]:
    """`mobile: deviceInfo` of the run's default world, from a session of its own (not a scenario's)."""
    from harness.session import DeviceSession

    with DeviceSession(config, url) as session:
        return session.device_info()
