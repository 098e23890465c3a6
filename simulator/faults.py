"""Faults on demand: what makes real phones hostile, injected per session and seeded.

A session asks for faults with the `sim:faults` capability: a profile name (`none`, `flaky`,
`hostile`) or a mapping of the fields of `FaultPlan` (a mapping may name a `profile` to start from).
The same seed and the same commands give the same faults, so every failure can be replayed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields, replace
from typing import Any

from simulator.errors import InvalidArgument


@dataclass(frozen=True)
class FaultPlan:
    """Which faults a session meets, and how often (rates are per command, 0..1)."""

    seed: int = 0
    latency_ms: float = 0.0  # median latency added to every command
    latency_sigma: float = 0.0  # spread of a log-normal latency around that median (0: fixed)
    popup_rate: float = 0.0  # an unexpected pop-up appears before a command
    stale_rate: float = 0.0  # the screen re-renders, making held element ids stale
    error_rate: float = 0.0  # a transient 500 answer (the command did nothing)
    slow_list_ms: int = 0  # the promotions list shows a spinner this long before its rows
    crash_after: int = 0  # the session dies after this many commands (0: never)
    confirm_fails_once: bool = False  # the first confirm of a cancel fails with an error toast

    @property
    def active(self) -> bool:
        return self != FaultPlan(seed=self.seed)


PROFILES: dict[str, FaultPlan] = {
    "none": FaultPlan(),
    "flaky": FaultPlan(popup_rate=0.03, stale_rate=0.03, error_rate=0.02, slow_list_ms=400),
    "hostile": FaultPlan(
        popup_rate=0.08, stale_rate=0.08, error_rate=0.05, slow_list_ms=1200, confirm_fails_once=True
    ),
}

_RATES = ("popup_rate", "stale_rate", "error_rate")


def parse_faults(value: object) -> FaultPlan:
    """The plan a `sim:faults` capability asks for; InvalidArgument names what is wrong."""
    if value is None:
        return PROFILES["none"]
    if isinstance(value, str):
        if value not in PROFILES:
            raise InvalidArgument(f"sim:faults profile {value!r} is unknown; choose one of {', '.join(PROFILES)}")
        return PROFILES[value]
    if not isinstance(value, dict):
        raise InvalidArgument("sim:faults must be a profile name or a mapping of fault settings")
    settings = dict(value)
    base = parse_faults(settings.pop("profile", "none"))
    known = {f.name: f.type for f in fields(FaultPlan)}
    changes: dict[str, Any] = {}  # by name, for replace(); each value checked above
    for name, raw in settings.items():
        if name not in known:
            raise InvalidArgument(f"sim:faults has an unknown setting {name!r}; known: {', '.join(known)}")
        if name == "confirm_fails_once":
            if not isinstance(raw, bool):
                raise InvalidArgument("sim:faults confirm_fails_once must be true or false")
            changes[name] = raw
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            raise InvalidArgument(f"sim:faults {name} must be a number >= 0, not {raw!r}")
        if name in _RATES and raw > 1:
            raise InvalidArgument(f"sim:faults {name} is a probability between 0 and 1, not {raw!r}")
        changes[name] = int(raw) if name in ("seed", "slow_list_ms", "crash_after") else float(raw)
    return replace(base, **changes)


class FaultInjector:
    """Draws the faults of one session from its plan with its own seeded random generator."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)
        self.commands = 0
        self.confirm_failed = False
        self.injected: dict[str, int] = {}

    def _hit(self, rate: float, name: str) -> bool:
        if rate <= 0:
            return False
        if self._random.random() < rate:
            self.injected[name] = self.injected.get(name, 0) + 1
            return True
        return False

    def latency(self) -> float:
        """Seconds to hold this command, as a slow phone and network would."""
        plan = self.plan
        if plan.latency_ms <= 0:
            return 0.0
        if plan.latency_sigma <= 0:
            return plan.latency_ms / 1000
        return self._random.lognormvariate(0, plan.latency_sigma) * plan.latency_ms / 1000

    def next_command(self) -> None:
        self.commands += 1

    def crashed(self) -> bool:
        # Asked before the command is counted: after `crash_after` commands, the next one fails.
        return self.plan.crash_after > 0 and self.commands >= self.plan.crash_after

    def transient_error(self) -> bool:
        return self._hit(self.plan.error_rate, "error")

    def popup(self) -> str | None:
        if self._hit(self.plan.popup_rate, "popup"):
            return self._random.choice(["update", "notifications", "swipe_up", "contacts"])
        return None

    def rerender(self) -> bool:
        return self._hit(self.plan.stale_rate, "stale")

    def confirm_fails(self) -> bool:
        if self.plan.confirm_fails_once and not self.confirm_failed:
            self.confirm_failed = True
            self.injected["confirm_failed"] = 1
            return True
        return False
