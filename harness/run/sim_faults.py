"""The virtual device's fault settings (`sim:faults`) as a person writes them for a run: read, checked by the
device's own rules before the run, and merged (a run's over a profile's)."""

from __future__ import annotations

import json
from typing import Any

from tiktok_promo.harness.errors import ConfigError


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
    from tiktok_promo.simulator.errors import InvalidArgument  # only the sim target needs the simulator
    from tiktok_promo.simulator.faults import parse_faults as device_check

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
