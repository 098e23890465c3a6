"""The virtual TikTok device for target sim: started in-process once per test run (or xdist worker)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from harness.errors import ConfigError
from harness.run.config import RunConfig


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
    from harness.run.session import AppiumSession, AppUnderTest

    with AppiumSession(config, url, AppUnderTest()) as session:
        return session.device_info()


def parse_run_faults(spec: str | None) -> Any:
    """The `sim:faults` of every session of a run (--sim-faults / PROMO_SIM_FAULTS): a fault profile name
    (flaky, hostile) or a JSON mapping such as '{"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}'.

    None when not given. The device checks the settings themselves when a session starts.
    """
    spec = (spec or "").strip()
    if not spec:
        return None
    if not spec.startswith("{"):
        return spec
    try:
        return json.loads(spec)
    except json.JSONDecodeError as error:
        raise ConfigError(f"--sim-faults (PROMO_SIM_FAULTS) is not valid JSON: {error.msg}.") from None
