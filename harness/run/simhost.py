"""The virtual TikTok device for target sim: started in-process once per test run (or xdist worker)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import Any

from tiktok_promo.harness.run.config import RunConfig
from tiktok_promo.harness.run.sim_faults import merge_faults, parse_faults, parse_run_faults

__all__ = ["SimulatorHost", "merge_faults", "parse_faults", "parse_run_faults", "sim_device_info", "worlds_env"]

# The folders a device started by the Appium driver (python -m tiktok_promo.simulator) may read world files from: the
# driver passes Appium's environment on to it. Set by the run for the world files its operator named.
WORLDS_DIRS_ENV = "TIKTOK_SIM_WORLDS_DIRS"


def worlds_env(worlds_dirs: Iterable[str]) -> dict[str, str]:
    """The environment that lets a device behind Appium read world files from these folders."""
    folders = list(worlds_dirs)
    return {WORLDS_DIRS_ENV: os.pathsep.join(folders)} if folders else {}


class SimulatorHost:
    """Starts and stops the simulator server; its URL is what sessions connect to."""

    def __init__(self) -> None:
        self._server: Any = None

    def start(self, worlds_dirs: Iterable[str] = ()) -> str:
        """Start the device (once); it may read world files from `worlds_dirs` (see config.world_folders)."""
        from tiktok_promo.simulator import SimulatorServer  # only the sim target needs the simulator

        if self._server is None:
            self._server = SimulatorServer(port=0, world=None, worlds_dirs=worlds_dirs).start()
        return self._server.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(Exception):
                server.stop()


def sim_device_info(config: RunConfig, url: str) -> dict[str, Any]:
    """`mobile: deviceInfo` of the run's default world, from a session of its own (not a scenario's)."""
    from tiktok_promo.harness.run.session import AppiumSession, AppUnderTest

    with AppiumSession(config, url, AppUnderTest()) as session:
        return session.device_info()
