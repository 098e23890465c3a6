"""The virtual TikTok device for target sim: started in-process once per test run (or xdist worker)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from typing import Any

from harness.errors import ConfigError
from harness.run.config import RunConfig

# The folders a device started by the Appium driver (python -m simulator) may read world files from: the
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
        from simulator import SimulatorServer  # only the sim target needs the simulator

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
    from harness.run.session import AppiumSession, AppUnderTest

    with AppiumSession(config, url, AppUnderTest()) as session:
        return session.device_info()


def parse_faults(spec: str, option: str) -> Any:
    """A `sim:faults` value as a person writes it: a fault profile name (flaky, hostile) or a JSON mapping
    such as '{"latency_ms": 150, "latency_sigma": 0.35, "seed": 1}'; ConfigError naming `option` when the
    JSON is broken, or when the virtual device would refuse the settings (an unknown profile, a rate over 1):
    one sentence before the run, not the same refusal at every session's start."""
    spec = spec.strip()
    if not spec.startswith("{"):
        return _checked(spec, option)
    try:
        return _checked(json.loads(spec), option)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{option} is not valid JSON: {error.msg}.") from None


def _checked(faults: Any, option: str) -> Any:
    from simulator.errors import InvalidArgument  # only the sim target needs the simulator
    from simulator.faults import parse_faults as device_check

    try:
        device_check(faults)
    except InvalidArgument as error:
        raise ConfigError(f"{option}: {error.message.rstrip('.')}.") from None
    return faults


def parse_run_faults(spec: str | None) -> Any:
    """The `sim:faults` of every session of a run (--sim-faults / PROMO_SIM_FAULTS); None when not given."""
    if not (spec or "").strip():
        return None
    return parse_faults(spec or "", "--sim-faults (PROMO_SIM_FAULTS)")


def merge_faults(base: Any, extra: Any) -> Any:
    """Two `sim:faults` values as one: `extra`'s settings over `base`'s (a profile name is {"profile": name})."""
    if base is None or extra is None:
        return extra if base is None else base

    def settings(value: Any) -> dict[str, Any]:
        return {"profile": value} if isinstance(value, str) else dict(value)

    return {**settings(base), **settings(extra)}
